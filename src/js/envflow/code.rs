//! One module's tokens with bracket matching, and bounds-safe token predicates.

use super::super::lexer::{Kind, Lexer, Tok};

/// "No index" marker in the `u32` tables.
pub(super) const NONE: u32 = u32::MAX;

/// A tokenised module: tokens, the matching bracket of each bracket token and the
/// innermost open bracket around each token.
pub(super) struct Code {
    pub(super) src: Vec<u8>,
    pub(super) toks: Vec<Tok>,
    /// Matching close for an open bracket (or `toks.len()` when unclosed), matching open
    /// for a close; [`NONE`] for other tokens.
    pub(super) partner: Vec<u32>,
    /// Innermost open bracket containing the token; [`NONE`] at the top level.
    pub(super) outer: Vec<u32>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Br {
    Open(u8),
    Close(u8),
    Mid,
    No,
}

impl Code {
    /// Tokenise `src` and match its brackets in the same pass (linear; a stray closer is
    /// ignored, a closer matching the bracket below the top closes both).
    pub(super) fn new(src: Vec<u8>) -> Code {
        let cap = src.len() / 3 + 16;
        let mut toks = Vec::with_capacity(cap);
        let mut partner: Vec<u32> = Vec::with_capacity(cap);
        let mut outer: Vec<u32> = Vec::with_capacity(cap);
        let mut stack: Vec<(u32, u8)> = Vec::new();
        let mut lx = Lexer::new(&src, 0, src.len());
        loop {
            let t = lx.next_tok();
            if t.kind == Kind::Eof {
                break;
            }
            let iu = toks.len() as u32;
            toks.push(t);
            partner.push(NONE);
            let top = stack.last().map_or(NONE, |s| s.0);
            outer.push(top);
            match bracket(&src, t) {
                Br::No => {}
                Br::Open(c) => stack.push((iu, c)),
                Br::Close(c) => close(&mut stack, &mut partner, &mut outer, iu, c),
                Br::Mid => {
                    if let Some(&(o, b'`')) = stack.last() {
                        stack.pop();
                        set(&mut partner, o, iu);
                        set(&mut partner, iu, o);
                    }
                    set(&mut outer, iu, stack.last().map_or(NONE, |s| s.0));
                    stack.push((iu, b'`'));
                }
            }
        }
        let n = toks.len() as u32;
        for (o, _) in stack {
            set(&mut partner, o, n);
        }
        Code {
            src,
            toks,
            partner,
            outer,
        }
    }

    /// Number of tokens.
    #[inline]
    pub(super) fn len(&self) -> usize {
        self.toks.len()
    }

    #[inline]
    pub(super) fn tok(&self, i: usize) -> Option<Tok> {
        self.toks.get(i).copied()
    }

    /// Byte offset where token `i` starts (the end of the source past the last token).
    pub(super) fn off(&self, i: usize) -> usize {
        self.tok(i).map_or(self.src.len(), |t| t.lo())
    }

    pub(super) fn text(&self, i: usize) -> &[u8] {
        self.tok(i)
            .and_then(|t| self.src.get(t.lo()..t.hi()))
            .unwrap_or(&[])
    }

    pub(super) fn kind(&self, i: usize) -> Kind {
        self.tok(i).map_or(Kind::Eof, |t| t.kind)
    }

    /// Token `i` is the punctuation byte `c`.
    #[inline]
    pub(super) fn is(&self, i: usize, c: u8) -> bool {
        self.tok(i)
            .is_some_and(|t| t.kind == Kind::Punct && self.src.get(t.lo()) == Some(&c))
    }

    /// Token `i` is the identifier `w`.
    #[inline]
    pub(super) fn word(&self, i: usize, w: &str) -> bool {
        self.kind(i) == Kind::Ident && self.text(i) == w.as_bytes()
    }

    /// Token `i` is an identifier; its text.
    pub(super) fn ident(&self, i: usize) -> Option<&str> {
        (self.kind(i) == Kind::Ident)
            .then(|| std::str::from_utf8(self.text(i)).ok())
            .flatten()
    }

    /// `=` that assigns (not `==`, `===`, `=>`, and not the tail of `!=`, `<=`, `>=`).
    pub(super) fn assign(&self, i: usize) -> bool {
        if !self.is(i, b'=') {
            return false;
        }
        let Some(t) = self.tok(i) else { return false };
        let next = self.src.get(t.hi()).copied();
        let prev = t.lo().checked_sub(1).and_then(|p| self.src.get(p)).copied();
        !matches!(next, Some(b'=' | b'>')) && !matches!(prev, Some(b'=' | b'!' | b'<' | b'>'))
    }

    /// `=>` starting at token `i`.
    pub(super) fn arrow(&self, i: usize) -> bool {
        self.is(i, b'=') && self.is(i + 1, b'>') && self.adjacent(i)
    }

    /// Token `i + 1` starts right where token `i` ends.
    pub(super) fn adjacent(&self, i: usize) -> bool {
        matches!((self.tok(i), self.tok(i + 1)), (Some(a), Some(b)) if a.end == b.start)
    }

    /// `...` starting at token `i`.
    pub(super) fn spread(&self, i: usize) -> bool {
        self.is(i, b'.') && self.is(i + 1, b'.') && self.is(i + 2, b'.')
    }

    /// The token after `i` is preceded by a `.` (a member name, not a primary).
    pub(super) fn after_dot(&self, i: usize) -> bool {
        i > 0 && self.is(i - 1, b'.') && !(i > 2 && self.spread(i - 3))
    }

    /// A string literal or substitution-free template: its contents.
    pub(super) fn literal(&self, i: usize) -> Option<String> {
        match self.kind(i) {
            Kind::Str | Kind::TplFull => {
                let b = self.text(i);
                let inner = b.get(1..b.len().saturating_sub(1)).unwrap_or(&[]);
                let s = std::str::from_utf8(inner).ok()?;
                (!s.contains('\\')).then(|| s.to_string())
            }
            _ => None,
        }
    }

    /// Partner of bracket token `i` (or `len()` when unknown).
    pub(super) fn close_of(&self, i: usize) -> usize {
        match self.partner.get(i) {
            Some(&p) if p != NONE => p as usize,
            _ => self.len(),
        }
    }

    /// Innermost open bracket around `i`.
    pub(super) fn outer_of(&self, i: usize) -> Option<usize> {
        match self.outer.get(i) {
            Some(&o) if o != NONE => Some(o as usize),
            _ => None,
        }
    }

    /// End (exclusive token index) of the block or bracket enclosing token `i`.
    pub(super) fn scope_end(&self, i: usize) -> usize {
        self.outer_of(i).map_or(self.len(), |o| self.close_of(o))
    }

    /// Token `i` is an open bracket.
    pub(super) fn opens(&self, i: usize) -> bool {
        self.is(i, b'(') || self.is(i, b'[') || self.is(i, b'{')
    }

    /// The index just past token `i`'s bracket group (or template substitution) when it
    /// opens one, else `i + 1`. Always greater than `i`.
    pub(super) fn skip(&self, i: usize) -> usize {
        match self.kind(i) {
            Kind::TplHead | Kind::TplMid => match self.partner.get(i) {
                Some(&p) if p != NONE && p as usize > i => p as usize,
                _ => self.len().max(i + 1),
            },
            _ if self.opens(i) => self.close_of(i).saturating_add(1).max(i + 1),
            _ => i + 1,
        }
    }

    /// Where the expression starting at `i` ends: the first `;` (or `,` with `comma`) at
    /// its bracket level, the level's closing bracket, or a line break that ends the
    /// statement (automatic semicolon insertion, approximately).
    pub(super) fn expr_end(&self, i: usize, comma: bool) -> usize {
        let end = self.scope_end(i).min(self.len());
        let mut j = i;
        while j < end {
            if self.is(j, b';') || (comma && self.is(j, b',')) {
                return j;
            }
            if j > i && self.newline_ends(j) {
                return j;
            }
            j = self.skip(j);
        }
        end
    }

    /// Where a TS type annotation starting at `i` ends: an assigning `=`, `;`, a `,` outside
    /// `<…>` (with `comma`), the level's closing bracket, or a statement-ending line break.
    pub(super) fn type_end(&self, i: usize, comma: bool) -> usize {
        let end = self.scope_end(i).min(self.len());
        let mut angle = 0u32;
        let mut j = i;
        while j < end {
            if angle == 0 && (self.assign(j) || self.is(j, b';') || (comma && self.is(j, b','))) {
                return j;
            }
            if self.is(j, b'<') {
                angle += 1;
            } else if self.is(j, b'>') && !(j > 0 && self.arrow(j - 1)) {
                angle = angle.saturating_sub(1);
            } else if j > i && angle == 0 && self.newline_ends(j) {
                return j;
            }
            j = self.skip(j);
        }
        end
    }

    /// A line break before token `j` ends the statement: `j` starts one (an identifier
    /// or decorator) and the previous token cannot continue an expression.
    fn newline_ends(&self, j: usize) -> bool {
        let Some(t) = self.tok(j) else { return true };
        if !t.nl_before {
            return false;
        }
        let starts = match self.kind(j) {
            Kind::Ident => !matches!(
                self.text(j),
                b"as" | b"satisfies" | b"instanceof" | b"in" | b"of" | b"extends"
            ),
            _ => self.is(j, b'@') || self.is(j, b'#'),
        };
        starts && j > 0 && !self.continues(j - 1)
    }

    /// Token `p` expects an operand after it.
    fn continues(&self, p: usize) -> bool {
        match self.kind(p) {
            Kind::Punct => matches!(
                self.text(p),
                b"=" | b"+"
                    | b"-"
                    | b"*"
                    | b"/"
                    | b"%"
                    | b"&"
                    | b"|"
                    | b"^"
                    | b"!"
                    | b"~"
                    | b"?"
                    | b":"
                    | b","
                    | b"."
                    | b"("
                    | b"["
                    | b"{"
            ),
            Kind::Ident => matches!(
                self.text(p),
                b"new"
                    | b"typeof"
                    | b"await"
                    | b"in"
                    | b"of"
                    | b"instanceof"
                    | b"as"
                    | b"extends"
                    | b"keyof"
                    | b"void"
                    | b"delete"
                    | b"yield"
                    | b"case"
                    | b"throw"
            ),
            Kind::TplHead | Kind::TplMid => true,
            _ => false,
        }
    }

    /// The `{` of a function body starting at `i` (right after the parameters' `)`),
    /// past a TS return type; `None` for declarations without a body and arrows.
    pub(super) fn body_after(&self, i: usize) -> Option<usize> {
        if self.is(i, b'{') {
            return Some(i);
        }
        if !self.is(i, b':') {
            return None;
        }
        let mut j = i + 1;
        for _ in 0..64 {
            if j >= self.len() || self.is(j, b';') || self.arrow(j) {
                return None;
            }
            if self.is(j, b'{') {
                let type_literal = self.is(j - 1, b':')
                    || self.is(j - 1, b'|')
                    || self.is(j - 1, b'&')
                    || self.is(j - 1, b'<')
                    || self.is(j - 1, b',');
                if !type_literal {
                    return Some(j);
                }
            }
            j = self.skip(j);
        }
        None
    }

    /// Start tokens of the arguments of the call whose `(` is at `open`.
    pub(super) fn args(&self, open: usize) -> Vec<usize> {
        let close = self.close_of(open).min(self.len());
        let mut out = Vec::new();
        let mut j = open + 1;
        if j < close {
            out.push(j);
        }
        while j < close {
            if self.is(j, b',') && j + 1 < close {
                out.push(j + 1);
            }
            j = self.skip(j);
        }
        out
    }

    /// The token after the `,` ending the object/pattern entry that contains `j`, or `close`.
    pub(super) fn next_entry(&self, mut j: usize, close: usize) -> usize {
        while j < close {
            if self.is(j, b',') {
                return j + 1;
            }
            j = self.skip(j);
        }
        close
    }
}

#[inline]
fn set(v: &mut [u32], i: u32, x: u32) {
    if let Some(slot) = v.get_mut(i as usize) {
        *slot = x;
    }
}

/// A closing bracket `c` at `iu`: match it with the top (or the one below, closing both).
fn close(stack: &mut Vec<(u32, u8)>, partner: &mut [u32], outer: &mut [u32], iu: u32, c: u8) {
    let depth = stack.len();
    let top_matches = stack.last().is_some_and(|s| s.1 == c);
    let below_matches = depth >= 2 && stack.get(depth - 2).is_some_and(|s| s.1 == c);
    if !top_matches
        && below_matches
        && let Some((o, _)) = stack.pop()
    {
        set(partner, o, iu);
    }
    if (top_matches || below_matches)
        && let Some((o, _)) = stack.pop()
    {
        set(partner, o, iu);
        set(partner, iu, o);
    }
    set(outer, iu, stack.last().map_or(NONE, |s| s.0));
}

#[inline]
fn bracket(src: &[u8], t: Tok) -> Br {
    match t.kind {
        Kind::Punct => match src.get(t.lo()) {
            Some(b'(') => Br::Open(b'('),
            Some(b'[') => Br::Open(b'['),
            Some(b'{') => Br::Open(b'{'),
            Some(b')') => Br::Close(b'('),
            Some(b']') => Br::Close(b'['),
            Some(b'}') => Br::Close(b'{'),
            _ => Br::No,
        },
        Kind::TplHead => Br::Open(b'`'),
        Kind::TplMid => Br::Mid,
        Kind::TplTail => Br::Close(b'`'),
        _ => Br::No,
    }
}

/// 1-based line and character column for each of the (sorted) byte offsets.
pub(super) fn positions(src: &[u8], sorted: &[usize]) -> Vec<(usize, usize)> {
    let mut out = Vec::with_capacity(sorted.len());
    let (mut pos, mut line, mut col) = (0usize, 1usize, 1usize);
    for &target in sorted {
        let target = target.min(src.len());
        if target < pos {
            (pos, line, col) = (0, 1, 1);
        }
        let seg = src.get(pos..target).unwrap_or(&[]);
        match memchr::memrchr(b'\n', seg) {
            Some(last) => {
                line += memchr::memchr_iter(b'\n', seg).count();
                col = 1 + chars(seg.get(last + 1..).unwrap_or(&[]));
            }
            None => col += chars(seg),
        }
        pos = target;
        out.push((line, col));
    }
    out
}

fn chars(b: &[u8]) -> usize {
    b.iter().filter(|&&c| (c & 0xC0) != 0x80).count()
}
