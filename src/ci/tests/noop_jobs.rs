//! Jobs whose every check command is a no-op.

use super::*;

#[test]
fn masked_checks_inside_package_scripts_and_stub_scripts_make_noop_jobs() {
    let pkg = r#"{"scripts":{"test":"echo \"no tests yet\"","lint":"eslint . || true","check":"npm run lint && npm run test"}}"#;
    let wf = "on: [pull_request]\njobs:\n  quality:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-node@v4\n      - run: npm ci\n      - run: npm run check\n      - run: npm run typecheck --if-present\n  real:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test && npx vitest run\n";
    let r = run(&[(".github/workflows/q.yml", wf), ("package.json", pkg)]);
    let m = of(&r, MASKED_FAILURE);
    assert_eq!(m.len(), 1, "{m:#?}");
    assert_eq!(m[0].path, "package.json");
    assert!(m[0].message.contains("eslint"));
    assert_eq!(r.noop_jobs.len(), 1, "{:#?}", r.noop_jobs);
    let nj = &r.noop_jobs[0];
    assert_eq!(nj.job_id, "quality");
    assert_eq!(nj.commands.len(), 2);
    assert!(nj.why.contains("masked by `|| true`"));
    assert!(nj.why.contains("only echoes"));
    assert!(nj.why.contains("`--if-present` skips it"));
}

#[test]
fn noop_job_if_false_and_unknown_actions() {
    let wf = "on: [pull_request]\njobs:\n  off:\n    if: ${{ false }}\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm test\n  action:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - uses: golangci/golangci-lint-action@v6\n      - run: npm run lint || true\n";
    let r = run(&[
        (".github/workflows/q.yml", wf),
        (
            "package.json",
            r#"{"scripts":{"test":"jest","lint":"eslint ."}}"#,
        ),
    ]);
    let ids: Vec<&str> = r.noop_jobs.iter().map(|j| j.job_id.as_str()).collect();
    assert_eq!(ids, vec!["off"]);
    assert!(r.noop_jobs[0].why.contains("`if:` is false"));
}
