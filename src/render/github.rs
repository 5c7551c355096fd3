//! GitHub Actions workflow commands (`::error file=…::message`), escaped as the
//! runner expects. GitHub shows at most 10 error and 10 warning annotations
//! per step, so the most important ones come first.

use crate::model::{Finding, Location, Report, Severity};
use std::fmt::Write;

/// Annotations GitHub shows per step and level.
pub const MAX_PER_LEVEL: usize = 10;

/// Escapes a command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a command property value.
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

fn command(sev: Severity) -> &'static str {
    match sev {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Note => "notice",
    }
}

/// Unsuppressed findings in the order they are annotated: severity first,
/// then findings with a line (they land on the diff) before whole-file ones.
pub fn ordered(report: &Report) -> Vec<&Finding> {
    let mut v: Vec<&Finding> = report
        .findings()
        .filter(|f| f.suppressed.is_none())
        .collect();
    v.sort_by_key(|f| (std::cmp::Reverse(f.severity), f.location.line().is_none()));
    v
}

/// How many findings per level do not fit in the annotations GitHub shows:
/// (errors, warnings, notes).
pub fn not_shown(report: &Report) -> (usize, usize, usize) {
    let c = report.counts;
    (
        c.error.saturating_sub(MAX_PER_LEVEL),
        c.warning.saturating_sub(MAX_PER_LEVEL),
        c.note.saturating_sub(MAX_PER_LEVEL),
    )
}

/// Renders the workflow commands.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let mut shown = [0usize; 3];
    for f in ordered(report) {
        let slot = match f.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
            Severity::Note => 2,
        };
        if shown[slot] >= MAX_PER_LEVEL {
            continue;
        }
        shown[slot] += 1;
        let mut props: Vec<String> = Vec::new();
        let mut message = f.message.clone();
        match &f.location {
            Location::File {
                path,
                line,
                column,
                end_line,
                end_column,
            } => {
                props.push(format!("file={}", escape_property(path)));
                if let Some(l) = line {
                    props.push(format!("line={l}"));
                    if let Some(el) = end_line {
                        props.push(format!("endLine={el}"));
                    }
                    // GitHub accepts columns only on single-line annotations.
                    if end_line.is_none_or(|el| el == *l)
                        && let Some(c) = column
                    {
                        props.push(format!("col={c}"));
                        if let Some(ec) = end_column {
                            props.push(format!("endColumn={ec}"));
                        }
                    }
                }
            }
            other => message = format!("{other}: {message}"),
        }
        props.push(format!(
            "title={}",
            escape_property(&format!("{} ({})", f.title, f.rule))
        ));
        let _ = writeln!(
            out,
            "::{} {}::{}",
            command(f.severity),
            props.join(","),
            escape_data(&format!("{message}\n{}", f.help))
        );
    }
    let (e, w, n) = not_shown(report);
    if e + w + n > 0 {
        let _ = writeln!(
            out,
            "::notice title=shipgate::{}",
            escape_data(&format!(
                "GitHub shows {MAX_PER_LEVEL} annotations per level: {e} error(s), {w} warning(s) and {n} note(s) are not annotated; see the job summary or the report."
            ))
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_data_and_properties() {
        assert_eq!(escape_data("50% done\r\nnext"), "50%25 done%0D%0Anext");
        assert_eq!(escape_property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
    }
}
