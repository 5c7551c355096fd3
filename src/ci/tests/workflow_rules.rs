//! The workflow rules on whole repositories: `--if-present` on missing scripts, masked checks,
//! `continue-on-error`, package choice by working directory, make/just targets, notes for
//! undecidable cases.

use super::*;

#[test]
fn if_present_on_missing_scripts_is_an_error_on_pr_workflows() {
    let r = run(&[
        (".github/workflows/pr.yml", PR_WORKFLOW),
        ("package.json", VITE_PACKAGE),
        ("src/main.tsx", ""),
    ]);
    let ip = of(&r, IF_PRESENT_MISSING);
    assert_eq!(ip.len(), 2, "{ip:#?}");
    assert!(ip.iter().all(|i| i.severity == Severity::Error));
    let tc = ip
        .iter()
        .find(|i| i.message.contains("`typecheck`"))
        .unwrap();
    assert_eq!((tc.line, tc.column), (19, 14));
    assert!(tc.message.contains("package.json"));
    assert!(tc.message.contains("Typecheck"));
    assert_eq!(tc.job.as_deref(), Some("verify"));
    assert_eq!(tc.checks, vec!["Verify".to_string()]);
    assert!(
        ip.iter()
            .any(|i| i.message.contains("`test:e2e`") && i.line == 23)
    );
    // `lint` exists: no finding for it.
    assert!(!ip.iter().any(|i| i.message.contains("`lint`")));
}

#[test]
fn if_present_on_present_scripts_is_fine_and_non_gating_is_warning() {
    let pkg = r#"{"scripts": {"typecheck": "tsc --noEmit", "lint": "eslint ."}}"#;
    let wf = "on: [pull_request]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm run typecheck --if-present && npm run lint --if-present\n";
    let r = run(&[(".github/workflows/a.yml", wf), ("package.json", pkg)]);
    assert!(of(&r, IF_PRESENT_MISSING).is_empty(), "{:#?}", r.issues);
    let nightly = "on:\n  schedule:\n    - cron: '0 3 * * *'\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm run test --if-present\n";
    let r = run(&[(".github/workflows/n.yml", nightly), ("package.json", pkg)]);
    let ip = of(&r, IF_PRESENT_MISSING);
    assert_eq!(ip.len(), 1);
    assert_eq!(ip[0].severity, Severity::Warning);
}

#[test]
fn reusable_workflow_inherits_caller_triggers() {
    let callee = "on:\n  workflow_call:\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm run test --if-present\n";
    let caller = "on: [pull_request]\njobs:\n  call:\n    uses: ./.github/workflows/reusable.yml\n";
    let r = run(&[
        (".github/workflows/reusable.yml", callee),
        (".github/workflows/pr.yml", caller),
        ("package.json", r#"{"scripts":{}}"#),
    ]);
    let ip = of(&r, IF_PRESENT_MISSING);
    assert_eq!(ip.len(), 1);
    assert_eq!(ip[0].severity, Severity::Error);
}

#[test]
fn or_echo_on_supabase_lint_is_a_masked_failure() {
    let r = run(&[
        (".github/workflows/pr.yml", PR_WORKFLOW),
        ("package.json", VITE_PACKAGE),
    ]);
    let m = of(&r, MASKED_FAILURE);
    assert_eq!(m.len(), 1, "{m:#?}");
    assert_eq!(m[0].severity, Severity::Warning);
    assert_eq!((m[0].line, m[0].column), (27, 14));
    assert!(m[0].message.contains("supabase db lint"));
    assert!(m[0].message.contains("`|| echo …`"));
    assert_eq!(m[0].job.as_deref(), Some("verify"));
}

#[test]
fn exit_one_fallback_is_not_masked() {
    let wf = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npx eslint . || (echo 'lint failed' && exit 1)\n      - run: |\n          npm test || { echo failed; exit 1; }\n";
    let r = run(&[
        (".github/workflows/a.yml", wf),
        ("package.json", r#"{"scripts":{"test":"vitest run"}}"#),
    ]);
    assert!(of(&r, MASKED_FAILURE).is_empty(), "{:#?}", r.issues);
}

#[test]
fn continue_on_error_on_a_test_step() {
    let wf = "on: [pull_request]
jobs:
  test:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - name: Tests
        continue-on-error: true
        run: npm test
";
    let r = run(&[
        (".github/workflows/t.yml", wf),
        ("package.json", r#"{"scripts":{"test":"jest"}}"#),
    ]);
    let m = of(&r, MASKED_FAILURE);
    assert_eq!(m.len(), 1, "{m:#?}");
    assert_eq!(m[0].severity, Severity::Warning);
    assert!(m[0].message.contains("continue-on-error: true"));
    assert_eq!(m[0].line, 10);
    // The job's only check is masked: it is a no-op job.
    assert_eq!(r.noop_jobs.len(), 1);
    assert_eq!(r.noop_jobs[0].job_id, "test");
    assert_eq!(r.noop_jobs[0].check_names, vec!["test".to_string()]);
    assert!(r.noop_jobs[0].why.contains("continue-on-error"));
}

#[test]
fn continue_on_error_expression_is_a_note() {
    let wf = "on: [push]\njobs:\n  t:\n    runs-on: ubuntu-latest\n    continue-on-error: ${{ matrix.experimental }}\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n";
    let r = run(&[
        (".github/workflows/t.yml", wf),
        ("package.json", r#"{"scripts":{"test":"jest"}}"#),
    ]);
    let m = of(&r, MASKED_FAILURE);
    assert_eq!(m.len(), 1);
    assert_eq!(m[0].severity, Severity::Note);
}

#[test]
fn working_directory_chooses_the_frontend_package() {
    let wf = "on: [pull_request]
defaults:
  run:
    working-directory: backend
jobs:
  web:
    runs-on: ubuntu-latest
    defaults:
      run:
        working-directory: ./frontend
    steps:
      - uses: actions/checkout@v4
      - run: npm run typecheck --if-present
      - run: npm run test:e2e --if-present
      - run: npm run migrate
        working-directory: backend
";
    let r = run(&[
        (".github/workflows/web.yml", wf),
        (
            "package.json",
            r#"{"scripts":{"test:e2e":"playwright test"}}"#,
        ),
        (
            "frontend/package.json",
            r#"{"scripts":{"typecheck":"tsc --noEmit"}}"#,
        ),
        (
            "backend/package.json",
            r#"{"scripts":{"migrate":"prisma migrate deploy"}}"#,
        ),
    ]);
    let ip = of(&r, IF_PRESENT_MISSING);
    assert_eq!(ip.len(), 1, "{ip:#?}");
    assert!(ip[0].message.contains("frontend/package.json"));
    assert!(ip[0].message.contains("`test:e2e`"));
    assert!(of(&r, UNKNOWN_COMMAND).is_empty(), "{:#?}", r.issues);
}

#[test]
fn cd_prefix_chooses_the_backend_package() {
    let wf = "on: [push]\njobs:\n  db:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: cd backend && npm run migrate\n      - run: cd backend && npm run seed\n";
    let r = run(&[
        (".github/workflows/db.yml", wf),
        ("package.json", r#"{"scripts":{"seed":"node seed.js"}}"#),
        ("seed.js", ""),
        (
            "backend/package.json",
            r#"{"scripts":{"migrate":"knex migrate:latest"}}"#,
        ),
    ]);
    let u = of(&r, UNKNOWN_COMMAND);
    assert_eq!(u.len(), 1, "{u:#?}");
    assert_eq!(u[0].severity, Severity::Error);
    assert!(
        u[0].message
            .contains("backend/package.json has no `seed` script")
    );
    assert_eq!((u[0].line, u[0].column), (8, 28));
}

#[test]
fn prefix_flag_and_checkout_path() {
    let wf = "on: [push]
jobs:
  a:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
        with:
          path: app
      - run: npm --prefix web run build
        working-directory: app
      - run: npm run lint
        working-directory: app/web
";
    let r = run(&[
        (".github/workflows/a.yml", wf),
        ("web/package.json", r#"{"scripts":{"build":"vite build"}}"#),
    ]);
    let u = of(&r, UNKNOWN_COMMAND);
    assert_eq!(u.len(), 1, "{u:#?}");
    assert!(
        u[0].message
            .contains("web/package.json has no `lint` script")
    );
}

#[test]
fn make_and_just_in_workflows() {
    let wf = "on: [pull_request]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make lint && make -C infra plan\n      - run: just test && just deploy\n";
    let r = run(&[
        (".github/workflows/a.yml", wf),
        ("Makefile", "lint:\n\teslint .\n"),
        ("infra/Makefile", "apply:\n\tterraform apply\n"),
        ("justfile", "test:\n  cargo test\n"),
    ]);
    let u = of(&r, UNKNOWN_COMMAND);
    let msgs: Vec<&str> = u.iter().map(|i| i.message.as_str()).collect();
    assert_eq!(u.len(), 2, "{msgs:#?}");
    assert!(
        msgs.iter()
            .any(|m| m.contains("infra/Makefile has no `plan` target"))
    );
    assert!(
        msgs.iter()
            .any(|m| m.contains("justfile has no `deploy` target"))
    );
    assert!(u.iter().all(|i| i.severity == Severity::Error));
}

#[test]
fn undecidable_cases_are_notes() {
    let wf = "on: [push]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: cd $APP_DIR && npm run typecheck --if-present\n      - run: npm run lint --workspaces --if-present\n      - run: pnpm -r --if-present run test\n      - run: npm run build\n        working-directory: ${{ matrix.dir }}\n";
    let r = run(&[
        (".github/workflows/a.yml", wf),
        (
            "package.json",
            r#"{"workspaces":["packages/*"],"scripts":{}}"#,
        ),
        (
            "packages/a/package.json",
            r#"{"name":"a","scripts":{"lint":"eslint .","typecheck":"tsc"}}"#,
        ),
    ]);
    let ip = of(&r, IF_PRESENT_MISSING);
    let sev: Vec<(usize, Severity)> = ip.iter().map(|i| (i.line, i.severity)).collect();
    // typecheck/lint exist somewhere: undecided notes; `test` exists nowhere: definite.
    assert_eq!(
        sev,
        vec![
            (7, Severity::Note),
            (8, Severity::Note),
            (9, Severity::Error)
        ],
        "{ip:#?}"
    );
    let u = of(&r, UNKNOWN_COMMAND);
    assert!(u.iter().all(|i| i.severity == Severity::Note), "{u:#?}");
}

#[test]
fn no_checkout_downgrades_to_notes() {
    let wf = "on: [pull_request]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm run typecheck --if-present\n";
    let r = run(&[
        (".github/workflows/a.yml", wf),
        ("package.json", r#"{"scripts":{}}"#),
    ]);
    let ip = of(&r, IF_PRESENT_MISSING);
    assert_eq!(ip.len(), 1);
    assert_eq!(ip[0].severity, Severity::Note);
    assert!(ip[0].message.contains("no actions/checkout"));
}

#[test]
fn yarn_fallback_binaries_and_npm_start() {
    let wf = "on: [push]\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: yarn tsc --noEmit && yarn jest && yarn wibble && npm start\n";
    let r = run(&[
        (".github/workflows/a.yml", wf),
        (
            "package.json",
            r#"{"scripts":{},"devDependencies":{"jest":"29","typescript":"5"}}"#,
        ),
        ("server.js", ""),
    ]);
    let u = of(&r, UNKNOWN_COMMAND);
    assert_eq!(u.len(), 1, "{u:#?}");
    assert_eq!(u[0].severity, Severity::Warning);
    assert!(u[0].message.contains("`wibble`"));
}
