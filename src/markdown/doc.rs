//! Document assembly (blocks + inlines + slugs) and the set of loaded Markdown files.

use std::borrow::Cow;
use std::collections::HashMap;

use super::block::{BlockKind, BlockOut, RawBlock, Segs, parse_blocks};
use super::inline::{At, Def, InlineOut, Scratch, parse_defs, scan_html_into, scan_into};
use super::slug::Slugger;
use super::{CodeSpan, Document, Heading, Link, MAX_FILE_BYTES, is_markdown_path};

/// Maps block-buffer offsets to 1-based (line, character column), amortised linear.
struct Locator<'a> {
    text: &'a str,
    line_starts: &'a [usize],
    cache: Option<(usize, usize, usize)>,
}

impl Locator<'_> {
    fn pos(&mut self, segs: &Segs, off: usize) -> (usize, usize) {
        let seg = segs.find(off);
        let abs = seg.abs + (off - seg.joined.min(off));
        self.abs_pos(seg.line, abs)
    }

    fn abs_pos(&mut self, line: usize, abs: usize) -> (usize, usize) {
        let ls = self.line_starts.get(line).copied().unwrap_or(0);
        let col = match self.cache {
            Some((l, a, c)) if l == line && a <= abs => {
                c + self.text.get(a..abs).map_or(0, |s| s.chars().count())
            }
            _ => 1 + self.text.get(ls..abs).map_or(0, |s| s.chars().count()),
        };
        self.cache = Some((line, abs, col));
        (line + 1, col)
    }
}

/// Parses Markdown `text` into a [`Document`] (headings with GitHub slugs, links,
/// code spans, code blocks, anchors, per-line block kinds).
pub fn parse(text: &str) -> Document<'_> {
    parse_with_starts(text.strip_prefix('\u{feff}').unwrap_or(text)).0
}

/// [`parse`] plus the byte offset of every line start.
pub(super) fn parse_with_starts(text: &str) -> (Document<'_>, Vec<usize>) {
    let BlockOut {
        blocks,
        code_blocks,
        lines,
        line_starts,
    } = parse_blocks(text);
    let mut loc = Locator {
        text,
        line_starts: &line_starts,
        cache: None,
    };
    let (defs, consumed) = collect_defs(&blocks, &mut loc);
    let mut doc = Document {
        lines,
        code_blocks,
        ..Document::default()
    };
    let n_headings = blocks
        .iter()
        .filter(|b| matches!(b.kind, BlockKind::Heading(_)))
        .count();
    let mut slugger = Slugger::with_capacity(n_headings);
    doc.headings.reserve(n_headings);
    let mut out: InlineOut<'_> = InlineOut::default();
    let mut scratch = Scratch::default();
    for (i, blk) in blocks.iter().enumerate() {
        let start = consumed.get(i).copied().unwrap_or(0);
        if plain_heading(blk, start, &mut slugger, &mut doc) {
            continue;
        }
        scan_raw_block(blk, start, &defs, &mut out, &mut scratch);
        let plain = place_inlines(&mut doc, &mut loc, blk, &mut out);
        if let BlockKind::Heading(level) = blk.kind {
            if blk.setext && start > 0 && blk.buf.get(start..).is_none_or(|r| r.trim().is_empty()) {
                continue;
            }
            if let Some(id) = custom_id(&blk.buf) {
                doc.anchors.insert(id);
            }
            let slug = slugger.slug(&plain);
            doc.headings.push(Heading {
                level,
                line: blk.first_line + 1,
                text: Cow::Owned(plain),
                slug,
            });
        }
    }
    let ids = std::mem::take(&mut doc.anchors);
    doc.anchors = slugger.into_slugs();
    doc.anchors.extend(ids);
    doc.code_spans.sort_by_key(|s| (s.line, s.column));
    (doc, line_starts)
}

/// Link reference definitions of all blocks (the first definition of a label wins), and for
/// each block the number of leading bytes its definitions occupy.
fn collect_defs(
    blocks: &[RawBlock<'_>],
    loc: &mut Locator<'_>,
) -> (HashMap<String, Def>, Vec<usize>) {
    let mut defs: HashMap<String, Def> = HashMap::new();
    let mut consumed = vec![0usize; blocks.len()];
    for (i, blk) in blocks.iter().enumerate() {
        let may_define = blk.kind == BlockKind::Para
            || (blk.setext && matches!(blk.kind, BlockKind::Heading(_)));
        if may_define && blk.buf.trim_start().starts_with('[') {
            let (ds, c) = parse_defs(&blk.buf);
            for d in ds {
                let (line, column) = loc.pos(&blk.segs, d.off);
                defs.entry(d.key).or_insert(Def {
                    dest: d.dest,
                    line,
                    column,
                });
            }
            if let Some(slot) = consumed.get_mut(i) {
                *slot = c;
            }
        }
    }
    (defs, consumed)
}

/// Fast path: a one-line heading without any inline syntax is its own plain text.
/// Returns whether `blk` was such a heading (and was added to `doc`).
fn plain_heading<'a>(
    blk: &RawBlock<'a>,
    start: usize,
    slugger: &mut Slugger,
    doc: &mut Document<'a>,
) -> bool {
    if let (BlockKind::Heading(level), Cow::Borrowed(src)) = (blk.kind, &blk.buf)
        && start == 0
        && !src.bytes().any(|c| {
            matches!(
                c,
                b'\\' | b'`' | b'[' | b']' | b'!' | b'<' | b'&' | b'*' | b'_' | b'{'
            )
        })
    {
        let slug = slugger.slug(src);
        doc.headings.push(Heading {
            level,
            line: blk.first_line + 1,
            text: Cow::Borrowed(src),
            slug,
        });
        return true;
    }
    false
}

/// Scans the inlines of `blk` from byte `start` into `out`. Single-line blocks borrow the
/// source; joined multi-line buffers are copied out.
fn scan_raw_block<'a>(
    blk: &RawBlock<'a>,
    start: usize,
    defs: &HashMap<String, Def>,
    out: &mut InlineOut<'a>,
    scratch: &mut Scratch,
) {
    match &blk.buf {
        Cow::Borrowed(src) => scan_block(blk.kind, src, start, defs, out, scratch),
        Cow::Owned(own) => {
            let mut tmp = InlineOut::default();
            scan_block(blk.kind, own, start, defs, &mut tmp, scratch);
            let tmp = tmp.into_owned();
            out.links.extend(tmp.links);
            out.spans.extend(tmp.spans);
            out.ids.extend(tmp.ids);
            out.plain = tmp.plain;
        }
    }
}

/// Moves the scanned links, code spans and ids of `blk` into `doc` at source positions;
/// returns the block's plain text.
fn place_inlines<'a>(
    doc: &mut Document<'a>,
    loc: &mut Locator<'_>,
    blk: &RawBlock<'_>,
    out: &mut InlineOut<'a>,
) -> String {
    for l in out.links.drain(..) {
        let (line, column) = match l.at {
            At::Off(o) => loc.pos(&blk.segs, o),
            At::Pos(a, b) => (a, b),
        };
        doc.links.push(Link {
            dest: l.dest,
            line,
            column,
            image: l.image,
            kind: l.kind,
            text: l.text,
        });
    }
    for (t, o, in_link) in out.spans.drain(..) {
        let (line, column) = loc.pos(&blk.segs, o);
        doc.code_spans.push(CodeSpan {
            text: t,
            line,
            column,
            in_link,
        });
    }
    doc.anchors.extend(out.ids.drain(..));
    std::mem::take(&mut out.plain)
}

fn scan_block<'b>(
    kind: BlockKind,
    buf: &'b str,
    start: usize,
    defs: &HashMap<String, Def>,
    out: &mut InlineOut<'b>,
    scratch: &mut Scratch,
) {
    match kind {
        BlockKind::Html => scan_html_into(buf, out),
        BlockKind::Heading(_) => scan_into(buf, start, defs, true, out, scratch),
        _ => scan_into(buf, start, defs, false, out, scratch),
    }
}

/// `{#custom-id}` at the end of a heading.
fn custom_id(raw: &str) -> Option<String> {
    let t = raw.trim_end().strip_suffix('}')?;
    let open = t.rfind("{#")?;
    let id = &t[open + 2..];
    (!id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')))
    .then(|| id.to_string())
}

/// A Markdown file's text as read (or a note that it was too big).
#[derive(Debug)]
pub(super) struct Source {
    pub path: String,
    pub text: String,
    pub too_big: bool,
}

/// Reads every Markdown file in `files` (outside `node_modules/`), once each.
pub(super) fn load_sources(
    files: &[String],
    read: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Vec<Source> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for f in files {
        let path = f.trim_start_matches("./");
        if !is_markdown_path(path) || path.split('/').any(is_vendored_dir) || !seen.insert(path) {
            continue;
        }
        let Some(bytes) = read(f) else { continue };
        if bytes.len() > MAX_FILE_BYTES {
            out.push(Source {
                path: path.to_string(),
                text: String::new(),
                too_big: true,
            });
            continue;
        }
        let mut text = String::from_utf8(bytes)
            .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        if text.starts_with('\u{feff}') {
            text.drain(..3);
        }
        out.push(Source {
            path: path.to_string(),
            text,
            too_big: false,
        });
    }
    out
}

/// Third-party trees whose Markdown is not the repository's own.
fn is_vendored_dir(seg: &str) -> bool {
    matches!(
        seg,
        "node_modules" | "vendor" | "third_party" | "third-party" | "bower_components" | ".git"
    )
}

/// One parsed Markdown file, borrowing its [`Source`].
#[derive(Debug)]
pub(super) struct Loaded<'a> {
    pub path: &'a str,
    pub text: &'a str,
    pub doc: Document<'a>,
    pub line_starts: Vec<usize>,
    /// Skipped because larger than [`MAX_FILE_BYTES`].
    pub too_big: bool,
}

impl Loaded<'_> {
    /// Text of 1-based line `n` (without newline).
    pub(super) fn line_text(&self, n: usize) -> &str {
        let Some(&s) = self.line_starts.get(n.wrapping_sub(1)) else {
            return "";
        };
        let e = self
            .line_starts
            .get(n)
            .map_or(self.text.len(), |e| e.saturating_sub(1));
        let l = self.text.get(s..e.max(s)).unwrap_or("");
        let l = l.strip_suffix('\n').unwrap_or(l);
        l.strip_suffix('\r').unwrap_or(l)
    }
}

/// All Markdown files of the repository, parsed once.
#[derive(Debug, Default)]
pub(super) struct DocSet<'a> {
    docs: Vec<Loaded<'a>>,
    by_path: HashMap<&'a str, usize>,
    threads: usize,
}

impl<'a> DocSet<'a> {
    /// Parses every source.
    pub(super) fn new(sources: &'a [Source]) -> Self {
        let bytes = sources.iter().map(|s| s.text.len()).sum();
        let threads = super::par::workers(sources.len(), bytes);
        let docs = super::par::map(sources, threads, |src| {
            let (doc, line_starts) = if src.too_big {
                (Document::default(), Vec::new())
            } else {
                parse_with_starts(&src.text)
            };
            Loaded {
                path: &src.path,
                text: &src.text,
                doc,
                line_starts,
                too_big: src.too_big,
            }
        });
        let by_path = docs.iter().enumerate().map(|(i, d)| (d.path, i)).collect();
        DocSet {
            docs,
            by_path,
            threads,
        }
    }

    /// Loaded documents as a slice.
    pub(super) fn docs(&self) -> &[Loaded<'a>] {
        &self.docs
    }

    /// Worker threads worth using for per-document work on this set.
    pub(super) fn threads(&self) -> usize {
        self.threads
    }

    /// Loaded documents in input order.
    pub(super) fn iter(&self) -> impl Iterator<Item = &Loaded<'a>> {
        self.docs.iter()
    }

    /// Document at repo-relative `path`.
    pub(super) fn get(&self, path: &str) -> Option<&Loaded<'a>> {
        self.by_path.get(path).and_then(|&i| self.docs.get(i))
    }
}
