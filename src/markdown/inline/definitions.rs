//! Link reference definitions (`[label]: dest "title"`) at the start of a paragraph.

use super::RawDef;
use super::link_syntax::{normalize_label, parse_dest, parse_label, parse_title, skip_space_nl};

/// Parses link reference definitions at the start of a paragraph buffer.
/// Returns them and the number of bytes they occupy.
pub(in super::super) fn parse_defs(buf: &str) -> (Vec<RawDef>, usize) {
    let b = buf.as_bytes();
    let mut p = 0;
    let mut defs = Vec::new();
    while p < b.len() {
        match parse_one_def(b, buf, p) {
            Some((d, next)) => {
                defs.push(d);
                p = next;
            }
            None => break,
        }
    }
    (defs, p)
}

/// One definition at `p`; returns it and the offset of the next line.
fn parse_one_def(b: &[u8], buf: &str, p: usize) -> Option<(RawDef, usize)> {
    let mut q = p;
    while q < p + 3 && b.get(q) == Some(&b' ') {
        q += 1;
    }
    if b.get(q) != Some(&b'[') {
        return None;
    }
    let (label, after) = parse_label(b, buf, q)?;
    if label.trim().is_empty() || b.get(after) != Some(&b':') {
        return None;
    }
    let q = skip_space_nl(b, after + 1);
    if b.get(q).is_none_or(|c| *c == b'\n') {
        return None;
    }
    let (dest, off, end) = parse_dest(b, buf, q)?;
    let eol = |x: usize| -> Option<usize> {
        let mut y = x;
        while matches!(b.get(y), Some(b' ') | Some(b'\t')) {
            y += 1;
        }
        match b.get(y) {
            None => Some(y),
            Some(b'\n') => Some(y + 1),
            _ => None,
        }
    };
    let def = RawDef {
        key: normalize_label(label),
        dest: dest.into_owned(),
        off,
    };
    let t = skip_space_nl(b, end);
    if t > end
        && matches!(b.get(t), Some(b'"') | Some(b'\'') | Some(b'('))
        && let Some(next) = parse_title(b, t).and_then(eol)
    {
        return Some((def, next));
    }
    Some((def, eol(end)?))
}
