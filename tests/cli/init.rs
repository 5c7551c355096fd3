//! `shipgate init` on repositories shaped like real apps (tests/fixtures/init/):
//! health checks come from the routes the code declares, per package; what is
//! unresolved is listed, never checked; the package manager must be on PATH;
//! and the written config loads, validates against the schema and runs.

use crate::support::{Run, Tree, bin};
use crate::tiny_server::{Answer, serve};
use serde_json::Value;
use std::path::Path;
use std::process::Command;

/// A temporary copy of `tests/fixtures/init/<name>`.
fn fixture(name: &str) -> Tree {
    fn copy(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let dest = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                copy(&e.path(), &dest);
            } else {
                std::fs::copy(e.path(), dest).unwrap();
            }
        }
    }
    let t = Tree::new(&[]);
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/init")
        .join(name);
    copy(&src, t.path());
    t
}

/// A directory of fake executables (each logs `name args` to `$FAKE_LOG`),
/// plus `sh`, which the commands stage runs commands through.
fn fake_bin(names: &[&str]) -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    for n in names {
        let p = d.path().join(n);
        std::fs::write(&p, format!("#!/bin/sh\necho \"{n} $*\" >> \"$FAKE_LOG\"\n")).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    std::os::unix::fs::symlink("/bin/sh", d.path().join("sh")).unwrap();
    d
}

/// Runs shipgate in `t` with exactly `path` as PATH.
fn run_with_path(t: &Tree, path: &Path, args: &[&str]) -> Run {
    let out = Command::new(bin())
        .current_dir(t.path())
        .args(args)
        .env_remove("SHIPGATE_CONFIG")
        .env_remove("SHIPGATE_BASE_URL")
        .env("NO_COLOR", "1")
        .env("PATH", path)
        .env("FAKE_LOG", t.path().join("fake.log"))
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// `shipgate init` with only `npm` on PATH; returns its stdout and the written config.
fn init(t: &Tree) -> (String, String) {
    let bin = fake_bin(&["npm"]);
    let r = run_with_path(t, bin.path(), &["init"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let cfg = std::fs::read_to_string(t.path().join("shipgate.toml")).unwrap();
    assert_valid(t, &cfg);
    (r.stdout, cfg)
}

/// The config validates against `shipgate config schema`.
fn assert_valid(t: &Tree, cfg: &str) {
    let r = t.run(&["config", "schema"]);
    let schema: Value = serde_json::from_str(&r.stdout).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let doc = toml_span::parse(cfg).unwrap_or_else(|e| panic!("{e:?}\n{cfg}"));
    let json = shipgate::toml_doc::to_json(&doc);
    let errors: Vec<String> = validator
        .iter_errors(&json)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}\n{cfg}");
}

/// The active (uncommented) `path = …` values of `[[smoke.checks]]`, in order.
fn check_paths(cfg: &str) -> Vec<String> {
    cfg.lines()
        .filter_map(|l| l.strip_prefix("path = \""))
        .map(|p| p.trim_end_matches('"').to_string())
        .collect()
}

/// Runs the gate with the written config against a deploy that serves 200 on
/// `paths` only; returns (exit code, smoke check name → status).
fn gate_against(t: &Tree, paths: &[&str]) -> (i32, Vec<(String, String)>, Value) {
    let served: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
    let server = serve(move |path, _| {
        if served.iter().any(|p| p == path) {
            Answer::json(200, r#"{"status":"ok"}"#)
        } else {
            Answer::json(404, r#"{"message":"Not Found"}"#)
        }
    });
    let out = Command::new(bin())
        .current_dir(t.path())
        .args([
            "gate",
            "--format",
            "json",
            "--publish",
            "none",
            "--wait",
            "2s",
        ])
        .args(["--base-url", &server.base])
        .env_remove("SHIPGATE_CONFIG")
        .env_remove("SHIPGATE_BASE_URL")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stderr));
    });
    let smoke = report["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "smoke")
        .cloned()
        .unwrap_or(Value::Null);
    let checks = smoke["checks"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|c| {
                    let s = |k: &str| c[k].as_str().unwrap_or("").to_string();
                    (s("name"), s("status"))
                })
                .filter(|(name, _)| name != "wait for the deploy")
                .collect()
        })
        .unwrap_or_default();
    (out.status.code().unwrap_or(-1), checks, report)
}

fn passed(names: &[&str]) -> Vec<(String, String)> {
    names
        .iter()
        .map(|n| (n.to_string(), "passed".to_string()))
        .collect()
}

#[test]
fn express_api_health_check_is_the_route_app_get_declares() {
    let t = fixture("express-api");
    let (stdout, cfg) = init(&t);
    assert!(stdout.contains("shipgate: detected Express\n"), "{stdout}");
    assert!(
        stdout.contains("smoke check `health`: /health (declared at src/app.ts:11)"),
        "{stdout}"
    );
    assert_eq!(check_paths(&cfg), vec!["/health"], "{cfg}");
    assert!(
        cfg.contains("# ./ (Express): GET route, declared at src/app.ts:11\n[[smoke.checks]]\nname = \"health\"\nkind = \"health\"\npath = \"/health\"\n"),
        "{cfg}"
    );
    assert!(!cfg.contains("healthz"), "no guessed path: {cfg}");
    // `/api/v1/orders/:id/status` is an ordinary route, not a health check.
    assert!(!cfg.contains("orders"), "{cfg}");
    // The loop-registered admin reports are listed, never checked.
    assert!(
        cfg.contains("#   src/routes/admin.ts:7:3  route path: `name` is not a constant string (under /admin/reports)"),
        "{cfg}"
    );
    assert!(
        cfg.contains("commands = \"auto\"     # found scripts: build, lint, test (no typecheck)")
    );
    let (code, checks, report) = gate_against(&t, &["/health"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(checks, passed(&["health"]));
    // Served elsewhere, the check fails: the path really is the one requested.
    let (code, checks, report) = gate_against(&t, &["/api/healthz"]);
    // Never healthy within --wait: the run is incomplete.
    assert_eq!(code, 3, "{report}");
    assert!(checks.is_empty(), "{checks:?}");
}

#[test]
fn monorepo_checks_come_from_the_backend_package() {
    let t = fixture("monorepo");
    // Written here: a template under tests/ would be read by shipgate's own gate.
    t.write(
        "backend/.env.example",
        "PORT=4000\nDATABASE_URL=\nCORS_ORIGIN=\n",
    );
    let (stdout, cfg) = init(&t);
    assert!(
        stdout.contains("shipgate: detected backend/ Express; frontend/ Vite, React\n"),
        "{stdout}"
    );
    assert_eq!(
        check_paths(&cfg),
        vec!["/health/live", "/health/ready"],
        "{cfg}"
    );
    assert!(
        cfg.contains("# backend/ (Express): GET route, declared at backend/src/routes/health.ts:7\n[[smoke.checks]]\nname = \"health\"\n"),
        "{cfg}"
    );
    assert!(
        cfg.contains("# backend/ (Express): readiness, GET route, declared at backend/src/routes/health.ts:12\n[[smoke.checks]]\nname = \"readiness\"\nkind = \"health\"\npath = \"/health/ready\"\n"),
        "{cfg}"
    );
    assert!(
        cfg.contains("# frontend/ (Vite, React): declares no health routes, so no checks."),
        "{cfg}"
    );
    assert!(
        cfg.contains("#   backend/             Express\n#   frontend/            Vite, React\n"),
        "{cfg}"
    );
    // Each package's scripts run in its own directory.
    assert!(
        cfg.contains("[[gate.commands]]\nname = \"frontend lint\"\nrun = \"npm run lint\"\ndir = \"frontend\"\n"),
        "{cfg}"
    );
    assert!(
        cfg.contains("# Templates found: backend/.env.example"),
        "{cfg}"
    );
    let (code, checks, report) = gate_against(&t, &["/health/live", "/health/ready"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(checks, passed(&["health", "readiness"]));
}

#[test]
fn koa_router_health_path_is_taken_as_declared() {
    let t = fixture("koa-app");
    let (stdout, cfg) = init(&t);
    assert!(stdout.contains("shipgate: detected Koa\n"), "{stdout}");
    assert_eq!(check_paths(&cfg), vec!["/_health"], "{cfg}");
    assert!(
        cfg.contains("# ./ (Koa): GET route, declared at src/server.js:10"),
        "{cfg}"
    );
    // A mounted middleware may answer below its prefix: listed, not checked.
    assert!(cfg.contains("#   src/server.js:14:1  middleware"), "{cfg}");
    let (code, checks, report) = gate_against(&t, &["/_health"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(checks, passed(&["health"]));
}

#[test]
fn nestjs_health_controller_under_the_global_prefix() {
    let t = fixture("nest-app");
    let (stdout, cfg) = init(&t);
    assert!(
        stdout.contains("shipgate: detected NestJS, Terminus\n"),
        "{stdout}"
    );
    assert_eq!(
        check_paths(&cfg),
        vec!["/api/health", "/api/health/ready"],
        "{cfg}"
    );
    assert!(
        cfg.contains("# ./ (NestJS, Terminus): readiness, GET route, declared at src/health/health.controller.ts:23"),
        "{cfg}"
    );
    // `invoices/:id/status` is not a health route; Swagger UI is suggested where it is set up.
    assert!(!cfg.contains("invoices"), "{cfg}");
    assert!(
        cfg.contains("# Swagger UI, set up at src/main.ts:10 (not a route shipgate can verify):\n# [[smoke.checks]]\n# name = \"swagger\"\n# path = \"/docs\"\n"),
        "{cfg}"
    );
    let (code, checks, report) = gate_against(&t, &["/api/health", "/api/health/ready"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(checks, passed(&["health", "readiness"]));
}

#[test]
fn godaddy_terminus_health_checks_become_checks() {
    let t = fixture("terminus-app");
    let (stdout, cfg) = init(&t);
    assert!(
        stdout.contains("shipgate: detected Express, Terminus\n"),
        "{stdout}"
    );
    assert_eq!(check_paths(&cfg), vec!["/healthz", "/readyz"], "{cfg}");
    assert!(
        cfg.contains("# ./ (Express, Terminus): readiness, Terminus healthChecks, declared at src/server.js:24"),
        "{cfg}"
    );
    let (code, checks, report) = gate_against(&t, &["/healthz", "/readyz"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(checks, passed(&["health", "readiness"]));
}

#[test]
fn a_server_without_a_health_route_gets_no_guessed_check() {
    let t = Tree::new(&[
        ("package.json", r#"{"dependencies": {"fastify": "^5.2.0"}}"#),
        (
            "src/server.ts",
            "import Fastify from 'fastify';\nconst app = Fastify();\napp.get('/api/items', async () => []);\napp.listen({ port: 3000 });\n",
        ),
    ]);
    let (stdout, cfg) = init(&t);
    assert!(check_paths(&cfg).is_empty(), "{cfg}");
    assert!(
        cfg.contains("# ./ (Fastify): no health route found in its code."),
        "{cfg}"
    );
    assert!(
        stdout.contains("no health route found in the code"),
        "{stdout}"
    );
    assert!(
        cfg.contains("# commands = \"auto\""),
        "no scripts, no commands: {cfg}"
    );
}

#[test]
fn the_lockfile_manager_is_used_only_when_it_is_on_path() {
    let t = fixture("bun-app");
    // bun.lockb, but only npm on PATH: npm, with a note.
    let npm_only = fake_bin(&["npm"]);
    let r = run_with_path(&t, npm_only.path(), &["init"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let note = "bun.lockb names bun, which is not on PATH: the commands use npm instead";
    assert!(
        r.stdout.contains(&format!("shipgate: note: {note}")),
        "{}",
        r.stdout
    );
    let cfg = std::fs::read_to_string(t.path().join("shipgate.toml")).unwrap();
    assert_valid(&t, &cfg);
    assert!(cfg.contains(&format!("# Note: {note}")), "{cfg}");
    assert!(!cfg.contains("\ncommands = \"auto\""), "{cfg}");
    assert!(
        cfg.contains(
            "[[gate.commands]]\nname = \"build\"\nrun = \"npm run build\"\ntimeout = \"30m\"\n"
        ),
        "{cfg}"
    );
    // The gate runs those commands with npm (`auto` would have run bun).
    let profile = "\n[gate.profiles.build]\nstages = [\"commands\"]\n";
    std::fs::write(t.path().join("shipgate.toml"), format!("{cfg}{profile}")).unwrap();
    let r = run_with_path(
        &t,
        npm_only.path(),
        &["gate", "--profile", "build", "--format", "json"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let log = std::fs::read_to_string(t.path().join("fake.log")).unwrap();
    assert_eq!(log, "npm run build\nnpm run test\n");

    // bun on PATH: `commands = "auto"` runs it, no note.
    let both = fake_bin(&["bun", "npm"]);
    let r = run_with_path(&t, both.path(), &["init", "--force"]);
    assert!(!r.stdout.contains("note:"), "{}", r.stdout);
    let cfg = std::fs::read_to_string(t.path().join("shipgate.toml")).unwrap();
    assert!(
        cfg.contains("\ncommands = \"auto\"     # found scripts: build, test"),
        "{cfg}"
    );

    // Neither: the commands stage is skipped, and the config says why.
    let neither = fake_bin(&[]);
    let r = run_with_path(&t, neither.path(), &["init", "--force"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let why = "bun.lockb names bun, and neither bun nor npm is on PATH";
    assert!(r.stdout.contains(why), "{}", r.stdout);
    let cfg = std::fs::read_to_string(t.path().join("shipgate.toml")).unwrap();
    assert_valid(&t, &cfg);
    assert!(
        cfg.contains(&format!("# Commands stage skipped: {why}.")),
        "{cfg}"
    );
    assert!(
        !cfg.contains("[[gate.commands]]") && !cfg.contains("\ncommands ="),
        "{cfg}"
    );
    std::fs::write(t.path().join("shipgate.toml"), format!("{cfg}{profile}")).unwrap();
    let r = run_with_path(
        &t,
        neither.path(),
        &["gate", "--profile", "build", "--format", "json"],
    );
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert_eq!(r.json()["stages"][0]["status"], "skipped", "{}", r.stdout);
}

#[test]
fn commands_auto_at_gate_time_uses_only_managers_on_path() {
    let t = fixture("bun-app");
    let cfg = "[gate]\ncommands = \"auto\"\n[gate.profiles.build]\nstages = [\"commands\"]\n";
    std::fs::write(t.path().join("shipgate.toml"), cfg).unwrap();
    let args = ["gate", "--profile", "build", "--format", "json"];
    // bun.lockb names bun; only npm is installed: npm runs the scripts, and a note says why.
    let npm_only = fake_bin(&["npm"]);
    let r = run_with_path(&t, npm_only.path(), &args);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let log = std::fs::read_to_string(t.path().join("fake.log")).unwrap();
    assert_eq!(log, "npm run build\nnpm run test\n");
    let v = r.json();
    let notes: Vec<&str> = v["stages"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "commands/manager-not-found")
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        notes,
        ["bun.lockb names bun, which is not on PATH: the scripts ran with npm"]
    );
    // bun installed: bun runs them, no note.
    std::fs::remove_file(t.path().join("fake.log")).unwrap();
    let both = fake_bin(&["bun", "npm"]);
    let r = run_with_path(&t, both.path(), &args);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let log = std::fs::read_to_string(t.path().join("fake.log")).unwrap();
    assert_eq!(log, "bun run build\nbun run test\n");
    // Neither: skipped with the reason, never a pass and never "exited with 127".
    let neither = fake_bin(&[]);
    let r = run_with_path(&t, neither.path(), &args);
    let v = r.json();
    assert_eq!(v["stages"][0]["status"], "skipped", "{}", r.stdout);
    assert!(
        r.stdout.contains("neither bun nor npm is on PATH"),
        "{}",
        r.stdout
    );
}
