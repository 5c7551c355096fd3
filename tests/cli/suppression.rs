//! Inline allows, config ignores (reason, expiry, unused) and baselines.

use crate::support::{Tree, active, findings};

const URL_LINE: &str = "export const API = \"http://localhost:3000\";\n";

#[test]
fn inline_allow_with_reason_suppresses_and_without_reason_warns() {
    let t = Tree::new(&[
        (
            "src/a.ts",
            "// shipgate:allow localhost/hardcoded-url -- local proxy only, never built for prod\nexport const A = \"http://localhost:3000\";\nexport const B = \"http://localhost:3001\"; // shipgate:allow localhost/* -- same line\n",
        ),
        (
            "src/b.ts",
            "// shipgate:allow localhost/hardcoded-url\nexport const C = \"http://localhost:3002\";\n",
        ),
        (
            "src/c.ts",
            "// shipgate:allow secrets/github-token -- wrong rule\nexport const D = \"http://localhost:3003\";\n",
        ),
    ]);
    let (code, report) = t.scan_json(&[]);
    assert_eq!(code, 1);
    let all = findings(&report);
    let suppressed: Vec<&String> = all.iter().filter(|f| f.2).map(|f| &f.1).collect();
    assert_eq!(suppressed, vec!["src/a.ts:2:19", "src/a.ts:3:19"]);
    let mut got = active(&report);
    got.sort();
    assert_eq!(
        got,
        vec![
            "localhost/hardcoded-url@src/b.ts:2:19",
            "localhost/hardcoded-url@src/c.ts:2:19",
            "shipgate/allow-without-reason@src/b.ts:1:4",
        ]
    );
    let f = &report["stages"][0]["findings"][0];
    assert_eq!(f["suppressed"]["kind"], "inline");
    assert_eq!(
        f["suppressed"]["reason"],
        "local proxy only, never built for prod"
    );
}

#[test]
fn config_ignores_need_reasons_expire_and_report_unused() {
    let t = Tree::new(&[
        ("src/a.ts", URL_LINE),
        ("src/legacy/b.ts", URL_LINE),
        (
            "shipgate.toml",
            r#"
[[scan.ignore]]
rule = "localhost/hardcoded-url"
path = "src/legacy/**"
reason = "legacy client, removed in Q3"

[[scan.ignore]]
rule = "localhost/hardcoded-url"
path = "src/a.ts"
reason = "temporary"
expires = "2020-01-01"

[[scan.ignore]]
rule = "secrets/*"
path = "fixtures/**"
reason = "test keys"
"#,
        ),
    ]);
    let (code, report) = t.scan_json(&[]);
    assert_eq!(code, 1);
    let mut got = active(&report);
    got.sort();
    assert_eq!(
        got,
        vec![
            "localhost/hardcoded-url@src/a.ts:1:21",
            "shipgate/expired-ignore@shipgate.toml:7:1",
            "shipgate/unused-ignore@shipgate.toml:13:1",
        ]
    );
    let sup: Vec<_> = findings(&report).into_iter().filter(|f| f.2).collect();
    assert_eq!(sup.len(), 1);
    assert_eq!(sup[0].1, "src/legacy/b.ts:1:21");
}

#[test]
fn ignore_by_fingerprint_survives_edits_above_the_finding() {
    let t = Tree::new(&[("src/a.ts", URL_LINE)]);
    let (_, report) = t.scan_json(&[]);
    let fp = report["stages"][0]["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    t.write(
        "shipgate.toml",
        &format!("[[scan.ignore]]\nfingerprint = \"{fp}\"\nreason = \"accepted\"\n"),
    );
    t.write("src/a.ts", &format!("// a new comment\n\n{URL_LINE}"));
    let (code, report) = t.scan_json(&[]);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(report["stages"][0]["counts"]["suppressed"], 1);
}

#[test]
fn baseline_suppresses_known_findings_only() {
    let t = Tree::new(&[("src/a.ts", URL_LINE)]);
    let base = t.path().join("baseline.json");
    let r = t.run(&["scan", "--output", &format!("json={}", base.display())]);
    assert_eq!(r.code, 1);
    let (code, report) = t.scan_json(&["--baseline", "baseline.json"]);
    assert_eq!(code, 0);
    assert_eq!(
        report["stages"][0]["findings"][0]["suppressed"]["kind"],
        "baseline"
    );
    t.write("src/b.ts", URL_LINE);
    let (code, report) = t.scan_json(&["--baseline", "baseline.json"]);
    assert_eq!(code, 1);
    assert_eq!(
        active(&report),
        vec!["localhost/hardcoded-url@src/b.ts:1:21"]
    );
    t.write("bad.json", "{ not json");
    let r = t.run(&["scan", "--baseline", "bad.json"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("bad.json:1:3"), "{}", r.stderr);
}
