//! A fast JS/TS "lexer-lite": just enough tokens to find module syntax correctly.
//!
//! Skips `//` and `/* */` comments, `'…'`/`"…"` strings, template literals with nested
//! `${ … }` (tracked with an explicit brace stack, no recursion) and regex literals (the
//! usual heuristic: `/` starts a regex after an operator, an opening bracket, `{`, `}`,
//! `;`, `,` or a keyword such as `return`/`typeof`; after an identifier, a literal, `)`
//! or `]` it is division). Never panics, never backtracks more than once per byte:
//! a failed regex attempt blocks further attempts up to where it failed, so the whole
//! scan is linear in the input, whatever it is.

use memchr::{memchr, memchr3, memmem};

/// Token kinds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Kind {
    /// Identifier or keyword (any byte ≥ 0x80 counts as an identifier byte).
    Ident,
    /// `'…'` or `"…"` (an unterminated one ends at the line end).
    Str,
    /// A template without substitutions: `` `…` ``.
    TplFull,
    /// `` `…${ `` — the start of a template with substitutions.
    TplHead,
    /// `` }…${ `` — between two substitutions.
    TplMid,
    /// `` }…` `` — the end of a template with substitutions.
    TplTail,
    /// A numeric literal.
    Num,
    /// A regex literal.
    Regex,
    /// Any other single byte.
    Punct,
    /// End of input.
    Eof,
}

/// A token: kind and byte range (absolute offsets into the source).
#[derive(Clone, Copy, Debug)]
pub(super) struct Tok {
    /// What it is.
    pub kind: Kind,
    /// First byte (inputs are capped at 4 GiB, so offsets fit in 32 bits).
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
    /// A line break (or a comment containing one) precedes this token.
    pub nl_before: bool,
}

impl Tok {
    /// An end-of-input token at `at`.
    pub(super) fn eof(at: usize) -> Tok {
        let at = off(at);
        Tok {
            kind: Kind::Eof,
            start: at,
            end: at,
            nl_before: true,
        }
    }

    /// First byte as an index.
    #[inline]
    pub(super) fn lo(self) -> usize {
        self.start as usize
    }

    /// One past the last byte as an index.
    #[inline]
    pub(super) fn hi(self) -> usize {
        self.end as usize
    }
}

/// Largest input the lexer looks at (offsets are `u32`).
pub(super) const MAX_INPUT: usize = u32::MAX as usize;

#[inline]
fn off(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

const WS: u8 = 1;
const ID: u8 = 2;
const DIGIT: u8 = 4;

const fn classes() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let c = i as u8;
        t[i] = if c == b' ' || c == b'\t' || c == b'\r' || c == 0x0b || c == 0x0c {
            WS
        } else if c.is_ascii_digit() {
            DIGIT | ID
        } else if c.is_ascii_alphabetic() || c == b'_' || c == b'$' || c >= 0x80 || c == b'\\' {
            ID
        } else {
            0
        };
        i += 1;
    }
    t
}

static CLS: [u8; 256] = classes();

#[inline]
fn cls(c: u8) -> u8 {
    CLS[c as usize]
}

/// What the previous token was, for the regex-or-division decision.
#[derive(Clone, Copy)]
enum Prev {
    /// Start of input or an operator: a `/` starts a regex.
    Op,
    /// A value (literal, `)`, `]`): a `/` divides.
    Value,
    /// An identifier at this range: depends on whether it is a keyword.
    Ident(usize, usize),
}

const REGEX_KEYWORDS: &[&[u8]] = &[
    b"return",
    b"typeof",
    b"instanceof",
    b"in",
    b"of",
    b"new",
    b"delete",
    b"void",
    b"throw",
    b"case",
    b"do",
    b"else",
    b"yield",
    b"await",
    b"extends",
];

/// The lexer over `src[start..end]` (offsets stay absolute).
pub(super) struct Lexer<'s> {
    src: &'s [u8],
    pos: usize,
    end: usize,
    prev: Prev,
    tpl: Vec<u32>,
    regex_block: usize,
    close_comment: memmem::Finder<'static>,
}

impl<'s> Lexer<'s> {
    /// A lexer over `src[start..end]`; a `#!` line at `start` is skipped.
    pub(super) fn new(src: &'s [u8], start: usize, end: usize) -> Self {
        let end = end.min(src.len()).min(MAX_INPUT);
        let mut pos = start.min(end);
        if src.get(pos..pos + 2) == Some(b"#!") {
            pos = memchr(b'\n', src.get(pos..end).unwrap_or(&[])).map_or(end, |k| pos + k);
        }
        Lexer {
            src: src.get(..end).unwrap_or(src),
            pos,
            end,
            prev: Prev::Op,
            tpl: Vec::new(),
            regex_block: 0,
            close_comment: memmem::Finder::new(b"*/"),
        }
    }

    #[inline]
    fn at(&self, i: usize) -> u8 {
        self.src.get(i).copied().unwrap_or(0)
    }

    /// Advance `self.pos` over bytes whose class has `mask`.
    #[inline]
    fn skip_class(&mut self, mask: u8) {
        let rest = self.src.get(self.pos..).unwrap_or(&[]);
        self.pos += rest
            .iter()
            .position(|&b| cls(b) & mask == 0)
            .unwrap_or(rest.len());
    }

    #[inline]
    fn rest(&self, from: usize) -> &'s [u8] {
        self.src.get(from..self.end).unwrap_or(&[])
    }

    /// Skip whitespace and comments; returns whether a line break was crossed.
    #[inline]
    fn skip_trivia(&mut self) -> bool {
        let mut nl = false;
        loop {
            let c = self.at(self.pos);
            if cls(c) & WS != 0 {
                self.skip_class(WS);
            } else if c == b'\n' {
                nl = true;
                self.pos += 1;
            } else if c == b'/' && self.at(self.pos + 1) == b'/' {
                self.pos = memchr(b'\n', self.rest(self.pos)).map_or(self.end, |k| self.pos + k);
            } else if c == b'/' && self.at(self.pos + 1) == b'*' {
                let body = self.rest(self.pos + 2);
                match self.close_comment.find(body) {
                    Some(k) => {
                        nl |= body.get(..k).is_some_and(|b| memchr(b'\n', b).is_some());
                        self.pos += 2 + k + 2;
                    }
                    None => self.pos = self.end,
                }
            } else {
                return nl;
            }
        }
    }

    /// The next token.
    pub(super) fn next_tok(&mut self) -> Tok {
        let nl = self.skip_trivia();
        let start = self.pos;
        if start >= self.end {
            return Tok::eof(self.end);
        }
        let c = self.at(start);
        let kind = if cls(c) & DIGIT != 0 || (c == b'.' && cls(self.at(start + 1)) & DIGIT != 0) {
            self.pos += 1;
            while cls(self.at(self.pos)) & ID != 0 || self.at(self.pos) == b'.' {
                self.pos += 1;
            }
            Kind::Num
        } else if cls(c) & ID != 0 {
            self.skip_class(ID);
            Kind::Ident
        } else {
            self.punct_or_literal(c)
        };
        let end = self.pos;
        self.prev = match kind {
            Kind::Ident => Prev::Ident(start, end),
            Kind::TplHead | Kind::TplMid => Prev::Op,
            Kind::Punct if c != b')' && c != b']' => Prev::Op,
            _ => Prev::Value,
        };
        Tok {
            kind,
            start: off(start),
            end: off(end),
            nl_before: nl,
        }
    }

    fn punct_or_literal(&mut self, c: u8) -> Kind {
        match c {
            b'"' | b'\'' => {
                self.string(c);
                Kind::Str
            }
            b'`' => {
                if self.template_chunk(self.pos + 1) {
                    self.tpl.push(0);
                    Kind::TplHead
                } else {
                    Kind::TplFull
                }
            }
            b'{' => {
                if let Some(top) = self.tpl.last_mut() {
                    *top = top.saturating_add(1);
                }
                self.pos += 1;
                Kind::Punct
            }
            b'}' => match self.tpl.last_mut() {
                Some(0) => {
                    if self.template_chunk(self.pos + 1) {
                        Kind::TplMid
                    } else {
                        self.tpl.pop();
                        Kind::TplTail
                    }
                }
                Some(top) => {
                    *top -= 1;
                    self.pos += 1;
                    Kind::Punct
                }
                None => {
                    self.pos += 1;
                    Kind::Punct
                }
            },
            b'/' if self.regex_allowed() && self.regex() => Kind::Regex,
            _ => {
                self.pos += 1;
                Kind::Punct
            }
        }
    }

    fn regex_allowed(&self) -> bool {
        match self.prev {
            Prev::Op => true,
            Prev::Value => false,
            Prev::Ident(s, e) => self
                .src
                .get(s..e)
                .is_some_and(|w| REGEX_KEYWORDS.contains(&w)),
        }
    }

    /// `'…'`/`"…"` from `self.pos` (the quote); an unterminated string ends at the line end.
    fn string(&mut self, q: u8) {
        let mut i = self.pos + 1;
        loop {
            match memchr3(q, b'\\', b'\n', self.rest(i)) {
                None => {
                    i = self.end;
                    break;
                }
                Some(k) => {
                    let j = i + k;
                    let c = self.at(j);
                    if c == q {
                        i = j + 1;
                        break;
                    } else if c == b'\n' {
                        i = j;
                        break;
                    }
                    // backslash: skip the escaped byte (and a CRLF line continuation)
                    i = if self.at(j + 1) == b'\r' && self.at(j + 2) == b'\n' {
                        j + 3
                    } else {
                        j + 2
                    };
                    if i >= self.end {
                        i = self.end;
                        break;
                    }
                }
            }
        }
        self.pos = i;
    }

    /// Scan template text from `from`; true if it stopped at `${` (else at the closing backtick or the end).
    fn template_chunk(&mut self, from: usize) -> bool {
        let mut i = from;
        loop {
            match memchr3(b'`', b'\\', b'$', self.rest(i)) {
                None => {
                    self.pos = self.end;
                    return false;
                }
                Some(k) => {
                    let j = i + k;
                    match self.at(j) {
                        b'`' => {
                            self.pos = j + 1;
                            return false;
                        }
                        b'\\' => i = (j + 2).min(self.end),
                        _ if self.at(j + 1) == b'{' => {
                            self.pos = j + 2;
                            return true;
                        }
                        _ => i = j + 1,
                    }
                }
            }
        }
    }

    /// Try a regex literal at `self.pos`; on failure nothing is consumed and later
    /// attempts before the failure point are refused (linear time on garbage).
    fn regex(&mut self) -> bool {
        if self.pos < self.regex_block {
            return false;
        }
        let mut i = self.pos + 1;
        let mut class = false;
        loop {
            if i >= self.end {
                self.regex_block = i;
                return false;
            }
            match self.at(i) {
                b'\\' => i += 1,
                b'\n' | b'\r' => {
                    self.regex_block = i;
                    return false;
                }
                b'[' => class = true,
                b']' => class = false,
                b'/' if !class => {
                    i += 1;
                    while cls(self.at(i)) & ID != 0 {
                        i += 1;
                    }
                    self.pos = i;
                    return true;
                }
                _ => {}
            }
            i += 1;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn kinds(src: &str) -> Vec<(Kind, String)> {
        let mut lx = Lexer::new(src.as_bytes(), 0, src.len());
        let mut out = Vec::new();
        loop {
            let t = lx.next_tok();
            if t.kind == Kind::Eof {
                return out;
            }
            out.push((t.kind, src[t.lo()..t.hi()].to_string()));
        }
    }

    fn idents(src: &str) -> Vec<String> {
        kinds(src)
            .into_iter()
            .filter(|(k, _)| *k == Kind::Ident)
            .map(|(_, s)| s)
            .collect()
    }

    #[test]
    fn comments_and_strings_hide_keywords() {
        let src = "// import a from 'x'\n/* require('y') */ const s = \"import b from 'z'\"; let t = 'export';";
        assert_eq!(idents(src), vec!["const", "s", "let", "t"]);
    }

    #[test]
    fn nested_templates_are_tracked() {
        let src = "const a = `x ${ `y ${ {k: 1}.k } import` } z`; import b from 'm'";
        let ids = idents(src);
        assert!(ids.contains(&"import".to_string()));
        // the inner `import` word is template text, so exactly one `import` identifier
        assert_eq!(ids.iter().filter(|s| *s == "import").count(), 1);
        let ks = kinds(src);
        assert!(ks.iter().any(|(k, s)| *k == Kind::TplTail && s == "} z`"));
    }

    #[test]
    fn regex_versus_division() {
        let ks = kinds("x = a / b / c; y = /import\\/x[/]/g.test(s); return /'/.source");
        let regexes: Vec<&String> = ks
            .iter()
            .filter(|(k, _)| *k == Kind::Regex)
            .map(|(_, s)| s)
            .collect();
        assert_eq!(regexes, vec!["/import\\/x[/]/g", "/'/"]);
        let ks = kinds("f(a) / 2; arr[0] / 3");
        assert!(ks.iter().all(|(k, _)| *k != Kind::Regex));
    }

    #[test]
    fn unterminated_things_stop_cleanly() {
        for src in [
            "'abc", "`abc ${", "/* x", "x = /abc", "\"a\\", "`${`${`", "}}}}", "a = /[/",
        ] {
            let _ = kinds(src);
        }
        // unterminated string ends at the line break
        assert_eq!(idents("x = 'abc\nimport y"), vec!["x", "import", "y"]);
    }

    #[test]
    fn hashbang_skipped() {
        assert_eq!(idents("#!/usr/bin/env node\nrequire"), vec!["require"]);
    }
}
