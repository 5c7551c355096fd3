//! Matching one file's bytes against the rules and turning matches into findings
//! (locations, masked snippets, fingerprints, inline suppressions).

use super::inline::{Allow, parse_allow};
use crate::diag::{LineIndex, char_count};
use crate::model::{
    Finding, Fingerprint, Location, Severity, Snippet, Suppression, SuppressionKind,
};
use crate::rules::Ruleset;
use std::collections::HashMap;
use std::ops::Range;

/// Rule id of the finding for an inline allow without a reason.
pub const ALLOW_WITHOUT_REASON: &str = "shipgate/allow-without-reason";

const SNIPPET_MAX: usize = 200;
const CONTEXT: usize = 60;
const MATCH_IN_MESSAGE_MAX: usize = 80;

/// Masks a secret: the first four characters stay, the rest become `*`.
pub fn mask(secret: &str) -> String {
    let keep: String = secret.chars().take(4).collect();
    let hidden = secret.chars().count().saturating_sub(4).clamp(4, 12);
    format!("{keep}{}", "*".repeat(hidden))
}

/// Scans `text` (the file at repo-relative `path`) with the `applicable` rules.
/// With `added`, only matches starting on those (sorted) lines are kept.
pub fn scan_text(
    rules: &Ruleset,
    applicable: &[usize],
    path: &str,
    text: &[u8],
    added: Option<&[usize]>,
) -> Vec<Finding> {
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
    let mut reasonless: Vec<usize> = Vec::new();
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
            shorten(first_line, MATCH_IN_MESSAGE_MAX)
        };
        let (ls, le) = index.line_range(text, start.0);
        let snippet = snippet(text, ls..le, range.clone(), &secrets);
        let suppressed = inline_allow(text, &index, start.0, &spec.id).and_then(|(line, allow)| {
            match allow.reason {
                Some(reason) => Some(Suppression {
                    kind: SuppressionKind::Inline,
                    reason,
                }),
                None => {
                    reasonless.push(line);
                    None
                }
            }
        });
        findings.push(Finding {
            rule: spec.id.clone(),
            title: spec.title.clone(),
            severity: rule.severity,
            message: spec.message.replace("{match}", &shown),
            help: spec.help.clone(),
            location: Location::span(path, start, end),
            snippet: Some(snippet),
            fingerprint: Fingerprint::compute(&spec.id, path, &normalized, ordinal),
            suppressed,
        });
    }
    reasonless.sort_unstable();
    reasonless.dedup();
    for line in reasonless {
        let (ls, le) = index.line_range(text, line);
        let at = text[ls..le]
            .windows(b"shipgate:allow".len())
            .position(|w| w == b"shipgate:allow")
            .map_or(ls, |p| ls + p);
        let start = index.locate(text, at);
        let end = (line, start.1 + "shipgate:allow".len());
        findings.push(Finding {
            rule: ALLOW_WITHOUT_REASON.into(),
            title: "Inline allow without a reason".into(),
            severity: Severity::Warning,
            message:
                "`shipgate:allow` needs a reason after `--`; the finding it names is still reported"
                    .into(),
            help: "Write `shipgate:allow <rule-id> -- <why this is acceptable>`.".into(),
            location: Location::span(path, start, end),
            snippet: Some(snippet(
                text,
                ls..le,
                at..at + "shipgate:allow".len(),
                &secrets,
            )),
            fingerprint: Fingerprint::compute(
                ALLOW_WITHOUT_REASON,
                path,
                &String::from_utf8_lossy(&text[ls..le]),
                0,
            ),
            suppressed: None,
        });
    }
    findings
}

/// An allow comment naming `rule` on `line` or the line before: (its line, the allow).
fn inline_allow(text: &[u8], index: &LineIndex, line: usize, rule: &str) -> Option<(usize, Allow)> {
    let lines = if line > 1 {
        vec![line, line - 1]
    } else {
        vec![line]
    };
    for l in lines {
        let (s, e) = index.line_range(text, l);
        let bytes = &text[s..e];
        if memchr::memmem::find(bytes, b"shipgate:allow").is_none() {
            continue;
        }
        if let Some(allow) = parse_allow(&String::from_utf8_lossy(bytes))
            && allow.names(rule)
        {
            return Some((l, allow));
        }
    }
    None
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
        match secrets.iter().find(|s| s.start <= a && b <= s.end) {
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
    fn masks_keep_four_chars() {
        assert_eq!(mask("ghp_abcdefghijklmnop"), "ghp_************");
        assert_eq!(mask("abc"), "abc****");
        assert!(!mask("sk_live_secretsecret").contains("secret"));
    }

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
