//! Inline scanning of a block buffer: code spans, links/images (inline, reference,
//! autolink, raw HTML), entities and escapes; for headings also the plain text
//! (emphasis delimiters and link syntax removed) that github-slugger sees.
//!
//! `scanner` drives the byte loop (code spans, autolinks, raw HTML, entities), `brackets`
//! resolves `[…](…)`/`[…][…]` links, `emphasis` strips `*`/`_` for slugs, `link_syntax`
//! and `definitions` parse destinations, titles, labels and `[x]: dest` definitions,
//! `html_tags` reads `<a href>`/`<img src>`/`id`, `entities` decodes `&…;` and escapes.

mod brackets;
mod definitions;
mod emphasis;
mod entities;
mod html_tags;
mod link_syntax;
mod scanner;

use std::borrow::Cow;

use super::LinkKind;

pub(super) use self::definitions::parse_defs;
pub(super) use self::html_tags::scan_html_into;
pub(super) use self::scanner::{Scratch, scan_into};

/// Longest link destination or title scanned (bytes).
const MAX_DEST: usize = 4096;
/// Longest link label (CommonMark's limit).
const MAX_LABEL: usize = 999;
/// Most unmatched `[` kept per block.
const MAX_OPENERS: usize = 1000;
/// Most emphasis delimiter runs kept per block.
const MAX_DELIMS: usize = 1000;

/// A resolved link reference definition.
#[derive(Debug, Clone)]
pub(super) struct Def {
    pub dest: String,
    pub line: usize,
    pub column: usize,
}

/// A definition as parsed from a paragraph buffer.
#[derive(Debug, Clone)]
pub(super) struct RawDef {
    pub key: String,
    pub dest: String,
    pub off: usize,
}

/// Where a link destination is.
#[derive(Debug, Clone, Copy)]
pub(super) enum At {
    /// Byte offset in the block buffer.
    Off(usize),
    /// Already-known (line, column), for reference links.
    Pos(usize, usize),
}

/// A link found by the scanner.
#[derive(Debug, Clone)]
pub(super) struct RawLink<'b> {
    pub dest: Cow<'b, str>,
    pub at: At,
    pub image: bool,
    pub kind: LinkKind,
    pub text: Cow<'b, str>,
}

/// Scanner output; offsets are into the block buffer, strings borrow from it.
#[derive(Debug, Default)]
pub(super) struct InlineOut<'b> {
    pub links: Vec<RawLink<'b>>,
    /// Code spans: text, buffer offset, inside link/image text.
    pub spans: Vec<(Cow<'b, str>, usize, bool)>,
    pub ids: Vec<String>,
    pub plain: String,
}

impl InlineOut<'_> {
    /// Detaches the output from the scanned buffer.
    pub(super) fn into_owned(self) -> InlineOut<'static> {
        let own = |c: Cow<'_, str>| Cow::Owned(c.into_owned());
        InlineOut {
            links: self
                .links
                .into_iter()
                .map(|l| RawLink {
                    dest: own(l.dest),
                    at: l.at,
                    image: l.image,
                    kind: l.kind,
                    text: own(l.text),
                })
                .collect(),
            spans: self
                .spans
                .into_iter()
                .map(|(t, o, l)| (own(t), o, l))
                .collect(),
            ids: self.ids,
            plain: self.plain,
        }
    }
}
