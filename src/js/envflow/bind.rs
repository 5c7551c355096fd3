//! Pass A of a module scan: declarations (with scopes and values), parameters, classes,
//! assignments of env-like values and exported values, in source order.

use std::rc::Rc;

use super::super::lexer::Kind;
use super::code::Code;
use super::scan::{MODIFIERS, Scan};
use super::value::{Sink, Val};

/// Words after which `(…) {` is not a parameter list.
const CONTROL: &[&str] = &[
    "if", "for", "while", "switch", "with", "return", "typeof", "await", "yield", "in", "of",
    "new", "delete", "void", "throw", "case",
];

impl<'w> Scan<'w, '_> {
    /// Declarations, parameters, classes, assignments and export values, in source order.
    pub(super) fn bind(&mut self) {
        let code: &'w Code = self.code;
        let n = code.len();
        let mut i = 0;
        while i < n {
            match code.kind(i) {
                Kind::Ident if !code.after_dot(i) => self.bind_word(i),
                Kind::Punct if code.arrow(i) => self.arrow_params(i),
                Kind::Punct if code.is(i, b')') => self.method_params(i),
                _ => {}
            }
            i += 1;
        }
        self.flush_pending();
    }

    fn bind_word(&mut self, i: usize) {
        let code: &'w Code = self.code;
        match code.text(i) {
            b"const" | b"let" | b"var" => self.declaration(i),
            b"function" => {
                let mut j = i + 1;
                if code.is(j, b'*') {
                    j += 1;
                }
                if code.kind(j) == Kind::Ident {
                    self.declare_here(j, None);
                }
            }
            b"class" => self.class_decl(i),
            b"export" if code.word(i + 1, "default") => self.export_default(i + 2),
            b"module" if code.is(i + 1, b'.') && code.word(i + 2, "exports") => {
                if code.assign(i + 3) {
                    self.export_value("default", i + 4);
                } else if code.is(i + 3, b'.')
                    && code.assign(i + 5)
                    && let Some(name) = code.ident(i + 4)
                {
                    self.export_value(name, i + 6);
                }
            }
            b"exports" if code.is(i + 1, b'.') && code.assign(i + 3) => {
                if let Some(name) = code.ident(i + 2) {
                    self.export_value(name, i + 4);
                }
            }
            _ if code.assign(i + 1) && !declares(code, i) && !self.in_class_body(i) => {
                let ev = self.rhs(i + 2, code.len(), &mut Sink::default(), 0);
                if let (Some(v), Some(name)) = (ev.val, code.ident(i))
                    && v.env_like()
                {
                    self.assign_val(name, i, v);
                }
            }
            _ => {}
        }
    }

    /// `const|let|var` at `i`: each declarator's name or pattern, with its value.
    fn declaration(&mut self, i: usize) {
        let code: &'w Code = self.code;
        let mut j = i + 1;
        for _ in 0..64 {
            let (target, after) = match code.kind(j) {
                Kind::Ident => (j, j + 1),
                Kind::Punct if code.is(j, b'{') || code.is(j, b'[') => (j, code.skip(j)),
                _ => return,
            };
            let mut k = after;
            if code.is(k, b'!') {
                k += 1;
            }
            if code.is(k, b':') {
                k = code.type_end(k + 1, true);
            }
            // `x = require("m")` / `await import("m")`: the import binding already declares it
            let loads = code.assign(k)
                && ((code.word(k + 1, "require") && code.is(k + 2, b'('))
                    || (code.word(k + 1, "await") && code.word(k + 2, "import")));
            // further declarators are followed only after a simple initializer (`a = 1, b = …`)
            let (val, end) = if code.assign(k) {
                let ev = self.rhs(k + 1, code.len(), &mut Sink::default(), 0);
                (ev.val, ev.end)
            } else {
                (None, k)
            };
            if loads && val.is_none() {
                // keep the import binding's value
            } else if code.is(target, b'{') {
                let mut out = Vec::new();
                self.pattern(
                    target,
                    val.as_ref(),
                    false,
                    &mut Sink::default(),
                    &mut out,
                    0,
                );
                let lo = code.outer_of(i).unwrap_or(0);
                let end = code.scope_end(i);
                for (t, v) in out {
                    self.declare(t, lo, end, v);
                }
            } else if code.is(target, b'[') {
                self.declare_idents(target, None);
            } else {
                self.declare_here(target, val);
            }
            if !code.is(end, b',') {
                return;
            }
            j = end + 1;
        }
    }

    /// Declare every identifier directly inside the bracket at `open` (array patterns,
    /// parameter lists) in the scope `[open, end)` — `end` defaults to the declaration's.
    fn declare_idents(&mut self, open: usize, end: Option<usize>) {
        let code: &'w Code = self.code;
        let close = code.close_of(open).min(code.len());
        let (lo, end) = match end {
            Some(e) => (open, e),
            None => (code.outer_of(open).unwrap_or(0), code.scope_end(open)),
        };
        for j in open + 1..close {
            if code.kind(j) != Kind::Ident || code.after_dot(j) {
                continue;
            }
            let w = code.ident(j).unwrap_or("");
            if MODIFIERS.contains(&w) || w == "typeof" || w == "keyof" {
                continue;
            }
            let prev_ok = code.is(j - 1, b'(')
                || code.is(j - 1, b',')
                || code.is(j - 1, b'{')
                || code.is(j - 1, b'[')
                || code.is(j - 1, b'.')
                || code.ident(j - 1).is_some_and(|p| MODIFIERS.contains(&p))
                || (code.is(j - 1, b':') && code.outer_of(j) != Some(open));
            if prev_ok {
                self.declare(j, lo, end, None);
            }
        }
    }

    /// `=>` at `i`: its parameters are local to the arrow's body.
    fn arrow_params(&mut self, i: usize) {
        let code: &'w Code = self.code;
        let end = if code.is(i + 2, b'{') {
            code.close_of(i + 2).saturating_add(1)
        } else {
            code.expr_end(i + 2, true)
        };
        if i == 0 {
            return;
        }
        if code.kind(i - 1) == Kind::Ident {
            self.declare(i - 1, i - 1, end, None);
        } else if code.is(i - 1, b')')
            && let Some(&open) = code.partner.get(i - 1)
        {
            self.declare_idents(open as usize, Some(end));
        }
    }

    /// `)` at `i` followed by a body: a function or method's parameter list.
    fn method_params(&mut self, i: usize) {
        let code: &'w Code = self.code;
        let Some(&open) = code.partner.get(i) else {
            return;
        };
        let open = open as usize;
        if open >= i || open == 0 || !(code.is(i + 1, b'{') || code.is(i + 1, b':')) {
            return;
        }
        let before_ok = code.ident(open - 1).is_some_and(|w| !CONTROL.contains(&w));
        if !before_ok {
            return;
        }
        let Some(body) = code.body_after(i + 1) else {
            return;
        };
        let end = code.close_of(body).saturating_add(1);
        self.declare_idents(open, Some(end));
    }

    /// `class` at `i`: its env fields and class-validator keys; the name is declared.
    fn class_decl(&mut self, i: usize) {
        let code: &'w Code = self.code;
        let name = code
            .ident(i + 1)
            .filter(|w| *w != "extends" && *w != "implements");
        let Some(body) = (i + 1..(i + 64).min(code.len())).find(|&j| code.is(j, b'{')) else {
            return;
        };
        let parent = (i + 1..body)
            .find(|&j| code.word(j, "extends"))
            .and_then(|j| {
                self.force.set(true);
                let ev = self.chain(j + 1, &mut Sink::default(), 0);
                self.force.set(false);
                match ev.val {
                    Some(Val::Class(c)) => Some(c),
                    _ => None,
                }
            });
        self.class_bodies.push(body);
        let cv = self.class_val(i, body, name, parent.as_deref());
        let cv = Rc::new(cv);
        if name.is_some() {
            self.declare_here(i + 1, Some(Val::Class(cv)));
        }
    }

    fn in_class_body(&self, i: usize) -> bool {
        self.code
            .outer_of(i)
            .is_some_and(|o| self.class_bodies.contains(&o))
    }

    pub(super) fn class_named_env(&self, name: Option<&str>) -> bool {
        let has = |s: &str| s.to_ascii_lowercase().contains("env");
        name.is_some_and(has) || has(super::super::files::file_name(self.path))
    }

    fn export_default(&mut self, i: usize) {
        let code = self.code;
        if code.word(i, "class") || code.word(i, "function") || code.word(i, "async") {
            return;
        }
        self.export_value("default", i);
    }

    fn export_value(&mut self, name: &str, i: usize) {
        let ev = self.rhs(i, self.code.len(), &mut Sink::default(), 0);
        if let Some(v) = ev.val {
            self.exports.insert(name.to_string(), v);
        }
    }
}

/// Identifier `i` is the name a declaration introduces (`const x =`), not an assignment.
fn declares(code: &Code, i: usize) -> bool {
    i > 0 && matches!(code.text(i - 1), b"const" | b"let" | b"var")
}
