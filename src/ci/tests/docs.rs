//! Commands in documentation snippets.

use super::*;

#[test]
fn docs_command_refs() {
    let files: Vec<String> = [
        "package.json",
        "client/package.json",
        "scripts/cleanup-users.mjs",
        "scripts/other.sh",
        "Makefile",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    let read = |p: &str| -> Option<Vec<u8>> {
        Some(match p {
            "package.json" => {
                br#"{"scripts":{"server":"nodemon server.js","build":"vite build"}}"#.to_vec()
            }
            "client/package.json" => br#"{"scripts":{"build":"react-scripts build"}}"#.to_vec(),
            "Makefile" => b"up:\n\tdocker compose up\n".to_vec(),
            _ => return None,
        })
    };
    let repo = Repo {
        files: &files,
        read: &read,
    };
    let snippet = "# 2. Start application\n$ npm run server\n\n./scripts/backup.sh\nnode scripts/cleanup-users.mjs --dry-run\nmake up && make down\nnpm run ops:db:validate-integrity\n# 3. Start frontend (separate terminal)\ncd client && npm start  # port 3001\nnpm run build";
    let issues = check_command_refs("docs/RUNBOOK.md", 40, 1, snippet, "", &repo);
    let msgs: Vec<String> = issues
        .iter()
        .map(|i| format!("{}:{} {}", i.line, i.column, i.message))
        .collect();
    assert_eq!(issues.len(), 4, "{msgs:#?}");
    assert!(
        issues
            .iter()
            .all(|i| i.severity == Severity::Warning && i.job.is_none())
    );
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("43:1 `./scripts/backup.sh`:"))
    );
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("45:12 ") && m.contains("Makefile has no `down` target"))
    );
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("46:1 ") && m.contains("ops:db:validate-integrity"))
    );
    assert!(msgs.iter().any(
        |m| m.starts_with("48:14 ") && m.contains("client/package.json has no `start` script")
    ));
    // Inline code span at a column.
    let inline = check_command_refs("README.md", 3, 17, "npm run worker", "", &repo);
    assert_eq!((inline[0].line, inline[0].column), (3, 17));
}
