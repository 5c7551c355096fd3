//! Just enough HTML tag parsing for `<a href>`, `<img src>`, `id`/`name` anchors
//! and HTML-block detection.

/// One attribute: lowercase name and the byte range of its raw value (entities not decoded).
#[derive(Debug, Clone)]
pub(super) struct Attr {
    pub name: String,
    pub value: Option<(usize, usize)>,
}

/// A parsed open or closing tag.
#[derive(Debug, Clone)]
pub(super) struct Tag {
    pub name: String,
    pub closing: bool,
    pub attrs: Vec<Attr>,
    /// Byte offset just past the closing `>`.
    pub end: usize,
}

const MAX_TAG_LEN: usize = 4096;
const MAX_ATTRS: usize = 64;

/// Parses a tag starting at `b[i] == b'<'`. Tags may span lines (`\n` is whitespace).
pub(super) fn parse_tag(b: &[u8], i: usize) -> Option<Tag> {
    let limit = b.len().min(i.saturating_add(MAX_TAG_LEN));
    let mut p = i + 1;
    let closing = b.get(p) == Some(&b'/');
    if closing {
        p += 1;
    }
    let name_start = p;
    if !b.get(p)?.is_ascii_alphabetic() {
        return None;
    }
    while p < limit && (b[p].is_ascii_alphanumeric() || b[p] == b'-') {
        p += 1;
    }
    let name = String::from_utf8_lossy(&b[name_start..p]).to_ascii_lowercase();
    let mut attrs = Vec::new();
    loop {
        let ws_start = p;
        while p < limit && b[p].is_ascii_whitespace() {
            p += 1;
        }
        match b.get(p) {
            Some(b'>') if p < limit => {
                return Some(Tag {
                    name,
                    closing,
                    attrs,
                    end: p + 1,
                });
            }
            Some(b'/') if !closing && b.get(p + 1) == Some(&b'>') && p + 1 < limit => {
                return Some(Tag {
                    name,
                    closing,
                    attrs,
                    end: p + 2,
                });
            }
            _ => {}
        }
        if closing || p == ws_start || p >= limit || attrs.len() >= MAX_ATTRS {
            return None;
        }
        let (attr, next) = parse_attr(b, p, limit)?;
        attrs.push(attr);
        p = next;
    }
}

fn parse_attr(b: &[u8], mut p: usize, limit: usize) -> Option<(Attr, usize)> {
    let start = p;
    let first = *b.get(p)?;
    if !(first.is_ascii_alphabetic() || first == b'_' || first == b':') {
        return None;
    }
    while p < limit && (b[p].is_ascii_alphanumeric() || matches!(b[p], b'_' | b'.' | b':' | b'-')) {
        p += 1;
    }
    let name = String::from_utf8_lossy(&b[start..p]).to_ascii_lowercase();
    let mut q = p;
    while q < limit && b[q].is_ascii_whitespace() {
        q += 1;
    }
    if b.get(q) != Some(&b'=') || q >= limit {
        return Some((Attr { name, value: None }, p));
    }
    q += 1;
    while q < limit && b[q].is_ascii_whitespace() {
        q += 1;
    }
    let quote = *b.get(q)?;
    if quote == b'"' || quote == b'\'' {
        let vs = q + 1;
        let rel = memchr::memchr(quote, b.get(vs..limit)?)?;
        Some((
            Attr {
                name,
                value: Some((vs, vs + rel)),
            },
            vs + rel + 1,
        ))
    } else {
        let vs = q;
        while q < limit
            && !b[q].is_ascii_whitespace()
            && !matches!(b[q], b'"' | b'\'' | b'=' | b'<' | b'>' | b'`')
        {
            q += 1;
        }
        if q == vs {
            return None;
        }
        Some((
            Attr {
                name,
                value: Some((vs, q)),
            },
            q,
        ))
    }
}

impl Tag {
    /// Byte range of attribute `name`'s value, if present with a value.
    pub(super) fn attr(&self, name: &str) -> Option<(usize, usize)> {
        self.attrs
            .iter()
            .find(|a| a.name == name)
            .and_then(|a| a.value)
    }
}

/// Block-level tag names that start an HTML block of CommonMark type 6.
pub(super) const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];
