//! Exports: ESM `export` forms (declarations, lists, re-exports, `export default`, TS
//! `export =`) and CommonJS `module.exports = …` / `exports.name = …`.

use super::super::lexer::{Kind, Tok};
use super::parser::{Parser, named};
use super::{Binding, ImportKind, Imported};

impl Parser<'_, '_> {
    pub(super) fn export(&mut self) {
        let t = self.next();
        if self.punct(t, b'*') {
            return self.export_star(false);
        }
        if self.punct(t, b'{') {
            return self.export_list(false);
        }
        if self.punct(t, b'=') {
            // TS `export = x`
            let v = self.next();
            let local = self.ident(v);
            return self.record_export(v, "default".into(), local);
        }
        let Some(w) = self.ident(t) else {
            return self.push_back(t);
        };
        match w.as_str() {
            "default" => self.export_default(t),
            "type" => {
                let n = self.next();
                if self.punct(n, b'{') {
                    self.export_list(true)
                } else if self.punct(n, b'*') {
                    self.export_star(true)
                } else {
                    self.push_back(n)
                }
            }
            "import" => {
                let l = self.next();
                let Some(local) = self.ident(l) else {
                    return self.push_back(l);
                };
                let eq = self.next();
                if self.assign(eq) {
                    self.import_equals(local, false);
                } else {
                    self.push_back(eq);
                }
            }
            "const" | "let" | "var" => self.export_binding(),
            _ => self.export_declaration(t, &w),
        }
    }

    fn export_declaration(&mut self, first: Tok, w: &str) {
        let mut t = first;
        let mut w = w.to_string();
        // modifiers before the declaration keyword
        while matches!(w.as_str(), "async" | "declare" | "abstract") {
            t = self.next();
            match self.ident(t) {
                Some(n) => w = n,
                None => return self.push_back(t),
            }
        }
        if w == "const" {
            // `export declare const` / `export const enum`
            let n = self.next();
            if self.word(n, "enum") {
                return self.export_named_next();
            }
            self.push_back(n);
            return self.export_binding();
        }
        match w.as_str() {
            "function" => {
                let mut n = self.next();
                if self.punct(n, b'*') {
                    n = self.next();
                }
                self.export_name_tok(n);
            }
            "class" | "enum" => self.export_named_next(),
            "let" | "var" => self.export_binding(),
            _ => self.push_back(t),
        }
    }

    fn export_named_next(&mut self) {
        let n = self.next();
        self.export_name_tok(n);
    }

    fn export_name_tok(&mut self, n: Tok) {
        match self.ident(n) {
            Some(name) => self.record_export(n, name.clone(), Some(name)),
            None => self.push_back(n),
        }
    }

    /// After `export const|let|var`: a name, or a destructuring pattern.
    fn export_binding(&mut self) {
        let t = self.next();
        if let Some(name) = self.ident(t) {
            return self.record_export(t, name.clone(), Some(name));
        }
        if self.punct(t, b'{') {
            let at = t;
            if let Some(p) = self.pattern() {
                for (_, local) in p {
                    self.record_export(at, local.clone(), Some(local));
                }
            }
            return;
        }
        self.push_back(t);
    }

    fn export_default(&mut self, kw: Tok) {
        let t = self.next();
        let mut w = self.ident(t);
        let mut cur = t;
        if w.as_deref() == Some("async") {
            cur = self.next();
            w = self.ident(cur);
        }
        match w.as_deref() {
            Some("function") | Some("class") => {
                let mut n = self.next();
                if self.punct(n, b'*') {
                    n = self.next();
                }
                let local = self
                    .ident(n)
                    .filter(|s| s != "extends" && s != "implements");
                self.record_export(kw, "default".into(), local);
                self.push_back(n);
            }
            Some(_) if cur.start == t.start => {
                let n = self.next();
                let plain = self.punct(n, b';')
                    || self.punct(n, b'}')
                    || n.kind == Kind::Eof
                    || n.nl_before;
                self.record_export(kw, "default".into(), if plain { w } else { None });
                self.push_back(n);
            }
            _ => {
                self.record_export(kw, "default".into(), None);
                self.push_back(cur);
            }
        }
    }

    /// After `export *` (or `export type *`).
    fn export_star(&mut self, type_only: bool) {
        let mut n = self.next();
        let mut ns = None;
        if self.word(n, "as") {
            let l = self.next();
            match self.name(l) {
                Some(name) => ns = Some((l, name)),
                None => return self.push_back(l),
            }
            n = self.next();
        }
        if !self.word(n, "from") {
            return self.push_back(n);
        }
        let s = self.next();
        let Some(spec) = self.literal(s).filter(|_| s.kind == Kind::Str) else {
            return self.push_back(s);
        };
        match ns {
            Some((at, name)) => {
                let b = vec![Binding {
                    imported: Imported::Namespace,
                    local: name.clone(),
                }];
                if !type_only {
                    self.record_export(at, name, None);
                }
                self.record_import(s, spec, ImportKind::ReExport, type_only, b);
            }
            None => self.record_import(s, spec, ImportKind::ReExportAll, type_only, Vec::new()),
        }
    }

    /// After `export {` (or `export type {`).
    fn export_list(&mut self, type_only: bool) {
        let open = self.last;
        let Some((list, all_types)) = self.named_list() else {
            return;
        };
        let n = self.next();
        if self.word(n, "from") {
            let s = self.next();
            let Some(spec) = self.literal(s).filter(|_| s.kind == Kind::Str) else {
                return self.push_back(s);
            };
            let type_only = type_only || (all_types && !list.is_empty());
            if !type_only {
                for (_, exported) in &list {
                    self.record_export(open, exported.clone(), None);
                }
            }
            let b = list
                .into_iter()
                .map(|(i, l)| Binding {
                    imported: named(i),
                    local: l,
                })
                .collect();
            return self.record_import(s, spec, ImportKind::ReExport, type_only, b);
        }
        self.push_back(n);
        if !type_only {
            for (local, exported) in list {
                self.record_export(open, exported, Some(local));
            }
        }
    }

    // ---------------------------------------------------------------- CommonJS exports

    /// `module` seen: `module.exports = …` / `module.exports.NAME = …`.
    pub(super) fn module_exports(&mut self, kw: Tok) {
        let dot = self.next();
        if !self.punct(dot, b'.') {
            return self.push_back(dot);
        }
        let e = self.next();
        if !self.word(e, "exports") {
            return self.push_back(e);
        }
        let n = self.next();
        if self.assign(n) {
            return self.module_exports_value(kw);
        }
        if self.punct(n, b'.') {
            return self.member_assign();
        }
        self.push_back(n);
    }

    /// `exports` seen: `exports.NAME = …`.
    pub(super) fn exports_member(&mut self) {
        let dot = self.next();
        if self.punct(dot, b'.') {
            return self.member_assign();
        }
        self.push_back(dot);
    }

    /// After `exports.`: `NAME = value`.
    fn member_assign(&mut self) {
        let n = self.next();
        let Some(name) = self.ident(n) else {
            return self.push_back(n);
        };
        let eq = self.next();
        if !self.assign(eq) {
            return self.push_back(eq);
        }
        let v = self.next();
        let local = self.plain_value(v);
        self.record_export(n, name, local);
    }

    /// If `v` is an identifier that ends the statement, its name (the next token is pushed back).
    fn plain_value(&mut self, v: Tok) -> Option<String> {
        let name = self.ident(v).filter(|s| {
            !matches!(
                s.as_str(),
                "function" | "class" | "async" | "new" | "require" | "import" | "await"
            )
        });
        let Some(name) = name else {
            self.push_back(v);
            return None;
        };
        let n = self.next();
        let plain = self.punct(n, b';')
            || self.punct(n, b'}')
            || self.punct(n, b',')
            || n.kind == Kind::Eof
            || n.nl_before;
        self.push_back(n);
        plain.then_some(name)
    }

    /// After `module.exports =`.
    fn module_exports_value(&mut self, kw: Tok) {
        let v = self.next();
        if self.punct(v, b'{') {
            self.record_export(kw, "default".into(), None);
            if self.nest < 8 {
                self.nest += 1;
                self.object_exports();
                self.nest -= 1;
            }
            return;
        }
        let local = self.plain_value(v);
        self.record_export(kw, "default".into(), local);
    }

    /// `{ a, b: c, d() {…}, e: require("./e") }` after the `{` of `module.exports =`.
    fn object_exports(&mut self) {
        loop {
            let k = self.next();
            if self.punct(k, b'}') || k.kind == Kind::Eof {
                return;
            }
            if self.punct(k, b'.') {
                // `...spread`: skip the value
                if !self.skip_value() {
                    return;
                }
                continue;
            }
            let Some(key) = self.name(k) else {
                self.push_back(k);
                if !self.skip_value() {
                    return;
                }
                continue;
            };
            let n = self.next();
            if self.punct(n, b',') {
                self.record_export(k, key.clone(), Some(key));
                continue;
            }
            if self.punct(n, b'}') {
                self.record_export(k, key.clone(), Some(key));
                return;
            }
            let local = if self.punct(n, b':') {
                let v = self.next();
                self.plain_value(v)
            } else {
                self.push_back(n);
                None
            };
            self.record_export(k, key, local);
            if !self.skip_value() {
                return;
            }
        }
    }

    /// Skip to the `,` ending this property (true) or the object's `}` (false), handling
    /// nested brackets and any `require`/`import` met on the way.
    fn skip_value(&mut self) -> bool {
        let mut depth = 0usize;
        loop {
            let t = self.next();
            match t.kind {
                Kind::Eof => return false,
                Kind::Ident => self.dispatch(t),
                Kind::Punct => match self.src.get(t.lo()) {
                    Some(b'(' | b'[' | b'{') => depth += 1,
                    Some(b')' | b']' | b'}') if depth > 0 => depth -= 1,
                    Some(b'}') => return false,
                    Some(b',') if depth == 0 => return true,
                    _ => {}
                },
                _ => {}
            }
        }
    }
}
