//! Emphasis (`*`, `_`) delimiter runs, removed from heading plain text as CommonMark pairs them.

use super::MAX_DELIMS;
use super::scanner::Scanner;

/// A delimiter run recorded while building plain text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Delim {
    plain_at: usize,
    len: usize,
    ch: u8,
    open: bool,
    close: bool,
}

impl Scanner<'_, '_> {
    /// A `*`/`_` run at `j`: records whether it can open or close emphasis.
    pub(super) fn delim(&mut self, j: usize) -> usize {
        let ch = self.b[j];
        let len = self.b[j..].iter().take_while(|&&c| c == ch).count();
        if self.want_plain && self.delims.len() < MAX_DELIMS {
            let before = self.buf.get(..j).and_then(|s| s.chars().next_back());
            let after = self.buf.get(j + len..).and_then(|s| s.chars().next());
            let ws = |c: Option<char>| c.is_none_or(char::is_whitespace);
            let punct = |c: Option<char>| c.is_some_and(is_punct);
            let left = !ws(after) && (!punct(after) || ws(before) || punct(before));
            let right = !ws(before) && (!punct(before) || ws(after) || punct(after));
            let (open, close) = if ch == b'*' {
                (left, right)
            } else {
                (
                    left && (!right || punct(before)),
                    right && (!left || punct(after)),
                )
            };
            let plain_at = self.out.plain.len();
            self.delims.push(Delim {
                plain_at,
                len,
                ch,
                open,
                close,
            });
        }
        self.text(j, j + len);
        j + len
    }

    /// Removes matched emphasis delimiters and link brackets from the plain text.
    pub(super) fn finish_plain(&mut self) {
        let mut rem: Vec<usize> = self.delims.iter().map(|d| d.len).collect();
        for c in 0..self.delims.len() {
            if !self.delims[c].close {
                continue;
            }
            while rem[c] > 0 {
                let cd = self.delims[c];
                let found = (0..c).rev().find(|&o| {
                    let od = self.delims[o];
                    od.open
                        && od.ch == cd.ch
                        && rem[o] > 0
                        && !((od.close || cd.open)
                            && (od.len + cd.len).is_multiple_of(3)
                            && !(od.len.is_multiple_of(3) && cd.len.is_multiple_of(3)))
                });
                let Some(o) = found else { break };
                let k = if rem[o] >= 2 && rem[c] >= 2 { 2 } else { 1 };
                let od = self.delims[o];
                self.dels
                    .push((od.plain_at + rem[o] - k, od.plain_at + rem[o]));
                rem[o] -= k;
                let start = cd.plain_at + (cd.len - rem[c]);
                self.dels.push((start, start + k));
                rem[c] -= k;
                for d in &mut self.delims[o + 1..c] {
                    d.open = false;
                }
            }
        }
        if self.dels.is_empty() {
            return;
        }
        self.dels.sort_unstable();
        let plain = std::mem::take(&mut self.out.plain);
        let mut out = String::with_capacity(plain.len());
        let mut pos = 0;
        for &(a, b) in self.dels.iter() {
            if a >= pos {
                out.push_str(plain.get(pos..a).unwrap_or(""));
            }
            pos = pos.max(b);
        }
        out.push_str(plain.get(pos..).unwrap_or(""));
        self.out.plain = out;
    }
}

/// Unicode punctuation as CommonMark's flanking rules see it.
fn is_punct(c: char) -> bool {
    c.is_ascii_punctuation() || (!c.is_ascii() && !c.is_alphanumeric() && !c.is_whitespace())
}
