//! `shipgate release check` on repositories in each failing state.

use crate::support::{Tree, git};
use serde_json::Value;

/// A repo on main, pushed to a bare origin, with v1.3.0 tagged and a changelog.
fn ready() -> (Tree, tempfile::TempDir) {
    let remote = tempfile::tempdir().unwrap();
    git(remote.path(), &["init", "-q", "--bare", "-b", "main"]);
    let t = Tree::git(&[
        ("src/a.ts", "export const A = process.env.API_URL;\n"),
        (".env.example", "API_URL=\n"),
        (
            "CHANGELOG.md",
            "# Changelog\n\n## [1.4.0] - 2026-11-22\n- things\n\n## [1.3.0]\n- older\n",
        ),
    ]);
    t.commit_all("init");
    git(t.path(), &["tag", "v1.3.0"]);
    git(
        t.path(),
        &["remote", "add", "origin", remote.path().to_str().unwrap()],
    );
    git(t.path(), &["push", "-q", "-u", "origin", "main", "--tags"]);
    (t, remote)
}

fn failed(report: &Value) -> Vec<String> {
    report["stages"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "failed")
        .map(|c| c["name"].as_str().unwrap().to_string())
        .collect()
}

fn check(t: &Tree, version: &str) -> (i32, Value) {
    let r = t.run(&["release", "check", version, "--format", "json"]);
    assert!(r.code != 2, "{}", r.stderr);
    (r.code, r.json())
}

#[test]
fn a_ready_repository_passes_and_tag_creates_the_tag() {
    let (t, _r) = ready();
    let (code, report) = check(&t, "v1.4.0");
    assert_eq!(code, 0, "{report:#}");
    let names: Vec<&str> = report["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        vec![
            "release",
            "scan",
            "env",
            "integrity",
            "protect",
            "smoke",
            "commands"
        ]
    );
    assert_eq!(report["profile"], "release");
    let r = t.run(&["release", "check", "v1.4.0", "--tag"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(git(t.path(), &["tag", "--list"]).contains("v1.4.0"));
    assert_eq!(
        git(t.path(), &["cat-file", "-t", "v1.4.0"]).trim(),
        "tag",
        "annotated"
    );
}

#[test]
fn each_failing_state_is_named() {
    let (t, _r) = ready();
    // An invalid version is a usage error before anything runs.
    for bad in ["1.4", "--tag", "v1.0.0-rc.01"] {
        let r = t.run(&["release", "check", bad, "--format", "json"]);
        assert_eq!(r.code, 2, "{bad}: {}", r.stderr);
        assert!(r.stdout.is_empty(), "{bad}: nothing ran: {}", r.stdout);
    }
    assert_eq!(failed(&check(&t, "v1.2.9").1), vec!["newer", "changelog"]);
    assert_eq!(failed(&check(&t, "v1.3.0").1), vec!["newer", "tag-free"]);
    assert_eq!(failed(&check(&t, "v1.5.0").1), vec!["changelog"]);
    // dirty tree
    t.write("src/b.ts", "export const B = 2;\n");
    assert_eq!(failed(&check(&t, "v1.4.0").1), vec!["clean"]);
    // ahead of upstream
    t.commit_all("b");
    assert_eq!(failed(&check(&t, "v1.4.0").1), vec!["upstream"]);
    // wrong branch
    git(t.path(), &["checkout", "-q", "-b", "feature"]);
    let f = failed(&check(&t, "v1.4.0").1);
    assert!(f.contains(&"branch".to_string()), "{f:?}");
    // --tag refuses when not ready
    let r = t.run(&["release", "check", "v1.4.0", "--tag"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("not tagging"), "{}", r.stderr);
    assert!(!git(t.path(), &["tag", "--list"]).contains("v1.4.0"));
}

#[test]
fn the_release_gate_failing_blocks_the_release() {
    let (t, _r) = ready();
    t.write(
        "src/api.ts",
        "export const API = \"http://localhost:3000\";\n",
    );
    t.commit_all("oops");
    git(t.path(), &["push", "-q"]);
    let (code, report) = check(&t, "v1.4.0");
    assert_eq!(code, 1);
    assert!(failed(&report).is_empty(), "readiness itself passes");
    assert_eq!(report["stages"][1]["status"], "failed");
}
