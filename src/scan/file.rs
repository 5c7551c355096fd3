//! Matching one file's bytes against the rules and turning matches into findings
//! (locations, masked snippets, fingerprints).

use crate::diag::{LineIndex, char_count};
use crate::model::{Finding, Fingerprint, Location, Snippet};
use crate::rules::Ruleset;
use crate::secrets::{Redactor, mask};
use std::collections::HashMap;
use std::ops::Range;

const SNIPPET_MAX: usize = 200;
const CONTEXT: usize = 60;
const MATCH_IN_MESSAGE_MAX: usize = 80;

/// Where a piece of text sits in its file (windows of large files).
#[derive(Debug, Clone, Copy, Default)]
pub struct Origin {
    /// Lines before the text.
    pub lines_before: usize,
    /// Bytes before the text.
    pub bytes_before: u64,
}

/// Scans `text` (the file at repo-relative `path`) with the `applicable` rules.
/// With `added`, only matches starting on those (sorted) lines are kept.
/// Every other secret on a finding's line (credentials the redaction policy
/// knows) is masked in its snippet too.
pub fn scan_text(
    rules: &Ruleset,
    applicable: &[usize],
    path: &str,
    text: &[u8],
    added: Option<&[usize]>,
    origin: Origin,
    redactor: &Redactor,
) -> Vec<(Finding, u64)> {
    let candidates = rules.candidates(applicable, text);
    if candidates.is_empty() {
        return Vec::new();
    }
    let mut matches: Vec<(usize, Range<usize>)> = Vec::new();
    for &i in &candidates {
        for r in rules.rules[i].find(text) {
            matches.push((i, r));
        }
    }
    if matches.is_empty() {
        return Vec::new();
    }
    let index = LineIndex::new(text);
    if let Some(lines) = added {
        matches.retain(|(_, r)| lines.binary_search(&index.line_of(r.start)).is_ok());
    }
    let secrets: Vec<Range<usize>> = matches
        .iter()
        .filter(|(i, _)| rules.rules[*i].spec.secret)
        .map(|(_, r)| r.clone())
        .collect();
    let mut ordinals: HashMap<(usize, String), usize> = HashMap::new();
    let mut findings = Vec::with_capacity(matches.len());
    for (i, range) in matches {
        let rule = &rules.rules[i];
        let spec = &rule.spec;
        let raw = String::from_utf8_lossy(&text[range.clone()]);
        let normalized: String = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let ordinal = {
            let n = ordinals.entry((i, normalized.clone())).or_insert(0);
            *n += 1;
            *n - 1
        };
        let start = index.locate(text, range.start);
        let end = index.locate(text, range.end);
        let first_line = raw.lines().next().unwrap_or("");
        let shown = if spec.secret {
            mask(first_line)
        } else {
            redactor
                .redact(&shorten(first_line, MATCH_IN_MESSAGE_MAX))
                .into_owned()
        };
        let (ls, le) = index.line_range(text, start.0);
        let mut hidden = secrets.clone();
        hidden.extend(
            redactor
                .ranges(&text[ls..le])
                .into_iter()
                .map(|r| r.start + ls..r.end + ls),
        );
        let snippet = snippet(text, ls..le, range.clone(), &hidden);
        let shift = |(l, c): (usize, usize)| (l + origin.lines_before, c);
        findings.push((
            Finding {
                rule: spec.id.clone(),
                title: spec.title.clone(),
                severity: rule.severity,
                message: spec.message.replace("{match}", &shown),
                help: spec.help.clone(),
                location: Location::span(path, shift(start), shift(end)),
                snippet: Some(snippet),
                fingerprint: Fingerprint::compute(&spec.id, path, &normalized, ordinal),
                suppressed: None,
            },
            origin.bytes_before + range.start as u64,
        ));
    }
    findings
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max).collect();
        out.push('…');
        out
    }
}

/// The line `line` with every secret range masked and `hl` marked.
fn snippet(text: &[u8], line: Range<usize>, hl: Range<usize>, secrets: &[Range<usize>]) -> Snippet {
    let mut merged: Vec<Range<usize>> = secrets.to_vec();
    merged.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut secrets: Vec<Range<usize>> = Vec::with_capacity(merged.len());
    for r in merged {
        match secrets.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => secrets.push(r),
        }
    }
    let secrets = &secrets;
    let clamp = |x: usize| x.clamp(line.start, line.end);
    let (hs, he) = (clamp(hl.start), clamp(hl.end));
    let mut cuts = vec![line.start, line.end, hs, he];
    for s in secrets {
        if s.start < line.end && s.end > line.start {
            cuts.push(clamp(s.start));
            cuts.push(clamp(s.end));
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = String::new();
    let (mut col_start, mut col_end) = (1, 1);
    for w in cuts.windows(2) {
        let (a, b) = (w[0], w[1]);
        if a == hs {
            col_start = out.chars().count() + 1;
        }
        let seg = String::from_utf8_lossy(&text[a..b]);
        match secrets.iter().find(|s| s.start <= a && b <= s.end && a < b) {
            Some(s) if s.start == a => out.push_str(&mask(&seg)),
            Some(_) => out.push_str(&"*".repeat(seg.chars().count().min(12))),
            None => out.push_str(&seg),
        }
        if b == he {
            col_end = out.chars().count() + 1;
        }
    }
    if hs == he {
        col_start = char_count(&text[line.start..hs]) + 1;
        col_end = col_start;
    }
    let out = out.replace('\t', " ");
    let total = out.chars().count();
    if total <= SNIPPET_MAX {
        return Snippet {
            text: out,
            highlight_start: col_start,
            highlight_end: col_end.max(col_start),
        };
    }
    // Window around the highlight.
    let from = col_start.saturating_sub(1).saturating_sub(CONTEXT);
    let to = (col_end.saturating_sub(1) + CONTEXT)
        .max(from + SNIPPET_MAX / 2)
        .min(total);
    let to = to.min(from + SNIPPET_MAX).max(from);
    let mut s = String::new();
    let lead = from > 0;
    if lead {
        s.push('…');
    }
    s.extend(out.chars().skip(from).take(to - from));
    if to < total {
        s.push('…');
    }
    let shift = from as isize - isize::from(lead);
    let adj = |c: usize| ((c as isize - shift).max(1) as usize).min(s.chars().count() + 1);
    Snippet {
        highlight_start: adj(col_start),
        highlight_end: adj(col_end).max(adj(col_start)),
        text: s,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippet_masks_every_secret_on_the_line() {
        let text = b"a = 'https://example.test' + 'tok_SECRETVALUE' ;";
        let hl = 5..25;
        let secret = 30..45;
        let s = snippet(text, 0..text.len(), hl, &[secret]);
        assert!(!s.text.contains("SECRETVALUE"), "{}", s.text);
        assert!(s.text.contains("tok_"));
        assert_eq!(s.highlight_start, 6);
        assert_eq!(s.highlight_end, 26);
    }

    #[test]
    fn long_lines_are_windowed_around_the_match() {
        let mut line = "x".repeat(500);
        line.push_str("NEEDLE");
        line.push_str(&"y".repeat(500));
        let b = line.as_bytes();
        let s = snippet(b, 0..b.len(), 500..506, &[]);
        assert!(s.text.chars().count() <= SNIPPET_MAX + 2);
        let chars: Vec<char> = s.text.chars().collect();
        let got: String = chars[s.highlight_start - 1..s.highlight_end - 1]
            .iter()
            .collect();
        assert_eq!(got, "NEEDLE");
    }
}
