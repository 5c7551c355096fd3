//! The pre-push hook with real git and a local bare remote.

use crate::support::{Tree, bin, git};
use std::process::Command;

struct Push {
    ok: bool,
    stderr: String,
}

fn push(dir: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> Push {
    let mut cmd = Command::new("git");
    cmd.current_dir(dir)
        .arg("push")
        .args(args)
        .env("NO_COLOR", "1");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    Push {
        ok: o.status.success(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// A work repo with a bare `origin`, `main` pushed, and the hook installed.
fn setup() -> (Tree, tempfile::TempDir) {
    let remote = tempfile::tempdir().unwrap();
    git(remote.path(), &["init", "-q", "--bare", "-b", "main"]);
    let t = Tree::git(&[
        ("src/a.ts", "export const A = process.env.API_URL;\n"),
        (".env.example", "API_URL=\n"),
    ]);
    t.commit_all("init");
    git(
        t.path(),
        &["remote", "add", "origin", remote.path().to_str().unwrap()],
    );
    git(t.path(), &["push", "-q", "-u", "origin", "main"]);
    let r = shipgate_in(t.path(), &["hook", "install"]);
    assert!(r.0 == 0, "{}", r.1);
    (t, remote)
}

fn shipgate_in(dir: &std::path::Path, args: &[&str]) -> (i32, String) {
    let o = Command::new(bin())
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        ),
    )
}

#[test]
fn push_adding_a_localhost_url_is_rejected_until_fixed() {
    let (t, _remote) = setup();
    // an old problem already on the remote is not this push's business
    t.write("src/b.ts", "export const B = 1;\n");
    t.commit_all("b");
    assert!(push(t.path(), &["-q"], &[]).ok);
    t.write(
        "src/api.ts",
        "export const API = \"http://localhost:3000/api\";\n",
    );
    t.commit_all("hardcode");
    let p = push(t.path(), &["-q"], &[]);
    assert!(!p.ok, "the push must be blocked");
    assert!(p.stderr.contains("localhost/hardcoded-url"), "{}", p.stderr);
    assert!(p.stderr.contains("src/api.ts:1:21"), "{}", p.stderr);
    assert!(p.stderr.contains("push blocked"), "{}", p.stderr);
    // bypasses
    assert!(push(t.path(), &["-q", "--dry-run"], &[("SHIPGATE_SKIP", "1")]).ok);
    assert!(push(t.path(), &["-q", "--no-verify", "--dry-run"], &[]).ok);
    // fix and push
    t.write(
        "src/api.ts",
        "export const API = import.meta.env.VITE_API_URL;\n",
    );
    t.write(".env.example", "API_URL=\nVITE_API_URL=\n");
    t.commit_all("fix");
    // the pushed range's net change no longer adds the URL
    let p = push(t.path(), &["-q"], &[]);
    assert!(p.ok, "{}", p.stderr);
}

#[test]
fn a_new_branch_is_scanned_from_its_merge_base_and_deletions_pass() {
    let (t, _remote) = setup();
    git(t.path(), &["checkout", "-q", "-b", "feature/x"]);
    t.write(
        "src/ws.ts",
        "export const WS = process.env.WS ?? \"ws://127.0.0.1:8080\";\n",
    );
    t.commit_all("ws");
    let p = push(t.path(), &["-q", "-u", "origin", "feature/x"], &[]);
    assert!(!p.ok);
    assert!(p.stderr.contains("localhost/env-fallback"), "{}", p.stderr);
    assert!(
        !p.stderr.contains("src/a.ts"),
        "only the branch's own commits: {}",
        p.stderr
    );
    assert!(push(t.path(), &["-q", "--no-verify", "origin", "feature/x"], &[]).ok);
    // deleting a remote branch is never blocked
    assert!(push(t.path(), &["-q", "origin", "--delete", "feature/x"], &[]).ok);
}

#[test]
fn foreign_hooks_are_preserved_or_chained_and_uninstall_removes_only_ours() {
    let t = Tree::git(&[("a.txt", "a\n")]);
    t.commit_all("init");
    let hooks = t.path().join(".git/hooks");
    std::fs::create_dir_all(&hooks).unwrap();
    let foreign = "#!/bin/sh\necho foreign-hook-ran >&2\nexit 0\n";
    std::fs::write(hooks.join("pre-push"), foreign).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(
            hooks.join("pre-push"),
            std::fs::Permissions::from_mode(0o755),
        )
        .unwrap();
    }
    let (code, out) = shipgate_in(t.path(), &["hook", "install"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("--chain"), "{out}");
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-push")).unwrap(),
        foreign,
        "untouched"
    );
    let (code, out) = shipgate_in(t.path(), &["hook", "install", "--chain"]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-push.shipgate-chained")).unwrap(),
        foreign
    );
    // the chained hook runs before shipgate
    let remote = tempfile::tempdir().unwrap();
    git(remote.path(), &["init", "-q", "--bare", "-b", "main"]);
    git(
        t.path(),
        &["remote", "add", "origin", remote.path().to_str().unwrap()],
    );
    let p = push(t.path(), &["-q", "origin", "main"], &[]);
    assert!(p.ok, "{}", p.stderr);
    assert!(p.stderr.contains("foreign-hook-ran"), "{}", p.stderr);
    let (code, _) = shipgate_in(t.path(), &["hook", "uninstall"]);
    assert_eq!(code, 0);
    assert_eq!(
        std::fs::read_to_string(hooks.join("pre-push")).unwrap(),
        foreign,
        "restored"
    );
    assert!(!hooks.join("pre-push.shipgate-chained").exists());
    let (code, out) = shipgate_in(t.path(), &["hook", "uninstall"]);
    assert_eq!(code, 2, "a foreign hook is never removed: {out}");
}

#[test]
fn core_hooks_path_is_honoured() {
    let t = Tree::git(&[("a.txt", "a\n")]);
    git(t.path(), &["config", "core.hooksPath", ".githooks"]);
    let (code, out) = shipgate_in(t.path(), &["hook", "install"]);
    assert_eq!(code, 0, "{out}");
    let hook = t.path().join(".githooks/pre-push");
    assert!(
        std::fs::read_to_string(&hook)
            .unwrap()
            .contains("shipgate-managed-hook")
    );
    assert!(!t.path().join(".git/hooks/pre-push").exists());
}

#[test]
fn the_pre_commit_framework_range_from_the_environment_is_scanned() {
    let t = Tree::git(&[("src/a.ts", "export const A = 1;\n")]);
    t.commit_all("init");
    let from = git(t.path(), &["rev-parse", "HEAD"]).trim().to_string();
    t.write("src/b.ts", "export const B = \"http://localhost:1\";\n");
    t.commit_all("b");
    let to = git(t.path(), &["rev-parse", "HEAD"]).trim().to_string();
    let o = Command::new(bin())
        .current_dir(t.path())
        .args(["hook", "run", "pre-push"])
        .env("PRE_COMMIT_FROM_REF", &from)
        .env("PRE_COMMIT_TO_REF", &to)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(String::from_utf8_lossy(&o.stderr).contains("src/b.ts:1:19"));
}

#[test]
fn the_pre_push_profile_of_the_config_decides_what_blocks_a_push() {
    let (t, _remote) = setup();
    // A warning-only change: a destructive statement in a migration.
    t.write("db/migrations/002_drop.sql", "DROP TABLE old_sessions;\n");
    t.commit_all("drop");
    assert!(
        push(t.path(), &["-q", "--dry-run"], &[]).ok,
        "warnings do not block by default"
    );
    t.write(
        "shipgate.toml",
        "[gate.profiles.pre-push]\nfail_on = \"warning\"\n",
    );
    t.commit_all("stricter pushes");
    let p = push(t.path(), &["-q"], &[]);
    assert!(
        !p.ok,
        "fail_on = \"warning\" in the pre-push profile blocks it"
    );
    assert!(
        p.stderr.contains("migrations/destructive-statement"),
        "{}",
        p.stderr
    );
    assert!(p.stderr.contains("push blocked"), "{}", p.stderr);
    // The profile's stages decide too: without scan, the warning is not looked for.
    t.write(
        "shipgate.toml",
        "[gate.profiles.pre-push]\nfail_on = \"warning\"\nstages = [\"env\"]\n",
    );
    t.commit_all("env only");
    assert!(push(t.path(), &["-q"], &[]).ok);
}

#[test]
fn the_env_stage_of_a_push_looks_at_the_change_only() {
    let (t, _remote) = setup();
    // An unused template entry already on the remote is not this push's business...
    t.write(".env.example", "API_URL=\nOLD_FLAG=\n");
    t.write(
        "shipgate.toml",
        "[gate.profiles.pre-push]\nfail_on = \"warning\"\n",
    );
    t.commit_all("template");
    let p = push(t.path(), &["-q"], &[]);
    assert!(
        !p.ok,
        "a template change checks every reader: OLD_FLAG is unused"
    );
    assert!(p.stderr.contains("env/unused"), "{}", p.stderr);
    assert!(push(t.path(), &["-q", "--no-verify"], &[]).ok);
    t.write("src/b.ts", "export const B = 2;\n");
    t.commit_all("unrelated");
    assert!(
        push(t.path(), &["-q"], &[]).ok,
        "an unrelated change passes"
    );
    // ...but a variable the change starts reading, declared nowhere, blocks it.
    t.write("src/c.ts", "export const C = process.env.NEW_SECRET_URL;\n");
    t.commit_all("reads an undeclared variable");
    let p = push(t.path(), &["-q"], &[]);
    assert!(!p.ok);
    assert!(p.stderr.contains("env/undeclared"), "{}", p.stderr);
    assert!(p.stderr.contains("src/c.ts:1:"), "{}", p.stderr);
}
