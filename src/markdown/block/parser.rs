//! The line walker: containers (blockquotes, list items) first, then the block start.

use std::borrow::Cow;

use super::super::{CodeBlock, LineInfo, LineKind};
use super::code::{Fence, fence_open, lang_of};
use super::html_block::{HtmlState, html_start};
use super::markers::{Marker, atx, col_to_byte, list_marker, skip_ws, strip_bq, thematic};
use super::{BlockKind, BlockOut, RawBlock, Seg, Segs};

/// Block parser state over one document.
pub(super) struct Parser<'a> {
    pub(super) text: &'a str,
    pub(super) out: BlockOut<'a>,
    pub(super) para: Option<RawBlock<'a>>,
    pub(super) para_bq: usize,
    pub(super) para_lines: Vec<usize>,
    pub(super) list: Vec<usize>,
    pub(super) fence: Option<Fence<'a>>,
    pub(super) html: Option<(HtmlState, RawBlock<'a>)>,
    pub(super) indented: Option<CodeBlock<'a>>,
}

/// Where the scan of a line is while list markers are consumed.
#[derive(Debug, Clone, Copy)]
struct Cursor {
    /// Byte position in the line.
    pos: usize,
    /// Column (tabs expanded) at `pos`.
    col: usize,
    /// No list marker consumed yet on this line.
    first: bool,
    /// A list marker was consumed on this line.
    list_item: bool,
}

/// A line's block start after its containers.
#[derive(Debug, Clone, Copy)]
struct Start<'a> {
    /// 0-based line index.
    idx: usize,
    /// Byte offset of the line start in the text.
    ls: usize,
    line: &'a str,
    /// Blockquote depth.
    bq: usize,
    /// Byte offset of the first non-blank.
    nonws: usize,
    /// Column of `nonws`.
    indent: usize,
    /// Number of open lists this line continues.
    k: usize,
    list_item: bool,
}

/// Splits `text` into lines and classifies them.
pub(in super::super) fn parse_blocks(text: &str) -> BlockOut<'_> {
    let mut starts = vec![0usize];
    starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
    if starts.last() == Some(&text.len()) && !text.is_empty() {
        starts.pop();
    }
    let mut p = Parser {
        text,
        out: BlockOut {
            lines: Vec::with_capacity(starts.len()),
            ..BlockOut::default()
        },
        para: None,
        para_bq: 0,
        para_lines: Vec::new(),
        list: Vec::new(),
        fence: None,
        html: None,
        indented: None,
    };
    let bounds = |i: usize| {
        let s = starts[i];
        let mut e = starts.get(i + 1).map_or(text.len(), |n| n - 1);
        if e > s && text.as_bytes().get(e - 1) == Some(&b'\n') {
            e -= 1;
        }
        if e > s && text.as_bytes().get(e - 1) == Some(&b'\r') {
            e -= 1;
        }
        (s, e.max(s))
    };
    let fm = front_matter_lines(text, &starts, &bounds);
    for i in 0..starts.len() {
        let (s, e) = bounds(i);
        let line = text.get(s..e).unwrap_or("");
        if i < fm {
            p.push_info(LineKind::FrontMatter, 0, false);
            continue;
        }
        p.line(i, s, line);
    }
    p.finish();
    p.out.line_starts = starts;
    p.out
}

fn front_matter_lines(
    text: &str,
    starts: &[usize],
    bounds: &dyn Fn(usize) -> (usize, usize),
) -> usize {
    let first = |i: usize| {
        let (s, e) = bounds(i);
        text.get(s..e).unwrap_or("").trim_end()
    };
    let open = first(0);
    let open = open.strip_prefix('\u{feff}').unwrap_or(open);
    let closers: &[&str] = match open {
        "---" => &["---", "..."],
        "+++" => &["+++"],
        _ => return 0,
    };
    (1..starts.len())
        .find(|&i| closers.contains(&first(i)))
        .map_or(0, |i| i + 1)
}

impl<'a> Parser<'a> {
    /// Records the classification of the current line.
    pub(super) fn push_info(&mut self, kind: LineKind, content_start: usize, list_item: bool) {
        self.out.lines.push(LineInfo {
            kind,
            in_list: !self.list.is_empty(),
            list_item,
            content_start,
        });
    }

    /// Classifies one source line (`idx` 0-based, starting at byte `ls`).
    fn line(&mut self, idx: usize, ls: usize, line: &'a str) {
        let b = line.as_bytes();
        if self.html.is_some() {
            self.html_line(idx, ls, line);
            return;
        }
        if let Some(bq) = self.fence.as_ref().map(|f| f.bq) {
            let (_, pos) = strip_bq(b, bq);
            self.fence_line(idx, ls, line, pos);
            return;
        }
        let (bq, pos) = strip_bq(b, usize::MAX);
        if b[pos..].iter().all(|c| *c == b' ' || *c == b'\t') {
            self.close_para();
            self.push_info(LineKind::Blank, pos, false);
            return;
        }
        if self.para.is_some() && bq > self.para_bq {
            self.close_para();
        }
        self.classify(idx, ls, line, bq, pos);
    }

    /// Consumes list markers, then hands the rest of the line to its block start.
    fn classify(&mut self, idx: usize, ls: usize, line: &'a str, bq: usize, pos: usize) {
        let b = line.as_bytes();
        let mut cur = Cursor {
            pos,
            col: 0,
            first: true,
            list_item: false,
        };
        loop {
            let (nonws, indent) = skip_ws(b, cur.pos, cur.col);
            if nonws >= b.len() {
                // Empty list item (`-` alone).
                self.push_info(LineKind::Text, nonws.min(b.len()), cur.list_item);
                return;
            }
            let k = if cur.first {
                self.list.iter().take_while(|&&c| c <= indent).count()
            } else {
                self.list.len()
            };
            let base = k
                .checked_sub(1)
                .and_then(|j| self.list.get(j))
                .copied()
                .unwrap_or(0);
            let rel = indent.saturating_sub(base);
            let st = Start {
                idx,
                ls,
                line,
                bq,
                nonws,
                indent,
                k,
                list_item: cur.list_item,
            };
            if rel >= 4 {
                if self.para.is_some() {
                    self.para_line(idx, ls, line, nonws, bq, cur.list_item);
                } else {
                    self.list.truncate(k);
                    let start = col_to_byte(b, cur.pos, cur.col, base + 4);
                    self.indented_line(idx, ls, line, start);
                    self.push_info(LineKind::Code, start, cur.list_item);
                }
                return;
            }
            if self.indented.is_some() {
                self.close_indented();
            }
            match self.leaf_or_marker(&st, cur.first) {
                Some(m) => self.open_list_item(&st, m, &mut cur),
                None => return,
            }
        }
    }

    /// Handles the block start at `st` (fence, heading, break, HTML or paragraph text);
    /// returns the list marker instead when a list item opens there.
    fn leaf_or_marker(&mut self, st: &Start<'a>, first: bool) -> Option<Marker> {
        let rest = st.line.get(st.nonws..).unwrap_or("");
        // Fast path: a line starting with a letter (or most other bytes) can only be text.
        let lead = rest.as_bytes().first().copied().unwrap_or(b' ');
        if !matches!(
            lead,
            b'`' | b'~' | b'#' | b'=' | b'-' | b'*' | b'_' | b'+' | b'<' | b'0'..=b'9'
        ) {
            self.text_line(st);
            return None;
        }
        if let Some((ch, len)) = fence_open(rest) {
            self.open_fence(st, rest, ch, len);
            return None;
        }
        if let Some((level, cs, ce)) = atx(rest) {
            self.atx_heading(st, level, cs, ce);
            return None;
        }
        if first
            && st.k == self.list.len()
            && st.bq == self.para_bq
            && let Some(level) = self.setext_target(rest)
        {
            self.setext(level);
            self.push_info(LineKind::Heading, st.nonws, st.list_item);
            return None;
        }
        if thematic(rest) {
            self.close_para();
            self.list.truncate(st.k);
            self.push_info(LineKind::ThematicBreak, st.nonws, st.list_item);
            return None;
        }
        if let Some(m) = list_marker(rest)
            && !(self.para.is_some() && m.weak)
        {
            return Some(m);
        }
        if let Some(state) = html_start(rest, self.para.is_some()) {
            self.close_para();
            self.list.truncate(st.k);
            self.start_html(state, st.idx, st.ls, st.line, st.nonws);
            return None;
        }
        self.text_line(st);
        None
    }

    /// Paragraph text; a line that starts a paragraph closes the lists it does not continue.
    fn text_line(&mut self, st: &Start<'a>) {
        if self.para.is_none() {
            self.list.truncate(st.k);
        }
        self.para_line(st.idx, st.ls, st.line, st.nonws, st.bq, st.list_item);
    }

    /// Opens a fenced code block (` ``` ` or `~~~`, `len` long).
    fn open_fence(&mut self, st: &Start<'a>, rest: &'a str, ch: u8, len: usize) {
        self.close_para();
        self.list.truncate(st.k);
        let info = rest.get(len..).unwrap_or("").trim();
        self.fence = Some(Fence {
            ch,
            len,
            indent: st.indent,
            bq: st.bq,
            block: CodeBlock {
                fenced: true,
                lang: lang_of(info),
                info,
                line: st.idx + 1,
                lines: Vec::new(),
                closed: false,
            },
        });
        self.push_info(LineKind::FenceMarker, st.nonws, st.list_item);
    }

    /// An ATX heading whose content is `cs..ce` of the rest of the line.
    fn atx_heading(&mut self, st: &Start<'a>, level: u8, cs: usize, ce: usize) {
        self.close_para();
        self.list.truncate(st.k);
        let (s, e) = (st.nonws + cs, st.nonws + ce);
        self.out.blocks.push(RawBlock {
            kind: BlockKind::Heading(level),
            buf: Cow::Borrowed(st.line.get(s..e).unwrap_or("")),
            segs: Segs::one(Seg {
                joined: 0,
                abs: st.ls + s,
                line: st.idx,
            }),
            first_line: st.idx,
            setext: false,
        });
        self.push_info(LineKind::Heading, st.nonws, st.list_item);
    }

    /// Opens a list item at marker `m`; the cursor moves on to the item's content.
    fn open_list_item(&mut self, st: &Start<'a>, m: Marker, cur: &mut Cursor) {
        let b = st.line.as_bytes();
        let (nonws, indent) = (st.nonws, st.indent);
        self.close_para();
        self.list.truncate(st.k);
        let marker_end = nonws + m.width;
        let (after, after_col) = skip_ws(b, marker_end, indent + m.width);
        let spaces = after_col - (indent + m.width);
        let (content_col, content_byte) = if after >= b.len() || spaces > 4 {
            (indent + m.width + 1, (marker_end + 1).min(b.len()))
        } else {
            (after_col, after)
        };
        self.list.push(content_col);
        cur.list_item = true;
        cur.pos = content_byte;
        cur.col = if after >= b.len() || spaces > 4 {
            content_col
        } else {
            after_col
        };
        cur.first = false;
        if self.list.len() > 256 {
            self.list.truncate(256);
        }
    }

    /// Ends the open paragraph (and any indented code block).
    pub(super) fn close_para(&mut self) {
        if let Some(p) = self.para.take() {
            self.out.blocks.push(p);
        }
        if self.indented.is_some() {
            self.close_indented();
        }
    }

    /// Closes everything still open at end of input.
    fn finish(&mut self) {
        self.close_para();
        if let Some(f) = self.fence.take() {
            self.out.code_blocks.push(f.block);
        }
        self.finish_html();
        self.close_indented();
    }
}
