//! Raw HTML blocks (CommonMark kinds 1–7): comments, processing instructions, raw-text
//! tags and block-level tags; only tag-bearing blocks are scanned for links and ids.

use std::borrow::Cow;

use super::super::LineKind;
use super::super::html::{BLOCK_TAGS, parse_tag};
use super::parser::Parser;
use super::{BlockKind, RawBlock, Seg, Segs};

/// What ends an HTML block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum HtmlEnd {
    Blank,
    Contains(&'static str),
    RawTag,
}

/// An open HTML block.
#[derive(Debug)]
pub(super) struct HtmlState {
    end: HtmlEnd,
    comment: bool,
    scan: bool,
}

impl<'a> Parser<'a> {
    /// Opens an HTML block at byte `nonws` of the line.
    pub(super) fn start_html(
        &mut self,
        state: HtmlState,
        idx: usize,
        ls: usize,
        line: &'a str,
        nonws: usize,
    ) {
        let blk = RawBlock {
            kind: BlockKind::Html,
            buf: Cow::Borrowed(""),
            segs: Segs::one(Seg {
                joined: 0,
                abs: ls + nonws,
                line: idx,
            }),
            first_line: idx,
            setext: false,
        };
        self.html = Some((state, blk));
        self.html_content(idx, ls, line, nonws);
    }

    /// A line while an HTML block is open (a blank line may end it).
    pub(super) fn html_line(&mut self, idx: usize, ls: usize, line: &'a str) {
        let blank = line.trim().is_empty();
        if blank
            && matches!(
                self.html.as_ref().map(|h| h.0.end),
                Some(HtmlEnd::Blank | HtmlEnd::RawTag)
            )
        {
            self.finish_html();
            self.push_info(LineKind::Blank, 0, false);
            return;
        }
        self.html_content(idx, ls, line, 0);
    }

    /// Adds line content from byte `from` to the HTML block; closes it at its end marker.
    fn html_content(&mut self, idx: usize, ls: usize, line: &'a str, from: usize) {
        let Some((state, blk)) = self.html.as_mut() else {
            return;
        };
        let content = line.get(from..).unwrap_or("");
        if state.scan {
            if blk.buf.is_empty() && blk.segs.more.is_empty() {
                blk.buf = Cow::Borrowed(content);
            } else {
                let buf = blk.buf.to_mut();
                buf.push('\n');
                blk.segs.more.push(Seg {
                    joined: buf.len(),
                    abs: ls + from,
                    line: idx,
                });
                buf.push_str(content);
            }
        }
        let kind = if state.comment {
            LineKind::Comment
        } else {
            LineKind::Html
        };
        let done = match state.end {
            HtmlEnd::Contains(t) => content.contains(t),
            HtmlEnd::RawTag => {
                let l = content.to_ascii_lowercase();
                ["</script>", "</pre>", "</style>", "</textarea>"]
                    .iter()
                    .any(|t| l.contains(t))
            }
            HtmlEnd::Blank => false,
        };
        self.push_info(kind, from, false);
        if done {
            self.finish_html();
        }
    }

    /// Ends the open HTML block, keeping it for scanning if it carries tags.
    pub(super) fn finish_html(&mut self) {
        if let Some((state, blk)) = self.html.take()
            && state.scan
        {
            self.out.blocks.push(blk);
        }
    }
}

/// Start condition of an HTML block, if `rest` opens one (`in_para`: kind 7 cannot interrupt).
pub(super) fn html_start(rest: &str, in_para: bool) -> Option<HtmlState> {
    let b = rest.as_bytes();
    if b.first() != Some(&b'<') {
        return None;
    }
    let st = |end, comment, scan| Some(HtmlState { end, comment, scan });
    if rest.starts_with("<!--") {
        return st(HtmlEnd::Contains("-->"), true, false);
    }
    if rest.starts_with("<?") {
        return st(HtmlEnd::Contains("?>"), true, false);
    }
    if rest.starts_with("<![CDATA[") {
        return st(HtmlEnd::Contains("]]>"), true, false);
    }
    if rest.starts_with("<!") && b.get(2).is_some_and(u8::is_ascii_alphabetic) {
        return st(HtmlEnd::Contains(">"), true, false);
    }
    let closing = b.get(1) == Some(&b'/');
    let name_start = if closing { 2 } else { 1 };
    let name: String = rest
        .get(name_start..)
        .unwrap_or("")
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    let after = b.get(name_start + name.len()).copied();
    let boundary = matches!(after, None | Some(b' ') | Some(b'\t') | Some(b'>'))
        || (after == Some(b'/') && b.get(name_start + name.len() + 1) == Some(&b'>'));
    if !closing && boundary && matches!(name.as_str(), "script" | "style") {
        return st(HtmlEnd::RawTag, false, false);
    }
    if !closing && boundary && matches!(name.as_str(), "pre" | "textarea") {
        return st(HtmlEnd::RawTag, false, true);
    }
    if boundary && BLOCK_TAGS.contains(&name.as_str()) {
        return st(HtmlEnd::Blank, false, true);
    }
    if !in_para && !name.is_empty() {
        let tag = parse_tag(b, 0)?;
        if rest.get(tag.end..).is_some_and(|r| r.trim().is_empty()) {
            return st(HtmlEnd::Blank, false, true);
        }
    }
    None
}
