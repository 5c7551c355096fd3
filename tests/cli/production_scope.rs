//! Production is what ships: findings of production-scoped rules in files no
//! deploy entrypoint reaches are skipped; where no entrypoint exists the
//! globs decide; `--explain-scope` says why.

use crate::support::{Tree, active, git};

/// A CRM-shaped monorepo: ad-hoc root scripts next to a backend (tsc build,
/// `node dist/index.js`) and a Vite front end.
fn crm() -> Vec<(&'static str, &'static str)> {
    vec![
        (
            "package.json",
            r#"{ "name": "crm", "private": true, "workspaces": ["backend", "frontend"], "scripts": { "dev": "npm run dev --workspaces" } }"#,
        ),
        (
            "test-feature-257.js",
            "const res = await fetch(\"http://localhost:3001/api/leads\");\nconsole.log(await res.json());\n",
        ),
        (
            "check-users.mjs",
            "const API = \"http://localhost:3001/api\";\nfetch(`${API}/users`).then((r) => r.json()).then(console.log);\n",
        ),
        (
            "backend/package.json",
            r#"{ "name": "crm-backend", "main": "dist/index.js", "scripts": { "build": "tsc", "start": "node dist/index.js" } }"#,
        ),
        (
            "backend/tsconfig.json",
            r#"{ "compilerOptions": { "outDir": "dist", "rootDir": "src" } }"#,
        ),
        (
            "backend/src/index.ts",
            "import express from \"express\";\nimport { users } from \"./routes/users\";\nconst app = express();\napp.use(\"/api/users\", users);\napp.listen(3001);\n",
        ),
        (
            "backend/src/routes/users.ts",
            "import { Router } from \"express\";\nexport const users = Router();\nconst AVATARS = \"http://localhost:9000/avatars\";\nusers.get(\"/\", (_q, r) => r.json({ avatars: AVATARS }));\n",
        ),
        (
            "backend/src/seed-dev.ts",
            "const url = \"http://localhost:3001/api/users\";\n",
        ),
        (
            "frontend/package.json",
            r#"{ "name": "crm-frontend", "scripts": { "dev": "vite", "build": "vite build" } }"#,
        ),
        (
            "frontend/index.html",
            "<div id=\"root\"></div><script type=\"module\" src=\"/src/main.tsx\"></script>\n",
        ),
        (
            "frontend/src/main.tsx",
            "import { api } from \"./api\";\napi();\n",
        ),
        (
            "frontend/src/api.ts",
            "export const api = () => fetch(\"http://localhost:3001/api/users\");\n",
        ),
    ]
}

#[test]
fn findings_in_files_nothing_ships_are_skipped() {
    let t = Tree::new(&crm());
    let (code, report) = t.scan_json(&[]);
    let mut got = active(&report);
    got.sort();
    assert_eq!(
        got,
        vec![
            "localhost/hardcoded-url@backend/src/routes/users.ts:3:18",
            "localhost/hardcoded-url@frontend/src/api.ts:1:33",
        ]
    );
    assert_eq!(code, 1);
    let stats = &report["stages"][0]["stats"];
    assert_eq!(stats["production_findings_not_shipped"], 3);
    assert_eq!(stats["production_files_not_shipped"], 3);
    let text = t.run(&["scan"]).stdout;
    assert!(
        text.contains("3 finding(s) skipped in files nothing ships"),
        "{text}"
    );
}

#[test]
fn explain_scope_names_the_chain_or_the_reason() {
    let t = Tree::new(&crm());
    let r = t.run(&["scan", "--explain-scope", "backend/src/routes/users.ts"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("is production: reached from backend/package.json:1 (main) → backend/src/index.ts → backend/src/routes/users.ts"),
        "{}",
        r.stdout
    );
    let r = t.run(&["scan", "--explain-scope", "test-feature-257.js"]);
    assert!(r.stdout.contains("is not production"), "{}", r.stdout);
    assert!(
        r.stdout.contains("[scan.production] entrypoints"),
        "{}",
        r.stdout
    );
    let r = t.run(&["scan", "--explain-scope", "frontend/src/api.ts"]);
    assert!(r.stdout.contains("frontend/index.html"), "{}", r.stdout);
}

#[test]
fn configured_entrypoints_make_a_script_production() {
    let mut files = crm();
    files.push((
        "shipgate.toml",
        "[scan.production]\nentrypoints = [\"check-users.mjs\"]\n",
    ));
    let t = Tree::new(&files);
    let (_, report) = t.scan_json(&[]);
    let got = active(&report);
    assert!(
        got.contains(&"localhost/hardcoded-url@check-users.mjs:1:14".to_string()),
        "{got:?}"
    );
    assert!(
        !got.iter().any(|f| f.contains("test-feature-257.js")),
        "{got:?}"
    );
}

#[test]
fn without_entrypoints_the_globs_decide() {
    // No package.json, no Dockerfile, no platform config: nothing to follow.
    let t = Tree::new(&[
        (
            "src/client.js",
            "export const API = \"http://localhost:3000/api\";\n",
        ),
        (
            "scripts/check.js",
            "fetch(\"http://localhost:3000/health\");\n",
        ),
    ]);
    let (code, report) = t.scan_json(&[]);
    assert_eq!(
        active(&report),
        vec!["localhost/hardcoded-url@src/client.js:1:21"]
    );
    assert_eq!(code, 1);
}

#[test]
fn a_diff_scan_skips_additions_to_files_nothing_ships() {
    let t = Tree::git(&crm());
    t.commit_all("init");
    git(t.path(), &["branch", "base"]);
    t.write(
        "create-test-user.js",
        "await fetch(\"http://localhost:3001/api/users\", { method: \"POST\" });\n",
    );
    t.write(
        "backend/src/routes/users.ts",
        "import { Router } from \"express\";\nexport const users = Router();\nconst AVATARS = \"http://localhost:9000/avatars\";\nconst CDN = \"http://127.0.0.1:9001/cdn\";\nusers.get(\"/\", (_q, r) => r.json({ avatars: AVATARS, cdn: CDN }));\n",
    );
    t.commit_all("change");
    let (code, report) = t.scan_json(&["--diff", "base"]);
    assert_eq!(
        active(&report),
        vec!["localhost/hardcoded-url@backend/src/routes/users.ts:4:14"]
    );
    assert_eq!(code, 1);
}
