//! Gate profiles and the command stage.

use crate::support::{Tree, git};
use serde_json::Value;

fn stages(report: &Value) -> Vec<(String, String)> {
    report["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["name"].as_str().unwrap().to_string(),
                s["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn names(report: &Value) -> Vec<String> {
    stages(report).into_iter().map(|(n, _)| n).collect()
}

#[test]
fn profiles_produce_the_right_stage_sets() {
    let t = Tree::git(&[("src/a.ts", "export const A = 1;\n"), (".env.example", "")]);
    t.commit_all("init");
    git(t.path(), &["branch", "base"]);
    let run = |args: &[&str]| {
        let mut a = vec!["gate", "--format", "json"];
        a.extend_from_slice(args);
        let r = t.run(&a);
        assert!(r.code != 2, "{}", r.stderr);
        r.json()
    };
    assert_eq!(names(&run(&[])), vec!["scan", "env", "integrity", "smoke"]);
    let pr = run(&["--profile", "pr", "--diff", "base"]);
    assert_eq!(
        names(&pr),
        vec!["scan", "env", "integrity", "protect", "smoke", "commands"]
    );
    assert_eq!(pr["profile"], "pr");
    let st = stages(&pr);
    assert_eq!(st[2], ("integrity".into(), "passed".into()));
    assert_eq!(
        st[3],
        ("protect".into(), "skipped".into()),
        "a stage that does not exist yet is skipped, never passed"
    );
    assert_eq!(st[5], ("commands".into(), "skipped".into()));
    assert_eq!(
        names(&run(&["--profile", "pre-push", "--diff", "base"])),
        vec!["scan", "env"]
    );
    let r = t.run(&["gate", "--profile", "release", "--format", "json"]);
    assert!(
        r.stdout.contains("env/profile-not-checked"),
        "a missing profile file is a note: {}",
        r.stdout
    );
    let r = t.run(&[
        "gate",
        "--profile",
        "release",
        "--env-profile",
        "production",
    ]);
    assert_eq!(r.code, 2, "an explicit env profile must exist");
    assert!(
        r.stderr.contains("no .env.production found"),
        "{}",
        r.stderr
    );
    t.write(".env.production", "NODE_ENV=production\n");
    let release = run(&["--profile", "release"]);
    assert_eq!(
        names(&release),
        vec!["scan", "env", "integrity", "protect", "smoke", "commands"]
    );
    assert_eq!(release["stages"][1]["stats"]["profiles_checked"], 1);
    // user-defined profile
    t.write(
        "shipgate.toml",
        "[gate.profiles.nightly]\nstages = [\"scan\"]\nscan = \"tracked\"\nfail_on = \"warning\"\n",
    );
    let nightly = run(&["--profile", "nightly"]);
    assert_eq!(names(&nightly), vec!["scan"]);
    assert_eq!(nightly["fail_on"], "warning");
    let r = t.run(&["gate", "--profile", "nope"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(
            "unknown gate profile `nope`; known: default, pr, pre-push, release, nightly"
        ),
        "{}",
        r.stderr
    );
    t.write(
        "shipgate.toml",
        "[gate.profiles.x]\nstages = [\"scan\", \"lint\"]\n",
    );
    let r = t.run(&["gate"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("shipgate.toml:2:20: unknown stage `lint`"),
        "{}",
        r.stderr
    );
}

#[test]
fn pr_profile_scans_against_the_pr_base() {
    let t = Tree::git(&[("src/old.ts", "export const OLD = \"http://localhost:1\";\n")]);
    t.commit_all("init");
    git(t.path(), &["branch", "base"]);
    t.write("src/new.ts", "export const NEW = \"http://localhost:2\";\n");
    t.commit_all("new");
    t.write(
        "shipgate.toml",
        "[gate.profiles.pr]\ndiff_base = \"base\"\n",
    );
    let r = t.run(&["gate", "--profile", "pr", "--format", "json"]);
    let report = r.json();
    let scan = &report["stages"][0];
    let paths: Vec<&str> = scan["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, vec!["src/new.ts"]);
}

#[test]
fn command_stage_reports_failures_with_their_output_tail() {
    let t = Tree::new(&[(
        "shipgate.toml",
        "[gate.profiles.cmds]\nstages = [\"commands\"]\n\n[[gate.commands]]\nname = \"typecheck\"\nrun = \"echo checking; echo 'src/a.ts(3,1): error TS2322' >&2; exit 2\"\n\n[[gate.commands]]\nname = \"ok\"\nrun = \"true\"\n\n[[gate.commands]]\nname = \"hangs\"\nrun = \"sleep 30\"\ntimeout = \"500ms\"\n",
    )]);
    let started = std::time::Instant::now();
    let r = t.run(&["gate", "--profile", "cmds", "--format", "json"]);
    assert!(
        started.elapsed().as_secs() < 20,
        "the hanging command was killed"
    );
    let report = r.json();
    let cmd = report["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "commands")
        .unwrap();
    assert_eq!(cmd["status"], "failed");
    let checks: Vec<(&str, &str)> = cmd["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["name"].as_str().unwrap(), c["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        checks,
        vec![
            ("typecheck", "failed"),
            ("ok", "passed"),
            ("hangs", "failed")
        ]
    );
    let msgs: Vec<&str> = cmd["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(
        msgs.iter().any(|m| m.contains("exited with 2")
            && m.contains("error TS2322")
            && m.contains("checking")),
        "{msgs:#?}"
    );
    assert!(
        msgs.iter().any(|m| m.contains("did not finish within 0s")),
        "{msgs:#?}"
    );
    assert_eq!(cmd["findings"][0]["location"]["path"], "shipgate.toml");
}

#[test]
fn commands_auto_runs_the_package_scripts_that_exist() {
    let t = Tree::new(&[
        (
            "package.json",
            "{\"scripts\": {\"build\": \"echo built\", \"test\": \"echo tested\"}}",
        ),
        (
            "shipgate.toml",
            "[gate]\ncommands = \"auto\"\n\n[gate.profiles.ci]\nstages = [\"commands\"]\n",
        ),
        ("node_modules/.bin/.keep", ""),
    ]);
    // a fake npm on PATH so the test does not need node
    let bin = t.path().join("fakebin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::write(bin.join("npm"), "#!/bin/sh\necho \"npm $*\"\nexit 0\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(bin.join("npm"), std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!("{}:{}", bin.display(), std::env::var("PATH").unwrap());
    let o = std::process::Command::new(crate::support::bin())
        .current_dir(t.path())
        .args(["gate", "--profile", "ci", "--format", "json"])
        .env("PATH", path)
        .output()
        .unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stdout)
    );
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let checks: Vec<(String, String)> = report["stages"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().into(),
                c["status"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        checks,
        vec![
            ("build".into(), "passed".into()),
            ("test".into(), "passed".into()),
            ("typecheck".into(), "skipped".into()),
            ("lint".into(), "skipped".into())
        ]
    );
}

#[test]
fn init_detects_the_stack_and_never_overwrites() {
    let t = Tree::new(&[
        (
            "package.json",
            "{\"scripts\": {\"build\": \"nest build\", \"test\": \"jest\"}, \"dependencies\": {\"@nestjs/core\": \"^10\", \"@supabase/supabase-js\": \"^2\"}}",
        ),
        (".env.example", "DATABASE_URL=\n"),
        (".env.local", "ALLOW_WEBHOOK_TEST_BYPASS=true\n"),
    ]);
    let r = t.run(&["init"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("detected NestJS, Supabase"),
        "{}",
        r.stdout
    );
    let cfg = std::fs::read_to_string(t.path().join("shipgate.toml")).unwrap();
    assert!(cfg.starts_with("#:schema ./.shipgate/schema.json"));
    assert!(
        cfg.contains("commands = \"auto\"     # found scripts: build, test (no typecheck, lint)"),
        "{cfg}"
    );
    assert!(cfg.contains("ALLOW_WEBHOOK_TEST_BYPASS = "), "{cfg}");
    assert!(cfg.contains("path = \"/api/docs\""), "{cfg}");
    // the generated config is valid: shipgate reads it
    let r = t.run(&["rules", "list"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(t.path().join(".shipgate/schema.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(schema["title"], "shipgate.toml");
    assert!(t.path().join(".github/workflows/shipgate.yml").is_file());
    std::fs::write(t.path().join("shipgate.toml"), "# mine\n").unwrap();
    let r = t.run(&["init"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("--force"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(t.path().join("shipgate.toml")).unwrap(),
        "# mine\n"
    );
    assert_eq!(t.run(&["init", "--force"]).code, 0);
    let r = t.run(&["config", "schema"]);
    assert!(r.stdout.contains("\"smoke\""));
}
