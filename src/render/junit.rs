//! JUnit XML: one testsuite per stage, one testcase per check (a rule for scan
//! and env, a named check for smoke and protect). Skipped stages are `<skipped>`,
//! stages that could not complete carry an `<error>`.

use crate::model::{Finding, Report, StageOutcome, StageStatus};
use std::fmt::Write;

/// Escapes text for XML content and attributes, dropping characters XML 1.0 forbids.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
    out
}

fn secs(ms: u64) -> String {
    format!("{:.3}", ms as f64 / 1000.0)
}

fn finding_line(f: &Finding) -> String {
    format!("{}: {} [{}] {}", f.location, f.severity, f.rule, f.message)
}

struct Suite {
    xml: String,
    tests: usize,
    failures: usize,
    errors: usize,
    skipped: usize,
}

fn suite(stage: &StageOutcome) -> Suite {
    let mut body = String::new();
    let (mut tests, mut failures, mut errors, mut skipped) = (0, 0, 0, 0);
    let name = xml_escape(&stage.name);
    match &stage.status {
        StageStatus::Skipped { reason } => {
            tests += 1;
            skipped += 1;
            let _ = writeln!(
                body,
                "    <testcase classname=\"{name}\" name=\"{name}\" time=\"0\">\n      <skipped message=\"{}\"/>\n    </testcase>",
                xml_escape(reason)
            );
        }
        StageStatus::Errored { reason } => {
            tests += 1;
            errors += 1;
            let _ = writeln!(
                body,
                "    <testcase classname=\"{name}\" name=\"{name} completed\" time=\"{}\">\n      <error message=\"{}\" type=\"incomplete\"/>\n    </testcase>",
                secs(stage.duration_ms),
                xml_escape(reason)
            );
        }
        _ => {}
    }
    for check in &stage.checks {
        tests += 1;
        let _ = write!(
            body,
            "    <testcase classname=\"{name}\" name=\"{}\" time=\"{}\"",
            xml_escape(&check.name),
            secs(check.duration_ms)
        );
        let mine: Vec<&Finding> = stage
            .findings
            .iter()
            .filter(|f| f.rule == check.name && f.suppressed.is_none())
            .collect();
        let detail: String = mine.iter().map(|f| finding_line(f) + "\n").collect();
        match check.status.label() {
            "failed" => {
                failures += 1;
                let msg = check.message.clone().unwrap_or_else(|| "failed".into());
                let first = mine.first().map(|f| &f.severity);
                let _ = writeln!(
                    body,
                    ">\n      <failure message=\"{}\" type=\"{}\">{}</failure>\n    </testcase>",
                    xml_escape(&msg),
                    first.map_or("failure".to_string(), |s| s.to_string()),
                    xml_escape(&detail)
                );
            }
            "skipped" => {
                skipped += 1;
                let _ = writeln!(
                    body,
                    ">\n      <skipped message=\"{}\"/>\n    </testcase>",
                    xml_escape(check.message.as_deref().unwrap_or(""))
                );
            }
            _ if !detail.is_empty() => {
                let _ = writeln!(
                    body,
                    ">\n      <system-out>{}</system-out>\n    </testcase>",
                    xml_escape(&detail)
                );
            }
            _ => {
                let _ = writeln!(body, "/>");
            }
        }
    }
    let xml = format!(
        "  <testsuite name=\"{name}\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\" time=\"{}\">\n{body}  </testsuite>\n",
        secs(stage.duration_ms)
    );
    Suite {
        xml,
        tests,
        failures,
        errors,
        skipped,
    }
}

/// Renders the report as JUnit XML.
pub fn render(report: &Report) -> String {
    let suites: Vec<Suite> = report.stages.iter().map(suite).collect();
    let sum = |f: fn(&Suite) -> usize| suites.iter().map(f).sum::<usize>();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"shipgate\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" time=\"{}\">",
        sum(|s| s.tests),
        sum(|s| s.failures),
        sum(|s| s.errors),
        sum(|s| s.skipped),
        secs(report.duration_ms)
    );
    for s in &suites {
        out.push_str(&s.xml);
    }
    out.push_str("</testsuites>\n");
    out
}
