//! Link brackets: `[text](dest "title")`, `![alt](src)`, `[text][ref]`, `[ref][]`, `[ref]`.

use std::borrow::Cow;

use super::super::LinkKind;
use super::link_syntax::{normalize_label, parse_inline_dest, parse_label};
use super::scanner::Scanner;
use super::{At, MAX_LABEL, MAX_OPENERS, RawLink};

/// An unmatched `[` or `![`.
#[derive(Debug, Clone, Copy)]
pub(super) struct Opener {
    at: usize,
    image: bool,
    active: bool,
    plain_at: usize,
    /// Number of code spans recorded when the bracket opened.
    spans_at: usize,
}

impl<'a> Scanner<'a, '_> {
    /// `[` or `![` at `j`: remembers an opener.
    pub(super) fn open(&mut self, j: usize, image: bool) -> usize {
        let w = if image { 2 } else { 1 };
        if self.openers.len() < MAX_OPENERS {
            let plain_at = self.out.plain.len();
            let spans_at = self.out.spans.len();
            self.openers.push(Opener {
                at: j,
                image,
                active: true,
                plain_at,
                spans_at,
            });
        }
        self.text(j, j + w);
        j + w
    }

    /// `]` at `j`: closes the innermost opener as a link if a destination or definition follows.
    pub(super) fn close(&mut self, j: usize) -> usize {
        let Some(op) = self.openers.pop() else {
            self.text(j, j + 1);
            return j + 1;
        };
        if !op.active {
            self.text(j, j + 1);
            return j + 1;
        }
        let text_start = op.at + if op.image { 2 } else { 1 };
        let link_text = self.buf.get(text_start..j).unwrap_or("");
        if self.b.get(j + 1) == Some(&b'(')
            && let Some((dest, off, end)) = parse_inline_dest(self.b, self.buf, j + 2)
        {
            self.finish_link(op, dest, At::Off(off), LinkKind::Inline, link_text);
            return end;
        }
        if self.b.get(j + 1) == Some(&b'[')
            && let Some((label, end)) = parse_label(self.b, self.buf, j + 1)
        {
            let key = if label.trim().is_empty() {
                normalize_label(link_text)
            } else {
                normalize_label(label)
            };
            if let Some(def) = self.defs.get(&key) {
                let (dest, at) = (Cow::Owned(def.dest.clone()), At::Pos(def.line, def.column));
                self.finish_link(op, dest, at, LinkKind::Reference, link_text);
                return end;
            }
            self.text(j, j + 1);
            return j + 1;
        }
        if link_text.len() <= MAX_LABEL
            && let Some(def) = self.defs.get(&normalize_label(link_text))
        {
            let (dest, at) = (Cow::Owned(def.dest.clone()), At::Pos(def.line, def.column));
            self.finish_link(op, dest, at, LinkKind::Reference, link_text);
            return j + 1;
        }
        self.text(j, j + 1);
        j + 1
    }

    /// Records a link and deactivates outer link openers (links do not nest).
    fn finish_link(
        &mut self,
        op: Opener,
        dest: Cow<'a, str>,
        at: At,
        kind: LinkKind,
        text: &'a str,
    ) {
        for s in self.out.spans.iter_mut().skip(op.spans_at) {
            s.2 = true;
        }
        if self.want_plain {
            self.dels
                .push((op.plain_at, op.plain_at + if op.image { 2 } else { 1 }));
        }
        if !op.image {
            for o in self.openers.iter_mut() {
                if !o.image {
                    o.active = false;
                }
            }
        }
        self.out.links.push(RawLink {
            dest,
            at,
            image: op.image,
            kind,
            text: Cow::Borrowed(truncate(text, 200)),
        });
    }
}

/// `s` cut to at most `max` bytes on a character boundary.
fn truncate(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut e = max;
    while !s.is_char_boundary(e) {
        e -= 1;
    }
    &s[..e]
}
