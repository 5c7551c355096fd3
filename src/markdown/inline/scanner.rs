//! The inline byte loop: dispatches on special bytes and handles code spans, autolinks,
//! raw HTML and entities itself (links in `brackets`, emphasis in `emphasis`).

use std::borrow::Cow;
use std::collections::HashMap;

use super::super::LinkKind;
use super::super::html::parse_tag;
use super::brackets::Opener;
use super::emphasis::Delim;
use super::entities::decode_entity;
use super::html_tags::tag_items;
use super::link_syntax::autolink_end;
use super::{At, Def, InlineOut, RawLink};

/// Bytes that may start inline syntax.
const fn special_table() -> [bool; 256] {
    let mut t = [false; 256];
    t[b'\\' as usize] = true;
    t[b'`' as usize] = true;
    t[b'[' as usize] = true;
    t[b']' as usize] = true;
    t[b'!' as usize] = true;
    t[b'<' as usize] = true;
    t[b'&' as usize] = true;
    t[b'*' as usize] = true;
    t[b'_' as usize] = true;
    t
}
static SPECIAL: [bool; 256] = special_table();

const fn special_links_table() -> [bool; 256] {
    let mut t = special_table();
    t[b'&' as usize] = false;
    t[b'*' as usize] = false;
    t[b'_' as usize] = false;
    t
}
/// Specials when no plain text is built (entities and emphasis do not matter).
static SPECIAL_LINKS: [bool; 256] = special_links_table();

/// State of one [`scan_into`] call over a block buffer.
pub(super) struct Scanner<'a, 'd> {
    pub(super) buf: &'a str,
    pub(super) b: &'a [u8],
    pub(super) defs: &'d HashMap<String, Def>,
    pub(super) want_plain: bool,
    pub(super) out: &'d mut InlineOut<'a>,
    pub(super) openers: &'d mut Vec<Opener>,
    pub(super) delims: &'d mut Vec<Delim>,
    pub(super) dels: &'d mut Vec<(usize, usize)>,
    failed_ticks: &'d mut Vec<usize>,
    no_close: [bool; 4],
}

/// Reusable scratch space for [`scan_into`] (avoids per-block allocations).
#[derive(Debug, Default)]
pub(in super::super) struct Scratch {
    openers: Vec<Opener>,
    delims: Vec<Delim>,
    dels: Vec<(usize, usize)>,
    failed_ticks: Vec<usize>,
}

/// Scans `buf[start..]` for inlines, appending to `out` and resolving reference links
/// through `defs`; `want_plain` also fills `out.plain` (headings).
pub(in super::super) fn scan_into<'b>(
    buf: &'b str,
    start: usize,
    defs: &HashMap<String, Def>,
    want_plain: bool,
    out: &mut InlineOut<'b>,
    scratch: &mut Scratch,
) {
    scratch.openers.clear();
    scratch.delims.clear();
    scratch.dels.clear();
    scratch.failed_ticks.clear();
    let mut s = Scanner {
        buf,
        b: buf.as_bytes(),
        defs,
        want_plain,
        out,
        openers: &mut scratch.openers,
        delims: &mut scratch.delims,
        dels: &mut scratch.dels,
        failed_ticks: &mut scratch.failed_ticks,
        no_close: [false; 4],
    };
    s.run(start.min(buf.len()));
    if want_plain {
        s.finish_plain();
    }
}

impl<'a> Scanner<'a, '_> {
    fn run(&mut self, mut i: usize) {
        let n = self.b.len();
        // Without plain text to build, only code spans, brackets, `<` and escapes matter, and a
        // block with no backtick, bracket or `<` cannot contain a link or code span at all.
        let table = if self.want_plain {
            &SPECIAL
        } else {
            &SPECIAL_LINKS
        };
        if !self.want_plain && memchr::memchr3(b'`', b'[', b'<', &self.b[i.min(n)..]).is_none() {
            return;
        }
        while i < n {
            let mut j = i;
            while j < n && !table[self.b[j] as usize] {
                j += 1;
            }
            self.text(i, j);
            if j >= n {
                break;
            }
            i = match self.b[j] {
                b'\\' => self.escape(j),
                b'`' => self.backticks(j),
                b'!' if self.b.get(j + 1) == Some(&b'[') => self.open(j, true),
                b'!' => {
                    self.text(j, j + 1);
                    j + 1
                }
                b'[' => self.open(j, false),
                b']' => self.close(j),
                b'<' => self.angle(j),
                b'&' => self.entity(j),
                _ => self.delim(j),
            };
        }
    }

    pub(super) fn text(&mut self, a: usize, b: usize) {
        if self.want_plain {
            self.out.plain.push_str(self.buf.get(a..b).unwrap_or(""));
        }
    }

    fn escape(&mut self, j: usize) -> usize {
        match self.b.get(j + 1) {
            Some(c) if c.is_ascii_punctuation() => {
                self.text(j + 1, j + 2);
                j + 2
            }
            _ => {
                self.text(j, j + 1);
                j + 1
            }
        }
    }

    fn backticks(&mut self, j: usize) -> usize {
        let len = self.b[j..].iter().take_while(|&&c| c == b'`').count();
        let Some(close) = self.find_closer(j + len, len) else {
            self.text(j, j + len);
            return j + len;
        };
        let mut raw = self.buf.get(j + len..close).unwrap_or("");
        let mut off = j + len;
        let pad = |c: u8| c == b' ' || c == b'\n';
        let rb = raw.as_bytes();
        if rb.len() >= 2 && pad(rb[0]) && pad(rb[rb.len() - 1]) && !rb.iter().all(|&c| pad(c)) {
            raw = &raw[1..raw.len() - 1];
            off += 1;
        }
        let content = if raw.contains('\n') {
            Cow::Owned(raw.replace('\n', " "))
        } else {
            Cow::Borrowed(raw)
        };
        if self.want_plain {
            self.out.plain.push_str(&content);
        }
        self.out.spans.push((content, off, false));
        close + len
    }

    /// Start of the next backtick run of exactly `len` after `from`.
    fn find_closer(&mut self, from: usize, len: usize) -> Option<usize> {
        if self.failed_ticks.contains(&len) {
            return None;
        }
        let mut k = from;
        while let Some(p) = memchr::memchr(b'`', self.b.get(k..)?) {
            let s = k + p;
            let e = s + self.b[s..].iter().take_while(|&&c| c == b'`').count();
            if e - s == len {
                return Some(s);
            }
            k = e;
        }
        self.failed_ticks.push(len);
        None
    }

    fn angle(&mut self, j: usize) -> usize {
        if let Some(end) = autolink_end(self.b, j) {
            let inner = self.buf.get(j + 1..end - 1).unwrap_or("");
            let dest = if inner.contains(':') {
                Cow::Borrowed(inner)
            } else {
                Cow::Owned(format!("mailto:{inner}"))
            };
            self.out.links.push(RawLink {
                dest,
                at: At::Off(j + 1),
                image: false,
                kind: LinkKind::Autolink,
                text: Cow::Borrowed(inner),
            });
            if self.want_plain {
                self.out.plain.push_str(inner);
            }
            return end;
        }
        const SPECIALS: [(&[u8], &[u8]); 4] = [
            (b"<!--", b"-->"),
            (b"<?", b"?>"),
            (b"<![CDATA[", b"]]>"),
            (b"<!", b">"),
        ];
        for (k, (open, close)) in SPECIALS.iter().enumerate() {
            if self.b[j..].starts_with(open)
                && (k != 3 || self.b.get(j + 2).is_some_and(u8::is_ascii_alphabetic))
            {
                if self.no_close[k] {
                    break;
                }
                match memchr::memmem::find(&self.b[j + open.len()..], close) {
                    Some(e) => return j + open.len() + e + close.len(),
                    None => {
                        self.no_close[k] = true;
                        break;
                    }
                }
            }
        }
        if let Some(tag) = parse_tag(self.b, j) {
            tag_items(self.buf, &tag, self.out);
            return tag.end;
        }
        self.text(j, j + 1);
        j + 1
    }

    fn entity(&mut self, j: usize) -> usize {
        let lim = self.b.len().min(j + 40);
        if let Some(p) = memchr::memchr(b';', &self.b[j..lim])
            && let Some(s) = decode_entity(self.buf.get(j + 1..j + p).unwrap_or(""))
        {
            if self.want_plain {
                self.out.plain.push_str(&s);
            }
            return j + p + 1;
        }
        self.text(j, j + 1);
        j + 1
    }
}
