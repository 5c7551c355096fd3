//! Block structure: source lines → paragraphs, headings, tables, HTML blocks, code blocks.
//!
//! A line-based CommonMark approximation: blockquote markers are stripped, list items are
//! tracked by their content column (to tell list continuation from indented code), fences
//! close on a matching fence regardless of container dedent (forgiving, like most readers).
//!
//! `parser` walks the lines and dispatches on block starts; `paragraph` (paragraphs,
//! tables, setext headings), `code` (fenced and indented code) and `html_block` handle
//! the blocks; `markers` recognises line-level syntax (blockquote, list, ATX, breaks).

mod code;
mod html_block;
mod markers;
mod paragraph;
mod parser;

use std::borrow::Cow;

use super::{CodeBlock, LineInfo};

pub(super) use self::parser::parse_blocks;

/// Maps a slice of a block buffer back to the source.
#[derive(Debug, Clone, Copy)]
pub(super) struct Seg {
    /// Offset of this segment in the block buffer.
    pub joined: usize,
    /// Absolute byte offset in the source text.
    pub abs: usize,
    /// 0-based line index.
    pub line: usize,
}

/// Segments of a block buffer: the first inline (most blocks are one line), the rest in a Vec.
#[derive(Debug, Clone)]
pub(super) struct Segs {
    pub first: Seg,
    pub more: Vec<Seg>,
}

impl Segs {
    fn one(seg: Seg) -> Self {
        Segs {
            first: seg,
            more: Vec::new(),
        }
    }

    /// The segment containing buffer offset `off`.
    pub(super) fn find(&self, off: usize) -> Seg {
        let k = self.more.partition_point(|s| s.joined <= off);
        match k.checked_sub(1).and_then(|i| self.more.get(i)) {
            Some(s) => *s,
            None => self.first,
        }
    }
}

/// Kind of an inline-bearing block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum BlockKind {
    Para,
    Table,
    Heading(u8),
    /// Raw HTML (only tags are scanned).
    Html,
}

/// A block whose content is scanned for inlines; single-line content borrows the source.
#[derive(Debug, Clone)]
pub(super) struct RawBlock<'a> {
    pub kind: BlockKind,
    pub buf: Cow<'a, str>,
    pub segs: Segs,
    /// 0-based line of the first content line.
    pub first_line: usize,
    /// A setext heading (may start with link reference definitions).
    pub setext: bool,
}

/// Result of block parsing.
#[derive(Debug, Default)]
pub(super) struct BlockOut<'a> {
    pub blocks: Vec<RawBlock<'a>>,
    pub code_blocks: Vec<CodeBlock<'a>>,
    pub lines: Vec<LineInfo>,
    pub line_starts: Vec<usize>,
}
