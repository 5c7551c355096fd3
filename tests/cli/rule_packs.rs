//! User rule packs, `rules list|explain|test`.

use crate::support::{Tree, active};

const TEAM_PACK: &str = r#"
[pack]
name = "team"

[[rules]]
id = "team/no-console-error"
title = "console.error in production source"
severity = "warning"
scope = "production"
message = "found `{match}`"
help = "Use the logger."
pattern = 'console\.error\('
keywords = ["console.error"]
[rules.examples]
match = ["console.error('x')"]
no_match = ["console.log('x')", { path = "src/a.test.ts", text = "console.error('x')" }]
"#;

#[test]
fn user_packs_in_dot_shipgate_rules_are_loaded_and_run() {
    let t = Tree::new(&[
        (".shipgate/rules/team.toml", TEAM_PACK),
        ("src/a.ts", "\n  console.error('boom');\n"),
        ("src/a.test.ts", "console.error('fine in tests');\n"),
    ]);
    let (code, report) = t.scan_json(&["--fail-on", "warning"]);
    assert_eq!(code, 1);
    assert_eq!(active(&report), vec!["team/no-console-error@src/a.ts:2:3"]);
    let r = t.run(&["rules", "list"]);
    assert!(r.stdout.contains("team/no-console-error"), "{}", r.stdout);
    let r = t.run(&["rules", "list", "--format", "json"]);
    let list = r.json();
    assert!(list.as_array().unwrap().len() > 10);
    let r = t.run(&["rules", "test"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("0 failed"), "{}", r.stdout);
}

#[test]
fn rules_test_reports_failing_examples_with_their_location() {
    let bad = TEAM_PACK.replace(
        "no_match = [\"console.log('x')\"",
        "no_match = [\"console.error('oops')\"",
    );
    let t = Tree::new(&[("packs/team.toml", bad.as_str())]);
    let r = t.run(&["rules", "test", "packs/team.toml"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains("FAIL packs/team.toml:6 team/no-console-error examples.no_match[0]: expected no match, found one"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("1 failed"));
}

#[test]
fn builtin_rule_examples_all_pass() {
    let t = Tree::new(&[]);
    let r = t.run(&["rules", "test"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains(", 0 failed"), "{}", r.stdout);
}

#[test]
fn rule_dirs_from_config_and_explain() {
    let t = Tree::new(&[
        ("ci/rules/team.toml", TEAM_PACK),
        (
            "shipgate.toml",
            "[scan]\nrule_dirs = [\"ci/rules\", \"missing/rules\"]\n",
        ),
    ]);
    let r = t.run(&["rules", "list"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("shipgate.toml:2:27: rule directory `missing/rules` does not exist"),
        "{}",
        r.stderr
    );
    t.write("shipgate.toml", "[scan]\nrule_dirs = [\"ci/rules\"]\n");
    let r = t.run(&["rules", "explain", "team/no-console-error"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("## `team/no-console-error`: console.error in production source")
    );
    assert!(r.stdout.contains("Use the logger."));
    let r = t.run(&["rules", "explain", "team/nope"]);
    assert_eq!(r.code, 2);
}
