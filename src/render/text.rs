//! Human-readable output: findings with a snippet and an underline, then a
//! line per stage and the verdict.

use crate::model::{Finding, Report, Severity, StageStatus, Verdict};
use std::fmt::Write;

/// Text renderer options.
#[derive(Debug, Clone, Copy, Default)]
pub struct TextOptions {
    /// Emit ANSI colors.
    pub color: bool,
    /// -1 quiet, 0 normal, 1+ verbose.
    pub verbosity: i8,
}

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

/// Renders the report.
pub fn render(report: &Report, opts: &TextOptions) -> String {
    let p = Paint { on: opts.color };
    let mut out = String::new();
    for stage in &report.stages {
        for f in &stage.findings {
            let shown = match &f.suppressed {
                Some(_) => opts.verbosity > 0,
                None => opts.verbosity >= 0 || f.severity >= Severity::Warning,
            };
            if shown {
                finding(&mut out, f, &p, opts.verbosity);
            }
        }
    }
    for stage in &report.stages {
        let status = match &stage.status {
            StageStatus::Passed => p.wrap("1;32", "passed"),
            StageStatus::Failed => p.wrap("1;31", "failed"),
            StageStatus::Skipped { reason } => {
                format!("{} ({})", p.wrap("1;33", "skipped"), clean(reason))
            }
            StageStatus::Errored { reason } => {
                format!("{} ({})", p.wrap("1;31", "incomplete"), clean(reason))
            }
        };
        let c = stage.counts;
        let _ = write!(
            out,
            "{}: {status} · {} error(s), {} warning(s), {} note(s), {} suppressed",
            p.wrap("1", &stage.name),
            c.error,
            c.warning,
            c.note,
            c.suppressed
        );
        if let Some(n) = stage.stats.get("files_scanned") {
            let _ = write!(out, " · {n} file(s)");
        }
        let _ = writeln!(out, " in {:.2}s", stage.duration_ms as f64 / 1000.0);
        if opts.verbosity > 0 && !stage.stats.is_empty() {
            let stats: Vec<String> = stage
                .stats
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            let _ = writeln!(out, "  {}", stats.join(" "));
        }
    }
    let verdict = match report.verdict {
        Verdict::Pass => p.wrap("1;32", "PASS"),
        Verdict::Fail => p.wrap("1;31", "FAIL"),
        Verdict::Incomplete => p.wrap("1;31", "INCOMPLETE"),
    };
    let _ = writeln!(out, "verdict: {verdict} (fail_on = {})", report.fail_on);
    out
}

fn finding(out: &mut String, f: &Finding, p: &Paint, verbosity: i8) {
    let _ = writeln!(
        out,
        "{}{}: {}",
        p.sev(f.severity),
        p.wrap("1", &format!("[{}]", f.rule)),
        clean(&f.message).replace('\n', "\n    ")
    );
    let _ = writeln!(
        out,
        "  {} {}",
        p.wrap("34", "-->"),
        clean(&f.location.to_string())
    );
    if verbosity < 0 {
        return;
    }
    if let (Some(s), Some(line)) = (&f.snippet, f.location.line()) {
        let num = line.to_string();
        let pad = " ".repeat(num.len());
        let bar = p.wrap("34", "|");
        let _ = writeln!(out, " {pad} {bar}");
        let _ = writeln!(out, " {} {bar} {}", p.wrap("34", &num), clean(&s.text));
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
        let _ = writeln!(out, " {pad} {bar} {}", p.wrap(color, &under));
    }
    let help_text = clean(&f.help);
    let mut help = help_text.lines();
    if let Some(first) = help.next() {
        let _ = writeln!(out, "  = {}: {first}", p.wrap("1", "help"));
        for l in help {
            let _ = writeln!(out, "          {l}");
        }
    }
    if let Some(s) = &f.suppressed {
        let kind = serde_json::to_value(s.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        let _ = writeln!(out, "  = suppressed ({kind}): {}", clean(&s.reason));
    }
    if verbosity > 0 {
        let _ = writeln!(out, "  = fingerprint: {}", f.fingerprint);
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn control_characters_cannot_reach_the_terminal() {
        assert_eq!(clean("a\x1b[31mred\r\nb\x07"), "a␛[31mred\nb\u{fffd}");
    }
}
