//! The text of a `run:` scalar (literal, folded, plain or quoted) and the map from each of its
//! characters back to the file position, rebuilt from the source and kept only if it matches.

use saphyr::MarkedYaml;

use super::super::pos::PosMap;
use super::RunScript;
use super::yaml::scalar_string;

/// Source text with a line-start table over chars.
pub(super) struct Src {
    chars: Vec<char>,
    line_starts: Vec<usize>,
}

impl Src {
    /// Index `text`.
    pub(super) fn new(text: &str) -> Self {
        let chars: Vec<char> = text.chars().collect();
        let mut line_starts = vec![0];
        for (i, c) in chars.iter().enumerate() {
            if *c == '\n' {
                line_starts.push(i + 1);
            }
        }
        Self { chars, line_starts }
    }

    /// Chars of 1-based line `line` without the line break.
    fn line(&self, line: usize) -> Option<&[char]> {
        let start = *self.line_starts.get(line.checked_sub(1)?)?;
        let end = self
            .line_starts
            .get(line)
            .map_or(self.chars.len(), |e| e.saturating_sub(1));
        let l = self.chars.get(start..end.max(start))?;
        Some(l.strip_suffix(&['\r']).unwrap_or(l))
    }
}

/// How a scalar was written in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
    Folded,
}

/// Find the style of value `v` by looking at the source between the key and the value.
fn style_of(src: &Src, key: &MarkedYaml, v: &MarkedYaml) -> Style {
    match src.chars.get(v.span.start.index()) {
        Some('"') => return Style::Double,
        Some('\'') => return Style::Single,
        _ => {}
    }
    let from = key.span.end.index();
    let to = v.span.start.index().min(src.chars.len());
    let between = src.chars.get(from..to).unwrap_or(&[]);
    // Skip the `:` and spaces; a block header starts with `|` or `>`.
    match between.iter().find(|c| !(**c == ':' || c.is_whitespace())) {
        Some('|') => Style::Literal,
        Some('>') => Style::Folded,
        _ => Style::Plain,
    }
}

/// The `run:` value `v` (with key `key`) as a [`RunScript`].
pub(super) fn run_script(src: &Src, key: &MarkedYaml, v: &MarkedYaml) -> Option<RunScript> {
    let text = scalar_string(v)?;
    let style = style_of(src, key, v);
    let start = v.span.start;
    let map = match style {
        Style::Literal => literal_map(&text, start.line(), start.col()),
        Style::Folded => folded_map(src, &text, start.line(), start.col())
            .unwrap_or_else(|| PosMap::at(start.line(), start.col() + 1)),
        Style::Plain | Style::Single | Style::Double => flow_map(src, &text, v, style)
            .unwrap_or_else(|| {
                let q = usize::from(style != Style::Plain);
                PosMap::at(start.line(), start.col() + 1 + q)
            }),
    };
    let (line, column) = map.pos(0);
    Some(RunScript {
        text,
        line,
        column,
        map,
    })
}

/// Literal block: text line i sits on file line `first - leading_newlines + i`, at the indent.
fn literal_map(text: &str, first_content_line: usize, indent: usize) -> PosMap {
    let lead = text.chars().take_while(|c| *c == '\n').count();
    let first = first_content_line.saturating_sub(lead).max(1);
    PosMap::verbatim(text, first, indent + 1, indent + 1)
}

/// Folded block: rebuild the folded text from the source and keep it only if it matches.
fn folded_map(src: &Src, text: &str, first_line: usize, indent: usize) -> Option<PosMap> {
    let lead = text.chars().take_while(|c| *c == '\n').count();
    let mut lines: Vec<(usize, String)> = Vec::new();
    let mut ln = first_line;
    while let Some(l) = src.line(ln) {
        let spaces = l.iter().take_while(|c| **c == ' ').count();
        let blank = l.iter().all(|c| *c == ' ' || *c == '\t');
        if !blank && spaces < indent {
            break;
        }
        let content: String = if blank {
            String::new()
        } else {
            l.get(indent..).unwrap_or(&[]).iter().collect()
        };
        lines.push((ln, content));
        ln += 1;
    }
    while lines.last().is_some_and(|(_, l)| l.is_empty()) {
        lines.pop();
    }
    let mut out: String = "\n".repeat(lead);
    let mut count = lead;
    let mut map = PosMap::at(first_line, indent + 1);
    let mut prev_more: Option<bool> = None;
    let mut blanks = 0usize;
    for (ln, l) in &lines {
        if l.is_empty() {
            blanks += 1;
            continue;
        }
        let more = l.starts_with(' ') || l.starts_with('\t');
        if let Some(pm) = prev_more {
            let n = if blanks == 0 {
                usize::from(pm || more)
            } else {
                blanks + usize::from(pm || more)
            };
            if n == 0 {
                out.push(' ');
                count += 1;
            } else {
                out.push_str(&"\n".repeat(n));
                count += n;
            }
        }
        blanks = 0;
        map.push(count, *ln, indent + 1);
        out.push_str(l);
        count += l.chars().count();
        prev_more = Some(more);
    }
    (out.trim_end_matches('\n') == text.trim_end_matches('\n')).then_some(map)
}

/// Plain or quoted scalar: decode it from the source, folding lines, and keep the map if the
/// result equals the parsed value.
fn flow_map(src: &Src, text: &str, v: &MarkedYaml, style: Style) -> Option<PosMap> {
    let q = usize::from(style != Style::Plain);
    let start = v.span.start.index() + q;
    let end = v.span.end.index().checked_sub(q)?;
    let body = src.chars.get(start..end.max(start))?;
    let (mut line, mut col) = (v.span.start.line(), v.span.start.col() + 1 + q);
    let mut out: Vec<char> = Vec::new();
    let mut map = PosMap::at(line, col);
    let mut i = 0;
    let mut pending_break = false;
    let mut breaks = 0usize;
    while let Some(&c) = body.get(i) {
        if c == '\n' {
            // Trim trailing blanks of the line just ended.
            while out.last().is_some_and(|c| *c == ' ' || *c == '\t') {
                out.pop();
            }
            if pending_break {
                breaks += 1;
            }
            pending_break = true;
            line += 1;
            col = 1;
            i += 1;
            // Skip leading blanks of the next line.
            while body.get(i).is_some_and(|c| *c == ' ' || *c == '\t') {
                i += 1;
                col += 1;
            }
            continue;
        }
        if pending_break {
            if breaks == 0 {
                out.push(' ');
            } else {
                out.extend(std::iter::repeat_n('\n', breaks));
            }
            pending_break = false;
            breaks = 0;
        }
        map.push(out.len(), line, col);
        let (decoded, used) = decode_char(body, i, style);
        if let Some(d) = decoded {
            out.push(d);
        }
        i += used.max(1);
        col += used.max(1);
    }
    let rebuilt: String = out.into_iter().collect();
    (rebuilt == text).then_some(map)
}

/// Decode one (possibly escaped) character of a quoted scalar: (char, source chars used).
fn decode_char(body: &[char], i: usize, style: Style) -> (Option<char>, usize) {
    let c = body.get(i).copied();
    match (style, c) {
        (Style::Single, Some('\'')) if body.get(i + 1) == Some(&'\'') => (Some('\''), 2),
        (Style::Double, Some('\\')) => {
            let Some(&e) = body.get(i + 1) else {
                return (None, 1);
            };
            let hex = |n: usize| -> (Option<char>, usize) {
                let digits: String = body.iter().skip(i + 2).take(n).collect();
                let ch = u32::from_str_radix(&digits, 16)
                    .ok()
                    .and_then(char::from_u32);
                (ch, 2 + n)
            };
            match e {
                'n' => (Some('\n'), 2),
                't' | '\t' => (Some('\t'), 2),
                'r' => (Some('\r'), 2),
                '0' => (Some('\0'), 2),
                'a' => (Some('\u{7}'), 2),
                'b' => (Some('\u{8}'), 2),
                'e' => (Some('\u{1b}'), 2),
                'f' => (Some('\u{c}'), 2),
                'v' => (Some('\u{b}'), 2),
                ' ' => (Some(' '), 2),
                'N' => (Some('\u{85}'), 2),
                '_' => (Some('\u{a0}'), 2),
                'L' => (Some('\u{2028}'), 2),
                'P' => (Some('\u{2029}'), 2),
                'x' => hex(2),
                'u' => hex(4),
                'U' => hex(8),
                other => (Some(other), 2),
            }
        }
        (_, c) => (c, 1),
    }
}
