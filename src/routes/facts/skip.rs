//! Skipping over syntax the pass does not model: type annotations, bracketed groups
//! and whole expressions (with rough automatic semicolon insertion).

use super::super::lex::K;
use super::P;

impl P<'_, '_> {
    /// Skips a type annotation starting at `k`; returns the index of `=` or the stop token.
    pub fn skip_type(&self, k: usize) -> usize {
        let lx = self.lx;
        let d = lx.depth(k.saturating_sub(1));
        let mut j = k;
        let mut angle = 0i32;
        while j < k + 96 && j < lx.len() {
            if lx.depth(j) < d {
                return j;
            }
            if lx.depth(j) == d {
                if lx.is_p(j, u32::from(b'<')) {
                    angle += 1;
                } else if lx.is_p(j, u32::from(b'>')) {
                    angle -= 1;
                } else if angle <= 0
                    && (lx.is_p(j, u32::from(b'='))
                        || lx.is_p(j, u32::from(b';'))
                        || lx.is_p(j, u32::from(b',')))
                {
                    return j;
                }
            }
            j = self.next_sibling(j);
        }
        j
    }

    /// The token after `j`, jumping over a bracketed group when `j` opens one.
    pub fn next_sibling(&self, j: usize) -> usize {
        let lx = self.lx;
        let opens = lx.is_p(j, u32::from(b'('))
            || lx.is_p(j, u32::from(b'['))
            || lx.is_p(j, u32::from(b'{'))
            || lx.kind(j) == Some(K::TmplHead);
        match (opens, lx.mate(j)) {
            (true, Some(m)) if m > j => m + 1,
            _ => j + 1,
        }
    }

    /// Index of the token ending the expression that starts at `k` (`,`, `;`, a closer,
    /// or a new line that cannot continue it).
    pub fn skip_expr(&self, k: usize) -> usize {
        let lx = self.lx;
        let d = lx.depth(k);
        let mut j = k;
        let mut steps = 0;
        while j < lx.len() && steps < 4096 {
            steps += 1;
            if lx.depth(j) < d {
                return j;
            }
            if lx.is_p(j, u32::from(b',')) || lx.is_p(j, u32::from(b';')) {
                return j;
            }
            if j > k && self.stmt_break(j) {
                return j;
            }
            j = self.next_sibling(j);
        }
        j
    }

    /// A line break before `j` ends the statement (automatic semicolon insertion, roughly).
    fn stmt_break(&self, j: usize) -> bool {
        let lx = self.lx;
        let Some(t) = lx.tok(j) else { return true };
        if !t.nl {
            return false;
        }
        let prev_ends = match lx.kind(j - 1) {
            Some(K::Ident | K::Str | K::Num | K::Tmpl | K::TmplTail | K::Regex) => true,
            Some(K::Punct) => {
                lx.is_p(j - 1, u32::from(b')'))
                    || lx.is_p(j - 1, u32::from(b']'))
                    || lx.is_p(j - 1, u32::from(b'}'))
            }
            _ => false,
        };
        let cur_continues = t.kind == K::Punct
            && !lx.is_p(j, u32::from(b'('))
            && !lx.is_p(j, u32::from(b'['))
            && !lx.is_p(j, u32::from(b'{'))
            && !lx.is_p(j, u32::from(b'@'))
            && !lx.is_p(j, u32::from(b'!'));
        prev_ends && !cur_continues
    }
}
