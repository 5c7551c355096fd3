//! Statement dispatch of the pass: declarations, imports/exports, assignments, member
//! calls, loops, returns and class fields, keyed on the token that starts them.

use super::super::lex::{K, P_ARROW, P_OPTCHAIN};
use super::{MODIFIERS, NOT_CALLEES, P, RawDyn, Ref, strong_name};

impl P<'_, '_> {
    /// Whether token `i` starts an expression chain (not preceded by `.`).
    pub(super) fn chain_start(&self, i: usize) -> bool {
        i == 0 || !(self.lx.is_p(i - 1, u32::from(b'.')) || self.lx.is_p(i - 1, P_OPTCHAIN))
    }

    /// Handles token `i`: an iteration callback opens a loop; an identifier starting a
    /// chain may start a statement, declaration, import/export or call.
    pub(super) fn visit(&mut self, i: usize) {
        let lx = self.lx;
        if lx.is_p(i, u32::from(b'.')) || lx.is_p(i, P_OPTCHAIN) {
            let iterates = lx
                .ident(i + 1)
                .is_some_and(|m| matches!(m, "forEach" | "map" | "flatMap" | "reduce" | "filter"));
            if iterates
                && lx.is_p(i + 2, u32::from(b'('))
                && let Some(end) = lx.mate(i + 2)
            {
                self.loops.push(end);
            }
            return;
        }
        if lx.kind(i) != Some(K::Ident) {
            return;
        }
        let word = lx.text(i);
        if !self.chain_start(i) {
            return;
        }
        match word {
            "const" | "let" | "var" => self.decl(i),
            "import" => self.import_stmt(i),
            "export" => self.export_stmt(i),
            "module" | "exports" => self.cjs_export(i),
            "for" | "while" => self.loop_stmt(i),
            "return" => self.return_stmt(i),
            "class" => self.class_stmt(i),
            "require" => self.require_call(i),
            _ => self.ident_stmt(i, word),
        }
    }

    fn ident_stmt(&mut self, i: usize, word: &str) {
        let lx = self.lx;
        if self.class_field(i, word) {
            return;
        }
        if word == "this" && lx.is_p(i + 1, u32::from(b'.')) {
            if let Some(prop) = lx.ident(i + 2) {
                let name = format!("this.{prop}");
                if lx.is_p(i + 3, u32::from(b'=')) && !lx.is_p(i + 4, u32::from(b'=')) {
                    self.assign(&name, i + 4);
                } else {
                    self.member_use(i + 3, &name, i);
                }
            }
            return;
        }
        if lx.is_p(i + 1, u32::from(b'=')) && !lx.is_p(i + 2, u32::from(b'=')) {
            if self.stmt_start(i) {
                self.assign(word, i + 2);
            }
            return;
        }
        if lx.is_p(i + 1, u32::from(b'.')) || lx.is_p(i + 1, u32::from(b'[')) {
            self.member_use(i + 1, word, i);
            return;
        }
        if lx.is_p(i + 1, u32::from(b'(')) && !NOT_CALLEES.contains(&word) {
            self.pass_call(Ref::Name(self.cur(), word.to_string()), i + 1);
        }
    }

    /// Whether token `i` starts a statement (so `x = …` is an assignment, not a declarator).
    fn stmt_start(&self, i: usize) -> bool {
        let lx = self.lx;
        i == 0
            || lx.is_p(i - 1, u32::from(b';'))
            || lx.is_p(i - 1, u32::from(b'{'))
            || lx.is_p(i - 1, u32::from(b'}'))
            || (lx.tok(i).is_some_and(|t| t.nl)
                && !lx
                    .ident(i - 1)
                    .is_some_and(|w| matches!(w, "const" | "let" | "var")))
    }

    /// `recv.method(…)` or `recv[expr](…)` starting at the `.`/`[` at `j`.
    fn member_use(&mut self, j: usize, recv: &str, start: usize) {
        let lx = self.lx;
        if lx.is_p(j, u32::from(b'.')) {
            if lx.ident(j + 1).is_some() && lx.is_p(j + 2, u32::from(b'(')) {
                let r = self.recv(recv);
                self.call_chain(&r, j, lx.off(start));
            }
            return;
        }
        // recv[expr](…): the method is chosen at run time.
        let Some(close) = lx.mate(j) else { return };
        if !lx.is_p(close + 1, u32::from(b'(')) || !strong_name(recv) {
            return;
        }
        if matches!(lx.kind(j + 1), Some(K::Str | K::Num)) && close == j + 2 {
            return;
        }
        let what = lx.snippet(j + 1, close.saturating_sub(1));
        self.f.dyns.push(RawDyn {
            recv: Some(self.recv(recv)),
            reason: format!("route method chosen at run time (`{recv}[{what}](…)`)"),
            off: lx.off(start),
        });
    }

    /// `name = init` outside a declaration.
    fn assign(&mut self, name: &str, k: usize) {
        if self.router_ctor(name, k).is_some() {
            return;
        }
        if name.starts_with("this.") {
            self.const_init(name, k);
        }
    }

    fn loop_stmt(&mut self, i: usize) {
        let lx = self.lx;
        let mut j = i + 1;
        if lx.is_id(j, "await") {
            j += 1;
        }
        if !lx.is_p(j, u32::from(b'(')) {
            return;
        }
        let Some(close) = lx.mate(j) else { return };
        let end = if lx.is_p(close + 1, u32::from(b'{')) {
            lx.mate(close + 1).unwrap_or(usize::MAX)
        } else {
            self.skip_expr(close + 1)
        };
        self.loops.push(end);
    }

    fn return_stmt(&mut self, i: usize) {
        if self.lx.tok(i + 1).is_some_and(|t| t.nl) {
            return;
        }
        let (r, _) = self.parse_ref(i + 1);
        if !matches!(r, Ref::Opaque) {
            let s = self.cur();
            if let Some(sc) = self.f.scopes.get_mut(s as usize) {
                sc.returns.push(r);
            }
        }
    }

    fn class_stmt(&mut self, i: usize) {
        let lx = self.lx;
        let d = lx.depth(i);
        for k in i + 1..i + 64 {
            if lx.is_p(k, u32::from(b'{')) && lx.depth(k) == d {
                if let Some(end) = lx.mate(k) {
                    self.classes.push((k, end));
                }
                return;
            }
            if lx.is_p(k, u32::from(b';')) || lx.tok(k).is_none() {
                return;
            }
        }
    }

    /// A class field `name = init` (optionally with modifiers and a type); true when handled.
    fn class_field(&mut self, i: usize, word: &str) -> bool {
        let lx = self.lx;
        let Some(&(open, _)) = self.classes.last() else {
            return false;
        };
        if lx.depth(i) != lx.depth(open) + 1 || MODIFIERS.contains(&word) {
            return false;
        }
        let prev = i.wrapping_sub(1);
        let prev_ok = lx.is_p(prev, u32::from(b'{'))
            || lx.is_p(prev, u32::from(b'}'))
            || lx.is_p(prev, u32::from(b';'))
            || lx.ident(prev).is_some_and(|w| MODIFIERS.contains(&w))
            || lx.tok(i).is_some_and(|t| t.nl);
        if !prev_ok {
            return false;
        }
        let mut k = i + 1;
        if lx.is_p(k, u32::from(b'?')) || lx.is_p(k, u32::from(b'!')) {
            k += 1;
        }
        if lx.is_p(k, u32::from(b':')) {
            k = self.skip_type(k + 1);
        }
        if !lx.is_p(k, u32::from(b'=')) || lx.is_p(k + 1, u32::from(b'=')) || lx.is_p(k, P_ARROW) {
            return false;
        }
        let name = format!("this.{word}");
        if self.router_ctor(&name, k + 1).is_none() {
            self.const_init(&name, k + 1);
        }
        true
    }
}
