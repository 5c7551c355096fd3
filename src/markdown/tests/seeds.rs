//! Whole seed runbooks produce exactly the expected findings.

use super::*;

#[test]
fn seeds_produce_only_expected_findings() {
    // 002 references ./scripts/backup.sh in prose; when it exists everything is quiet.
    let repo = Repo::new(&[
        ("docs/OPERATIONS.md", SEED_002),
        ("scripts/backup.sh", ""),
        ("server.js", ""),
    ]);
    assert_eq!(repo.issues(), []);
    let repo = Repo::new(&[("docs/OPERATIONS.md", SEED_002), ("server.js", "")]);
    let issues = repo.issues();
    assert_eq!(
        brief(&issues),
        [(
            RULE_MISSING_PATH,
            Severity::Warning,
            "docs/OPERATIONS.md".into(),
            339,
            25
        )]
    );
    // 000 and 003 mention no files.
    let repo = Repo::new(&[
        ("RUNBOOK.md", SEED_000),
        ("OPS.md", SEED_003),
        ("src/server.ts", ""),
    ]);
    assert_eq!(repo.issues(), []);
    // 001: the staging-smoke workflow is checked; the SQLite file is a local artefact.
    let repo = Repo::new(&[
        ("docs/runbook.md", SEED_001),
        (".github/workflows/ci.yml", ""),
    ]);
    let issues = repo.issues();
    assert_eq!(
        brief(&issues),
        [(
            RULE_MISSING_PATH,
            Severity::Warning,
            "docs/runbook.md".into(),
            15,
            18
        )]
    );
    assert!(
        issues[0]
            .message
            .contains(".github/workflows/staging-smoke.yml")
    );
}
