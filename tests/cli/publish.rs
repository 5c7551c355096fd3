//! Publishing the gate report as a check run, against the fake GitHub API.

use crate::fake_github::{FakeGitHub, Scripted, TOKEN};
use crate::support::{Tree, bin};
use serde_json::{Value, json};
use std::process::Command;
use std::time::Instant;

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn gate(t: &Tree, gh: &FakeGitHub, extra_env: &[(&str, String)], args: &[&str]) -> Out {
    let mut cmd = Command::new(bin());
    cmd.current_dir(t.path())
        .arg("gate")
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_EVENT_PATH")
        .env_remove("GITHUB_STEP_SUMMARY")
        .env_remove("GITHUB_ACTIONS");
    for (k, v) in gh.env() {
        cmd.env(k, v);
    }
    for (k, v) in extra_env {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    let out = Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    };
    assert!(
        !out.stdout.contains(TOKEN) && !out.stderr.contains(TOKEN),
        "the token leaked"
    );
    out
}

fn failing_tree(files: usize) -> Tree {
    let t = Tree::new(&[]);
    for i in 0..files {
        t.write(
            &format!("src/m{i}.ts"),
            &format!("export const A = \"http://localhost:{}\";\n", 3000 + i),
        );
    }
    t
}

#[test]
fn pass_publishes_a_successful_run_inside_actions() {
    let gh = FakeGitHub::start();
    let t = Tree::new(&[("src/a.ts", "export const A = process.env.API_URL;\n")]);
    let r = gate(&t, &gh, &[("GITHUB_ACTIONS", "true".into())], &[]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    gh.assert_no_violations();
    let s = gh.state();
    assert_eq!(s.runs.len(), 1);
    let run = &s.runs[0];
    assert_eq!(run.name, "shipgate");
    assert_eq!(run.status, "completed");
    assert_eq!(run.conclusion.as_deref(), Some("success"));
    assert_eq!(run.head_sha, "1111111111111111111111111111111111111111");
    assert_eq!(
        run.details_url.as_deref(),
        Some("https://github.example.com/acme/shop/actions/runs/42")
    );
    assert!(
        run.summary
            .as_deref()
            .unwrap()
            .contains("## shipgate: ✅ PASS")
    );
    // created in_progress before the stages ran, completed after
    assert_eq!(s.requests.iter().filter(|r| r.method == "POST").count(), 1);
    let post = s.requests.iter().find(|r| r.method == "POST").unwrap();
    assert_eq!(post.body["status"], "in_progress");
}

#[test]
fn failure_with_120_annotations_goes_in_three_batches() {
    let gh = FakeGitHub::start();
    let t = failing_tree(120);
    let r = gate(&t, &gh, &[], &["--publish", "check-run"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    gh.assert_no_violations();
    let s = gh.state();
    let run = &s.runs[0];
    assert_eq!(run.conclusion.as_deref(), Some("failure"));
    assert_eq!(run.annotations.len(), 120);
    let batches: Vec<usize> = s
        .requests
        .iter()
        .filter(|r| r.method == "PATCH" && r.body["output"]["annotations"].is_array())
        .map(|r| r.body["output"]["annotations"].as_array().unwrap().len())
        .collect();
    assert_eq!(batches, vec![50, 50, 20]);
    let a = &run.annotations[0];
    assert_eq!(a["annotation_level"], "failure");
    assert!(a["path"].as_str().unwrap().starts_with("src/m"));
    assert_eq!(a["start_line"], 1);
    assert!(
        r.stderr.contains("published check run `shipgate`"),
        "{}",
        r.stderr
    );
}

#[test]
fn pull_request_events_attach_to_the_head_sha() {
    let gh = FakeGitHub::start();
    let t = Tree::new(&[("src/a.ts", "export const A = 1;\n")]);
    let event = t.path().join("event.json");
    std::fs::write(&event, json!({ "pull_request": { "head": { "sha": "2222222222222222222222222222222222222222" } } }).to_string()).unwrap();
    let r = gate(
        &t,
        &gh,
        &[
            ("GITHUB_EVENT_PATH", event.display().to_string()),
            ("GITHUB_EVENT_NAME", "pull_request".into()),
        ],
        &["--publish", "check-run"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(
        gh.state().runs[0].head_sha,
        "2222222222222222222222222222222222222222"
    );
    // --sha wins
    let r = gate(
        &t,
        &gh,
        &[],
        &[
            "--publish",
            "check-run",
            "--sha",
            "3333333333333333333333333333333333333333",
            "--check-name",
            "release gate",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let s = gh.state();
    assert!(
        s.runs
            .iter()
            .any(|x| x.head_sha == "3333333333333333333333333333333333333333"
                && x.name == "release gate")
    );
}

#[test]
fn bad_gateway_is_retried_and_a_post_is_never_duplicated() {
    let gh = FakeGitHub::start();
    {
        let mut s = gh.state();
        // a GET that fails once
        s.script.push_back(Scripted {
            method: "GET",
            path_contains: "/commits/",
            status: 502,
            headers: vec![],
            body: json!({ "message": "Bad Gateway" }),
            apply: false,
        });
        // a POST that GitHub applied but answered 502
        s.script.push_back(Scripted {
            method: "POST",
            path_contains: "/check-runs",
            status: 502,
            headers: vec![],
            body: json!({ "message": "Bad Gateway" }),
            apply: true,
        });
    }
    let t = failing_tree(2);
    let r = gate(&t, &gh, &[], &["--publish", "check-run"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    gh.assert_no_violations();
    let s = gh.state();
    assert_eq!(s.runs.len(), 1, "no duplicate run");
    assert_eq!(s.runs[0].conclusion.as_deref(), Some("failure"));
    assert_eq!(s.requests.iter().filter(|r| r.method == "POST").count(), 1);
    assert!(r.stderr.contains("HTTP 502; retrying"), "{}", r.stderr);
}

#[test]
fn read_only_fork_token_falls_back_to_workflow_commands() {
    let gh = FakeGitHub::start();
    gh.state().read_only_token = true;
    let t = failing_tree(1);
    let summary = t.path().join("summary.md");
    let r = gate(
        &t,
        &gh,
        &[("GITHUB_STEP_SUMMARY", summary.display().to_string())],
        &["--publish", "check-run"],
    );
    assert_eq!(
        r.code, 1,
        "the verdict does not change because publishing failed"
    );
    assert!(
        r.stderr.contains("Resource not accessible by integration"),
        "{}",
        r.stderr
    );
    assert_eq!(
        r.stderr
            .lines()
            .filter(|l| l.contains("check run not published"))
            .count(),
        1
    );
    assert!(
        r.stdout.contains("::error file=src/m0.ts,line=1"),
        "{}",
        r.stdout
    );
    assert!(
        std::fs::read_to_string(&summary)
            .unwrap()
            .contains("## shipgate: ❌ FAIL")
    );
    let r = gate(
        &t,
        &gh,
        &[],
        &["--publish", "check-run", "--require-publish"],
    );
    assert_eq!(r.code, 3);
}

#[test]
fn secondary_rate_limit_is_waited_out() {
    let gh = FakeGitHub::start();
    gh.state().script.push_back(Scripted {
        method: "PATCH",
        path_contains: "/check-runs/",
        status: 403,
        headers: vec![("retry-after", "1".into())],
        body: json!({ "message": "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." }),
        apply: false,
    });
    let t = failing_tree(1);
    let started = Instant::now();
    let r = gate(&t, &gh, &[], &["--publish", "check-run"]);
    assert!(
        started.elapsed().as_millis() >= 1000,
        "retry-after was honoured"
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("rate limited; waiting 1s"),
        "{}",
        r.stderr
    );
    gh.assert_no_violations();
    assert_eq!(gh.state().runs[0].status, "completed");
}

#[test]
fn rerun_on_the_same_commit_starts_a_fresh_run_without_duplicate_annotations() {
    let gh = FakeGitHub::start();
    let t = failing_tree(2);
    assert_eq!(gate(&t, &gh, &[], &["--publish", "check-run"]).code, 1);
    assert_eq!(gate(&t, &gh, &[], &["--publish", "check-run"]).code, 1);
    gh.assert_no_violations();
    let s = gh.state();
    // GitHub appends the annotations of every PATCH to a run: a rerun gets a
    // fresh run, so each run carries each finding exactly once.
    assert_eq!(s.runs.len(), 2);
    for run in &s.runs {
        assert_eq!(run.status, "completed");
        assert_eq!(run.annotations.len(), 2, "{:?}", run.annotations);
        assert_eq!(run.conclusion.as_deref(), Some("failure"));
    }
    drop(s);
    // A run left in progress (a killed job) is completed as superseded by the next one.
    gh.state().runs[1].status = "in_progress".into();
    gh.state().runs[1].conclusion = None;
    t.write("src/m0.ts", "export const A = process.env.API;\n");
    t.write("src/m1.ts", "export const B = process.env.API;\n");
    assert_eq!(gate(&t, &gh, &[], &["--publish", "check-run"]).code, 0);
    let s = gh.state();
    assert_eq!(s.runs[1].status, "completed");
    assert_eq!(s.runs[1].conclusion.as_deref(), Some("neutral"));
    assert_eq!(s.runs[2].conclusion.as_deref(), Some("success"));
    assert!(
        s.runs[2]
            .annotations
            .iter()
            .all(|a| a["annotation_level"] != "failure"),
        "{:?}",
        s.runs[2].annotations
    );
}

#[test]
fn a_patch_stored_but_answered_502_does_not_duplicate_annotations() {
    let gh = FakeGitHub::start();
    // The first annotation batch is stored, then answered 502.
    gh.state().script.push_back(Scripted {
        method: "PATCH",
        path_contains: "/check-runs/",
        status: 502,
        headers: vec![],
        body: json!({ "message": "Bad Gateway" }),
        apply: true,
    });
    let t = failing_tree(120);
    let r = gate(&t, &gh, &[], &["--publish", "check-run"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    gh.assert_no_violations();
    let s = gh.state();
    assert_eq!(s.runs.len(), 1);
    assert_eq!(s.runs[0].annotations.len(), 120, "each annotation once");
    let mut seen = std::collections::HashSet::new();
    for a in &s.runs[0].annotations {
        assert!(
            seen.insert(a["path"].as_str().unwrap().to_string()),
            "duplicate {a}"
        );
    }
    assert_eq!(s.runs[0].status, "completed");
}

#[test]
fn a_create_whose_answer_is_lost_is_looked_up_not_left_in_progress() {
    let gh = FakeGitHub::start();
    // GitHub stores the run, the answer never arrives (the connection is cut).
    gh.state().script.push_back(Scripted {
        method: "POST",
        path_contains: "/check-runs",
        status: 0,
        headers: vec![],
        body: Value::Null,
        apply: true,
    });
    let t = failing_tree(1);
    let r = gate(&t, &gh, &[], &["--publish", "check-run"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("looking it up"), "{}", r.stderr);
    let s = gh.state();
    assert_eq!(s.runs.len(), 1, "found by external_id, not created twice");
    assert_eq!(s.runs[0].status, "completed");
    assert_eq!(s.requests.iter().filter(|r| r.method == "POST").count(), 1);
}

#[test]
fn large_reports_are_truncated_to_what_github_accepts() {
    let gh = FakeGitHub::start();
    let t = Tree::new(&[]);
    let body: String = (0..3000)
        .map(|i| {
            format!(
                "export const A{i} = \"http://localhost:{}/{}\";\n",
                3000 + i % 1000,
                "p".repeat(20)
            )
        })
        .collect();
    t.write("src/big.ts", &body);
    let r = gate(&t, &gh, &[], &["--publish", "check-run"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    gh.assert_no_violations();
    let s = gh.state();
    let run = &s.runs[0];
    assert_eq!(run.annotations.len(), 1000);
    let summary = run.summary.as_deref().unwrap();
    assert!(summary.chars().count() <= 65_535);
    assert!(
        summary.contains(
            "1000 finding(s) are annotated on their lines; 2000 more appear only in this summary"
        ),
        "{}",
        &summary[summary.len() - 300..]
    );
}

#[test]
fn saved_reports_publish_later() {
    let gh = FakeGitHub::start();
    let t = failing_tree(3);
    let r = gate(
        &t,
        &gh,
        &[],
        &["--publish", "none", "--output", "json=report.json"],
    );
    assert_eq!(r.code, 1);
    assert!(
        gh.state().requests.is_empty(),
        "--publish none sends nothing"
    );
    let mut cmd = Command::new(bin());
    cmd.current_dir(t.path())
        .args(["report", "publish", "report.json"]);
    for (k, v) in gh.env() {
        cmd.env(k, v);
    }
    let o = cmd.output().unwrap();
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    gh.assert_no_violations();
    let s = gh.state();
    assert_eq!(s.runs[0].annotations.len(), 3);
    assert_eq!(s.runs[0].conclusion.as_deref(), Some("failure"));
}

/// The fake must reject what GitHub rejects, or the tests above prove nothing.
#[test]
fn the_fake_rejects_invalid_requests() {
    use std::io::{Read, Write};
    let gh = FakeGitHub::start();
    let send = |method: &str, path: &str, body: &serde_json::Value| -> u16 {
        let addr = gh.url.trim_start_matches("http://");
        let mut s = std::net::TcpStream::connect(addr).unwrap();
        let b = body.to_string();
        write!(s, "{method} {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {TOKEN}\r\nContent-Length: {}\r\n\r\n{b}", b.len()).unwrap();
        let mut out = String::new();
        s.read_to_string(&mut out).unwrap();
        out[9..12].parse().unwrap()
    };
    // schema: status enum
    assert_eq!(
        send(
            "POST",
            "/repos/a/b/check-runs",
            &json!({ "name": "x", "head_sha": "y", "status": "bogus" })
        ),
        422
    );
    let ann = json!({ "path": "a", "start_line": 1, "end_line": 1, "annotation_level": "failure", "message": "m" });
    let many: Vec<_> = (0..51).map(|_| ann.clone()).collect();
    assert_eq!(
        send(
            "POST",
            "/repos/a/b/check-runs",
            &json!({ "name": "x", "head_sha": "y", "output": { "title": "t", "summary": "s", "annotations": many } })
        ),
        422
    );
    let multi = json!({ "path": "a", "start_line": 1, "end_line": 2, "start_column": 1, "end_column": 2, "annotation_level": "failure", "message": "m" });
    assert_eq!(
        send(
            "POST",
            "/repos/a/b/check-runs",
            &json!({ "name": "x", "head_sha": "y", "output": { "title": "t", "summary": "s", "annotations": [multi] } })
        ),
        422
    );
    assert_eq!(
        send(
            "POST",
            "/repos/a/b/check-runs",
            &json!({ "name": "x", "head_sha": "y", "output": { "title": "t", "summary": "s".repeat(65_536) } })
        ),
        422
    );
    assert_eq!(
        send(
            "POST",
            "/repos/a/b/check-runs",
            &json!({ "name": "x", "head_sha": "y", "colour": "red" })
        ),
        422
    );
    assert_eq!(gh.state().violations.len(), 5);
    assert_eq!(
        send(
            "POST",
            "/repos/a/b/check-runs",
            &json!({ "name": "x", "head_sha": "y" })
        ),
        201
    );
}

#[test]
fn a_usage_error_after_the_run_started_completes_it() {
    // Each of these fails only once the run exists: the run must not stay in_progress.
    for (config, args) in [
        ("", vec!["--publish", "check-run", "--env-profile", "nope"]),
        (
            "[smoke]\nca_file = \"missing-ca.pem\"\nbase_url = \"https://127.0.0.1:9\"\n",
            vec!["--publish", "check-run"],
        ),
    ] {
        let gh = FakeGitHub::start();
        let t = failing_tree(1);
        if !config.is_empty() {
            t.write("shipgate.toml", config);
        }
        let r = gate(&t, &gh, &[], &args);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        gh.assert_no_violations();
        let s = gh.state();
        assert_eq!(s.runs.len(), 1, "{args:?}");
        assert_eq!(s.runs[0].status, "completed", "{args:?}: {:?}", s.requests);
        assert_eq!(s.runs[0].conclusion.as_deref(), Some("failure"));
        assert!(
            s.runs[0]
                .summary
                .as_deref()
                .unwrap_or("")
                .contains("shipgate stopped before it could report"),
            "{:?}",
            s.runs[0].summary
        );
    }
    // A usage error found before anything runs never creates a run at all.
    let gh = FakeGitHub::start();
    let t = failing_tree(1);
    let r = gate(
        &t,
        &gh,
        &[],
        &["--publish", "check-run", "--base-url", "ftp://x"],
    );
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(gh.state().runs.is_empty());
}
