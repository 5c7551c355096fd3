//! Every renderer on one fixed report with tricky content, compared with golden
//! files (`UPDATE_GOLDEN=1 cargo test` rewrites them), plus limits on 10k findings
//! and SARIF validation against the official 2.1.0 schema.

use serde_json::Value;
use shipgate::model::{
    FailOn, Finding, Fingerprint, Location, Report, Severity, Snippet, StageOutcome, Suppression,
    SuppressionKind,
};
use shipgate::render::{Format, TextOptions, render};
use std::path::PathBuf;

fn finding(rule: &str, sev: Severity, path: &str, line: usize, message: &str) -> Finding {
    Finding {
        rule: rule.into(),
        title: format!("Title of {rule}"),
        severity: sev,
        message: message.into(),
        help: "Fix it: see the docs, 100% recommended.\nSecond line.".into(),
        location: Location::span(path, (line, 3), (line, 9)),
        snippet: Some(Snippet {
            text: "  const x = \"http://localhost\";".into(),
            highlight_start: 3,
            highlight_end: 9,
        }),
        fingerprint: Fingerprint::compute(rule, path, message, line),
        suppressed: None,
    }
}

fn fixed_report() -> Report {
    let mut suppressed = finding(
        "secrets/github-token",
        Severity::Error,
        "src/ok.ts",
        4,
        "masked `ghp_****`",
    );
    suppressed.suppressed = Some(Suppression {
        kind: SuppressionKind::Inline,
        reason: "fixture | not real".into(),
    });
    let mut multi = finding(
        "secrets/private-key",
        Severity::Error,
        "keys/id_rsa",
        1,
        "Private key committed",
    );
    multi.location = Location::span("keys/id_rsa", (1, 1), (3, 20));
    let mut whole = finding(
        "scan/unreadable-file",
        Severity::Error,
        "locked.txt",
        1,
        "Could not read",
    );
    whole.location = Location::file("locked.txt");
    whole.snippet = None;
    let mut scan = StageOutcome::new(
        "scan",
        vec![
            finding("localhost/hardcoded-url", Severity::Error, "src/ünï/a,b:c.ts", 12, "100% broken: `http://localhost`, see <b>|pipes|</b>\nline two\r\n[link](javascript:alert(1))"),
            finding("migrations/destructive-statement", Severity::Warning, "db/migrations/1.sql", 2, "DROP TABLE x; -- 'quoted' & \"double\""),
            suppressed,
            multi,
        ],
        None,
        1234,
    )
    .with_rule_checks(vec!["localhost/hardcoded-url".into(), "hygiene/debugger".into()]);
    scan.finalize(FailOn::default());
    let mut env = StageOutcome::new(
        "env",
        vec![whole],
        Some("1 file(s) could not be read: locked.txt".into()),
        56,
    )
    .with_rule_checks(vec!["env/undeclared".into()]);
    env.finalize(FailOn::default());
    let skipped = StageOutcome::skipped("smoke", "no base URL: set --base-url or [smoke].base_url");
    let mut r = Report::new(
        "/work/repo".into(),
        Some("0123456789abcdef0123456789abcdef01234567".into()),
        Some("pr".into()),
        FailOn::default(),
        vec![scan, env, skipped],
        1290,
    );
    r.repository_url = Some("https://github.com/acme/shop".into());
    r
}

fn golden(name: &str, actual: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with UPDATE_GOLDEN=1 to create it)",
            path.display()
        )
    });
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        panic!(
            "{name} differs from the golden file at line {}:\n  golden: {:?}\n  actual: {:?}\n(UPDATE_GOLDEN=1 rewrites it after review)",
            line + 1,
            expected.lines().nth(line),
            actual.lines().nth(line)
        );
    }
}

#[test]
fn every_renderer_matches_its_golden_file() {
    let r = fixed_report();
    let opts = TextOptions::default();
    for (name, format) in [
        ("report.txt", Format::Text),
        ("report.json", Format::Json),
        ("report.sarif", Format::Sarif),
        ("report.junit.xml", Format::Junit),
        ("report.md", Format::Markdown),
        ("report.github.txt", Format::Github),
    ] {
        golden(name, &render(&r, format, &opts));
    }
}

fn sarif_schema() -> Value {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/contracts/sarif/sarif-schema-2.1.0.json");
    serde_json::from_str(
        &std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display())),
    )
    .unwrap()
}

fn assert_valid_sarif(text: &str) -> Value {
    let schema = sarif_schema();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let doc: Value = serde_json::from_str(text).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF is invalid:\n{}",
        errors.join("\n")
    );
    doc
}

#[test]
fn sarif_is_valid_and_carries_what_code_scanning_needs() {
    let text = render(&fixed_report(), Format::Sarif, &TextOptions::default());
    let doc = assert_valid_sarif(&text);
    let run = &doc["runs"][0];
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut dedup = ids.clone();
    dedup.sort();
    dedup.dedup();
    assert_eq!(ids.len(), dedup.len(), "one rules entry per rule");
    let gh = rules
        .iter()
        .find(|r| r["id"] == "secrets/github-token")
        .unwrap();
    assert_eq!(gh["properties"]["security-severity"], "9.0");
    assert!(gh["help"]["text"].as_str().unwrap().starts_with("Fix it"));
    let results = run["results"].as_array().unwrap();
    let first = &results[0];
    assert_eq!(
        first["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"],
        "%SRCROOT%"
    );
    assert!(
        !first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .starts_with('/')
    );
    assert!(first["partialFingerprints"]["shipgate/v1"].is_string());
    assert!(
        results
            .iter()
            .any(|r| r["suppressions"][0]["kind"] == "inSource")
    );
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        "file:///work/repo/"
    );
    assert_eq!(run["invocations"][0]["executionSuccessful"], false);
}

#[test]
fn ten_thousand_findings_stay_within_limits() {
    let findings: Vec<Finding> = (0..10_000)
        .map(|i| {
            let sev = if i % 3 == 0 {
                Severity::Warning
            } else {
                Severity::Error
            };
            finding(
                "localhost/hardcoded-url",
                sev,
                &format!("src/m{}/f{i}.ts", i % 50),
                i + 1,
                &format!(
                    "finding {i} | with a pipe and % and\nnewline {}",
                    "x".repeat(80)
                ),
            )
        })
        .collect();
    let mut stage = StageOutcome::new("scan", findings, None, 1);
    stage.finalize(FailOn::default());
    let mut r = Report::new(
        "/r".into(),
        Some("abc".into()),
        None,
        FailOn::default(),
        vec![stage],
        1,
    );
    r.repository_url = Some("https://github.com/acme/shop".into());
    let opts = TextOptions::default();
    let md = render(&r, Format::Markdown, &opts);
    assert!(md.len() <= 1024 * 1024, "summary is {} bytes", md.len());
    assert!(
        md.contains("more finding(s) not listed"),
        "truncation is said"
    );
    assert!(md.contains("appear only in this summary"));
    let gh = render(&r, Format::Github, &opts);
    assert_eq!(gh.lines().filter(|l| l.starts_with("::error ")).count(), 10);
    assert_eq!(
        gh.lines().filter(|l| l.starts_with("::warning ")).count(),
        10
    );
    assert!(
        gh.contains("6656 error(s), 3324 warning(s)"),
        "{}",
        gh.lines().last().unwrap()
    );
    let sarif = render(&r, Format::Sarif, &opts);
    let doc = assert_valid_sarif(&sarif);
    assert_eq!(doc["runs"][0]["results"].as_array().unwrap().len(), 10_000);
    let junit = render(&r, Format::Junit, &opts);
    assert!(junit.starts_with("<?xml"));
}

#[test]
fn github_commands_escape_properties_and_data() {
    let gh = render(&fixed_report(), Format::Github, &TextOptions::default());
    let first = gh
        .lines()
        .find(|l| l.contains("localhost/hardcoded-url"))
        .unwrap();
    assert!(first.starts_with("::error file=src/ünï/a%2Cb%3Ac.ts,line=12,endLine=12,col=3,endColumn=9,title=Title of localhost/hardcoded-url (localhost/hardcoded-url)::100%25 broken"), "{first}");
    assert!(first.contains("%0Aline two%0D%0A"), "{first}");
    assert!(
        !gh.contains("ghp_****"),
        "suppressed findings are not annotated"
    );
    let multi = gh.lines().find(|l| l.contains("file=keys/id_rsa")).unwrap();
    assert!(
        !multi.contains("col="),
        "no columns on a multi-line annotation: {multi}"
    );
}

#[test]
fn sarif_security_comes_from_the_rule_catalog() {
    let mut r = fixed_report();
    let mut f = finding(
        "smoke/auth-open",
        Severity::Error,
        "shipgate.toml",
        3,
        "open route",
    );
    f.location = Location::Url {
        url: "https://api.example.test/admin".into(),
    };
    r.stages[0].findings.push(f);
    r.rules.insert(
        "smoke/auth-open".into(),
        shipgate::model::RuleInfo {
            title: "Protected route open without credentials".into(),
            help: "Require authentication.".into(),
            severity: Severity::Error,
            security: true,
        },
    );
    let text = render(&r, Format::Sarif, &TextOptions::default());
    let doc = assert_valid_sarif(&text);
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let open = rules.iter().find(|x| x["id"] == "smoke/auth-open").unwrap();
    assert_eq!(open["properties"]["security-severity"], "9.0");
    assert_eq!(open["name"], "Protected route open without credentials");
}
