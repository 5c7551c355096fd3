//! Human-readable output, grouped by rule: the rule's title and help once,
//! then one line per finding (`path:line:col  message`) with the masked
//! snippet under the first few (all with `-v`); then a line per stage that
//! ran, one line for the skipped stages, a per-rule tally and the verdict.
//! `-q` prints only the findings lines and the verdict.

use crate::model::{Finding, Report, Severity, StageStatus, Verdict};
use std::collections::BTreeMap;
use std::fmt::Write;

/// Text renderer options.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// Emit ANSI colors.
    pub color: bool,
    /// -1 quiet, 0 normal, 1+ verbose.
    pub verbosity: i8,
}

/// Snippets shown per rule without `-v`.
const SNIPPETS_PER_RULE: usize = 3;

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, code: &str, s: &str) -> String {
        if self.on {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
    fn sev(&self, sev: Severity) -> String {
        let code = match sev {
            Severity::Error => "1;31",
            Severity::Warning => "1;33",
            Severity::Note => "1;36",
        };
        self.wrap(code, sev.as_str())
    }
}

/// Neutralises terminal control characters from scanned content (no escape
/// sequence in a file can reach the user's terminal); keeps newlines and tabs.
fn clean(s: &str) -> String {
    s.chars()
        .filter(|&c| c != '\r')
        .map(|c| match c {
            '\x1b' => '␛',
            '\n' | '\t' => c,
            c if c.is_control() => '\u{fffd}',
            c => c,
        })
        .collect()
}

/// Findings of one rule, in report order.
struct Group<'a> {
    rule: &'a str,
    severity: Severity,
    title: &'a str,
    help: &'a str,
    findings: Vec<&'a Finding>,
}

fn shown(f: &Finding, verbosity: i8) -> bool {
    match &f.suppressed {
        Some(_) => verbosity > 0,
        None => true,
    }
}

fn groups(report: &Report, verbosity: i8) -> Vec<Group<'_>> {
    let mut out: Vec<Group> = Vec::new();
    for f in report.findings().filter(|f| shown(f, verbosity)) {
        match out.iter_mut().find(|g| g.rule == f.rule) {
            Some(g) => {
                g.severity = g.severity.max(f.severity);
                g.findings.push(f);
            }
            None => out.push(Group {
                rule: &f.rule,
                severity: f.severity,
                title: &f.title,
                help: &f.help,
                findings: vec![f],
            }),
        }
    }
    // Most severe first, then by rule id: a stable, scannable order.
    out.sort_by(|a, b| b.severity.cmp(&a.severity).then(a.rule.cmp(b.rule)));
    out
}

/// Renders the report.
pub fn render(report: &Report, opts: &TextOptions) -> String {
    let p = Paint { on: opts.color };
    let mut out = String::new();
    let groups = groups(report, opts.verbosity);
    for g in &groups {
        if opts.verbosity < 0 {
            for f in &g.findings {
                let _ = writeln!(
                    out,
                    "{}{} {}  {}",
                    p.sev(f.severity),
                    p.wrap("1", &format!("[{}]", f.rule)),
                    clean(&f.location.to_string()),
                    first_line(&f.message)
                );
            }
            continue;
        }
        group(&mut out, g, &p, opts.verbosity);
    }
    if opts.verbosity >= 0 {
        stages(&mut out, report, &p, opts.verbosity);
        tally(&mut out, &groups, &p);
    }
    let verdict = match report.verdict {
        Verdict::Pass => p.wrap("1;32", "PASS"),
        Verdict::Fail => p.wrap("1;31", "FAIL"),
        Verdict::Incomplete => p.wrap("1;31", "INCOMPLETE"),
    };
    let c = report.counts;
    let _ = writeln!(
        out,
        "verdict: {verdict} · {} error(s), {} warning(s), {} note(s), {} suppressed (fail_on = {})",
        c.error, c.warning, c.note, c.suppressed, report.fail_on
    );
    out
}

fn first_line(s: &str) -> String {
    let c = clean(s);
    let mut lines = c.lines();
    let first = lines.next().unwrap_or("").to_string();
    if lines.next().is_some() {
        format!("{first} …")
    } else {
        first
    }
}

fn group(out: &mut String, g: &Group, p: &Paint, verbosity: i8) {
    let _ = writeln!(
        out,
        "{}{} {}  ({})",
        p.sev(g.severity),
        p.wrap("1", &format!("[{}]", g.rule)),
        p.wrap("1", &clean(g.title)),
        g.findings.len()
    );
    for (i, f) in g.findings.iter().enumerate() {
        let sev = if f.severity == g.severity {
            String::new()
        } else {
            format!("{}: ", p.sev(f.severity))
        };
        let _ = writeln!(
            out,
            "  {}  {sev}{}",
            p.wrap("34", &clean(&f.location.to_string())),
            clean(&f.message).replace('\n', "\n      ")
        );
        if verbosity > 0 || i < SNIPPETS_PER_RULE {
            snippet(out, f, p);
        }
        if let Some(s) = &f.suppressed {
            let kind = serde_json::to_value(s.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default();
            let _ = writeln!(out, "      = suppressed ({kind}): {}", clean(&s.reason));
        }
        if verbosity > 0 {
            let _ = writeln!(out, "      = fingerprint: {}", f.fingerprint);
        }
    }
    if g.findings.len() > SNIPPETS_PER_RULE && verbosity <= 0 {
        let _ = writeln!(
            out,
            "  … snippets of the first {SNIPPETS_PER_RULE} shown; -v shows every one"
        );
    }
    let help_text = clean(g.help);
    let mut help = help_text.lines();
    if let Some(first) = help.next() {
        let _ = writeln!(out, "  = {}: {first}", p.wrap("1", "help"));
        for l in help {
            let _ = writeln!(out, "          {l}");
        }
    }
    out.push('\n');
}

fn snippet(out: &mut String, f: &Finding, p: &Paint) {
    let (Some(s), Some(line)) = (&f.snippet, f.location.line()) else {
        return;
    };
    let num = line.to_string();
    let pad = " ".repeat(num.len());
    let bar = p.wrap("34", "|");
    let _ = writeln!(out, "    {} {bar} {}", p.wrap("34", &num), clean(&s.text));
    let width = s.highlight_end.saturating_sub(s.highlight_start).max(1);
    let under = format!(
        "{}{}",
        " ".repeat(s.highlight_start.saturating_sub(1)),
        "^".repeat(width)
    );
    let color = match f.severity {
        Severity::Error => "31",
        Severity::Warning => "33",
        Severity::Note => "36",
    };
    let _ = writeln!(out, "    {pad} {bar} {}", p.wrap(color, &under));
}

fn stages(out: &mut String, report: &Report, p: &Paint, verbosity: i8) {
    let mut skipped = Vec::new();
    for stage in &report.stages {
        let status = match &stage.status {
            StageStatus::Passed => p.wrap("1;32", "passed"),
            StageStatus::Failed => p.wrap("1;31", "failed"),
            StageStatus::Skipped { reason } => {
                skipped.push(format!("{} ({})", stage.name, clean(reason)));
                continue;
            }
            StageStatus::Errored { reason } => {
                format!("{} ({})", p.wrap("1;31", "incomplete"), clean(reason))
            }
        };
        let c = stage.counts;
        let mut counts = Vec::new();
        for (n, what) in [
            (c.error, "error"),
            (c.warning, "warning"),
            (c.note, "note"),
            (c.suppressed, "suppressed"),
        ] {
            if n > 0 {
                let s = if n > 1 && what != "suppressed" {
                    "s"
                } else {
                    ""
                };
                counts.push(format!("{n} {what}{s}"));
            }
        }
        if let Some(n) = stage.stats.get("files_scanned") {
            counts.push(format!("{n} file(s)"));
        }
        if let Some(n) = stage
            .stats
            .get("production_findings_not_shipped")
            .filter(|n| **n > 0)
        {
            counts.push(format!(
                "{n} finding(s) skipped in files nothing ships (--explain-scope PATH says why)"
            ));
        }
        let counts = if counts.is_empty() {
            String::new()
        } else {
            format!(" · {}", counts.join(", "))
        };
        let _ = writeln!(
            out,
            "{}: {status}{counts} in {:.2}s",
            p.wrap("1", &stage.name),
            stage.duration_ms as f64 / 1000.0
        );
        if verbosity > 0 && !stage.stats.is_empty() {
            let stats: Vec<String> = stage
                .stats
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let _ = writeln!(out, "  {}", stats.join(" "));
        }
    }
    if !skipped.is_empty() {
        let _ = writeln!(out, "{}: {}", p.wrap("1;33", "skipped"), skipped.join("; "));
    }
}

fn tally(out: &mut String, groups: &[Group], p: &Paint) {
    let mut by_rule: BTreeMap<&str, (Severity, usize)> = BTreeMap::new();
    for g in groups {
        let n = g.findings.iter().filter(|f| f.suppressed.is_none()).count();
        if n > 0 {
            by_rule.insert(g.rule, (g.severity, n));
        }
    }
    if by_rule.is_empty() {
        return;
    }
    let mut items: Vec<(&str, Severity, usize)> =
        by_rule.into_iter().map(|(r, (s, n))| (r, s, n)).collect();
    items.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(b.0)));
    let list: Vec<String> = items.iter().map(|(r, _, n)| format!("{n} × {r}")).collect();
    let _ = writeln!(out, "{}: {}", p.wrap("1", "rules"), list.join(", "));
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn control_characters_cannot_reach_the_terminal() {
        assert_eq!(clean("a\x1b[31mred\r\nb\x07"), "a␛[31mred\nb\u{fffd}");
    }
}
