//! Fenced and indented code blocks.

use std::borrow::Cow;

use super::super::{CodeBlock, CodeLine, LineKind};
use super::markers::{col_of, col_to_byte, skip_ws};
use super::parser::Parser;

/// An open fenced code block.
#[derive(Debug)]
pub(super) struct Fence<'a> {
    pub(super) ch: u8,
    pub(super) len: usize,
    pub(super) indent: usize,
    pub(super) bq: usize,
    pub(super) block: CodeBlock<'a>,
}

impl<'a> Parser<'a> {
    /// Adds a line (content from byte `start`) to the open indented code block, or opens one.
    pub(super) fn indented_line(&mut self, idx: usize, ls: usize, line: &'a str, start: usize) {
        let text = line.get(start..).unwrap_or("");
        let column = col_of(self.text, ls, ls + start);
        let blk = self.indented.get_or_insert_with(|| CodeBlock {
            fenced: false,
            lang: None,
            info: "",
            line: idx + 1,
            lines: Vec::new(),
            closed: true,
        });
        if blk.lines.len() < 100_000 {
            blk.lines.push(CodeLine {
                line: idx + 1,
                column,
                text,
            });
        }
    }

    /// Ends the open indented code block.
    pub(super) fn close_indented(&mut self) {
        if let Some(b) = self.indented.take() {
            self.out.code_blocks.push(b);
        }
    }

    /// A line inside a fenced block: closing fence or content (`pos` is after blockquote markers).
    pub(super) fn fence_line(&mut self, idx: usize, ls: usize, line: &'a str, pos: usize) {
        let b = line.as_bytes();
        let Some(f) = self.fence.as_mut() else { return };
        let (nonws, indent) = skip_ws(b, pos, 0);
        let rest = line.get(nonws..).unwrap_or("");
        let run = rest.bytes().take_while(|&c| c == f.ch).count();
        if indent <= f.indent + 3 && run >= f.len && rest[run..].trim().is_empty() {
            if let Some(mut f) = self.fence.take() {
                f.block.closed = true;
                self.out.code_blocks.push(f.block);
            }
            self.push_info(LineKind::FenceMarker, nonws, false);
            return;
        }
        let start = col_to_byte(b, pos, 0, f.indent);
        let column = col_of(self.text, ls, ls + start);
        if f.block.lines.len() < 100_000 {
            f.block.lines.push(CodeLine {
                line: idx + 1,
                column,
                text: line.get(start..).unwrap_or(""),
            });
        }
        self.push_info(LineKind::Code, start, false);
    }
}

/// Opening fence: (fence character, run length).
pub(super) fn fence_open(rest: &str) -> Option<(u8, usize)> {
    let b = rest.as_bytes();
    let ch = *b.first()?;
    if ch != b'`' && ch != b'~' {
        return None;
    }
    let len = b.iter().take_while(|&&c| c == ch).count();
    if len < 3 || (ch == b'`' && b[len..].contains(&b'`')) {
        return None;
    }
    Some((ch, len))
}

/// Lowercased first word of an info string (`{.bash}` and `bash title="x"` handled).
pub(super) fn lang_of(info: &str) -> Option<Cow<'_, str>> {
    let t = info.trim_start_matches(['{', '.', ' ']);
    let end = t
        .find(|c: char| c.is_whitespace() || matches!(c, ',' | '{' | '}' | '`'))
        .unwrap_or(t.len());
    let word = &t[..end];
    if word.is_empty() {
        None
    } else if word.chars().any(char::is_uppercase) {
        Some(Cow::Owned(word.to_lowercase()))
    } else {
        Some(Cow::Borrowed(word))
    }
}
