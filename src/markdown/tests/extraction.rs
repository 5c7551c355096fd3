//! Extraction: shell snippets, runbook env vars, runbook endpoints.

use super::*;

#[test]
fn snippets_from_console_bash_and_inline_spans() {
    let md = "# Setup\n\n\
              ```console\n$ npm ci\nadded 120 packages\n$ npm run build \\\n>   --watch\n% make test\n```\n\n\
              ```bash\n# comment\nexport NODE_ENV=production\ncurl -X POST http://localhost:3000/api/x \\\n  -d '{}'  # send\n\n```\n\n\
              ```\n.\n├── src\nnpm start\n{\"a\": 1}\n```\n\n\
              ```js\nnpm run nope\n```\n\n\
              Then run `npm run dev -- --host` or `$ pnpm i`, not `git push`; `DATABASE_URL=x npm run migrate`.\n";
    let repo = Repo::new(&[("README.md", md)]);
    let s = code_snippets(&repo.files, &repo.read());
    let got: Vec<(usize, usize, &str, bool, Option<&str>)> = s
        .iter()
        .map(|s| {
            (
                s.line,
                s.column,
                s.text.as_str(),
                s.fenced,
                s.lang.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (4, 3, "npm ci", true, Some("console")),
            (6, 3, "npm run build --watch", true, Some("console")),
            (8, 3, "make test", true, Some("console")),
            (13, 1, "export NODE_ENV=production", true, Some("bash")),
            (
                14,
                1,
                "curl -X POST http://localhost:3000/api/x -d '{}'",
                true,
                Some("bash")
            ),
            (22, 1, "npm start", true, None),
            (30, 11, "npm run dev -- --host", false, None),
            (30, 40, "pnpm i", false, None),
            (30, 66, "DATABASE_URL=x npm run migrate", false, None),
        ]
    );
}

#[test]
fn env_vars_under_mandatory_env_in_seed_000() {
    let repo = Repo::new(&[("RUNBOOK.md", SEED_000)]);
    let env = runbook_env_vars(&repo.files, &repo.read());
    let got: Vec<(usize, usize, &str)> = env
        .iter()
        .map(|e| (e.line, e.column, e.name.as_str()))
        .collect();
    assert_eq!(got, [(38, 3, "DATABASE_URL"), (39, 3, "PORT")]);
}

#[test]
fn env_vars_from_tables_lists_and_code_in_seed_002_and_004() {
    let repo = Repo::new(&[("docs/ops.md", SEED_002)]);
    let names: Vec<String> = runbook_env_vars(&repo.files, &repo.read())
        .into_iter()
        .map(|e| e.name)
        .collect();
    assert_eq!(
        names,
        [
            "SESSION_SECRET",
            "CORS_ORIGINS",
            "SESSION_SECRET",
            "DB_HOST",
            "DB_PORT",
            "DB_USER",
            "DB_PASSWORD",
            "DB_NAME",
            "NODE_ENV",
            "PORT",
            "CORS_ORIGINS",
        ]
    );
    let repo = Repo::new(&[("RUNBOOK.md", SEED_004)]);
    let env = runbook_env_vars(&repo.files, &repo.read());
    assert_eq!(env.len(), 22);
    let e = env
        .iter()
        .find(|e| e.name == "ALLOW_WEBHOOK_TEST_BYPASS")
        .unwrap();
    assert_eq!((e.line, e.column), (41, 50));
    assert!(env.iter().all(|e| e.name != "API" && e.name != "WS"));
}

#[test]
fn env_vars_sections_end_at_same_level_and_respect_stop_words() {
    let md = "# App\n\nDATABASE_URL in prose outside a section is ignored.\n\n\
              ## Configuration\n\n\
              - NOTE: values below are examples\n\
              - REDIS_URL — cache\n\
              - LOCAL: sqlite\n\
              - HTTP port is `PORT`; debug via `DEBUG=app:*`\n\n\
              ### Example .env\n\n```env\n# COMMENTED_OUT=1\nJWT_SECRET=change-me\nexport API_KEY=abc\n```\n\n\
              ```yaml\nenvironment:\n  SMTP_HOST: mail\n  - QUEUE_NAME=jobs\n```\n\n\
              | Name | Purpose |\n|---|---|\n| `SENTRY_DSN` | errors |\n| MAILER | outbound |\n\n\
              ## Deploy\n\n- WORKER_COUNT is not under an env heading\n";
    let repo = Repo::new(&[("README.md", md)]);
    let env = runbook_env_vars(&repo.files, &repo.read());
    let got: Vec<(usize, usize, &str)> = env
        .iter()
        .map(|e| (e.line, e.column, e.name.as_str()))
        .collect();
    assert_eq!(
        got,
        [
            (8, 3, "REDIS_URL"),
            (10, 17, "PORT"),
            (10, 35, "DEBUG"),
            (16, 1, "JWT_SECRET"),
            (17, 8, "API_KEY"),
            (22, 3, "SMTP_HOST"),
            (23, 5, "QUEUE_NAME"),
            (28, 4, "SENTRY_DSN"),
            (29, 3, "MAILER"),
        ]
    );
}

#[test]
fn endpoints_under_healthcheck_and_smoke_headings() {
    let repo = Repo::new(&[("RUNBOOK.md", SEED_000)]);
    let ep = runbook_endpoints(&repo.files, &repo.read());
    let got: Vec<(usize, usize, Option<&str>, &str)> = ep
        .iter()
        .map(|e| {
            (
                e.line,
                e.column,
                e.method.as_deref(),
                e.url_or_path.as_str(),
            )
        })
        .collect();
    assert_eq!(got, [(156, 4, None, "/health")]);

    let repo = Repo::new(&[("docs/OPERATIONS.md", SEED_003), ("docs/prod.md", SEED_001)]);
    let ep = runbook_endpoints(&repo.files, &repo.read());
    let got: Vec<(&str, usize, usize, Option<&str>, &str)> = ep
        .iter()
        .map(|e| {
            (
                e.path.as_str(),
                e.line,
                e.column,
                e.method.as_deref(),
                e.url_or_path.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("docs/OPERATIONS.md", 37, 12, Some("GET"), "/api/health"),
            ("docs/OPERATIONS.md", 51, 36, None, "/events"),
            ("docs/prod.md", 51, 13, None, "/health/live"),
            ("docs/prod.md", 51, 32, None, "/health/ready"),
        ]
    );
}

#[test]
fn endpoints_from_curl_tables_and_method_lines() {
    let md = "# Service\n\nSee [API docs](/api/docs) and `POST /api/orders/reset` (not health).\n\n\
              ## Post-deploy checks\n\n\
              1. `curl -fsS -H 'Accept: application/json' https://api.example.com/api/health`\n\
              2. `curl -X POST \"$BASE_URL/api/smoke\"`\n\
              3. GET /health/ready → 200\n\
              4. Open [dashboard](https://status.example.com) and visit /metrics\n\n\
              | Check | Path |\n|---|---|\n| Liveness | `/livez` |\n| Orders | /api/orders |\n\n\
              ```sh\ncurl -I http://localhost:8080/ping\n```\n\n\
              ## Other\n\n```bash\ncurl http://localhost:3000/api/users\ncurl http://localhost:3000/healthz\n```\n";
    let repo = Repo::new(&[("README.md", md)]);
    let ep = runbook_endpoints(&repo.files, &repo.read());
    let got: Vec<(usize, usize, Option<&str>, &str)> = ep
        .iter()
        .map(|e| {
            (
                e.line,
                e.column,
                e.method.as_deref(),
                e.url_or_path.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (7, 45, None, "https://api.example.com/api/health"),
            (8, 19, Some("POST"), "$BASE_URL/api/smoke"),
            (9, 8, Some("GET"), "/health/ready"),
            (10, 59, None, "/metrics"),
            (14, 15, None, "/livez"),
            (15, 12, None, "/api/orders"),
            (18, 9, Some("HEAD"), "http://localhost:8080/ping"),
            (25, 6, None, "http://localhost:3000/healthz"),
        ]
    );
}
