//! Fragment checks (`#anchor`, `file.md#anchor`) and "did you mean" suggestions.

use super::super::doc::Loaded;
use super::super::repo::percent_decode;

/// `Some(message)` when `frag` names no anchor of `target`.
pub(super) fn anchor_problem(frag: &str, target: &Loaded) -> Option<String> {
    let frag = percent_decode(frag);
    let f = frag.strip_prefix("user-content-").unwrap_or(&frag);
    if f.is_empty() || f.eq_ignore_ascii_case("top") || is_line_anchor(f) {
        return None;
    }
    if target.doc.anchors.contains(f) {
        return None;
    }
    let lower = f.to_lowercase();
    if target.doc.anchors.iter().any(|a| a.to_lowercase() == lower) {
        return None;
    }
    let mut msg = format!("`#{f}` matches no heading or anchor in `{}`", target.path);
    if let Some(best) = closest(f, target.doc.anchors.iter().map(String::as_str)) {
        msg.push_str(&format!("; did you mean `#{best}`?"));
    }
    Some(msg)
}

/// GitHub line anchors (`#L10`, `#L10-L20`).
fn is_line_anchor(f: &str) -> bool {
    let mut parts = f.split('-');
    parts.all(|p| p.len() > 1 && p.starts_with('L') && p[1..].bytes().all(|c| c.is_ascii_digit()))
}

/// Closest candidate by edit distance, if close enough to be a useful suggestion.
/// Byte-level Levenshtein with a histogram lower bound and a banded early exit,
/// so large heading lists stay cheap.
pub(super) fn closest<'a>(want: &str, cands: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let w = want.as_bytes();
    let w = &w[..w.len().min(128)];
    let limit = (w.len() / 3).max(2);
    let hist = |s: &[u8]| {
        let mut h = [0i32; 64];
        for &c in s {
            h[usize::from(c.to_ascii_lowercase() & 63)] += 1;
        }
        h
    };
    let wh = hist(w);
    let mut rows = (Vec::new(), Vec::new());
    let mut best: Option<(usize, &str)> = None;
    for c in cands {
        let cb = c.as_bytes();
        let cb = &cb[..cb.len().min(128)];
        let bound = best.map_or(limit, |(d, _)| d.min(limit));
        if cb.len().abs_diff(w.len()) > bound {
            continue;
        }
        let ch = hist(cb);
        let l1: i32 = wh.iter().zip(ch.iter()).map(|(a, b)| (a - b).abs()).sum();
        if usize::try_from((l1 + 1) / 2).unwrap_or(usize::MAX) > bound {
            continue;
        }
        if let Some(dist) = bounded_levenshtein(w, cb, bound, &mut rows)
            && best.is_none_or(|(bd, bs)| dist < bd || (dist == bd && c < bs))
        {
            best = Some((dist, c));
        }
    }
    best.map(|(_, s)| s)
}

/// Levenshtein distance (ASCII case-insensitive bytes) if it is at most `k`.
fn bounded_levenshtein(
    a: &[u8],
    b: &[u8],
    k: usize,
    rows: &mut (Vec<usize>, Vec<usize>),
) -> Option<usize> {
    let (prev, cur) = rows;
    prev.clear();
    prev.extend(0..=b.len());
    cur.clear();
    cur.resize(b.len() + 1, 0);
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(!ca.eq_ignore_ascii_case(cb));
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > k {
            return None;
        }
        std::mem::swap(prev, cur);
    }
    prev.get(b.len()).copied().filter(|&d| d <= k)
}
