//! Function detection: `function` declarations and expressions, arrows, methods and
//! constructors, their parameter lists and bodies (memoised per token).

use super::super::lex::{K, P_ARROW, P_SPREAD};
use super::{Decl, MODIFIERS, NO_SCOPE, NOT_CALLEES, P, Scope, ScopeId, UNSEEN};

impl P<'_, '_> {
    /// Detects a function starting at token `i` (memoised); returns its scope.
    pub fn function_at(&mut self, i: usize) -> Option<ScopeId> {
        match self.fn_at.get(i).copied() {
            None | Some(NO_SCOPE) => return None,
            Some(UNSEEN) => {}
            Some(s) => return Some(s),
        }
        let found = self.detect_function(i);
        let s = found.and_then(|(params, body, name)| {
            let id = u32::try_from(self.f.scopes.len())
                .ok()
                .filter(|&n| n < UNSEEN)?;
            self.f.scopes.push(Scope {
                parent: self.cur(),
                params,
                ..Scope::default()
            });
            if let Some(slot) = self.pending.get_mut(body) {
                *slot = id;
            }
            if let Some(n) = name {
                self.declare(&n, Decl::Func(id));
            }
            Some(id)
        });
        if let Some(slot) = self.fn_at.get_mut(i) {
            *slot = s.unwrap_or(NO_SCOPE);
        }
        s
    }

    #[allow(clippy::type_complexity)]
    fn detect_function(&self, i: usize) -> Option<(Vec<Option<String>>, usize, Option<String>)> {
        let lx = self.lx;
        let t = lx.tok(i)?;
        match t.kind {
            K::Ident if lx.text(i) == "function" => self.detect_fn_keyword(i),
            K::Ident if lx.is_p(i + 1, P_ARROW) && self.chain_start(i) => {
                let name = lx.text(i).to_string();
                Some((vec![Some(name)], i + 2, None))
            }
            K::Ident => self.detect_method(i),
            K::Punct if t.val == u32::from(b'(') => {
                if i > 0
                    && lx.kind(i - 1) == Some(K::Ident)
                    && !matches!(lx.text(i - 1), "async" | "return" | "await" | "yield")
                {
                    return None;
                }
                let close = lx.mate(i)?;
                let body = self.arrow_body(close)?;
                Some((self.params(i, close), body, None))
            }
            _ => None,
        }
    }

    /// After the `)` of an arrow's parameters: the body index, if this is an arrow.
    fn arrow_body(&self, close: usize) -> Option<usize> {
        let lx = self.lx;
        if lx.is_p(close + 1, P_ARROW) {
            return Some(close + 2);
        }
        if !lx.is_p(close + 1, u32::from(b':')) {
            return None;
        }
        let d = lx.depth(close);
        let mut j = close + 2;
        while j < close + 64 && j < lx.len() {
            if lx.depth(j) < d || lx.is_p(j, u32::from(b';')) {
                return None;
            }
            if lx.depth(j) == d && lx.is_p(j, P_ARROW) {
                return Some(j + 1);
            }
            if lx.depth(j) == d && lx.is_p(j, u32::from(b',')) {
                return None;
            }
            j = self.next_sibling(j);
        }
        None
    }

    #[allow(clippy::type_complexity)]
    fn detect_fn_keyword(&self, i: usize) -> Option<(Vec<Option<String>>, usize, Option<String>)> {
        let lx = self.lx;
        let mut j = i + 1;
        if lx.is_p(j, u32::from(b'*')) {
            j += 1;
        }
        let mut name = None;
        if let Some(n) = lx.ident(j) {
            name = Some(n.to_string());
            j += 1;
        }
        if lx.is_p(j, u32::from(b'<')) {
            while j < i + 64 && !lx.is_p(j, u32::from(b'(')) {
                j += 1;
            }
        }
        if !lx.is_p(j, u32::from(b'(')) {
            return None;
        }
        let close = lx.mate(j)?;
        let body = self.body_brace(j, close)?;
        Some((self.params(j, close), body, name))
    }

    /// The `{` opening a body after the parameter list `(open … close)`.
    fn body_brace(&self, open: usize, close: usize) -> Option<usize> {
        let lx = self.lx;
        let d = lx.depth(open);
        let mut j = close + 1;
        while j < close + 48 && j < lx.len() {
            if lx.depth(j) < d || lx.is_p(j, u32::from(b';')) || lx.is_p(j, P_ARROW) {
                return None;
            }
            if lx.depth(j) == d && lx.is_p(j, u32::from(b'{')) {
                if j == close + 1 || lx.is_p(close + 1, u32::from(b':')) {
                    return Some(j);
                }
                return None;
            }
            j = if lx.is_p(j, u32::from(b'(')) || lx.is_p(j, u32::from(b'[')) {
                self.next_sibling(j)
            } else {
                j + 1
            };
        }
        None
    }

    #[allow(clippy::type_complexity)]
    fn detect_method(&self, i: usize) -> Option<(Vec<Option<String>>, usize, Option<String>)> {
        let lx = self.lx;
        if (!lx.is_p(i + 1, u32::from(b'(')) || NOT_CALLEES.contains(&lx.text(i)))
            && (lx.text(i) != "constructor" || !lx.is_p(i + 1, u32::from(b'(')))
        {
            return None;
        }
        if i > 0 {
            let ok = lx.is_p(i - 1, u32::from(b'{'))
                || lx.is_p(i - 1, u32::from(b'}'))
                || lx.is_p(i - 1, u32::from(b';'))
                || lx.is_p(i - 1, u32::from(b','))
                || lx.is_p(i - 1, u32::from(b'*'))
                || lx.ident(i - 1).is_some_and(|w| MODIFIERS.contains(&w));
            if !ok {
                return None;
            }
        }
        let close = lx.mate(i + 1)?;
        let body = self.body_brace(i + 1, close)?;
        Some((self.params(i + 1, close), body, None))
    }

    /// Parameter names of the list `(open … close)`; destructured parameters are `None`.
    fn params(&self, open: usize, close: usize) -> Vec<Option<String>> {
        let lx = self.lx;
        let mut out = Vec::new();
        let mut j = open + 1;
        while j < close && out.len() < 32 {
            while lx.ident(j).is_some_and(|w| {
                matches!(
                    w,
                    "public" | "private" | "protected" | "readonly" | "override"
                )
            }) || lx.is_p(j, P_SPREAD)
            {
                j += 1;
            }
            let name = lx.ident(j).filter(|_| {
                lx.is_p(j + 1, u32::from(b','))
                    || lx.is_p(j + 1, u32::from(b')'))
                    || lx.is_p(j + 1, u32::from(b':'))
                    || lx.is_p(j + 1, u32::from(b'='))
                    || lx.is_p(j + 1, u32::from(b'?'))
            });
            if name != Some("this") {
                out.push(name.map(str::to_string));
            }
            while j < close && !(lx.is_p(j, u32::from(b',')) && lx.depth(j) == lx.depth(open) + 1) {
                j = self.next_sibling(j);
            }
            j += 1;
        }
        out
    }
}
