//! Markdown job summary: verdict, a table of stages, the top findings with links
//! to the lines at the commit. Kept under GitHub's 1 MiB summary limit.

use super::github::{MAX_PER_LEVEL, not_shown, ordered};
use crate::model::{Finding, Location, Report, StageStatus, Verdict};
use std::fmt::Write;

/// GitHub's limit for one step summary.
pub const SUMMARY_LIMIT: usize = 1024 * 1024;

/// Escapes user text for a Markdown table cell (also neutralises links and HTML).
pub fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\r' => {}
            '\n' => out.push_str("<br>"),
            c => out.push(c),
        }
    }
    out
}

fn link(report: &Report, f: &Finding) -> String {
    let text = cell(&f.location.to_string());
    match (&f.location, &report.repository_url, &report.commit) {
        (
            Location::File {
                path,
                line,
                end_line,
                ..
            },
            Some(url),
            Some(sha),
        ) => {
            let anchor = match (line, end_line) {
                (Some(l), Some(e)) if e > l => format!("#L{l}-L{e}"),
                (Some(l), _) => format!("#L{l}"),
                _ => String::new(),
            };
            let path = crate::encode::percent(path, true);
            format!("[{text}]({url}/blob/{sha}/{path}{anchor})")
        }
        _ => text,
    }
}

/// Where the findings the summary lists are also shown as line annotations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Annotated {
    /// Workflow commands in the job log (GitHub shows 10 per level and step).
    WorkflowCommands,
    /// A check run; the number is how many findings carry an annotation there.
    CheckRun(usize),
}

/// Renders the summary; at most `limit` bytes.
pub fn render_limited(report: &Report, limit: usize, annotated: Annotated) -> String {
    let mut out = String::new();
    let verdict = match report.verdict {
        Verdict::Pass => "✅ PASS",
        Verdict::Fail => "❌ FAIL",
        Verdict::Incomplete => "⚠️ INCOMPLETE",
    };
    let c = report.counts;
    let _ = writeln!(out, "## shipgate: {verdict}\n");
    let _ = writeln!(
        out,
        "{} error(s), {} warning(s), {} note(s), {} suppressed · fail on `{}`{}\n",
        c.error,
        c.warning,
        c.note,
        c.suppressed,
        report.fail_on,
        report
            .commit
            .as_deref()
            .map(|s| format!(" · commit `{}`", s.chars().take(12).collect::<String>()))
            .unwrap_or_default()
    );
    out.push_str("| Stage | Status | Errors | Warnings | Notes | Suppressed | Time |\n|---|---|---:|---:|---:|---:|---:|\n");
    for s in &report.stages {
        let status = match &s.status {
            StageStatus::Passed => "✅ passed".to_string(),
            StageStatus::Failed => "❌ failed".to_string(),
            StageStatus::Skipped { reason } => format!("⏭️ skipped: {}", cell(reason)),
            StageStatus::Errored { reason } => format!("⚠️ incomplete: {}", cell(reason)),
        };
        let _ = writeln!(
            out,
            "| {} | {status} | {} | {} | {} | {} | {:.2}s |",
            cell(&s.name),
            s.counts.error,
            s.counts.warning,
            s.counts.note,
            s.counts.suppressed,
            s.duration_ms as f64 / 1000.0
        );
    }
    let findings = ordered(report);
    if !findings.is_empty() {
        out.push_str(
            "\n### Findings\n\n| Severity | Rule | Location | Message |\n|---|---|---|---|\n",
        );
    }
    let annot_note = match annotated {
        Annotated::WorkflowCommands => {
            let (e, w, _) = not_shown(report);
            if e + w > 0 {
                format!(
                    "\nGitHub annotates at most {MAX_PER_LEVEL} errors and {MAX_PER_LEVEL} warnings per step: {e} error(s) and {w} warning(s) appear only in this summary and the report.\n"
                )
            } else {
                String::new()
            }
        }
        Annotated::CheckRun(n) => {
            let on_lines = findings
                .iter()
                .filter(|f| matches!(f.location, Location::File { .. }))
                .count();
            if on_lines > n {
                format!(
                    "\n{n} finding(s) are annotated on their lines; {} more appear only in this summary and the report (at most {n} annotations are published per check run).\n",
                    on_lines - n
                )
            } else {
                String::new()
            }
        }
    };
    let reserve = 512 + annot_note.len();
    let mut listed = 0;
    for f in &findings {
        let row = format!(
            "| {} | `{}` | {} | {} |\n",
            f.severity,
            f.rule.replace('`', ""),
            link(report, f),
            cell(&f.message)
        );
        if out.len() + row.len() + reserve > limit {
            break;
        }
        out.push_str(&row);
        listed += 1;
    }
    if listed < findings.len() {
        let _ = writeln!(
            out,
            "\n_{} more finding(s) not listed to stay within GitHub's summary size limit; see the full report._",
            findings.len() - listed
        );
    }
    out.push_str(&annot_note);
    out
}

/// Renders the summary within GitHub's limit.
pub fn render(report: &Report) -> String {
    render_limited(report, SUMMARY_LIMIT, Annotated::WorkflowCommands)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_are_escaped() {
        assert_eq!(
            cell("a|b\nc [x](y) <img>"),
            "a\\|b<br>c \\[x\\](y) \\<img\\>"
        );
    }
}
