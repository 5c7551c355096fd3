//! Env var names in prose, list items and table cells (outside inline code).

use super::super::{LineInfo, LineKind};
use super::col_in;
use super::env_vars::{STOP, name_shape_ok, upper_token_re};

/// Names in list items, table cells and prose outside code spans.
pub(super) fn text_env(line: &str, info: &LineInfo, found: &mut Vec<(usize, String)>) {
    if !has_upper_pair(line) {
        return;
    }
    let masked = mask_code(line);
    let Some(re) = upper_token_re() else { return };
    let content_start = info.content_start.min(masked.len());
    let first_word = masked.get(content_start..).and_then(|r| {
        r.find(|c: char| c.is_alphanumeric())
            .map(|p| p + content_start)
    });
    let cells = (info.kind == LineKind::TableRow).then(|| table_cells(&masked));
    let masked = masked.as_ref();
    for m in re.find_iter(masked) {
        let n = m.as_str();
        if !name_shape_ok(n) {
            continue;
        }
        let before = masked.get(..m.start()).and_then(|s| s.chars().next_back());
        let after = masked.get(m.end()..).and_then(|s| s.chars().next());
        if matches!(before, Some('-' | '.' | '/' | '@'))
            || matches!(after, Some('-' | '.' | '/' | '('))
        {
            continue;
        }
        let assigned = after == Some('=');
        let referenced =
            before == Some('$') || masked.get(..m.start()).is_some_and(|s| s.ends_with("${"));
        let ok = if assigned || referenced {
            true
        } else if STOP.contains(&n) {
            false
        } else if n.contains('_') {
            true
        } else {
            (info.list_item && first_word == Some(m.start()))
                || cells
                    .as_ref()
                    .is_some_and(|cs| cs.iter().any(|c| *c == (m.start(), m.end())))
        };
        if ok {
            found.push((col_in(line, m.start(), 1), n.to_string()));
        }
    }
}

/// Replaces inline-code regions (same-line backtick pairs, backticks included) with spaces,
/// byte for byte, so byte offsets into the result are byte offsets into `s`.
fn mask_code(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.contains('`') {
        return std::borrow::Cow::Borrowed(s);
    }
    let b = s.as_bytes();
    let run_at = |k: usize| b[k..].iter().take_while(|c| **c == b'`').count();
    let mut out = b.to_vec();
    let mut failed: Vec<usize> = Vec::new();
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'`', &b[i..]) {
        let start = i + p;
        let run = run_at(start);
        let mut close = None;
        if !failed.contains(&run) {
            let mut j = start + run;
            while let Some(q) = memchr::memchr(b'`', &b[j..]) {
                let r = run_at(j + q);
                if r == run {
                    close = Some(j + q);
                    break;
                }
                j += q + r;
            }
        }
        match close {
            Some(c) => {
                out[start..c + run].fill(b' ');
                i = c + run;
            }
            None => {
                failed.push(run);
                i = start + run;
            }
        }
    }
    // Only whole regions between ASCII backticks were blanked, so this stays valid UTF-8.
    std::borrow::Cow::Owned(String::from_utf8(out).unwrap_or_else(|_| s.to_string()))
}

/// Two adjacent ASCII capitals (or capital + `_`): the cheapest test for `UPPER_SNAKE`.
fn has_upper_pair(s: &str) -> bool {
    s.as_bytes()
        .windows(2)
        .any(|w| w[0].is_ascii_uppercase() && (w[1].is_ascii_uppercase() || w[1] == b'_'))
}

/// Byte ranges of table cell contents (trimmed, emphasis stripped).
fn table_cells(line: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, c) in line
        .char_indices()
        .chain(std::iter::once((line.len(), '|')))
    {
        if c == '|' {
            let cell = &line[start..i];
            let l = cell.len() - cell.trim_start_matches([' ', '\t', '*', '_']).len();
            let r = cell.trim_end_matches([' ', '\t', '*', '_']).len();
            if r > l {
                out.push((start + l, start + r));
            }
            start = i + 1;
        }
    }
    out
}
