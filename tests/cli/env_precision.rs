//! Env precision and recall on fixtures shaped like real apps: dummies in
//! templates are not secrets, placeholders in production are errors, what a
//! bundler loads ships, a prefix exposes only where its framework inlines it,
//! a template hidden by .gitignore is still read.

use crate::support::{Tree, fake};
use serde_json::Value;

fn rules_at(report: &Value) -> Vec<String> {
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

fn env(t: &Tree, args: &[&str]) -> (i32, Vec<String>, Value) {
    let mut a = vec!["env", "--format", "json"];
    a.extend_from_slice(args);
    let r = t.run(&a);
    assert!(r.code != 2, "{}", r.stderr);
    let v = r.json();
    (r.code, rules_at(&v), v)
}

#[test]
fn dummies_in_templates_and_test_profiles_are_not_committed_secrets() {
    let live = fake::stripe_live();
    let t = Tree::git(&[
        (
            "server/env.ts",
            "export const e = [process.env.SECRET_KEY, process.env.MINIO_SECRET_KEY, process.env.JWT_SECRET, process.env.API_TOKEN, process.env.SESSION_SECRET, process.env.STRIPE_KEY];\n",
        ),
        (
            ".env.example",
            "SECRET_KEY=get_the_secret_of_above_key\nMINIO_SECRET_KEY=minio123\nJWT_SECRET=change-me-in-production\nAPI_TOKEN=\nSESSION_SECRET=\nSTRIPE_KEY=\n",
        ),
        (
            ".env.test",
            "API_TOKEN=test-token-1\nSESSION_SECRET=123\nSECRET_KEY=0123456789abcdef0123456789abcdef\n",
        ),
    ]);
    t.commit_all("init");
    let (code, got, _) = env(&t, &[]);
    assert!(
        !got.iter().any(|g| g.starts_with("env/committed-secret")),
        "{got:?}"
    );
    assert_eq!(code, 0, "{got:?}");
    // A value in a real credential format is a committed secret even in a template.
    t.write(
        ".env.example",
        &format!("SECRET_KEY=\nMINIO_SECRET_KEY=\nJWT_SECRET=\nAPI_TOKEN=\nSESSION_SECRET=\nSTRIPE_KEY={live}\n"),
    );
    t.commit_all("oops");
    let (code, got, v) = env(&t, &[]);
    assert_eq!(code, 1);
    assert!(
        got.contains(&"env/committed-secret@.env.example:6".to_string()),
        "{got:?}"
    );
    assert!(!v.to_string().contains(&live), "the value is masked");
}

#[test]
fn a_placeholder_secret_in_production_is_an_error() {
    let t = Tree::new(&[
        ("src/a.ts", "export const s = process.env.JWT_SECRET;\n"),
        (".env.example", "JWT_SECRET=\n"),
        (".env.production", "JWT_SECRET=change-me-in-production\n"),
    ]);
    let (code, got, _) = env(&t, &["--profile", "production"]);
    assert_eq!(code, 1);
    assert!(
        got.contains(&"env/placeholder@.env.production:1".to_string()),
        "{got:?}"
    );
    // The live environment at deploy time too.
    std::fs::remove_file(t.path().join(".env.production")).unwrap();
    let r = std::process::Command::new(crate::support::bin())
        .current_dir(t.path())
        .args([
            "env",
            "--from-process",
            "--profile",
            "production",
            "--format",
            "json",
        ])
        .env("JWT_SECRET", "change-me-in-production")
        .output()
        .unwrap();
    assert_eq!(r.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&r.stdout).contains("env/placeholder"));
}

#[test]
fn a_committed_env_file_the_bundler_loads_must_not_point_at_localhost() {
    let t = Tree::git(&[
        (
            "web/package.json",
            r#"{"devDependencies":{"vite":"5.0.0"}}"#,
        ),
        (
            "web/src/api.ts",
            "export const API = import.meta.env.VITE_API_URL;\n",
        ),
        ("web/.env.example", "VITE_API_URL=\n"),
        (
            "web/.env",
            "VITE_API_URL=\"http://localhost:3000/api/v1\"\n",
        ),
        (
            "api/package.json",
            r#"{"dependencies":{"express":"4.0.0"}}"#,
        ),
        (
            "api/src/server.ts",
            "export const U = process.env.VITE_API_URL;\n",
        ),
        ("api/.env.example", "VITE_API_URL=\n"),
        ("api/.env", "VITE_API_URL=http://localhost:3000\n"),
    ]);
    t.commit_all("init");
    let (code, got, _) = env(&t, &[]);
    assert_eq!(code, 1, "{got:?}");
    assert!(
        got.contains(&"env/loopback-in-client-bundle@web/.env:1".to_string()),
        "{got:?}"
    );
    assert!(
        !got.iter().any(|g| g.contains("@api/.env:")),
        "Express does not bundle .env: {got:?}"
    );
}

#[test]
fn a_prefix_exposes_a_secret_only_where_its_framework_inlines_it() {
    let t = Tree::new(&[
        ("package.json", r#"{"dependencies":{"express":"4.0.0"}}"#),
        (
            "src/server.ts",
            "export const t = process.env.PUBLIC_TOKEN;\n",
        ),
        (".env.example", "PUBLIC_TOKEN=\n"),
        (
            "app/package.json",
            r#"{"devDependencies":{"vite":"5.0.0"}}"#,
        ),
        (
            "app/src/main.ts",
            "export const k = import.meta.env.VITE_STRIPE_SECRET_KEY;\n",
        ),
        ("app/.env.example", "VITE_STRIPE_SECRET_KEY=\n"),
    ]);
    let (_, got, v) = env(&t, &[]);
    assert!(!got.iter().any(|g| g.contains("PUBLIC_TOKEN") || g.starts_with("env/exposed-secret@.env.example")), "{got:?}");
    assert!(
        got.contains(&"env/exposed-secret@app/.env.example:1".to_string()),
        "{got:?}"
    );
    assert!(v.to_string().contains("makes vite inline it"), "{v}");
}

#[test]
fn a_template_hidden_by_gitignore_is_read_and_reported() {
    let t = Tree::git(&[
        (".gitignore", "node_modules/\n.env.*\n"),
        ("src/a.ts", "export const a = process.env.API_URL;\n"),
        (".env.example", "API_URL=\n"),
    ]);
    t.commit_all("init");
    let (_, got, v) = env(&t, &[]);
    assert!(
        !got.iter()
            .any(|g| g.starts_with("env/no-template") || g.starts_with("env/undeclared")),
        "{got:?}"
    );
    assert!(
        got.contains(&"env/template-ignored@.env.example".to_string()),
        "{got:?}"
    );
    assert!(v.to_string().contains(".gitignore:2 (`.env.*`)"), "{v}");
}

#[test]
fn no_template_is_located_at_the_package_that_needs_one() {
    let t = Tree::new(&[
        ("package.json", r#"{ "name": "mono", "private": true }"#),
        (
            "backend/package.json",
            r#"{ "name": "api", "main": "src/index.ts" }"#,
        ),
        (
            "backend/src/index.ts",
            "const db = process.env.DATABASE_URL;\nconst s = process.env.SESSION_SECRET;\n",
        ),
        (
            "backend/src/mail.ts",
            "export const k = process.env.SMTP_URL;\n",
        ),
        (
            "frontend/package.json",
            r#"{ "name": "web", "devDependencies": { "vite": "5" } }"#,
        ),
        ("frontend/.env.example", "VITE_API_URL=\n"),
        (
            "frontend/src/api.ts",
            "export const u = import.meta.env.VITE_API_URL;\n",
        ),
    ]);
    let (_, got, report) = env(&t, &[]);
    let nt: Vec<&String> = got
        .iter()
        .filter(|g| g.starts_with("env/no-template"))
        .collect();
    assert_eq!(nt, vec!["env/no-template@backend/"], "{got:#?}");
    let f = report["stages"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "env/no-template")
        .unwrap();
    assert!(f["location"]["line"].is_null(), "no line: {f}");
    let msg = f["message"].as_str().unwrap();
    assert!(
        msg.contains("3 variable(s)") && msg.contains("add backend/.env.example"),
        "{msg}"
    );
}

/// The Outline shape: a module builds `environment` from `process.env` and
/// dotenv files, `server/env.ts` wraps it in a class, the rest of the code
/// imports `env` through a tsconfig alias.
#[test]
fn reads_through_config_modules_count() {
    let t = Tree::new(&[
        (
            "package.json",
            r#"{ "name": "wiki", "main": "build/server/index.js" }"#,
        ),
        (
            "tsconfig.json",
            r#"{ "compilerOptions": { "baseUrl": ".", "paths": { "@server/*": ["server/*"] } } }"#,
        ),
        (
            ".env.example",
            "SECRET_KEY=\nURL=\nSLACK_KEY=\nDATABASE_URL=\nREDIS_URL=\n",
        ),
        (
            "server/utils/environment.ts",
            "import fs from \"fs\";\nimport dotenv from \"dotenv\";\nconst environment = {\n  ...process.env,\n  ...dotenv.parse(fs.readFileSync(\".env\", \"utf8\")),\n};\nexport default environment;\n",
        ),
        (
            "server/env.ts",
            "import environment from \"./utils/environment\";\nexport class Environment {\n  public SECRET_KEY = environment.SECRET_KEY ?? \"\";\n  public URL = environment.URL;\n  public SLACK_KEY = environment[\"SLACK_KEY\"];\n  public WEBHOOK_SECRET = environment.WEBHOOK_SECRET;\n}\nexport default new Environment();\n",
        ),
        (
            "server/index.ts",
            "import env from \"@server/env\";\nimport { db } from \"./db\";\nconsole.log(env.URL, env.SECRET_KEY, db);\n",
        ),
        (
            "server/db.ts",
            "import { z } from \"zod\";\nconst schema = z.object({ DATABASE_URL: z.string().url(), REDIS_URL: z.string() });\nexport const db = schema.parse(process.env);\n",
        ),
        (
            "server/routes/body.ts",
            "import { z } from \"zod\";\nexport const Body = z.object({ TITLE: z.string() });\n",
        ),
    ]);
    let (_, got, _) = env(&t, &[]);
    // Nothing declared is unused: every name is read through the modules or the schema.
    assert!(!got.iter().any(|g| g.starts_with("env/unused")), "{got:#?}");
    // A read through the config module that the template misses is undeclared.
    assert!(
        got.contains(&"env/undeclared@server/env.ts:6".to_string()),
        "{got:#?}"
    );
    // A request-body schema is not an env read.
    assert!(!got.iter().any(|g| g.contains("body.ts")), "{got:#?}");
}
