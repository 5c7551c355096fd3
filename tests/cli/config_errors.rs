//! Bad config and bad rule packs: every error located, exit 2, nothing scanned.

use crate::support::Tree;

#[test]
fn bad_config_reports_every_error_with_file_line_col() {
    let t = Tree::new(&[
        ("src/a.ts", "export const A = 1;\n"),
        (
            "shipgate.toml",
            "[gate]\nfail_on = \"fatal\"\n\n[scan]\nexclude = [\"a/[\"]\ndisabled = [\"x/y\"]\n\n[[scan.ignore]]\nrule = \"localhost/hardcoded-url\"\n",
        ),
    ]);
    let r = t.run(&["scan"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stdout.is_empty(), "nothing is scanned: {}", r.stdout);
    for want in [
        "error: shipgate.toml:2:12: unknown severity `fatal`",
        "error: shipgate.toml:5:13: invalid glob `a/[`",
        "error: shipgate.toml:6:1: unknown key `disabled` in [scan]",
        "error: shipgate.toml:8:1: missing required key `reason`",
    ] {
        assert!(
            r.stderr.contains(want),
            "missing `{want}` in:\n{}",
            r.stderr
        );
    }
}

#[test]
fn config_naming_an_unknown_rule_is_an_error() {
    let t = Tree::new(&[(
        "shipgate.toml",
        "[scan]\ndisable = [\"localhost/hardcoded-urls\"]\n",
    )]);
    let r = t.run(&["scan"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("shipgate.toml:2:13: unknown rule `localhost/hardcoded-urls`"),
        "{}",
        r.stderr
    );
}

#[test]
fn config_in_dot_github_is_discovered_from_a_subdirectory() {
    let t = Tree::new(&[
        (
            "src/deep/a.ts",
            "export const A = \"http://localhost:3000\";\n",
        ),
        (
            ".github/shipgate.toml",
            "[scan]\ndisable = [\"localhost/*\"]\n",
        ),
    ]);
    let r = crate::support::shipgate(&t.path().join("src/deep"), &["scan"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let r = crate::support::shipgate(
        &t.path().join("src/deep"),
        &["scan", "--config", "../../nope.toml"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("cannot read config"), "{}", r.stderr);
}

#[test]
fn toml_syntax_error_is_located() {
    let t = Tree::new(&[("shipgate.toml", "[scan]\nexclude = [\"a\",\n")]);
    let r = t.run(&["gate"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("error: shipgate.toml:"), "{}", r.stderr);
    assert!(r.stderr.contains("invalid TOML"), "{}", r.stderr);
}

#[test]
fn bad_rule_pack_is_located_at_line_and_column() {
    let t = Tree::new(&[(
        ".shipgate/rules/team.toml",
        "[[rules]]\nid = \"team/no-todo\"\ntitle = \"t\"\nseverity = \"warning\"\nmessage = \"m\"\nhelp = \"h\"\npattern = 'TODO(\\d+'\npaths = [\"src/[\"]\nkeyword = [\"todo\"]\n",
    )]);
    let r = t.run(&["scan"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    for want in [
        "error: .shipgate/rules/team.toml:7:16: invalid regex: unclosed group",
        "error: .shipgate/rules/team.toml:8:11: invalid glob `src/[`",
        "error: .shipgate/rules/team.toml:9:1: unknown key `keyword` in a rule",
    ] {
        assert!(
            r.stderr.contains(want),
            "missing `{want}` in:\n{}",
            r.stderr
        );
    }
    let r = t.run(&["rules", "test"]);
    assert_eq!(r.code, 2);
}

#[test]
fn duplicate_rule_ids_across_packs_are_rejected() {
    let pack = "[[rules]]\nid = \"localhost/hardcoded-url\"\ntitle = \"t\"\nseverity = \"warning\"\nmessage = \"m\"\nhelp = \"h\"\npattern = 'x'\n";
    let t = Tree::new(&[(".shipgate/rules/dup.toml", pack)]);
    let r = t.run(&["scan"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains(".shipgate/rules/dup.toml:2:1: rule `localhost/hardcoded-url` is already defined in <builtin>/rules/localhost.toml"),
        "{}",
        r.stderr
    );
}
