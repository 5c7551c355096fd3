//! Line-level syntax: columns, blockquote markers, ATX headings, thematic breaks, list markers.

/// Character column (1-based) of absolute byte `abs` on the line starting at `ls`.
pub(super) fn col_of(text: &str, ls: usize, abs: usize) -> usize {
    text.get(ls..abs).map_or(1, |s| s.chars().count() + 1)
}

/// Strips up to `max` blockquote markers; returns (depth, byte position after them).
pub(super) fn strip_bq(b: &[u8], max: usize) -> (usize, usize) {
    let (mut depth, mut pos) = (0, 0);
    while depth < max {
        let mut p = pos;
        let mut n = 0;
        while n < 3 && b.get(p) == Some(&b' ') {
            p += 1;
            n += 1;
        }
        if b.get(p) != Some(&b'>') {
            break;
        }
        p += 1;
        if matches!(b.get(p), Some(b' ') | Some(b'\t')) {
            p += 1;
        }
        depth += 1;
        pos = p;
    }
    (depth, pos)
}

/// Skips spaces/tabs from `pos` (at column `col`); returns (byte, column) of the first non-blank.
pub(super) fn skip_ws(b: &[u8], mut pos: usize, mut col: usize) -> (usize, usize) {
    while let Some(&c) = b.get(pos) {
        match c {
            b' ' => col += 1,
            b'\t' => col += 4 - (col % 4),
            _ => break,
        }
        pos += 1;
    }
    (pos, col)
}

/// Byte offset reached after consuming whitespace from `pos` (column `col`) up to column `target`.
pub(super) fn col_to_byte(b: &[u8], mut pos: usize, mut col: usize, target: usize) -> usize {
    while col < target {
        match b.get(pos) {
            Some(b' ') => col += 1,
            Some(b'\t') => col += 4 - (col % 4),
            _ => break,
        }
        pos += 1;
    }
    pos
}

/// ATX heading: returns (level, content start, content end) relative to `rest`.
pub(super) fn atx(rest: &str) -> Option<(u8, usize, usize)> {
    let b = rest.as_bytes();
    let level = b.iter().take_while(|&&c| c == b'#').count();
    if level == 0 || level > 6 || !matches!(b.get(level), None | Some(b' ') | Some(b'\t')) {
        return None;
    }
    let mut s = level;
    while matches!(b.get(s), Some(b' ') | Some(b'\t')) {
        s += 1;
    }
    let mut e = rest.trim_end_matches([' ', '\t']).len().max(s);
    // Closing sequence: `#`s preceded by a space (or the whole content).
    let mut h = e;
    while h > s && b[h - 1] == b'#' {
        h -= 1;
    }
    if h < e && (h == s || matches!(b[h - 1], b' ' | b'\t')) {
        e = h;
        while e > s && matches!(b[e - 1], b' ' | b'\t') {
            e -= 1;
        }
    }
    Some((level as u8, s, e))
}

/// `---`, `***`, `___` (spaces allowed between).
pub(super) fn thematic(rest: &str) -> bool {
    let b = rest.as_bytes();
    let Some(&ch) = b.first() else { return false };
    if !matches!(ch, b'*' | b'-' | b'_') {
        return false;
    }
    let mut n = 0;
    for &c in b {
        if c == ch {
            n += 1;
        } else if c != b' ' && c != b'\t' {
            return false;
        }
    }
    n >= 3
}

/// A list item marker (`-`, `+`, `*`, `1.`, `1)`).
pub(super) struct Marker {
    pub(super) width: usize,
    /// Cannot interrupt a paragraph (empty item, or ordered list not starting at 1).
    pub(super) weak: bool,
}

/// List item marker at the start of `rest`.
pub(super) fn list_marker(rest: &str) -> Option<Marker> {
    let b = rest.as_bytes();
    let first = *b.first()?;
    let (width, ordered_num) = if matches!(first, b'-' | b'+' | b'*') {
        (1, None)
    } else {
        let digits = b.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 || digits > 9 || !matches!(b.get(digits), Some(b'.') | Some(b')')) {
            return None;
        }
        (digits + 1, rest[..digits].parse::<u64>().ok())
    };
    if !matches!(b.get(width), None | Some(b' ') | Some(b'\t')) {
        return None;
    }
    let empty = rest[width..].trim().is_empty();
    Some(Marker {
        width,
        weak: empty || ordered_num.is_some_and(|n| n != 1),
    })
}
