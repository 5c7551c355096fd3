//! `shipgate env` on fixture repositories shaped like the seeds' projects.

use crate::support::{Tree, git};
use serde_json::Value;
use std::process::Command;

fn env_json(t: &Tree, extra: &[&str]) -> (i32, Value) {
    let mut args = vec!["env", "--format", "json"];
    args.extend_from_slice(extra);
    let r = t.run(&args);
    assert!(r.code != 2, "usage error: {}", r.stderr);
    (r.code, r.json())
}

/// Active findings as "rule@path:line".
fn got(report: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for s in report["stages"].as_array().unwrap() {
        for f in s["findings"].as_array().unwrap() {
            if !f["suppressed"].is_null() {
                continue;
            }
            let loc = &f["location"];
            let mut at = loc["path"].as_str().unwrap_or("").to_string();
            if let Some(l) = loc["line"].as_u64() {
                at.push_str(&format!(":{l}"));
            }
            out.push(format!("{}@{at}", f["rule"].as_str().unwrap()));
        }
    }
    out.sort();
    out
}

fn has(report: &Value, want: &str) -> bool {
    got(report).iter().any(|g| g == want)
}

/// The huddle seed: Vite front end + Supabase Edge Functions.
fn vite_supabase() -> Tree {
    Tree::git(&[
        (
            "package.json",
            r#"{"name":"huddle","devDependencies":{"vite":"5.4.0"}}"#,
        ),
        (
            "src/lib/api.ts",
            "export const API = import.meta.env.VITE_API_URL;\nexport const WS = import.meta.env.VITE_WS_URL;\nexport const { VITE_SUPABASE_URL, VITE_SUPABASE_ANON_KEY } = import.meta.env;\nexport const MAP = import.meta.env.VITE_MAPBOX_TOKEN;\n",
        ),
        (
            "supabase/functions/stripe-webhook/index.ts",
            "const key = Deno.env.get(\"STRIPE_SECRET_KEY\");\nconst hook = Deno.env.get(\"STRIPE_WEBHOOK_SECRET\");\nconst admin = Deno.env.get(\"SUPABASE_SERVICE_ROLE_KEY\");\nconst bypass = Deno.env.get(\"ALLOW_WEBHOOK_TEST_BYPASS\") === \"true\";\nconst ai = Deno.env.get(\"OPENAI_API_KEY\");\n",
        ),
        (
            ".env.example",
            "VITE_API_URL=\nVITE_WS_URL=\nVITE_SUPABASE_URL=\nVITE_SUPABASE_ANON_KEY=\nVITE_MAPBOX_TOKEN=\nVITE_SUPABASE_SERVICE_ROLE_KEY=\n# @secret\nSTRIPE_SECRET_KEY=\nSTRIPE_WEBHOOK_SECRET=\nALLOW_STRIPE_FALLBACK=false\nALLOW_WEBHOOK_TEST_BYPASS=false\nLEGACY_FLAG=\n",
        ),
        (
            ".env.production",
            "VITE_API_URL=http://localhost:3000\nVITE_WS_URL=wss://api.example.com/ws\nALLOW_STRIPE_FALLBACK=true\nALLOW_WEBHOOK_TEST_BYPASS=False\n",
        ),
        (
            ".env.local",
            "ALLOW_STRIPE_FALLBACK=true\nALLOW_WEBHOOK_TEST_BYPASS=true\n",
        ),
    ])
}

#[test]
fn vite_supabase_project() {
    let t = vite_supabase();
    t.commit_all("init");
    let (code, report) = env_json(&t, &[]);
    assert_eq!(code, 1);
    let g = got(&report);
    for want in [
        // read by an Edge Function, absent from the template
        "env/undeclared@supabase/functions/stripe-webhook/index.ts:5",
        // declared, read nowhere
        "env/unused@.env.example:12",
        // a service-role key with the VITE_ prefix is bundled into the client
        "env/exposed-secret@.env.example:6",
        // production profile: loopback URL and a bypass flag on
        "env/loopback-in-production@.env.production:1",
        "env/forbidden-flag@.env.production:3",
    ] {
        assert!(g.contains(&want.to_string()), "missing {want} in {g:#?}");
    }
    // SUPABASE_SERVICE_ROLE_KEY is platform-provided inside supabase/functions;
    // ALLOW_WEBHOOK_TEST_BYPASS=False is off; .env.local may set bypass flags.
    assert!(!g.iter().any(|x| x.contains("SUPABASE_SERVICE_ROLE_KEY")));
    assert!(
        !has(&report, "env/forbidden-flag@.env.production:4"),
        "{g:#?}"
    );
    assert!(!g.iter().any(|x| x.contains(".env.local")), "{g:#?}");
    assert_eq!(
        g.iter()
            .filter(|x| x.starts_with("env/forbidden-flag"))
            .count(),
        1
    );
    // the public mapbox token and the anon key are not secrets
    assert!(
        !g.iter()
            .any(|x| x.starts_with("env/exposed-secret") && !x.ends_with(":6")),
        "{g:#?}"
    );
}

#[test]
fn express_postgres_profile_values() {
    let t = Tree::git(&[
        (
            "server.js",
            "const secret = process.env.SESSION_SECRET;\nif (!secret) process.exit(1);\nconst { DB_HOST, DB_PORT, DB_USER, DB_PASSWORD, DB_NAME } = process.env;\nconst port = process.env.PORT || 3000;\nconst origins = process.env.CORS_ORIGINS;\n",
        ),
        (
            ".env.example",
            "# Session signing key, 64+ hex chars (server exits if missing)\n# @required @secret @type=hex @min_length=64\nSESSION_SECRET=\n# @required\nDB_HOST=\n# @type=port\nDB_PORT=5432\nDB_USER=\n# @required\nDB_PASSWORD=\nDB_NAME=\nCORS_ORIGINS=\n",
        ),
        (
            ".env.production",
            "SESSION_SECRET=abc123\nDB_HOST=prod-db\nDB_PORT=54321x\nDB_PASSWORD=changeme\nCORS_ORIGINS=https://lavandaria.example.com\n",
        ),
    ]);
    let (code, report) = env_json(&t, &["--profile", "production"]);
    assert_eq!(code, 1);
    let g = got(&report);
    assert!(
        has(&report, "env/invalid-value@.env.production:1"),
        "{g:#?}"
    );
    assert!(
        has(&report, "env/invalid-value@.env.production:3"),
        "{g:#?}"
    );
    assert!(has(&report, "env/placeholder@.env.production:4"), "{g:#?}");
    assert!(!g.iter().any(|x| x.starts_with("env/undeclared")), "{g:#?}");
    let text = t.run(&["env", "--profile", "production"]).stdout;
    assert!(
        text.contains("`SESSION_SECRET` in .env.production is 6 characters; at least 64 required"),
        "{text}"
    );
    assert!(!text.contains("abc123"), "a secret value is never printed");
    assert!(!text.contains("changeme"), "values are never printed");
    // a valid production file passes
    t.write(
        ".env.production",
        &format!(
            "SESSION_SECRET={}\nDB_HOST=prod-db\nDB_PORT=5432\nDB_PASSWORD=s3cr3t-from-vault\n",
            "a1".repeat(32)
        ),
    );
    let (code, report) = env_json(&t, &["--profile", "production"]);
    assert_eq!(code, 0, "{:#?}", got(&report));
    // missing required
    t.write(".env.production", "DB_HOST=prod-db\n");
    let (_, report) = env_json(&t, &["--profile", "production"]);
    let g = got(&report);
    assert!(
        has(&report, "env/missing-required@.env.example:3"),
        "{g:#?}"
    );
    assert!(
        has(&report, "env/missing-required@.env.example:10"),
        "{g:#?}"
    );
    let r = t.run(&["env", "--profile", "staging"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no .env.staging found"), "{}", r.stderr);
}

#[test]
fn nestjs_config_service_and_dynamic_access() {
    let t = Tree::git(&[
        (
            "src/app.module.ts",
            "const uri = this.configService.get<string>('MONGO_URI');\nconst jwt = configService.getOrThrow('JWT_SECRET');\nfor (const k of keys) { process.env[k]; }\n",
        ),
        (
            "src/main.ts",
            "await app.listen(process.env.PORT ?? 3000);\n",
        ),
        ("test/app.e2e-spec.ts", "process.env.TEST_ONLY_VAR;\n"),
        (".env.example", "MONGO_URI=\n"),
    ]);
    let (code, report) = env_json(&t, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        got(&report),
        vec![
            "env/dynamic-access@src/app.module.ts:3",
            "env/undeclared@src/app.module.ts:2",
        ]
    );
}

#[test]
fn monorepo_templates_cover_their_packages() {
    let t = Tree::git(&[
        (
            "backend/src/db.ts",
            "export const url = process.env.DATABASE_URL;\nexport const k = process.env.VITE_API_URL;\n",
        ),
        ("backend/.env.example", "DATABASE_URL=\n"),
        (
            "frontend/src/api.ts",
            "export const API = import.meta.env.VITE_API_URL;\n",
        ),
        (
            "frontend/src/Pay.tsx",
            "const s = import.meta.env.STRIPE_SECRET_KEY;\n",
        ),
        (
            "frontend/.env.example",
            "VITE_API_URL=\nSTRIPE_SECRET_KEY=\n",
        ),
        ("tools/gen.py", "import os\nos.getenv('GEN_TOKEN')\n"),
    ]);
    let (_, report) = env_json(&t, &[]);
    let g = got(&report);
    assert!(
        has(&report, "env/undeclared@backend/src/db.ts:2"),
        "VITE_API_URL is declared only for the frontend: {g:#?}"
    );
    assert!(
        !g.iter().any(|x| x.starts_with("env/undeclared@frontend")),
        "{g:#?}"
    );
    assert!(
        has(&report, "env/secret-in-client-code@frontend/src/Pay.tsx:1"),
        "{g:#?}"
    );
    // Located where the template goes (the repository root here), not at the reader.
    assert!(has(&report, "env/no-template@."), "{g:#?}");
}

#[test]
fn committed_secret_values_are_reported_masked() {
    let live = format!("sk_{}_{}", "live", "Zx9Kp2Lm7Qr4Ts6Vw8Yb1Nc3");
    let t = Tree::git(&[
        (
            "src/pay.ts",
            "process.env.STRIPE_SECRET_KEY;\nprocess.env.PUBLIC_URL;\n",
        ),
        (
            ".env.example",
            "STRIPE_SECRET_KEY=your_stripe_key_here\nPUBLIC_URL=https://example.com\n",
        ),
        (".env.staging", &format!("STRIPE_SECRET_KEY={live}\n")),
    ]);
    t.commit_all("oops");
    let r = t.run(&["env", "--format", "json"]);
    assert_eq!(r.code, 1);
    let report = r.json();
    assert!(
        has(&report, "env/committed-secret@.env.staging:1"),
        "{:#?}",
        got(&report)
    );
    assert!(
        !got(&report).iter().any(|x| x.contains(".env.example")),
        "placeholders are not secrets"
    );
    let text = t.run(&["env"]).stdout;
    for out in [&r.stdout, &text] {
        assert!(!out.contains(&live), "secret leaked");
        assert!(!out.contains(&live[12..]), "secret tail leaked");
    }
    assert!(text.contains("sk_l****"), "{text}");
    // untracked files are not "committed"
    git(t.path(), &["rm", "-q", "--cached", ".env.staging"]);
    let (_, report) = env_json(&t, &[]);
    assert!(!has(&report, "env/committed-secret@.env.staging:1"));
}

#[test]
fn from_process_checks_the_live_environment_without_printing_values() {
    let t = Tree::git(&[
        (
            "server.js",
            "process.env.SESSION_SECRET; process.env.API_URL; process.env.ALLOW_PAYMENT_BYPASS;\n",
        ),
        (
            ".env.example",
            "# @required @secret @min_length=64\nSESSION_SECRET=\n# @required @type=url\nAPI_URL=\nALLOW_PAYMENT_BYPASS=\n",
        ),
        (
            "shipgate.toml",
            "[env.forbid]\nMAINTENANCE_MODE = \"never ship maintenance mode on\"\n",
        ),
    ]);
    let secret_value = "process-secret-value-that-must-not-leak";
    let run = |args: &[&str]| {
        let out = Command::new(crate::support::bin())
            .current_dir(t.path())
            .args(args)
            .env("SESSION_SECRET", secret_value)
            .env("API_URL", "http://127.0.0.1:8080")
            .env("ALLOW_PAYMENT_BYPASS", "yes")
            .env("MAINTENANCE_MODE", "on")
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        (
            out.status.code().unwrap(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (code, json, _) = run(&[
        "env",
        "--from-process",
        "--format",
        "json",
        "--output",
        "text=r.txt",
    ]);
    assert_eq!(code, 1);
    let report: Value = serde_json::from_str(&json).unwrap();
    let g = got(&report);
    for want in [
        "env/invalid-value@<process environment>",
        "env/loopback-in-production@<process environment>",
        "env/forbidden-flag@<process environment>",
    ] {
        assert!(g.iter().any(|x| x == want), "missing {want} in {g:#?}");
    }
    assert_eq!(
        g.iter()
            .filter(|x| x.starts_with("env/forbidden-flag"))
            .count(),
        2,
        "{g:#?}"
    );
    let (_, text, stderr) = run(&["gate", "--from-process", "-v"]);
    let file = std::fs::read_to_string(t.path().join("r.txt")).unwrap();
    for out in [&json, &text, &stderr, &file] {
        assert!(!out.contains(secret_value), "a secret env value leaked");
    }
}

#[test]
fn env_config_errors_are_located() {
    let t = Tree::new(&[(
        "shipgate.toml",
        "[env.vars.SESSION_SECRET]\nrequired = true\ntype = \"hexx\"\nmin_len = 64\n\n[env.forbid]\nDEBUG = 1\n",
    )]);
    let r = t.run(&["env"]);
    assert_eq!(r.code, 2);
    for want in [
        "shipgate.toml:3:9: unknown type `hexx`",
        "shipgate.toml:4:1: unknown key `min_len` in [env.vars.SESSION_SECRET]",
        "shipgate.toml:7:9: each `[env.forbid]` entry",
    ] {
        assert!(r.stderr.contains(want), "missing `{want}` in {}", r.stderr);
    }
}

#[test]
fn gate_runs_scan_and_env() {
    let t = vite_supabase();
    let r = t.run(&["gate", "--format", "json"]);
    let report = r.json();
    let names: Vec<&str> = report["stages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, vec!["scan", "env", "integrity", "smoke"]);
    assert_eq!(report["stages"][1]["status"], "failed");
    assert_eq!(r.code, 1);
}

#[test]
fn directory_flag_resolves_every_path_flag() {
    let t = Tree::new(&[
        ("app/src/a.ts", "export const A = process.env.API_URL;\n"),
        ("app/.env.example", "# @required\nAPI_URL=\n"),
        ("app/.env.production", "API_URL=http://localhost:3000\n"),
    ]);
    // From the parent directory, `-C app` makes `--env-file .env.production` app/.env.production.
    let r = crate::support::shipgate(
        t.path(),
        &[
            "-C",
            "app",
            "env",
            "--env-file",
            ".env.production",
            "--format",
            "json",
            "--output",
            "json=out/r.json",
        ],
    );
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        has(&r.json(), "env/loopback-in-production@.env.production:1"),
        "{}",
        r.stdout
    );
    assert!(
        t.path().join("app/out/r.json").is_file(),
        "--output is relative to -C too"
    );
    let r = crate::support::shipgate(t.path(), &["-C", "app/src/a.ts", "env"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("not a directory"), "{}", r.stderr);
}

#[test]
fn a_baseline_and_ignores_suppress_env_findings() {
    let t = Tree::new(&[
        (
            "src/a.ts",
            "export const A = process.env.API_URL;\nexport const B = process.env.NEW_ONE;\n",
        ),
        (".env.example", "API_URL=\nUNUSED_ONE=\n"),
    ]);
    let (code, report) = env_json(&t, &["--output", "json=base.json"]);
    assert_eq!(code, 1);
    assert!(has(&report, "env/undeclared@src/a.ts:2"), "{report:#}");
    // Everything known is baselined: the same run passes.
    let (code, report) = env_json(&t, &["--baseline", "base.json"]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["counts"]["suppressed"], 2);
    // A new finding is not in the baseline.
    t.write("src/c.ts", "export const C = process.env.ANOTHER;\n");
    let (code, report) = env_json(&t, &["--baseline", "base.json"]);
    assert_eq!(code, 1);
    assert!(has(&report, "env/undeclared@src/c.ts:1"), "{report:#}");
    // [[ignore]] and inline allows work for env findings too.
    t.write(
        "shipgate.toml",
        "[[ignore]]\nrule = \"env/undeclared\"\npath = \"src/c.ts\"\nreason = \"set by the platform\"\n",
    );
    t.write(".env.example", "API_URL=\n# shipgate:allow env/unused -- read by a cron job outside this repo\nUNUSED_ONE=\nNEW_ONE=\n");
    let (code, report) = env_json(&t, &[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["counts"]["suppressed"], 2, "{report:#}");
}
