//! Link syntax pieces: destinations, titles, labels, label normalisation, autolinks.

use std::borrow::Cow;

use super::entities::unescape;
use super::{MAX_DEST, MAX_LABEL};

/// Skips spaces/tabs and at most one newline.
pub(super) fn skip_space_nl(b: &[u8], mut p: usize) -> usize {
    while matches!(b.get(p), Some(b' ') | Some(b'\t')) {
        p += 1;
    }
    if b.get(p) == Some(&b'\n') {
        p += 1;
        while matches!(b.get(p), Some(b' ') | Some(b'\t')) {
            p += 1;
        }
    }
    p
}

/// Link destination at `q`: `<…>` or raw with balanced parens.
/// Returns (decoded destination, raw start offset, offset after the destination).
pub(super) fn parse_dest<'b>(
    b: &[u8],
    buf: &'b str,
    q: usize,
) -> Option<(Cow<'b, str>, usize, usize)> {
    if b.get(q) == Some(&b'<') {
        let s = q + 1;
        let mut r = s;
        loop {
            match b.get(r) {
                None | Some(b'\n') | Some(b'<') => return None,
                Some(b'>') => break,
                Some(b'\\') => r += 2,
                _ => r += 1,
            }
            if r - s > MAX_DEST {
                return None;
            }
        }
        return Some((unescape(buf.get(s..r)?), s, r + 1));
    }
    let (s, mut r, mut depth) = (q, q, 0u32);
    while let Some(&c) = b.get(r) {
        if r - s > MAX_DEST {
            return None;
        }
        match c {
            b'\\' if b.get(r + 1).is_some_and(u8::is_ascii_punctuation) => {
                r += 2;
                continue;
            }
            0..=b' ' | 0x7f => break,
            b'(' => {
                depth += 1;
                if depth > 32 {
                    return None;
                }
            }
            b')' => {
                if depth == 0 {
                    break;
                }
                depth -= 1;
            }
            _ => {}
        }
        r += 1;
    }
    if depth != 0 || r == s {
        return None;
    }
    Some((unescape(buf.get(s..r)?), s, r))
}

/// Title at `q` (`"…"`, `'…'`, `(…)`); returns offset after it.
pub(super) fn parse_title(b: &[u8], q: usize) -> Option<usize> {
    let open = *b.get(q)?;
    let close = if open == b'(' { b')' } else { open };
    let mut r = q + 1;
    loop {
        match b.get(r) {
            None => return None,
            Some(b'\\') => r += 2,
            Some(&c) if c == close => return Some(r + 1),
            Some(b'(') if open == b'(' => return None,
            _ => r += 1,
        }
        if r - q > MAX_DEST {
            return None;
        }
    }
}

/// `(dest "title")` starting just after `(`; returns (dest, dest offset, offset after `)`).
pub(super) fn parse_inline_dest<'b>(
    b: &[u8],
    buf: &'b str,
    p: usize,
) -> Option<(Cow<'b, str>, usize, usize)> {
    let q = skip_space_nl(b, p);
    if b.get(q) == Some(&b')') {
        return Some((Cow::Borrowed(""), q, q + 1));
    }
    let (dest, off, after) = parse_dest(b, buf, q)?;
    let mut q = skip_space_nl(b, after);
    if q > after && matches!(b.get(q), Some(b'"') | Some(b'\'') | Some(b'(')) {
        q = skip_space_nl(b, parse_title(b, q)?);
    }
    (b.get(q) == Some(&b')')).then_some((dest, off, q + 1))
}

/// Link label `[…]` at `p`; returns (raw label, offset after `]`).
pub(super) fn parse_label<'a>(b: &[u8], buf: &'a str, p: usize) -> Option<(&'a str, usize)> {
    let mut r = p + 1;
    loop {
        match b.get(r) {
            None | Some(b'[') => return None,
            Some(b'\\') => r += 2,
            Some(b']') => break,
            _ => r += 1,
        }
        if r - p > MAX_LABEL + 1 {
            return None;
        }
    }
    Some((buf.get(p + 1..r)?, r + 1))
}

/// Reference label matching key: whitespace collapsed, lowercased.
pub(super) fn normalize_label(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for w in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    // Lowercase plus the one common full case folding that lowercasing misses.
    out.to_lowercase().replace('ß', "ss")
}

/// End offset (after `>`) of an autolink starting at `b[j] == b'<'`.
pub(super) fn autolink_end(b: &[u8], j: usize) -> Option<usize> {
    let lim = b.len().min(j + MAX_DEST);
    let s = j + 1;
    let mut r = s;
    // URI autolink: scheme 2..=32 chars then `:`.
    if b.get(r)?.is_ascii_alphabetic() {
        while r < lim && (b[r].is_ascii_alphanumeric() || matches!(b[r], b'+' | b'.' | b'-')) {
            r += 1;
        }
        if (2..=32).contains(&(r - s)) && b.get(r) == Some(&b':') {
            while r < lim && b[r] > b' ' && b[r] != b'<' && b[r] != b'>' && b[r] != 0x7f {
                r += 1;
            }
            return (b.get(r) == Some(&b'>')).then_some(r + 1);
        }
    }
    // Email autolink.
    r = s;
    let local = |c: u8| c.is_ascii_alphanumeric() || b".!#$%&'*+/=?^_`{|}~-".contains(&c);
    while r < lim && local(b[r]) {
        r += 1;
    }
    if r == s || b.get(r) != Some(&b'@') {
        return None;
    }
    r += 1;
    let host = r;
    while r < lim && (b[r].is_ascii_alphanumeric() || b[r] == b'-' || b[r] == b'.') {
        r += 1;
    }
    (r > host && b.get(r) == Some(&b'>')).then_some(r + 1)
}
