//! Every built-in rule on a fixture tree: what it flags and what it must not.

use crate::support::{Tree, active, findings};

#[test]
fn flags_each_rule_at_its_line_and_column() {
    let t = Tree::new(&[
        (
            "src/api.ts",
            "import x from 'y';\nexport const API = \"http://localhost:3000/api\";\n",
        ),
        (
            "src/ws.js",
            "const WS = import.meta.env.VITE_WS_URL ?? 'ws://127.0.0.1:8080/events';\n",
        ),
        (
            "server/app.py",
            "import os\nDB = os.getenv(\"DB_URL\", \"http://localhost:5432\")\n",
        ),
        (
            "src/debug.tsx",
            "export function A() {\n  debugger;\n  return null;\n}\n",
        ),
        ("src/login.test.ts", "describe.only('login', () => {});\n"),
        (
            "db/migrations/001_init.sql",
            "-- init\nCREATE TABLE IF NOT EXISTS bookings (id int);\n",
        ),
        ("db/migrations/002_drop.sql", "DROP TABLE legacy;\n"),
        ("app/views.py", "def f():\n    breakpoint()\n"),
    ]);
    let (code, report) = t.scan_json(&[]);
    assert_eq!(code, 1);
    let got = active(&report);
    for want in [
        "localhost/hardcoded-url@src/api.ts:2:21",
        "localhost/env-fallback@src/ws.js:1:40",
        "localhost/env-fallback@server/app.py:2:9",
        "hygiene/debugger@src/debug.tsx:2:3",
        "hygiene/focused-test@src/login.test.ts:1:1",
        "migrations/create-table-if-not-exists@db/migrations/001_init.sql:2:1",
        "migrations/destructive-statement@db/migrations/002_drop.sql:1:1",
        "hygiene/python-breakpoint@app/views.py:2:1",
    ] {
        assert!(
            got.contains(&want.to_string()),
            "missing {want} in {got:#?}"
        );
    }
    assert_eq!(got.len(), 8, "{got:#?}");
    // the fallback line is reported once, by the fallback rule
    assert!(
        !got.iter()
            .any(|g| g.starts_with("localhost/hardcoded-url@src/ws.js"))
    );
    let stage = &report["stages"][0];
    assert_eq!(stage["status"], "failed");
    assert_eq!(stage["counts"]["error"], 7);
    assert_eq!(stage["counts"]["warning"], 1);
    assert_eq!(report["verdict"], "fail");
}

#[test]
fn text_output_shows_location_snippet_underline_and_help() {
    let t = Tree::new(&[(
        "src/api.ts",
        "export const API = \"http://localhost:3000/api\";\n",
    )]);
    let r = t.run(&["scan"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stdout.contains("error[localhost/hardcoded-url]"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("\n  src/api.ts:1:21  Hardcoded loopback URL"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains(" 1 | export const API = \"http://localhost:3000/api\";"),
        "{}",
        r.stdout
    );
    let underline = format!("      | {}{}", " ".repeat(20), "^".repeat(25));
    assert!(r.stdout.contains(&underline), "{}", r.stdout);
    assert!(
        r.stdout.contains("= help: Read the URL from configuration"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("verdict: FAIL"), "{}", r.stdout);
    assert!(!r.stdout.contains('\x1b'), "NO_COLOR must disable color");
}

#[test]
fn text_output_is_grouped_by_rule_with_a_tally() {
    let line = "export const API = \"http://localhost:3000/api\";\n";
    let files: Vec<(String, &str)> = (0..6).map(|i| (format!("src/m{i}.ts"), line)).collect();
    let refs: Vec<(&str, &str)> = files.iter().map(|(p, c)| (p.as_str(), *c)).collect();
    let t = Tree::new(&refs);
    let r = t.run(&["scan"]);
    assert_eq!(r.code, 1);
    // The rule's title and help once, a line per finding, snippets for the first three.
    assert_eq!(
        r.stdout.matches("= help: Read the URL").count(),
        1,
        "{}",
        r.stdout
    );
    assert_eq!(
        r.stdout.matches("Hardcoded loopback URL `").count(),
        6,
        "{}",
        r.stdout
    );
    let underlines = |s: &str| s.lines().filter(|l| l.ends_with("^^^^")).count();
    assert_eq!(underlines(&r.stdout), 3, "{}", r.stdout);
    assert!(
        r.stdout.contains("rules: 6 × localhost/hardcoded-url"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("skipped") || !r.stdout.contains("0 error"),
        "{}",
        r.stdout
    );
    // -v: every snippet; -q: only the findings lines and the verdict.
    let v = t.run(&["scan", "-v"]);
    assert_eq!(underlines(&v.stdout), 6, "{}", v.stdout);
    let q = t.run(&["scan", "-q"]);
    let lines: Vec<&str> = q.stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{}", q.stdout);
    assert!(
        lines[0].starts_with("error[localhost/hardcoded-url] src/m"),
        "{}",
        q.stdout
    );
    assert!(lines[6].starts_with("verdict: FAIL"), "{}", q.stdout);
    // Colour is for terminals: forced with CLICOLOR_FORCE, off in a pipe.
    let forced = std::process::Command::new(crate::support::bin())
        .current_dir(t.path())
        .arg("scan")
        .env_remove("NO_COLOR")
        .env("CLICOLOR_FORCE", "1")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&forced.stdout).contains('\x1b'));
    let piped = std::process::Command::new(crate::support::bin())
        .current_dir(t.path())
        .arg("scan")
        .env_remove("NO_COLOR")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&piped.stdout).contains('\x1b'));
}

#[test]
fn must_not_flag_dev_test_and_doc_shapes() {
    let url = "http://localhost:3000";
    let line = format!("const API = \"{url}\";\n");
    let t = Tree::new(&[
        (
            "src/host.ts",
            "if (window.location.hostname === \"localhost\") { dev(); }\n",
        ),
        (
            "src/server.ts",
            "app.listen(3000, \"0.0.0.0\");\nconsole.log(`listening on http://localhost:${port}`);\n",
        ),
        (
            "src/re.ts",
            "const isLocal = /^https?:\\/\\/localhost(:\\d+)?/.test(u);\nconst r = new RegExp(\"http://localhost:[0-9]+\");\n",
        ),
        ("src/cors.ts", &line),
        (
            "src/app.ts",
            "app.use(cors({ origin: [\"http://localhost:3000\"] }));\n// local: http://localhost:3000\n",
        ),
        ("src/api.test.ts", &line),
        ("src/api.spec.tsx", &line),
        ("src/__tests__/api.ts", &line),
        ("src/Button.stories.tsx", &line),
        ("src/__mocks__/api.ts", &line),
        ("test/fixtures/server.js", &line),
        ("e2e/login.ts", &line),
        ("docs/setup.md", "Open http://localhost:3000\n"),
        ("docs/snippet.js", &line),
        ("README.md", "Run `curl http://localhost:3000/health`\n"),
        (".env.local", "VITE_API_URL=http://localhost:3000\n"),
        (".env.development", "VITE_API_URL=http://localhost:3000\n"),
        (
            "docker-compose.yml",
            "healthcheck:\n  test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:3000/health\"]\n",
        ),
        (
            ".github/workflows/ci.yml",
            "- run: curl -f http://localhost:3000/health\n",
        ),
        (
            "vite.config.ts",
            "export default { server: { proxy: { '/api': 'http://localhost:3000' } } };\n",
        ),
        ("src/config.dev.ts", &line),
        ("scripts/seed.mjs", &line),
        (
            "src/mode.ts",
            "const api = import.meta.env.DEV ? \"http://localhost:3000\" : \"https://api.example.com\";\n",
        ),
        ("node_modules/pkg/index.js", &line),
    ]);
    let (code, report) = t.scan_json(&[]);
    // A loopback origin in a production CORS list is its own warning, not a
    // hardcoded URL (and not silence): production accepts pages from a dev machine.
    assert_eq!(
        active(&report),
        vec!["localhost/cors-origin@src/app.ts:1:26".to_string()]
    );
    assert_eq!(code, 0);
    assert_eq!(report["verdict"], "pass");
}

#[test]
fn production_source_is_configurable() {
    let t = Tree::new(&[
        (
            "src/api.ts",
            "export const API = \"http://localhost:3000\";\n",
        ),
        (
            "tools/gen.ts",
            "export const API = \"http://localhost:3000\";\n",
        ),
        (
            "shipgate.toml",
            "[scan.production]\nextra_exclude = [\"tools/\"]\n",
        ),
    ]);
    let (_, report) = t.scan_json(&[]);
    assert_eq!(
        active(&report),
        vec!["localhost/hardcoded-url@src/api.ts:1:21"]
    );
    t.write(
        "shipgate.toml",
        "[scan.production]\ninclude = [\"tools/**\"]\n",
    );
    let (_, report) = t.scan_json(&[]);
    assert_eq!(
        active(&report),
        vec!["localhost/hardcoded-url@tools/gen.ts:1:21"]
    );
}

#[test]
fn config_disables_and_reseverities_rules() {
    let t = Tree::new(&[
        (
            "src/api.ts",
            "export const API = \"http://localhost:3000\";\n",
        ),
        ("src/x.ts", "function f() {\n  debugger;\n}\n"),
        ("migrations/1.sql", "DROP TABLE t;\n"),
        (
            "shipgate.toml",
            "[scan]\ndisable = [\"hygiene/*\"]\n[scan.severity]\n\"localhost/hardcoded-url\" = \"warning\"\n\"migrations/destructive-statement\" = \"error\"\n",
        ),
    ]);
    let (code, report) = t.scan_json(&[]);
    let f = findings(&report);
    assert!(
        !f.iter().any(|(r, _, _)| r.starts_with("hygiene/")),
        "{f:?}"
    );
    let stage = &report["stages"][0];
    assert_eq!(stage["counts"]["warning"], 1);
    assert_eq!(stage["counts"]["error"], 1);
    assert_eq!(code, 1);
}

#[test]
fn fail_on_and_exit_zero() {
    let t = Tree::new(&[("migrations/1.sql", "DROP TABLE t;\n")]);
    assert_eq!(
        t.run(&["scan"]).code,
        0,
        "a warning does not fail by default"
    );
    assert_eq!(t.run(&["scan", "--fail-on", "warning"]).code, 1);
    assert_eq!(
        t.run(&["scan", "--fail-on", "warning", "--exit-zero"]).code,
        0
    );
    t.write("shipgate.toml", "[gate]\nfail_on = \"warning\"\n");
    assert_eq!(t.run(&["scan"]).code, 1);
    assert_eq!(
        t.run(&["scan", "--fail-on", "error"]).code,
        0,
        "the flag overrides the config"
    );
    let r = t.run(&["scan", "--fail-on", "fatal"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown severity"), "{}", r.stderr);
}

#[test]
fn gate_without_config_runs_the_scan_stage() {
    let t = Tree::new(&[("src/api.ts", "export const API = process.env.API_URL;\n")]);
    let r = t.run(&["gate"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("scan: passed"), "{}", r.stdout);
    assert!(r.stdout.contains("verdict: PASS"), "{}", r.stdout);
    t.write(
        "src/api.ts",
        "export const API = \"http://localhost:3000\";\n",
    );
    let r = t.run(&["gate", "--format", "json"]);
    assert_eq!(r.code, 1);
    let j = r.json();
    assert_eq!(j["profile"], "default");
    assert_eq!(j["verdict"], "fail");
    assert_eq!(j["stages"][0]["name"], "scan");
}
