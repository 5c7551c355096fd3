//! Fail closed, never leak, never believe a lying server: every input that
//! could not be read or checked makes the run incomplete (exit 3) or a usage
//! error (exit 2), never a pass; no secret reaches any output.

use crate::fake_github::FakeGitHub;
use crate::support::{Tree, bin, chmod, fake, run_unprivileged, shipgate};
use crate::tiny_server::{Answer, serve};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const URL_LINE: &str = "export const API = \"http://localhost:3000\";\n";

/// Runs with a hard time limit: a hang is a failure, not a stuck test.
fn run_within(
    dir: &std::path::Path,
    args: &[&str],
    env: &[(&str, &str)],
    limit: Duration,
) -> (i32, String, String) {
    let mut cmd = Command::new(bin());
    cmd.current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("SHIPGATE_CONFIG")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let started = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            panic!("shipgate {args:?} did not finish within {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn unreadable_env_files_make_the_run_incomplete() {
    let t = Tree::new(&[
        ("src/a.ts", "export const A = process.env.API_URL;\n"),
        (".env.example", "API_URL=\n"),
        (".env.production", "API_URL=https://api.example.test\n"),
    ]);
    for f in ["src", ".git"] {
        chmod(&t.path().join(f), 0o755);
    }
    chmod(&t.path().join("src/a.ts"), 0o644);
    chmod(&t.path().join(".env.example"), 0o644);
    chmod(&t.path().join(".env.production"), 0o000);
    let Some(r) = run_unprivileged(t.path(), &["env", "--format", "json"]) else {
        return;
    };
    assert_eq!(
        r.code, 3,
        "an unreadable profile is not skipped: {}",
        r.stdout
    );
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert!(
        report["stages"][0]["reason"]
            .as_str()
            .unwrap()
            .contains(".env.production")
    );
    let Some(r) = run_unprivileged(t.path(), &["gate", "--format", "json"]) else {
        return;
    };
    assert_eq!(r.code, 3, "{}", r.stdout);
    // An unreadable template and an unreadable --env-file are incomplete too.
    chmod(&t.path().join(".env.production"), 0o644);
    chmod(&t.path().join(".env.example"), 0o000);
    let Some(r) = run_unprivileged(t.path(), &["env", "--format", "json"]) else {
        return;
    };
    assert_eq!(r.code, 3, "{}", r.stdout);
    chmod(&t.path().join(".env.example"), 0o644);
    t.write("secret.env", "API_URL=x\n");
    chmod(&t.path().join("secret.env"), 0o000);
    let Some(r) = run_unprivileged(t.path(), &["env", "--env-file", "secret.env"]) else {
        return;
    };
    assert_eq!(r.code, 3, "{}{}", r.stdout, r.stderr);
    chmod(&t.path().join("secret.env"), 0o644);
    // A file that does not exist is the user's mistake: exit 2.
    let r = t.run(&["env", "--env-file", "nope.env"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn a_dangling_rule_pack_link_is_a_config_error() {
    let t = Tree::new(&[("src/a.ts", URL_LINE)]);
    std::fs::create_dir_all(t.path().join(".shipgate/rules")).unwrap();
    std::os::unix::fs::symlink(
        t.path().join("missing/team.toml"),
        t.path().join(".shipgate/rules/team.toml"),
    )
    .unwrap();
    let r = t.run(&["scan"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains(".shipgate/rules/team.toml:1:1"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("does not exist"), "{}", r.stderr);
}

#[cfg(unix)]
#[test]
fn a_fifo_given_as_a_path_is_reported_and_never_blocks() {
    let t = Tree::new(&[("src/a.ts", "export const A = 1;\n")]);
    let fifo = t.path().join("src/pipe.ts");
    let ok = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .is_ok_and(|s| s.success());
    if !ok {
        eprintln!("skipping: mkfifo unavailable");
        return;
    }
    let (code, out, err) = run_within(
        t.path(),
        &["scan", "--format", "json", "src/pipe.ts"],
        &[],
        Duration::from_secs(20),
    );
    assert_eq!(code, 0, "{out}{err}");
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &report["stages"][0]["findings"][0];
    assert_eq!(f["rule"], "scan/not-scanned", "{report:#}");
    assert!(f["message"].as_str().unwrap().contains("FIFO"));
    // The release profile does not pass what it could not read.
    t.write("shipgate.toml", "[gate.profiles.rel]\nstages = [\"scan\"]\n[gate.profiles.rel.severity]\n\"scan/not-scanned\" = \"error\"\n");
    let (code, _, _) = run_within(
        t.path(),
        &["gate", "--profile", "rel", "src/pipe.ts"],
        &[],
        Duration::from_secs(20),
    );
    assert_eq!(code, 1);
    // A FIFO met during a walk is not opened (the walk never blocks on it).
    let (code, _, err) = run_within(t.path(), &["scan"], &[], Duration::from_secs(20));
    assert_eq!(code, 0, "{err}");
}

#[test]
fn a_directory_named_like_the_config_is_a_config_error() {
    let t = Tree::new(&[("src/a.ts", URL_LINE)]);
    std::fs::create_dir_all(t.path().join("shipgate.toml")).unwrap();
    let r = t.run(&["scan"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("shipgate.toml:1:1: is a directory"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_baseline_of_an_unknown_layout_is_a_usage_error() {
    let t = Tree::new(&[("src/a.ts", URL_LINE)]);
    t.write("old.json", "{\"schema_version\": 99, \"stages\": []}");
    let r = t.run(&["scan", "--baseline", "old.json"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stderr.contains("schema_version 99"), "{}", r.stderr);
    t.write("notreport.json", "{\"stages\": []}");
    assert_eq!(t.run(&["scan", "--baseline", "notreport.json"]).code, 2);
}

#[test]
fn diff_values_never_become_git_options() {
    let t = Tree::git(&[("src/a.ts", URL_LINE)]);
    t.commit_all("init");
    let target = t.path().join("written-by-git");
    for arg in [
        format!("--diff=--output={}", target.display()),
        format!("--diff=HEAD..--output={}", target.display()),
    ] {
        let r = t.run(&["scan", &arg]);
        assert_eq!(r.code, 2, "{arg}: {}", r.stdout);
        assert!(!target.exists(), "{arg}: git wrote a file");
    }
    let r = t.run(&["release", "check", "v1.0.0", "--branch=-x"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn an_unreachable_deploy_is_incomplete_with_or_without_wait() {
    let t = Tree::new(&[]);
    t.write(
        "shipgate.toml",
        "[smoke]\nbase_url = \"http://127.0.0.1:1\"\ntimeout = \"2s\"\n\n[[smoke.checks]]\nname = \"health\"\nkind = \"health\"\n\n[[smoke.checks]]\nname = \"docs\"\npath = \"/docs\"\n",
    );
    for extra in [vec![], vec!["--wait", "1s"]] {
        let mut args = vec!["smoke", "--format", "json"];
        args.extend(extra.iter());
        let (code, out, err) = run_within(t.path(), &args, &[], Duration::from_secs(60));
        assert_eq!(code, 3, "{args:?}: {out}{err}");
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        assert_eq!(report["verdict"], "incomplete");
    }
    // No config: the probe says why nothing answered.
    let r = shipgate(
        t.path(),
        &[
            "smoke",
            "--config",
            "/dev/null",
            "--base-url",
            "http://127.0.0.1:1",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 3);
    let reason = r.json()["stages"][0]["reason"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(reason.contains("connect"), "{reason}");
}

#[test]
fn secrets_a_command_prints_are_masked_in_every_output() {
    let gh = FakeGitHub::start();
    let key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEAzSECRETKEYBODY\n-----END RSA PRIVATE KEY-----";
    let secrets = [
        fake::stripe_live(),
        fake::aws(),
        fake::github(),
        "Pa55w0rdInUrl9".to_string(),
        "MIIEpAIBAAKCAQEAzSECRETKEYBODY".to_string(),
    ];
    let script = format!(
        "echo 'using {}'; echo 'aws {}'; echo 'token {}'; echo 'db postgres://svc:{}@db.internal:5432/x'; printf '%s\\n' '{}'; exit 1",
        secrets[0],
        secrets[1],
        secrets[2],
        secrets[3],
        key.replace('\n', "\\n")
    );
    let t = Tree::new(&[]);
    t.write("build.sh", &script.replace("\\n", "\n"));
    t.write(
        "shipgate.toml",
        "[gate.profiles.ci]\nstages = [\"commands\"]\n\n[[gate.commands]]\nname = \"build\"\nrun = \"sh build.sh\"\n",
    );
    let mut cmd = Command::new(bin());
    cmd.current_dir(t.path())
        .args([
            "gate",
            "--profile",
            "ci",
            "--publish",
            "check-run",
            "--format",
            "text",
            "--output",
            "json=r.json",
            "--output",
            "sarif=r.sarif",
            "--output",
            "markdown=r.md",
            "--output",
            "github=r.txt",
            "--output",
            "junit=r.xml",
        ])
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_STEP_SUMMARY");
    for (k, v) in gh.env() {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut texts = vec![
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    ];
    for f in ["r.json", "r.sarif", "r.md", "r.txt", "r.xml"] {
        texts.push(std::fs::read_to_string(t.path().join(f)).unwrap());
    }
    for r in &gh.state().requests {
        texts.push(r.body.to_string());
    }
    assert!(
        texts[2].contains("using sk_"),
        "the output tail is there, masked: {}",
        texts[2]
    );
    for text in &texts {
        for s in &secrets {
            assert!(!text.contains(s.as_str()), "`{s}` leaked into:\n{text}");
        }
    }
}

#[test]
fn a_second_credential_on_a_finding_line_is_masked() {
    let aws = fake::aws();
    let line = format!(
        "const api = \"http://localhost:3000\"; const db = \"https://svc:Hunter2Hunter2@db.internal\"; const k = \"{aws}\";\n"
    );
    let t = Tree::new(&[("src/a.ts", &line)]);
    for fmt in ["json", "text", "sarif", "markdown", "github", "junit"] {
        let r = t.run(&["scan", "--format", fmt, "-v"]);
        assert_eq!(r.code, 1);
        assert!(!r.stdout.contains("Hunter2Hunter2"), "{fmt}: {}", r.stdout);
        assert!(!r.stdout.contains(&aws[4..]), "{fmt}: {}", r.stdout);
    }
}

#[test]
fn values_substituted_into_smoke_requests_are_masked_whatever_their_name() {
    let srv = serve(|_, _| Answer::json(500, "{\"error\":\"boom\"}"));
    let t = Tree::new(&[]);
    t.write(
        "shipgate.toml",
        &format!(
            "[smoke]\nbase_url = \"{}\"\n\n[[smoke.checks]]\nname = \"search\"\npath = \"/search\"\nquery = {{ key = \"${{API_KEY}}\", q = \"x y\" }}\nheaders = {{ x-client = \"${{CLIENT_ID}}\" }}\n",
            srv.base
        ),
    );
    let mut cmd = Command::new(bin());
    cmd.current_dir(t.path())
        .args(["smoke", "--format", "json"])
        .env("API_KEY", "qk-9f8e7d6c5b4a3921")
        .env("CLIENT_ID", "client-7a6b5c4d3e2f");
    let out = cmd.output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(
        text.contains("/search?key="),
        "the request line is shown: {text}"
    );
    assert!(!text.contains("qk-9f8e7d6c5b4a3921"), "{text}");
    assert!(!text.contains("client-7a6b5c4d3e2f"), "{text}");
}

#[test]
fn a_malformed_env_line_is_not_echoed() {
    let t = Tree::new(&[
        ("src/a.ts", "export const A = process.env.A;\n"),
        (".env.example", "A=\n"),
    ]);
    t.write(
        ".env.production",
        "A=1\nsk_live_notakey but secret-looking=zzz\n",
    );
    let r = t.run(&["env", "--profile", "production", "--format", "json"]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("env/malformed-line"));
    assert!(!r.stdout.contains("sk_live_notakey"), "{}", r.stdout);
}

fn health_server() -> crate::tiny_server::Tiny {
    serve(|path, _| match path {
        "/health" | "/truncated" => Answer::json(200, "{\"status\":\"ok\",\"che"),
        "/nested-down" => Answer::json(
            200,
            r#"{"data":{"checks":{"database":{"status":"error"}}}}"#,
        ),
        "/nested-up" => Answer::json(
            200,
            r#"{"data":{"status":"ok","checks":{"database":{"status":"ok"}}}}"#,
        ),
        "/starting" => Answer::json(200, r#"{"status":"starting"}"#),
        _ => Answer::json(404, "{}"),
    })
}

#[test]
fn lying_health_answers_are_not_believed() {
    let srv = health_server();
    let t = Tree::new(&[]);
    // The no-config probe does not pass a truncated JSON body.
    let r = t.run(&["smoke", "--base-url", &srv.base, "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("not valid JSON"), "{}", r.stdout);
    let check = |path: &str, components: &str| {
        t.write(
            "shipgate.toml",
            &format!("[smoke]\nbase_url = \"{}\"\n\n[[smoke.checks]]\nname = \"h\"\nkind = \"health\"\npath = \"{path}\"\n{components}", srv.base),
        );
        t.run(&["smoke", "--format", "json"])
    };
    let r = check("/truncated", "");
    assert_eq!(r.code, 1);
    let r = check("/nested-down", "");
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("database down"), "{}", r.stdout);
    let r = check("/nested-up", "components = [\"database\"]\n");
    assert_eq!(r.code, 0, "{}", r.stdout);
    let r = check("/nested-down", "components = [\"database\"]\n");
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("component `database` is down"),
        "{}",
        r.stdout
    );
    let r = check("/starting", "");
    assert_eq!(r.code, 1);
    assert!(r.stdout.contains("not ready"), "{}", r.stdout);
}

#[test]
fn waiting_honours_retry_after_and_says_how_long_it_took() {
    // Ready after 4 s; every earlier answer asks to retry after 1 s.
    let srv = serve(|path, since| {
        if path != "/health" {
            return Answer::json(404, "{}");
        }
        if since < Duration::from_secs(4) {
            Answer::json(503, "{\"status\":\"starting\"}").with("retry-after", "1")
        } else {
            Answer::json(200, "{\"status\":\"ok\"}")
        }
    });
    let t = Tree::new(&[]);
    t.write(
        "shipgate.toml",
        &format!(
            "[smoke]\nbase_url = \"{}\"\n\n[[smoke.checks]]\nname = \"h\"\nkind = \"health\"\n",
            srv.base
        ),
    );
    let started = Instant::now();
    let r = t.run(&["smoke", "--wait", "30s", "--format", "json"]);
    let took = started.elapsed();
    assert_eq!(r.code, 0, "{}", r.stdout);
    // Exponential backoff alone would try at 3.75 s and then 7.75 s.
    assert!(took < Duration::from_millis(6500), "took {took:?}");
    let msg = r.json()["stages"][0]["checks"][0]["message"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(msg.starts_with("ready after "), "{msg}");
}

#[test]
fn the_probe_says_why_nothing_answered() {
    let hang = serve(|_, _| Answer {
        status: 1,
        headers: vec![],
        body: vec![],
    });
    let t = Tree::new(&[]);
    t.write("shipgate.toml", "[smoke]\ntimeout = \"1s\"\n");
    let (code, out, err) = run_within(
        t.path(),
        &["smoke", "--base-url", &hang.base, "--format", "json"],
        &[],
        Duration::from_secs(60),
    );
    assert_eq!(code, 3, "{out}{err}");
    let reason = serde_json::from_str::<serde_json::Value>(&out).unwrap()["stages"][0]["reason"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(reason.contains("timed out"), "{reason}");
}

#[test]
fn bad_durations_and_ca_files_are_usage_errors_not_panics() {
    let t = Tree::new(&[]);
    let r = t.run(&[
        "smoke",
        "--base-url",
        "http://127.0.0.1:1",
        "--wait",
        "99999999999999999999h",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    t.write(
        "shipgate.toml",
        "[smoke]\nwait = \"99999999999999999999h\"\n",
    );
    let r = t.run(&["smoke", "--base-url", "http://127.0.0.1:1"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("shipgate.toml:2:9"), "{}", r.stderr);
    std::fs::remove_file(t.path().join("shipgate.toml")).unwrap();
    t.write("ca.pem", "\u{1}\u{2}random bytes, not a certificate");
    let r = t.run(&[
        "smoke",
        "--base-url",
        "https://127.0.0.1:1",
        "--ca-file",
        "ca.pem",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("ca.pem"), "{}", r.stderr);
}

#[test]
fn a_report_with_a_multibyte_commit_publishes_without_a_panic() {
    let gh = FakeGitHub::start();
    let t = Tree::new(&[("src/a.ts", URL_LINE)]);
    let r = t.run(&["scan", "--format", "json"]);
    let mut report = r.json();
    report["commit"] = serde_json::json!("ééééééééééééé-not-a-sha");
    t.write("r.json", &report.to_string());
    let mut cmd = Command::new(bin());
    cmd.current_dir(t.path())
        .args(["report", "publish", "r.json"]);
    for (k, v) in gh.env() {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    gh.assert_no_violations();
}

#[test]
fn write_errors_are_incomplete_and_say_why() {
    let t = Tree::new(&[("src/a.ts", "export const A = 1;\n")]);
    // init cannot create .github/ when a file is in the way: could not complete.
    t.write(".github", "not a directory");
    let r = t.run(&["init"]);
    assert_eq!(r.code, 3, "{}", r.stderr);
    // A closed stdout: exit 3 with the reason on stderr.
    let mut child = Command::new(bin())
        .current_dir(t.path())
        .args(["scan", "--format", "json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("standard output"));
}
