//! A small, total JavaScript/TypeScript tokenizer: comments are dropped, string and
//! template literals are cooked, regular-expression literals are recognised by the
//! previous token, and every bracket gets its partner and nesting depth.

/// Token kinds.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum K {
    /// Identifier or keyword.
    Ident,
    /// String literal; `val` indexes the cooked text.
    Str,
    /// Numeric literal.
    Num,
    /// Punctuator; `val` is the byte, or one of the `P_*` codes.
    Punct,
    /// Regular-expression literal.
    Regex,
    /// Template literal without substitutions; `val` indexes the cooked text.
    Tmpl,
    /// Template head: text up to the first `${`.
    TmplHead,
    /// Template middle: text between `}` and the next `${`.
    TmplMid,
    /// Template tail: text after the last `}`.
    TmplTail,
}

/// `=>`.
pub(super) const P_ARROW: u32 = 256;
/// `...`.
pub(super) const P_SPREAD: u32 = 257;
/// `?.`.
pub(super) const P_OPTCHAIN: u32 = 258;
/// No partner bracket.
pub(super) const NONE: u32 = u32::MAX;

/// One token.
#[derive(Clone, Copy, Debug)]
pub(super) struct Tok {
    pub kind: K,
    pub start: u32,
    pub end: u32,
    /// A line break precedes this token.
    pub nl: bool,
    pub val: u32,
}

/// A tokenised file.
pub(super) struct Lexed<'a> {
    pub src: &'a [u8],
    /// `src` as text when it is valid UTF-8 (token boundaries never split a character).
    utf8: Option<&'a str>,
    pub toks: Vec<Tok>,
    pub strs: Vec<String>,
    /// Partner bracket index (or `NONE`).
    pub mate: Vec<u32>,
    /// Bracket nesting depth of each token (an opener has the depth of its context).
    pub depth: Vec<u32>,
}

const REGEX_KEYWORDS: &[&str] = &[
    "return",
    "typeof",
    "instanceof",
    "in",
    "of",
    "new",
    "delete",
    "void",
    "throw",
    "case",
    "do",
    "else",
    "yield",
    "await",
];

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

fn is_ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'$' || b >= 0x80 || b == b'#'
}

struct Lexer<'a> {
    src: &'a [u8],
    pos: usize,
    toks: Vec<Tok>,
    strs: Vec<String>,
    nl: bool,
    brace: u32,
    tmpl_stack: Vec<u32>,
}

impl<'a> Lexer<'a> {
    fn at(&self, i: usize) -> u8 {
        self.src.get(i).copied().unwrap_or(0)
    }

    fn push(&mut self, kind: K, start: usize, val: u32) {
        self.toks.push(Tok {
            kind,
            start: to_u32(start),
            end: to_u32(self.pos),
            nl: self.nl,
            val,
        });
        self.nl = false;
    }

    fn push_str(&mut self, kind: K, start: usize, text: String) {
        let v = to_u32(self.strs.len());
        self.strs.push(text);
        self.push(kind, start, v);
    }

    fn regex_allowed(&self) -> bool {
        let Some(t) = self.toks.last() else {
            return true;
        };
        match t.kind {
            K::Punct => !matches!(t.val, 41 | 93 | 125), // ) ] }
            K::Ident => {
                let w = self
                    .src
                    .get(t.start as usize..t.end as usize)
                    .unwrap_or_default();
                REGEX_KEYWORDS.iter().any(|k| k.as_bytes() == w)
            }
            K::TmplHead | K::TmplMid => true,
            _ => false,
        }
    }

    fn skip_line(&mut self) {
        match memchr::memchr(b'\n', self.src.get(self.pos..).unwrap_or_default()) {
            Some(off) => self.pos += off,
            None => self.pos = self.src.len(),
        }
    }

    fn skip_block_comment(&mut self) {
        let body = self.src.get(self.pos + 2..).unwrap_or_default();
        let end = memchr::memmem::find(body, b"*/").map_or(body.len(), |e| e + 2);
        if memchr::memchr(b'\n', body.get(..end).unwrap_or_default()).is_some() {
            self.nl = true;
        }
        self.pos = self.pos + 2 + end;
    }

    fn lex_string(&mut self, quote: u8) {
        let start = self.pos;
        self.pos += 1;
        let mut raw = Vec::new();
        while self.pos < self.src.len() {
            let c = self.at(self.pos);
            if c == quote {
                self.pos += 1;
                break;
            }
            if c == b'\n' {
                break;
            }
            if c == b'\\' {
                self.pos = cook_escape(self.src, self.pos, &mut raw);
                continue;
            }
            raw.push(c);
            self.pos += 1;
        }
        let text = String::from_utf8_lossy(&raw).into_owned();
        self.push_str(K::Str, start, text);
    }

    /// Reads template text from `self.pos` (just after `` ` `` or `}`).
    fn lex_template(&mut self, start: usize, head: bool) {
        let mut raw = Vec::new();
        let mut kind = if head { K::Tmpl } else { K::TmplTail };
        while self.pos < self.src.len() {
            let c = self.at(self.pos);
            if c == b'`' {
                self.pos += 1;
                break;
            }
            if c == b'$' && self.at(self.pos + 1) == b'{' {
                self.pos += 2;
                self.brace += 1;
                self.tmpl_stack.push(self.brace);
                kind = if head { K::TmplHead } else { K::TmplMid };
                break;
            }
            if c == b'\\' {
                self.pos = cook_escape(self.src, self.pos, &mut raw);
                continue;
            }
            if c == b'\n' {
                self.nl = true;
            }
            raw.push(c);
            self.pos += 1;
        }
        let text = String::from_utf8_lossy(&raw).into_owned();
        self.push_str(kind, start, text);
    }

    /// Tries a regular-expression literal at `self.pos`; false when it is not one.
    fn lex_regex(&mut self) -> bool {
        let start = self.pos;
        let mut i = self.pos + 1;
        let mut class = false;
        loop {
            match self.src.get(i) {
                None | Some(b'\n') => return false,
                Some(b'\\') => i += 2,
                Some(b'[') => {
                    class = true;
                    i += 1;
                }
                Some(b']') => {
                    class = false;
                    i += 1;
                }
                Some(b'/') if !class => break,
                Some(_) => i += 1,
            }
        }
        i += 1;
        while i < self.src.len() && is_ident_byte(self.at(i)) {
            i += 1;
        }
        self.pos = i;
        self.push(K::Regex, start, 0);
        true
    }

    fn lex_punct(&mut self, c: u8) {
        let start = self.pos;
        let (len, val) = match (c, self.at(self.pos + 1), self.at(self.pos + 2)) {
            (b'=', b'>', _) => (2, P_ARROW),
            (b'.', b'.', b'.') => (3, P_SPREAD),
            (b'?', b'.', d) if !d.is_ascii_digit() => (2, P_OPTCHAIN),
            _ => (1, u32::from(c)),
        };
        self.pos += len;
        self.push(K::Punct, start, val);
    }

    fn step(&mut self) {
        let c = self.at(self.pos);
        match c {
            b'\n' => {
                self.nl = true;
                self.pos += 1;
            }
            b' ' | b'\t' | b'\r' | 0x0b | 0x0c => self.pos += 1,
            b'/' if self.at(self.pos + 1) == b'/' => self.skip_line(),
            b'/' if self.at(self.pos + 1) == b'*' => self.skip_block_comment(),
            b'/' => {
                if !(self.regex_allowed() && self.lex_regex()) {
                    self.lex_punct(c);
                }
            }
            b'"' | b'\'' => self.lex_string(c),
            b'`' => {
                let start = self.pos;
                self.pos += 1;
                self.lex_template(start, true);
            }
            b'{' => {
                self.brace += 1;
                self.lex_punct(c);
            }
            b'}' => {
                if self.tmpl_stack.last() == Some(&self.brace) {
                    self.tmpl_stack.pop();
                    self.brace = self.brace.saturating_sub(1);
                    let start = self.pos;
                    self.pos += 1;
                    self.lex_template(start, false);
                } else {
                    self.brace = self.brace.saturating_sub(1);
                    self.lex_punct(c);
                }
            }
            b'#' if self.pos == 0 && self.at(1) == b'!' => self.skip_line(),
            b'0'..=b'9' => self.lex_number(),
            b'.' if self.at(self.pos + 1).is_ascii_digit() => self.lex_number(),
            _ if is_ident_start(c) => {
                let start = self.pos;
                self.pos += 1;
                while self.pos < self.src.len() && is_ident_byte(self.at(self.pos)) {
                    self.pos += 1;
                }
                self.push(K::Ident, start, 0);
            }
            _ => self.lex_punct(c),
        }
    }

    fn lex_number(&mut self) {
        let start = self.pos;
        self.pos += 1;
        while self.pos < self.src.len() {
            let c = self.at(self.pos);
            if c.is_ascii_alphanumeric() || c == b'.' || c == b'_' {
                self.pos += 1;
            } else {
                break;
            }
        }
        self.push(K::Num, start, 0);
    }
}

/// Cooks one escape sequence starting at `i` (the backslash); returns the next index.
fn cook_escape(src: &[u8], i: usize, out: &mut Vec<u8>) -> usize {
    let Some(&c) = src.get(i + 1) else {
        return i + 1;
    };
    let simple = match c {
        b'n' => Some(b'\n'),
        b't' => Some(b'\t'),
        b'r' => Some(b'\r'),
        b'0' => Some(0),
        b'\n' => return i + 2,
        _ => None,
    };
    if let Some(b) = simple {
        out.push(b);
        return i + 2;
    }
    if c == b'u' || c == b'x' {
        let (digits, next) = hex_escape(src, i + 2, c == b'u');
        if let Some(ch) = digits.and_then(char::from_u32) {
            let mut buf = [0u8; 4];
            out.extend_from_slice(ch.encode_utf8(&mut buf).as_bytes());
            return next;
        }
    }
    out.push(c);
    i + 2
}

fn hex_escape(src: &[u8], i: usize, unicode: bool) -> (Option<u32>, usize) {
    let (start, max, braced) = if unicode && src.get(i) == Some(&b'{') {
        (i + 1, 6, true)
    } else {
        (i, if unicode { 4 } else { 2 }, false)
    };
    let mut v: u32 = 0;
    let mut j = start;
    while j < start + max {
        match src.get(j).and_then(|b| (*b as char).to_digit(16)) {
            Some(d) => v = v * 16 + d,
            None => break,
        }
        j += 1;
    }
    if j == start {
        return (None, i);
    }
    if braced {
        if src.get(j) != Some(&b'}') {
            return (None, i);
        }
        j += 1;
    } else if j - start != max {
        return (None, i);
    }
    (Some(v), j)
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Tokenises `src`. Total: never panics, always terminates.
pub(super) fn lex(src: &[u8]) -> Lexed<'_> {
    let mut lx = Lexer {
        src,
        pos: 0,
        toks: Vec::with_capacity(src.len() / 5),
        strs: Vec::new(),
        nl: false,
        brace: 0,
        tmpl_stack: Vec::new(),
    };
    while lx.pos < src.len() {
        let before = lx.pos;
        lx.step();
        if lx.pos <= before {
            lx.pos = before + 1;
        }
    }
    let (mate, depth) = pair_brackets(&lx.toks);
    Lexed {
        src,
        utf8: std::str::from_utf8(src).ok(),
        toks: lx.toks,
        strs: lx.strs,
        mate,
        depth,
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Open {
    Paren,
    Bracket,
    Brace,
    Tmpl,
}

fn opener(t: &Tok) -> Option<Open> {
    match (t.kind, t.val) {
        (K::Punct, 40) => Some(Open::Paren),
        (K::Punct, 91) => Some(Open::Bracket),
        (K::Punct, 123) => Some(Open::Brace),
        (K::TmplHead, _) => Some(Open::Tmpl),
        _ => None,
    }
}

fn closer(t: &Tok) -> Option<Open> {
    match (t.kind, t.val) {
        (K::Punct, 41) => Some(Open::Paren),
        (K::Punct, 93) => Some(Open::Bracket),
        (K::Punct, 125) => Some(Open::Brace),
        (K::TmplTail, _) => Some(Open::Tmpl),
        _ => None,
    }
}

/// Pairs brackets with bounded error recovery; returns (mate, depth).
fn pair_brackets(toks: &[Tok]) -> (Vec<u32>, Vec<u32>) {
    let mut mate = vec![NONE; toks.len()];
    let mut depth = vec![0u32; toks.len()];
    let mut stack: Vec<(usize, Open)> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        if let Some(d) = depth.get_mut(i) {
            *d = to_u32(stack.len());
        }
        if let Some(o) = opener(t) {
            stack.push((i, o));
            continue;
        }
        let want = if t.kind == K::TmplMid {
            Some(Open::Tmpl)
        } else {
            closer(t)
        };
        let Some(want) = want else { continue };
        let found = stack.iter().rev().take(8).position(|(_, o)| *o == want);
        let Some(back) = found else { continue };
        for _ in 0..back {
            stack.pop();
        }
        if t.kind == K::TmplMid {
            if let Some(d) = depth.get_mut(i) {
                *d = to_u32(stack.len().saturating_sub(1));
            }
            continue;
        }
        if let Some((o, _)) = stack.pop() {
            if let Some(m) = mate.get_mut(o) {
                *m = to_u32(i);
            }
            if let Some(m) = mate.get_mut(i) {
                *m = to_u32(o);
            }
            if let Some(d) = depth.get_mut(i) {
                *d = to_u32(stack.len());
            }
        }
    }
    (mate, depth)
}

impl<'a> Lexed<'a> {
    /// Token `i`, if any.
    pub fn tok(&self, i: usize) -> Option<&Tok> {
        self.toks.get(i)
    }

    /// Source text of token `i` ("" when out of range or not UTF-8).
    pub fn text(&self, i: usize) -> &'a str {
        let Some(t) = self.toks.get(i) else {
            return "";
        };
        let range = t.start as usize..t.end as usize;
        match self.utf8 {
            Some(s) => s.get(range).unwrap_or(""),
            None => self
                .src
                .get(range)
                .and_then(|b| std::str::from_utf8(b).ok())
                .unwrap_or(""),
        }
    }

    /// Whether token `i` is the identifier `w`.
    pub fn is_id(&self, i: usize, w: &str) -> bool {
        self.toks.get(i).is_some_and(|t| {
            t.kind == K::Ident
                && self.src.get(t.start as usize..t.end as usize) == Some(w.as_bytes())
        })
    }

    /// Identifier text of token `i`.
    pub fn ident(&self, i: usize) -> Option<&'a str> {
        (self.kind(i) == Some(K::Ident)).then(|| self.text(i))
    }

    /// Kind of token `i`.
    pub fn kind(&self, i: usize) -> Option<K> {
        self.toks.get(i).map(|t| t.kind)
    }

    /// Whether token `i` is the punctuator `p` (a byte or a `P_*` code).
    pub fn is_p(&self, i: usize, p: u32) -> bool {
        self.toks
            .get(i)
            .is_some_and(|t| t.kind == K::Punct && t.val == p)
    }

    /// Cooked string value of a `Str`/`Tmpl*` token.
    pub fn str_val(&self, i: usize) -> Option<&str> {
        let t = self.toks.get(i)?;
        match t.kind {
            K::Str | K::Tmpl | K::TmplHead | K::TmplMid | K::TmplTail => {
                self.strs.get(t.val as usize).map(String::as_str)
            }
            _ => None,
        }
    }

    /// Plain string value: a `Str` or substitution-free template.
    pub fn plain_str(&self, i: usize) -> Option<&str> {
        match self.kind(i)? {
            K::Str | K::Tmpl => self.str_val(i),
            _ => None,
        }
    }

    /// Partner of bracket `i`.
    pub fn mate(&self, i: usize) -> Option<usize> {
        match self.mate.get(i) {
            Some(&m) if m != NONE => Some(m as usize),
            _ => None,
        }
    }

    /// Depth of token `i`.
    pub fn depth(&self, i: usize) -> u32 {
        self.depth.get(i).copied().unwrap_or(0)
    }

    /// Byte offset of token `i`.
    pub fn off(&self, i: usize) -> u32 {
        self.toks.get(i).map_or(0, |t| t.start)
    }

    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.toks.len()
    }

    /// Source text spanning tokens `a..=b`, shortened for messages.
    pub fn snippet(&self, a: usize, b: usize) -> String {
        let (Some(s), Some(e)) = (self.toks.get(a), self.toks.get(b)) else {
            return String::new();
        };
        let raw = self
            .src
            .get(s.start as usize..e.end.max(s.start) as usize)
            .unwrap_or_default();
        let text = String::from_utf8_lossy(raw);
        let one: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if one.chars().count() > 60 {
            let cut: String = one.chars().take(57).collect();
            format!("{cut}...")
        } else {
            one
        }
    }
}

/// Converts byte offsets to 1-based (line, column-in-chars).
pub(super) struct LineIndex<'a> {
    src: &'a [u8],
    starts: Vec<usize>,
}

impl<'a> LineIndex<'a> {
    /// Builds the index of line starts.
    pub fn new(src: &'a [u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', src).map(|i| i + 1));
        LineIndex { src, starts }
    }

    /// 1-based line and character column of byte offset `off`.
    pub fn pos(&self, off: u32) -> (usize, usize) {
        let off = (off as usize).min(self.src.len());
        let line = self.starts.partition_point(|&s| s <= off).max(1);
        let ls = self.starts.get(line - 1).copied().unwrap_or(0);
        let col = self
            .src
            .get(ls..off)
            .unwrap_or_default()
            .iter()
            .filter(|&&b| (b & 0xC0) != 0x80)
            .count();
        (line, col + 1)
    }
}
