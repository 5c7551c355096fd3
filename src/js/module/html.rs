//! HTML-ish files: `<script>` blocks (with `src`/`type` attributes) of HTML, Vue, Svelte
//! and Astro files, and Astro front matter.

use std::sync::OnceLock;

use memchr::memmem;
use regex::bytes::Regex;

use super::{Import, ImportKind, LineCol, ModuleInfo, parse_range};

/// A `<script …>…</script>` block: its attributes and body range.
pub(super) struct ScriptBlock {
    /// Byte range of the attributes.
    attrs: (usize, usize),
    /// Byte range of the body, if not empty.
    pub(super) body: Option<(usize, usize)>,
}

fn script_open_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(r"(?i)<script\b([^>]*)>").ok())
        .as_ref()
}

fn attr_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r#"(?i)\b(src|type)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))"#).ok()
    })
    .as_ref()
}

pub(super) fn script_blocks(text: &[u8]) -> Vec<ScriptBlock> {
    let mut out = Vec::new();
    let Some(re) = script_open_re() else {
        return out;
    };
    let close = memmem::Finder::new(b"</script");
    let mut from = 0;
    while let Some(c) = text.get(from..).and_then(|t| re.captures(t)) {
        let (Some(all), Some(attrs)) = (c.get(0), c.get(1)) else {
            break;
        };
        let body_start = from + all.end();
        let attrs = (from + attrs.start(), from + attrs.end());
        let self_closing = text.get(attrs.1.saturating_sub(1)) == Some(&b'/');
        let body_end = if self_closing {
            body_start
        } else {
            close
                .find(text.get(body_start..).unwrap_or(&[]))
                .map_or(text.len(), |k| body_start + k)
        };
        out.push(ScriptBlock {
            attrs,
            body: (body_end > body_start).then_some((body_start, body_end)),
        });
        from = body_end.max(body_start).max(from + 1);
    }
    out
}

pub(super) fn parse_html(text: &[u8], out: &mut ModuleInfo) {
    let mut lc = LineCol {
        src: text,
        pos: 0,
        line: 1,
        col: 1,
    };
    for block in script_blocks(text) {
        let attrs = text.get(block.attrs.0..block.attrs.1).unwrap_or(&[]);
        let mut src = None;
        let mut ty = None;
        if let Some(re) = attr_re() {
            for c in re.captures_iter(attrs) {
                let v = c.get(2).or(c.get(3)).or(c.get(4));
                let (Some(k), Some(v)) = (c.get(1), v) else {
                    continue;
                };
                let val = String::from_utf8_lossy(v.as_bytes()).into_owned();
                if k.as_bytes().eq_ignore_ascii_case(b"src") {
                    src = Some((block.attrs.0 + v.start(), val));
                } else {
                    ty = Some(val.to_ascii_lowercase());
                }
            }
        }
        let js = ty.as_deref().is_none_or(|t| {
            t.is_empty() || t == "module" || t.contains("javascript") || t == "text/typescript"
        });
        if !js {
            continue;
        }
        if let Some((at, spec)) = src {
            if !spec.contains("://") && !spec.starts_with("//") {
                let (line, column) = lc.at(at.saturating_sub(1));
                out.imports.push(Import {
                    specifier: spec,
                    kind: ImportKind::HtmlScript,
                    type_only: false,
                    bindings: Vec::new(),
                    line,
                    column,
                });
            }
        } else if let Some((s, e)) = block.body {
            let mut inner = ModuleInfo::default();
            parse_range(text, s, e, &mut inner);
            out.imports.extend(inner.imports);
        }
    }
}

pub(super) fn astro_frontmatter(text: &[u8]) -> Option<(usize, usize)> {
    let lead = text.iter().take_while(|c| c.is_ascii_whitespace()).count();
    if text.get(lead..lead + 3) != Some(b"---") {
        return None;
    }
    let start = lead + 3;
    let end = memmem::find(text.get(start..)?, b"\n---").map_or(text.len(), |k| start + k);
    Some((start, end))
}
