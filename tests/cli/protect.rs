//! `shipgate protect` against the stateful fake GitHub API.

use crate::fake_github::{FakeGitHub, Scripted};
use crate::support::{Tree, bin};
use serde_json::json;
use std::process::Command;

const CONFIG: &str = r#"[protect]
repo = "acme/shop"

[protect.branches."main"]
required_status_checks = { strict = true, contexts = ["validate", "audit"] }
enforce_admins = true
required_pull_request_reviews = { required_approving_review_count = 1, dismiss_stale_reviews = true }
required_linear_history = true
required_conversation_resolution = true
allow_force_pushes = false
allow_deletions = false

[protect.branches."release/v1"]
enforce_admins = true
required_signatures = true
"#;

const WORKFLOW: &str = "name: CI\non: [pull_request]\njobs:\n  validate:\n    runs-on: ubuntu-latest\n    steps: []\n  audit:\n    name: audit\n    runs-on: ubuntu-latest\n    steps: []\n";

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn protect(t: &Tree, gh: &FakeGitHub, args: &[&str]) -> Out {
    let mut cmd = Command::new(bin());
    cmd.current_dir(t.path())
        .arg("protect")
        .args(args)
        .env("NO_COLOR", "1");
    for (k, v) in gh.env() {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn repo(config: &str) -> Tree {
    Tree::new(&[
        ("shipgate.toml", config),
        (".github/workflows/ci.yml", WORKFLOW),
    ])
}

fn writes(gh: &FakeGitHub) -> usize {
    gh.state()
        .requests
        .iter()
        .filter(|r| r.method != "GET")
        .count()
}

#[test]
fn unprotected_then_apply_then_no_changes() {
    let gh = FakeGitHub::start();
    let t = repo(CONFIG);
    let r = protect(&t, &gh, &["plan"]);
    assert_eq!(r.code, 1, "changes pending: {}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("+ protect acme/shop@main"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("+ protect acme/shop@release/v1"),
        "{}",
        r.stdout
    );
    let r = protect(&t, &gh, &["apply"]);
    assert_eq!(
        r.code,
        0,
        "{}{}{:?}",
        r.stdout,
        r.stderr,
        gh.state().violations
    );
    assert!(
        r.stdout.contains("Applied and verified: main, release/v1"),
        "{}",
        r.stdout
    );
    gh.assert_no_violations();
    {
        let s = gh.state();
        let main = &s.protection["main"];
        assert_eq!(main["enforce_admins"]["enabled"], true);
        assert_eq!(
            main["required_status_checks"]["contexts"],
            json!(["audit", "validate"])
        );
        assert_eq!(
            s.protection["release/v1"]["required_signatures"]["enabled"],
            true
        );
        assert!(
            s.requests
                .iter()
                .any(|r| r.method == "PUT" && r.path.contains("/branches/release%2Fv1/protection")),
            "a branch with a slash is encoded"
        );
    }
    let before = writes(&gh);
    let r = protect(&t, &gh, &["plan"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("Plan: 0 change(s)"), "{}", r.stdout);
    assert_eq!(protect(&t, &gh, &["apply"]).code, 0);
    assert_eq!(writes(&gh), before, "a second apply changes nothing");
}

#[test]
fn drift_is_found_and_located() {
    let gh = FakeGitHub::start();
    let t = repo(CONFIG);
    assert_eq!(protect(&t, &gh, &["apply"]).code, 0);
    gh.state().protection.get_mut("main").unwrap()["enforce_admins"]["enabled"] = json!(false);
    let r = protect(&t, &gh, &["check", "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let f = &report["stages"][0]["findings"][0];
    assert_eq!(f["rule"], "protect/drift");
    assert_eq!(f["location"]["path"], "shipgate.toml");
    assert_eq!(f["location"]["line"], 6, "the enforce_admins line");
    assert!(
        f["message"]
            .as_str()
            .unwrap()
            .contains("`enforce_admins` is false on GitHub")
    );
    // the gate's protect stage sees it too
    t.write(
        "shipgate.toml",
        &format!("{CONFIG}\n[gate.profiles.p]\nstages = [\"protect\"]\n"),
    );
    let mut cmd = Command::new(bin());
    cmd.current_dir(t.path()).args([
        "gate",
        "--profile",
        "p",
        "--publish",
        "none",
        "--format",
        "json",
    ]);
    for (k, v) in gh.env() {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let stage = report["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "protect")
        .unwrap();
    assert_eq!(stage["status"], "failed");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn weakening_is_refused_unless_allowed() {
    let gh = FakeGitHub::start();
    let strong = CONFIG.replace(
        "required_approving_review_count = 1",
        "required_approving_review_count = 2",
    );
    let t = repo(&strong);
    assert_eq!(protect(&t, &gh, &["apply"]).code, 0);
    t.write(
        "shipgate.toml",
        &CONFIG.replace(
            "enforce_admins = true\nrequired_pull",
            "enforce_admins = false\nrequired_pull",
        ),
    );
    let r = protect(&t, &gh, &["apply"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("refusing to weaken"), "{}", r.stderr);
    assert!(
        r.stderr.contains("required_approving_review_count 2 -> 1"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("enforce_admins true -> false"),
        "{}",
        r.stderr
    );
    assert_eq!(
        gh.state().protection["main"]["enforce_admins"]["enabled"],
        true,
        "nothing changed"
    );
    let r = protect(&t, &gh, &["apply", "--allow-weaken"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        gh.state().protection["main"]["enforce_admins"]["enabled"],
        false
    );
}

#[test]
fn required_checks_no_job_produces_are_caught() {
    let gh = FakeGitHub::start();
    // the seed's mistake: "CI / validate" is how the UI shows the job "validate"
    let t = repo(&CONFIG.replace(
        "contexts = [\"validate\", \"audit\"]",
        "contexts = [\"CI / validate\", \"Dependency Audit / audit\"]",
    ));
    let r = protect(&t, &gh, &["plan"]);
    assert!(
        r.stdout
            .contains("required check `CI / validate` is produced by no workflow job"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("did you mean `validate`?"),
        "{}",
        r.stdout
    );
    let r = protect(&t, &gh, &["apply"]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("--allow-unknown-checks"), "{}", r.stderr);
    assert!(gh.state().protection.is_empty());
    assert_eq!(
        protect(&t, &gh, &["apply", "--allow-unknown-checks"]).code,
        0
    );
}

#[test]
fn a_put_that_github_did_not_store_is_an_error() {
    let gh = FakeGitHub::start();
    gh.state().drop_on_put = Some("required_linear_history");
    let t = repo(CONFIG);
    let r = protect(&t, &gh, &["apply"]);
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stderr
            .contains("did not store it: required_linear_history is false (sent true)"),
        "{}",
        r.stderr
    );
}

#[test]
fn bad_gateway_on_read_is_retried() {
    let gh = FakeGitHub::start();
    gh.state().script.push_back(Scripted {
        method: "GET",
        path_contains: "/protection",
        status: 502,
        headers: vec![],
        body: json!({ "message": "Bad Gateway" }),
        apply: false,
    });
    let t = repo(CONFIG);
    let r = protect(&t, &gh, &["plan"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("HTTP 502; retrying"), "{}", r.stderr);
}

#[test]
fn config_errors_and_missing_token() {
    let gh = FakeGitHub::start();
    let t = repo("[protect.branches.main]\nenforce_admins = \"yes\"\nforce = true\n");
    let r = protect(&t, &gh, &["plan"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("shipgate.toml:2:19: `enforce_admins` must be true or false"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("shipgate.toml:3:1: unknown key `force`"),
        "{}",
        r.stderr
    );
    let t = repo(CONFIG);
    let o = Command::new(bin())
        .current_dir(t.path())
        .args(["protect", "plan"])
        .env_remove("GITHUB_TOKEN")
        .env_remove("GH_TOKEN")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
}

const RULESET: &str = r#"
[[protect.rulesets]]
name = "main guard"
target = "branch"
enforcement = "active"
conditions = { ref_name = { include = ["~DEFAULT_BRANCH"], exclude = [] } }
rules = [{ type = "deletion" }, { type = "non_fast_forward" }, { type = "required_linear_history" }]
"#;

#[test]
fn rulesets_are_created_updated_and_left_alone() {
    let gh = FakeGitHub::start();
    let t = repo(&format!("[protect]\nrepo = \"acme/shop\"\n{RULESET}"));
    let r = protect(&t, &gh, &["plan"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout.contains("+ acme/shop ruleset `main guard`"),
        "{}",
        r.stdout
    );
    let r = protect(&t, &gh, &["apply"]);
    assert_eq!(
        r.code,
        0,
        "{}{}{:?}",
        r.stdout,
        r.stderr,
        gh.state().violations
    );
    gh.assert_no_violations();
    assert_eq!(gh.state().rulesets.len(), 1);
    let before = writes(&gh);
    assert_eq!(protect(&t, &gh, &["plan"]).code, 0, "no-op");
    assert_eq!(protect(&t, &gh, &["apply"]).code, 0);
    assert_eq!(writes(&gh), before, "no write for a no-op");
    // evaluate mode and a dropped rule weaken it
    t.write(
        "shipgate.toml",
        &format!(
            "[protect]\nrepo = \"acme/shop\"\n{}",
            RULESET
                .replace("\"active\"", "\"evaluate\"")
                .replace(", { type = \"required_linear_history\" }", "")
        ),
    );
    let r = protect(&t, &gh, &["apply"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("enforcement: \"active\" -> \"evaluate\""),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("rules: [deletion, non_fast_forward, required_linear_history] -> [deletion, non_fast_forward]"), "{}", r.stderr);
    assert_eq!(protect(&t, &gh, &["apply", "--allow-weaken"]).code, 0);
    assert_eq!(gh.state().rulesets[0]["enforcement"], "evaluate");
    assert_eq!(gh.state().rulesets.len(), 1, "updated, not duplicated");
    gh.assert_no_violations();
}

fn org(gh: &FakeGitHub, n: usize) {
    let mut s = gh.state();
    s.org_repos = (0..n)
        .map(|i| json!({
            "id": i, "name": format!("svc-{i:03}"), "full_name": format!("acme/svc-{i:03}"),
            "archived": i % 50 == 7, "fork": i % 50 == 8, "topics": if i % 2 == 0 { json!(["backend"]) } else { json!([]) },
        }))
        .collect();
}

#[test]
fn an_org_of_300_repositories_with_pagination_and_per_repo_errors() {
    let gh = FakeGitHub::start();
    org(&gh, 300);
    gh.state().forbidden_repos.push("acme/svc-010".into());
    let t = repo("[protect.branches.main]\nenforce_admins = true\nallow_force_pushes = false\n");
    let r = protect(&t, &gh, &["plan", "--org", "acme", "--concurrency", "6"]);
    assert_eq!(
        r.code, 3,
        "an unreadable repository makes the run incomplete: {}",
        r.stderr
    );
    let rows: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("acme/"))
        .collect();
    assert_eq!(
        rows.len(),
        300 - 12,
        "archived and forks are excluded by default"
    );
    assert!(r.stdout.contains("acme/svc-010  error"), "{}", r.stdout);
    assert!(
        r.stdout.contains("acme/svc-011  changes    1"),
        "{}",
        r.stdout
    );
    let pages = gh
        .state()
        .requests
        .iter()
        .filter(|x| x.path.starts_with("/orgs/acme/repos"))
        .count();
    assert_eq!(pages, 3);
    assert!(gh.state().max_in_flight <= 6);
    // filters
    let r = protect(
        &t,
        &gh,
        &[
            "plan", "--org", "acme", "--filter", "svc-00*", "--topic", "backend",
        ],
    );
    let rows: Vec<&str> = r
        .stdout
        .lines()
        .filter(|l| l.starts_with("acme/"))
        .collect();
    assert_eq!(rows.len(), 4, "{rows:?}"); // svc-000, 002, 004, 006 (008 is a fork)
    // apply writes one repository at a time and goes on past the error
    gh.state().forbidden_repos.clear();
    let r = protect(&t, &gh, &["apply", "--org", "acme", "--filter", "svc-01*"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(gh.state().protection.len(), 10);
    let r = protect(
        &t,
        &gh,
        &[
            "check", "--org", "acme", "--filter", "svc-01*", "--format", "json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
}

#[test]
fn a_secondary_rate_limit_is_waited_out() {
    let gh = FakeGitHub::start();
    gh.state().script.push_back(Scripted {
        method: "PUT",
        path_contains: "/protection",
        status: 403,
        headers: vec![("retry-after", "1".into())],
        body: json!({ "message": "You have exceeded a secondary rate limit." }),
        apply: false,
    });
    let t =
        repo("[protect]\nrepo = \"acme/shop\"\n[protect.branches.main]\nenforce_admins = true\n");
    let started = std::time::Instant::now();
    let r = protect(&t, &gh, &["apply"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(started.elapsed().as_millis() >= 1000);
    assert!(
        r.stderr.contains("rate limited; waiting 1s"),
        "{}",
        r.stderr
    );
    assert_eq!(
        gh.state().protection["main"]["enforce_admins"]["enabled"],
        true
    );
}

#[test]
fn branch_patterns_expand_against_the_repository_branches() {
    let gh = FakeGitHub::start();
    gh.state().branches = vec![
        "main".into(),
        "release/1.0".into(),
        "release/2.0".into(),
        "feature/x".into(),
    ];
    let t = repo(
        "[protect]\nrepo = \"acme/shop\"\n[protect.branches.\"release/*\"]\nenforce_admins = true\nallow_deletions = false\n",
    );
    let r = protect(&t, &gh, &["apply"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    gh.assert_no_violations();
    let s = gh.state();
    let mut keys: Vec<&String> = s.protection.keys().collect();
    keys.sort();
    assert_eq!(keys, vec!["release/1.0", "release/2.0"]);
}

#[test]
fn push_restrictions_set_elsewhere_are_kept_unless_managed() {
    let gh = FakeGitHub::start();
    let t =
        repo("[protect]\nrepo = \"acme/shop\"\n[protect.branches.main]\nenforce_admins = true\n");
    assert_eq!(protect(&t, &gh, &["apply"]).code, 0);
    gh.state().protection.get_mut("main").unwrap()["restrictions"] =
        json!({ "users": [{ "login": "octocat" }], "teams": [{ "slug": "release" }], "apps": [] });
    gh.state().protection.get_mut("main").unwrap()["enforce_admins"]["enabled"] = json!(false);
    let r = protect(&t, &gh, &["apply"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let puts: Vec<serde_json::Value> = gh
        .state()
        .requests
        .iter()
        .filter(|r| r.method == "PUT")
        .map(|r| r.body.clone())
        .collect();
    assert_eq!(
        puts.last().unwrap()["restrictions"],
        json!({ "users": ["octocat"], "teams": ["release"], "apps": [] }),
        "not silently removed"
    );
    // managed: removing them is a weakening
    t.write("shipgate.toml", "[protect]\nrepo = \"acme/shop\"\n[protect.branches.main]\nenforce_admins = true\nrestrictions = { users = [\"octocat\"], teams = [], apps = [] }\n");
    let r = protect(&t, &gh, &["plan"]);
    assert!(
        r.stdout
            .contains("restrictions: users [\"octocat\"], teams [\"release\"]"),
        "{}",
        r.stdout
    );
}

#[test]
fn review_dismissal_restrictions_set_elsewhere_are_kept() {
    let gh = FakeGitHub::start();
    let t = repo(
        "[protect]\nrepo = \"acme/shop\"\n[protect.branches.main]\nrequired_pull_request_reviews = { required_approving_review_count = 1 }\n",
    );
    assert_eq!(protect(&t, &gh, &["apply"]).code, 0);
    gh.state().protection.get_mut("main").unwrap()["required_pull_request_reviews"]["dismissal_restrictions"] =
        json!({ "users": [{ "login": "octocat" }], "teams": [], "apps": [] });
    gh.state().protection.get_mut("main").unwrap()["required_pull_request_reviews"]["required_approving_review_count"] =
        json!(0);
    let r = protect(&t, &gh, &["apply"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let put = gh
        .state()
        .requests
        .iter()
        .rev()
        .find(|r| r.method == "PUT")
        .unwrap()
        .body
        .clone();
    assert_eq!(
        put["required_pull_request_reviews"]["dismissal_restrictions"]["users"],
        json!(["octocat"])
    );
    gh.assert_no_violations();
}
