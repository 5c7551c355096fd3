//! Docs generated from the rule packs stay in sync.

use crate::support::Tree;

#[test]
fn docs_rules_md_matches_rules_explain_all() {
    let t = Tree::new(&[]);
    let r = t.run(&["rules", "explain", "--all"]);
    assert_eq!(r.code, 0);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == r.stdout,
        "docs/rules.md is stale: run `cargo run -q -- rules explain --all > docs/rules.md`"
    );
}

#[test]
fn readme_documents_the_two_commands_and_exit_codes() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let first_screen: String = readme.lines().take(40).collect::<Vec<_>>().join("\n");
    assert!(
        first_screen.contains("shipgate gate"),
        "README's first screen must show `shipgate gate`"
    );
    assert!(
        first_screen.contains("cargo test"),
        "README's first screen must show the test command"
    );
    for code in ["`0`", "`1`", "`2`", "`3`"] {
        assert!(
            readme.contains(code),
            "README must document exit code {code}"
        );
    }
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(
        ci.contains("cargo test --locked"),
        ".ci/run must run the README's test command"
    );
}
