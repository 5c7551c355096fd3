//! Raw HTML: `<a href>`, `<img src>` links and `id`/`name` anchors.

use std::borrow::Cow;

use super::super::LinkKind;
use super::super::html::{Tag, parse_tag};
use super::entities::decode_entities;
use super::{At, InlineOut, RawLink};

/// Scans a raw HTML block: only tags (`<a href>`, `<img src>`, `id`/`name`) count; comments skipped.
pub(in super::super) fn scan_html_into<'b>(buf: &'b str, out: &mut InlineOut<'b>) {
    let b = buf.as_bytes();
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &b[i..]) {
        let j = i + p;
        if b[j..].starts_with(b"<!--") {
            match memchr::memmem::find(&b[j + 4..], b"-->") {
                Some(e) => {
                    i = j + 4 + e + 3;
                    continue;
                }
                None => break,
            }
        }
        match parse_tag(b, j) {
            Some(tag) => {
                tag_items(buf, &tag, out);
                i = tag.end;
            }
            None => i = j + 1,
        }
    }
}

/// Records links and anchor ids carried by a tag.
pub(super) fn tag_items<'b>(buf: &'b str, tag: &Tag, out: &mut InlineOut<'b>) {
    if tag.closing {
        return;
    }
    let val = |r: (usize, usize)| buf.get(r.0..r.1).unwrap_or("");
    let link = match tag.name.as_str() {
        "a" => tag.attr("href").map(|v| (v, false)),
        "img" => tag.attr("src").map(|v| (v, true)),
        _ => None,
    };
    if let Some((r, image)) = link {
        out.links.push(RawLink {
            dest: decode_entities(val(r)),
            at: At::Off(r.0),
            image,
            kind: LinkKind::Html,
            text: Cow::Borrowed(""),
        });
    }
    if let Some(r) = tag.attr("id") {
        out.ids.push(decode_entities(val(r)).into_owned());
    }
    if tag.name == "a"
        && let Some(r) = tag.attr("name")
    {
        out.ids.push(decode_entities(val(r)).into_owned());
    }
}
