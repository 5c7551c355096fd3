//! Paragraph lines, GFM tables (header + delimiter row) and setext headings.

use std::borrow::Cow;

use super::super::LineKind;
use super::parser::Parser;
use super::{BlockKind, RawBlock, Seg, Segs};

impl<'a> Parser<'a> {
    /// Adds a line to the open paragraph (turning it into a table on a delimiter row) or
    /// starts a new one.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn para_line(
        &mut self,
        idx: usize,
        ls: usize,
        line: &'a str,
        nonws: usize,
        bq: usize,
        list_item: bool,
    ) {
        let content = line.get(nonws..).unwrap_or("");
        let mut kind = LineKind::Text;
        match &mut self.para {
            Some(p) => {
                if p.kind == BlockKind::Para
                    && self.para_lines.len() == 1
                    && is_table_delim(content)
                {
                    let header = p.buf.as_ref();
                    if header.contains('|') && count_cells(header) == count_cells(content) {
                        p.kind = BlockKind::Table;
                        if let Some(&l) = self.para_lines.first()
                            && let Some(info) = self.out.lines.get_mut(l)
                        {
                            info.kind = LineKind::TableRow;
                        }
                    }
                }
                if p.kind == BlockKind::Table {
                    kind = LineKind::TableRow;
                }
                if let Cow::Borrowed(first) = p.buf {
                    let mut own = String::with_capacity(first.len() * 4 + content.len() + 1);
                    own.push_str(first);
                    p.buf = Cow::Owned(own);
                }
                let buf = p.buf.to_mut();
                buf.push('\n');
                p.segs.more.push(Seg {
                    joined: buf.len(),
                    abs: ls + nonws,
                    line: idx,
                });
                buf.push_str(content);
            }
            None => {
                self.para = Some(RawBlock {
                    kind: BlockKind::Para,
                    buf: Cow::Borrowed(content),
                    segs: Segs::one(Seg {
                        joined: 0,
                        abs: ls + nonws,
                        line: idx,
                    }),
                    first_line: idx,
                    setext: false,
                });
                self.para_bq = bq;
                self.para_lines.clear();
            }
        }
        self.para_lines.push(idx);
        self.push_info(kind, nonws, list_item);
    }

    /// Setext underline level (`===` → 1, `---` → 2) if `rest` underlines the open paragraph.
    pub(super) fn setext_target(&self, rest: &str) -> Option<u8> {
        let p = self.para.as_ref()?;
        if p.kind != BlockKind::Para {
            return None;
        }
        let t = rest.trim_end();
        if !t.is_empty() && t.bytes().all(|c| c == b'=') {
            Some(1)
        } else if !t.is_empty() && t.bytes().all(|c| c == b'-') {
            Some(2)
        } else {
            None
        }
    }

    /// Turns the open paragraph into a setext heading of `level`.
    pub(super) fn setext(&mut self, level: u8) {
        if let Some(mut p) = self.para.take() {
            let trimmed = p.buf.trim_end_matches([' ', '\t']).len();
            match &mut p.buf {
                Cow::Borrowed(b) => *b = b.get(..trimmed).unwrap_or(b),
                Cow::Owned(o) => o.truncate(trimmed),
            }
            p.kind = BlockKind::Heading(level);
            p.setext = true;
            for &l in &self.para_lines {
                if let Some(info) = self.out.lines.get_mut(l) {
                    info.kind = LineKind::Heading;
                }
            }
            self.out.blocks.push(p);
        }
    }
}

/// GFM table delimiter row (`| --- | :-: |`).
fn is_table_delim(line: &str) -> bool {
    let t = line.trim();
    if !t.contains('-')
        || !t
            .bytes()
            .all(|c| matches!(c, b'|' | b':' | b'-' | b' ' | b'\t'))
    {
        return false;
    }
    let inner = t.strip_prefix('|').unwrap_or(t);
    let inner = inner.strip_suffix('|').unwrap_or(inner);
    let mut cells = inner.split('|');
    (t.contains('|') || inner.split('|').count() == 1)
        && cells.all(|c| {
            let c = c.trim();
            let c = c.strip_prefix(':').unwrap_or(c);
            let c = c.strip_suffix(':').unwrap_or(c);
            !c.is_empty() && c.bytes().all(|x| x == b'-')
        })
}

/// Number of cells in a table row (unescaped pipes; edge pipes optional).
fn count_cells(line: &str) -> usize {
    let t = line.trim();
    let b = t.as_bytes();
    let mut n = 1;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'|' if i != 0 && i + 1 != b.len() => n += 1,
            _ => {}
        }
        i += 1;
    }
    n
}
