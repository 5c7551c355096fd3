//! The integrity stage on repositories shaped like the runbooks' own: CI
//! gates that check nothing, scripts that run missing files, workflows that
//! call endpoints no route serves, change policies.

use crate::support::{Tree, active, findings, git};

const PACKAGE: &str = r#"{
  "name": "shop-api",
  "scripts": {
    "build": "tsc -p tsconfig.json",
    "start": "node dist/main.js",
    "lint": "eslint src",
    "audit:security": "node scripts/security_posture_audit.mjs",
    "ops:edge:harden": "bash scripts/ops/harden-local-edge-runtime.sh"
  }
}
"#;

const PR_WORKFLOW: &str = r#"name: PR
on:
  pull_request:
jobs:
  checks:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - name: Typecheck
        run: npm run typecheck --if-present
      - name: Lint
        run: npm run lint
      - name: DB lint
        run: npx supabase db lint || echo "supabase db lint skipped or unavailable"
"#;

const DAILY_WORKFLOW: &str = r#"name: Daily gate
on:
  schedule:
    - cron: "0 6 * * *"
jobs:
  gate:
    runs-on: ubuntu-latest
    steps:
      - run: |
          curl -fsS -X POST "https://${{ secrets.API_HOST }}/internal/gate-check" -H "x-key: ${{ secrets.GATE_KEY }}"
          curl -fsS "https://${{ secrets.API_HOST }}/internal/health"
          curl -fsS "https://hooks.slack.com/services/T000/B000/notify"
"#;

const APP: &str = r#"import express from "express";
import { internal } from "./routes/internal";
const app = express();
app.use("/internal", internal);
export default app;
"#;

const ROUTES: &str = r#"import { Router } from "express";
export const internal = Router();
internal.get("/health", (_req, res) => res.json({ status: "ok" }));
"#;

/// The rotted repository: every case of the issue in one tree.
fn rotted() -> Vec<(&'static str, &'static str)> {
    vec![
        ("package.json", PACKAGE),
        (
            "tsconfig.json",
            r#"{ "compilerOptions": { "outDir": "dist" } }"#,
        ),
        (".github/workflows/pr.yml", PR_WORKFLOW),
        (".github/workflows/daily.yml", DAILY_WORKFLOW),
        ("src/app.ts", APP),
        ("src/routes/internal.ts", ROUTES),
    ]
}

fn integrity_json(t: &Tree, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["integrity", "--format", "json"];
    args.extend_from_slice(extra);
    let r = t.run(&args);
    assert!(r.code != 2, "usage error: {}\n{}", r.stderr, r.stdout);
    (r.code, r.json())
}

fn severity_of(report: &serde_json::Value, rule: &str) -> Vec<String> {
    report["stages"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["severity"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn finds_the_gates_scripts_and_endpoints_that_rotted() {
    let t = Tree::new(&rotted());
    let (code, report) = integrity_json(&t, &[]);
    assert_eq!(
        code, 1,
        "an --if-present on a missing script in a PR workflow fails"
    );
    let mut got = active(&report);
    got.sort();
    assert_eq!(
        got,
        vec![
            "integrity/if-present-missing@.github/workflows/pr.yml:11:14",
            "integrity/masked-failure@.github/workflows/pr.yml:15:14",
            "integrity/missing-script-file@package.json:7:23",
            "integrity/missing-script-file@package.json:8:24",
            "integrity/unserved-endpoint@.github/workflows/daily.yml:10:29",
        ]
    );
    assert_eq!(
        severity_of(&report, "integrity/if-present-missing"),
        ["error"]
    );
    assert_eq!(
        severity_of(&report, "integrity/masked-failure"),
        ["warning"]
    );
    // `node dist/main.js` is build output: `tsc` with outDir dist produces it.
    let text = t.run(&["integrity"]).stdout;
    assert!(!text.contains("dist/main.js"), "{text}");
    assert!(
        !text.contains("slack"),
        "external URLs are not ours to judge: {text}"
    );
}

#[test]
fn present_scripts_existing_files_and_mounted_routes_are_quiet() {
    let mut files = rotted();
    let package = PACKAGE.replace(
        r#""lint": "eslint src","#,
        r#""lint": "eslint src", "typecheck": "tsc --noEmit","#,
    );
    let routes =
        format!("{ROUTES}internal.post(\"/gate-check\", (_req, res) => res.status(202).end());\n");
    let pr = PR_WORKFLOW.replace(r#" || echo "supabase db lint skipped or unavailable""#, "");
    files.retain(|(p, _)| {
        !matches!(
            *p,
            "package.json" | "src/routes/internal.ts" | ".github/workflows/pr.yml"
        )
    });
    files.push(("package.json", &package));
    files.push(("src/routes/internal.ts", &routes));
    files.push((".github/workflows/pr.yml", &pr));
    files.push(("scripts/security_posture_audit.mjs", "console.log('ok');\n"));
    files.push((
        "scripts/ops/harden-local-edge-runtime.sh",
        "#!/bin/sh\nexit 0\n",
    ));
    let t = Tree::new(&files);
    let (code, report) = integrity_json(&t, &[]);
    assert_eq!(active(&report), Vec::<String>::new());
    assert_eq!(code, 0);
    assert_eq!(report["stages"][0]["status"], "passed");
}

#[test]
fn if_present_outside_gating_events_is_a_warning() {
    let wf = PR_WORKFLOW.replace("  pull_request:\n", "  workflow_dispatch:\n");
    let t = Tree::new(&[
        ("package.json", PACKAGE),
        (".github/workflows/manual.yml", &wf),
    ]);
    let (code, report) = integrity_json(&t, &[]);
    assert_eq!(
        severity_of(&report, "integrity/if-present-missing"),
        ["warning"]
    );
    assert_eq!(code, 0, "warnings do not fail by default");
}

#[test]
fn a_required_check_whose_job_checks_nothing_is_an_error() {
    let wf = r#"name: CI
on: [pull_request]
jobs:
  typecheck:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm run typecheck --if-present
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: npx eslint . || true
"#;
    let config = r#"[protect]
repo = "acme/shop"
[protect.branches.main]
required_status_checks = { strict = true, contexts = ["typecheck", "lint"] }
"#;
    let t = Tree::new(&[
        ("package.json", PACKAGE),
        (".github/workflows/ci.yml", wf),
        ("shipgate.toml", config),
    ]);
    let (code, report) = integrity_json(&t, &[]);
    assert_eq!(code, 1);
    let mut noop: Vec<String> = active(&report)
        .into_iter()
        .filter(|f| f.starts_with("integrity/noop-required-check"))
        .collect();
    noop.sort();
    assert_eq!(
        noop,
        vec![
            "integrity/noop-required-check@.github/workflows/ci.yml:4:3",
            "integrity/noop-required-check@.github/workflows/ci.yml:9:3",
        ]
    );
    // A masked check in a required job is an error, not a warning.
    assert_eq!(severity_of(&report, "integrity/masked-failure"), ["error"]);
    let text = t.run(&["integrity"]).stdout;
    assert!(text.contains("requires `lint`"), "{text}");
}

#[test]
fn workflow_commands_name_scripts_of_the_package_they_run_in() {
    let wf = r#"name: CI
on: push
jobs:
  web:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: web
    steps:
      - uses: actions/checkout@v4
      - run: npm run build
      - run: npm run test:e2e
  api:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: cd web && npm run build && cd .. && npm run lint
"#;
    let t = Tree::new(&[
        ("package.json", r#"{ "scripts": { "lint": "eslint ." } }"#),
        (
            "web/package.json",
            r#"{ "scripts": { "build": "vite build" } }"#,
        ),
        (".github/workflows/ci.yml", wf),
    ]);
    let (code, report) = integrity_json(&t, &[]);
    assert_eq!(
        active(&report),
        vec!["integrity/unknown-command@.github/workflows/ci.yml:12:14"]
    );
    assert_eq!(severity_of(&report, "integrity/unknown-command"), ["error"]);
    assert_eq!(code, 1);
}

#[test]
fn inline_allows_and_sarif_cover_integrity_findings() {
    let pr = PR_WORKFLOW.replace(
        r#"skipped or unavailable""#,
        r#"skipped or unavailable" # shipgate:allow integrity/masked-failure -- the CLI is optional on forks"#,
    );
    let t = Tree::new(&[("package.json", PACKAGE), (".github/workflows/pr.yml", &pr)]);
    let (_, report) = integrity_json(&t, &[]);
    let masked: Vec<_> = findings(&report)
        .into_iter()
        .filter(|(r, _, _)| r == "integrity/masked-failure")
        .collect();
    assert_eq!(masked.len(), 1);
    assert!(masked[0].2, "suppressed by the inline allow");
    let sarif = t.run(&["integrity", "--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert!(
        results
            .iter()
            .any(|r| r["ruleId"] == "integrity/if-present-missing"
                && r["locations"][0]["physicalLocation"]["region"]["startLine"] == 11)
    );
}

const POLICY: &str = r#"[[integrity.require_change]]
when = ["supabase/migrations/**", "src/config/**"]
require = ["SPEC_CHANGELOG.md"]
reason = "operational changes are recorded in the spec changelog"
"#;

#[test]
fn change_policy_fails_a_change_that_skips_the_changelog() {
    let t = Tree::git(&[
        ("shipgate.toml", POLICY),
        ("SPEC_CHANGELOG.md", "# Changelog\n"),
        (
            "supabase/migrations/001_init.sql",
            "create table a (id int);\n",
        ),
        ("README.md", "# shop\n"),
    ]);
    t.commit_all("init");
    t.write(
        "supabase/migrations/002_orders.sql",
        "create table orders (id int);\n",
    );
    t.write("README.md", "# shop\n\nOrders.\n");
    t.commit_all("orders");
    let (code, report) = integrity_json(&t, &["--diff", "HEAD~1"]);
    assert_eq!(
        active(&report),
        vec!["integrity/change-policy@supabase/migrations/002_orders.sql"]
    );
    assert_eq!(code, 1);
    let text = t.run(&["integrity", "--diff", "HEAD~1"]).stdout;
    assert!(text.contains("operational changes are recorded"), "{text}");

    // The same change with the changelog updated passes.
    t.write("SPEC_CHANGELOG.md", "# Changelog\n\n- orders table\n");
    t.commit_all("changelog");
    let (code, report) = integrity_json(&t, &["--diff", "HEAD~2"]);
    assert_eq!(active(&report), Vec::<String>::new());
    assert_eq!(code, 0);

    // A change outside the watched paths is not held to the policy.
    t.write("README.md", "# shop\n\nOrders and more.\n");
    t.commit_all("docs");
    let (code, _) = integrity_json(&t, &["--diff", "HEAD~1"]);
    assert_eq!(code, 0);
}

#[test]
fn a_policy_requiring_a_missing_file_is_a_config_error() {
    let t = Tree::git(&[("shipgate.toml", POLICY), ("README.md", "# shop\n")]);
    let r = t.run(&["integrity"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("shipgate.toml:3:"), "{}", r.stderr);
    assert!(r.stderr.contains("SPEC_CHANGELOG.md"), "{}", r.stderr);
}

#[test]
fn diff_mode_reports_only_what_the_change_touches() {
    let t = Tree::git(&rotted());
    t.commit_all("init");
    git(t.path(), &["branch", "base"]);
    let wf = "name: Nightly\non: push\njobs:\n  n:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm run test:nightly --if-present\n";
    t.write(".github/workflows/nightly.yml", wf);
    t.commit_all("nightly");
    let (code, report) = integrity_json(&t, &["--diff", "base"]);
    assert_eq!(
        active(&report),
        vec!["integrity/if-present-missing@.github/workflows/nightly.yml:8:14"]
    );
    assert_eq!(code, 1);
}

#[test]
fn the_default_gate_runs_integrity() {
    let t = Tree::new(&rotted());
    let r = t.run(&["gate", "--format", "json"]);
    let v = r.json();
    let stage = v["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "integrity")
        .expect("integrity stage in the default profile");
    assert_eq!(stage["status"], "failed");
    assert_eq!(r.code, 1);
}

#[test]
fn this_repository_passes_its_own_integrity_stage() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let r = crate::support::shipgate(root, &["integrity", "--format", "json"]);
    let v = r.json();
    let loud: Vec<&serde_json::Value> = v["stages"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppressed"].is_null() && f["severity"] != "note")
        .collect();
    assert!(loud.is_empty(), "{loud:#?}");
    assert_eq!(r.code, 0, "{}", r.stderr);
}

const RUNBOOK: &str = r#"# Release runbook

Traceability: see [the spec](APP_MASTER_SPEC.md#3-environment--connectivity) and
[deploy notes](docs/deploy.md#rollback), and [missing section](docs/deploy.md#nowhere).

Any operational change must update `SPEC_CHANGELOG.md`; backups run from `scripts/backup.sh`.

## Environment

- `DATABASE_URL`: Postgres connection string
- `SESSION_SECRET`: 64+ hex characters
- `LEGACY_TOKEN`: old integration key

## Commands

```bash
npm run build
npm run migrate:prod
make deploy
```

## Health checks

- `GET /health` returns 200
- `GET /health/ready` returns 200 when the database answers
"#;

#[test]
fn runbooks_that_point_at_nothing() {
    let t = Tree::new(&[
        ("RUNBOOK.md", RUNBOOK),
        (
            "docs/deploy.md",
            "# Deploy\n\n## Rollback\n\nRun the previous image.\n",
        ),
        ("scripts/backup.sh", "#!/bin/sh\n"),
        ("package.json", r#"{ "scripts": { "build": "tsc" } }"#),
        ("Makefile", "deploy:\n\t./deploy.sh\n"),
        (".env.example", "DATABASE_URL=\nSESSION_SECRET=\n"),
        (
            "src/server.ts",
            "import express from \"express\";\nconst app = express();\napp.get(\"/health\", (_q, r) => r.send(\"ok\"));\nconst db = process.env.DATABASE_URL;\nconst s = process.env.SESSION_SECRET;\nconst l = process.env.LEGACY_TOKEN;\n",
        ),
    ]);
    let (_, report) = integrity_json(&t, &[]);
    let mut got = active(&report);
    got.sort();
    assert_eq!(
        got,
        vec![
            "integrity/broken-anchor@RUNBOOK.md:4:64",
            "integrity/broken-link@RUNBOOK.md:3:30",
            "integrity/missing-path@RUNBOOK.md:6:37",
            "integrity/runbook-env-undeclared@RUNBOOK.md:12:4",
            "integrity/unknown-command@RUNBOOK.md:18:1",
            "integrity/unserved-endpoint@RUNBOOK.md:25:8",
        ]
    );
    // Existing files, headings, scripts and targets are quiet.
    let text = t.run(&["integrity"]).stdout;
    for quiet in [
        "scripts/backup.sh",
        "#rollback",
        "npm run build",
        "make deploy",
        "GET /health ",
    ] {
        assert!(!text.contains(quiet), "{quiet} reported:\n{text}");
    }
}

#[test]
fn diff_mode_reads_the_changed_docs_and_what_they_link_to() {
    let t = Tree::git(&[
        (
            "docs/deploy.md",
            "# Deploy\n\n## Rollback\n\nSee [old notes](gone.md).\n",
        ),
        ("README.md", "# Shop\n"),
    ]);
    t.commit_all("init");
    git(t.path(), &["branch", "base"]);
    t.write(
        "RUNBOOK.md",
        "# Runbook\n\n[rollback](docs/deploy.md#rollback), [restore](docs/deploy.md#restore)\n",
    );
    t.commit_all("runbook");
    let (_, report) = integrity_json(&t, &["--diff", "base"]);
    // The anchor is checked against the untouched target; the target's own
    // broken link is not this change's business.
    assert_eq!(
        active(&report),
        vec!["integrity/broken-anchor@RUNBOOK.md:3:48"]
    );
    let (_, whole) = integrity_json(&t, &[]);
    assert!(
        active(&whole).contains(&"integrity/broken-link@docs/deploy.md:5:17".to_string()),
        "{:?}",
        active(&whole)
    );
}

#[test]
fn terminus_health_checks_are_served_routes() {
    let server = "import http from \"node:http\";\nimport { createTerminus } from \"@godaddy/terminus\";\nimport express from \"express\";\nconst app = express();\napp.get(\"/api/orders\", (_q, r) => r.json([]));\nconst server = http.createServer(app);\ncreateTerminus(server, { healthChecks: { \"/healthz\": async () => {}, \"/readyz\": async () => {} } });\nserver.listen(3000);\n";
    let wf = "name: Smoke\non: workflow_dispatch\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          curl -fsS \"$API_URL/healthz\"\n          curl -fsS \"$API_URL/readyz\"\n          curl -fsS \"$API_URL/livez\"\n";
    let t = Tree::new(&[
        (
            "package.json",
            r#"{ "name": "api", "main": "src/server.ts" }"#,
        ),
        ("src/server.ts", server),
        (".github/workflows/smoke.yml", wf),
    ]);
    let (_, report) = integrity_json(&t, &[]);
    assert_eq!(
        active(&report),
        vec!["integrity/unserved-endpoint@.github/workflows/smoke.yml:10:21"]
    );
}

#[test]
fn runbook_commands_run_from_the_package_root_and_a_cd_carries_down_the_block() {
    let doc = "# Deploy\n\n```bash\ncd apps/api\nnpm run migrate\nnpm run nope\n```\n\n\
```bash\ncd apps/api && npm run migrate\nnode scripts/seed.mjs\nnode scripts/gone.mjs\n```\n\n\
Then `npm run build` from the root, and `npm run missing`.\n";
    let t = Tree::new(&[
        ("package.json", r#"{ "scripts": { "build": "tsc -b" } }"#),
        (
            "apps/api/package.json",
            r#"{ "scripts": { "migrate": "node scripts/migrate.mjs" } }"#,
        ),
        ("apps/api/scripts/migrate.mjs", "console.log(1)\n"),
        ("apps/api/scripts/seed.mjs", "console.log(1)\n"),
        ("docs/runbooks/deploy.md", doc),
        (
            "apps/api/README.md",
            "# API\n\n```bash\nnpm run migrate\n```\n",
        ),
    ]);
    let (_, report) = integrity_json(&t, &[]);
    let rules: Vec<String> = report["stages"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}@{}:{} {}",
                f["rule"].as_str().unwrap(),
                f["location"]["line"],
                f["location"]["column"],
                f["message"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        rules,
        [
            "integrity/unknown-command@6:1 `npm run nope`: apps/api/package.json has no `nope` script",
            "integrity/missing-script-file@12:1 `node scripts/gone.mjs`: `apps/api/scripts/gone.mjs` does not exist",
            "integrity/unknown-command@15:42 `npm run missing`: package.json has no `missing` script",
        ],
        "{report:#}"
    );
}

#[test]
fn routes_in_integrity_excluded_code_do_not_serve() {
    let wf = "name: Smoke\non: workflow_dispatch\njobs:\n  s:\n    runs-on: ubuntu-latest\n    steps:\n      - run: |\n          curl -fsS \"$API_URL/health\"\n          curl -fsS \"$API_URL/legacy/ping\"\n";
    let t = Tree::new(&[
        ("package.json", r#"{ "name": "api", "main": "src/app.ts" }"#),
        (
            "src/app.ts",
            "import express from 'express';\nconst app = express();\napp.get('/health', (_q, r) => r.json({ ok: true }));\napp.listen(3000);\n",
        ),
        (
            "src/legacy/app.ts",
            "import express from 'express';\nconst app = express();\napp.get('/legacy/ping', (_q, r) => r.send('pong'));\n",
        ),
        (".github/workflows/smoke.yml", wf),
        (
            "shipgate.toml",
            "[integrity]\nexclude = [\"src/legacy/**\"]\n",
        ),
    ]);
    let (_, report) = integrity_json(&t, &[]);
    assert_eq!(
        active(&report),
        vec!["integrity/unserved-endpoint@.github/workflows/smoke.yml:9:21"]
    );
}
