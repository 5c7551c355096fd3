//! ESM imports: `import … from`, side-effect imports, TS `import x = require()`, dynamic
//! `import()` (literal or with a literal prefix), `import.meta.glob` and `new URL(…)`.

use super::super::lexer::{Kind, Tok};
use super::parser::{Parser, Target, named, target_bindings};
use super::{Binding, ImportKind, Imported};

impl Parser<'_, '_> {
    pub(super) fn import(&mut self, target: Option<Target>) {
        let t = self.next();
        if self.punct(t, b'(') {
            return self.dynamic_import(target);
        }
        if self.punct(t, b'.') {
            return self.import_meta();
        }
        if t.kind == Kind::Str {
            if let Some(spec) = self.literal(t) {
                self.record_import(t, spec, ImportKind::SideEffect, false, Vec::new());
            }
            return;
        }
        self.import_clause(t);
    }

    fn import_clause(&mut self, first: Tok) {
        let mut t = first;
        let mut type_only = false;
        if self.word(t, "type") || self.word(t, "typeof") {
            let n = self.next();
            if self.word(n, "from") {
                // `import type from "m"`: `type` is the default binding's name
                let s = self.next();
                if let Some(spec) = self.literal(s).filter(|_| s.kind == Kind::Str) {
                    let b = vec![Binding {
                        imported: Imported::Default,
                        local: "type".into(),
                    }];
                    self.record_import(s, spec, ImportKind::Static, false, b);
                } else {
                    self.push_back(s);
                }
                return;
            }
            type_only = true;
            t = n;
        }
        let mut bindings = Vec::new();
        let mut all_inline_types = None;
        if let Some(local) = self.ident(t).filter(|_| !self.word(t, "from")) {
            let n = self.next();
            if self.assign(n) {
                return self.import_equals(local, type_only);
            }
            bindings.push(Binding {
                imported: Imported::Default,
                local,
            });
            if !self.punct(n, b',') {
                return self.expect_from(n, ImportKind::Static, type_only, bindings);
            }
            t = self.next();
        }
        if self.punct(t, b'*') {
            let a = self.next();
            let n = self.next();
            match (self.word(a, "as"), self.ident(n)) {
                (true, Some(local)) => bindings.push(Binding {
                    imported: Imported::Namespace,
                    local,
                }),
                _ => return self.push_back(n),
            }
        } else if self.punct(t, b'{') {
            match self.named_list() {
                Some((list, all_types)) => {
                    all_inline_types = Some(all_types && !list.is_empty());
                    bindings.extend(list.into_iter().map(|(i, l)| Binding {
                        imported: named(i),
                        local: l,
                    }));
                }
                None => return,
            }
        } else {
            return self.push_back(t);
        }
        let n = self.next();
        let inline_only = all_inline_types == Some(true)
            && bindings.iter().all(|b| b.imported != Imported::Default);
        let type_only = type_only || inline_only;
        self.expect_from(n, ImportKind::Static, type_only, bindings);
    }

    fn expect_from(
        &mut self,
        from: Tok,
        kind: ImportKind,
        type_only: bool,
        bindings: Vec<Binding>,
    ) {
        if !self.word(from, "from") {
            return self.push_back(from);
        }
        let s = self.next();
        match self.literal(s).filter(|_| s.kind == Kind::Str) {
            Some(spec) => self.record_import(s, spec, kind, type_only, bindings),
            None => self.push_back(s),
        }
    }

    /// `{ a, b as c, type D, "e-f" as g }` after the `{`; returns (imported, local) pairs and
    /// whether every entry was marked `type`. `None` (token pushed back) if malformed.
    pub(super) fn named_list(&mut self) -> Option<(Vec<(String, String)>, bool)> {
        let mut list = Vec::new();
        let mut all_types = true;
        loop {
            let mut t = self.next();
            if self.punct(t, b'}') {
                return Some((list, all_types));
            }
            let mut is_type = false;
            if self.word(t, "type") {
                let n = self.next();
                if self.punct(n, b',') || self.punct(n, b'}') || self.word(n, "as") {
                    // a binding literally named `type`
                    self.push_back(n);
                } else {
                    is_type = true;
                    t = n;
                }
            }
            let Some(imported) = self.name(t) else {
                self.push_back(t);
                return None;
            };
            all_types &= is_type;
            let mut n = self.next();
            let mut local = imported.clone();
            if self.word(n, "as") {
                let l = self.next();
                match self.name(l) {
                    Some(name) => local = name,
                    None => {
                        self.push_back(l);
                        return None;
                    }
                }
                n = self.next();
            }
            list.push((imported, local));
            if self.punct(n, b'}') {
                return Some((list, all_types));
            }
            if !self.punct(n, b',') {
                self.push_back(n);
                return None;
            }
        }
    }

    /// TS `import x = require("m")` after the `=`.
    pub(super) fn import_equals(&mut self, local: String, type_only: bool) {
        let r = self.next();
        if !self.word(r, "require") {
            return self.push_back(r);
        }
        let open = self.next();
        if !self.punct(open, b'(') {
            return self.push_back(open);
        }
        let s = self.next();
        let Some(spec) = self.literal(s) else {
            return self.push_back(s);
        };
        let close = self.next();
        if !self.punct(close, b')') {
            return self.push_back(close);
        }
        let b = vec![Binding {
            imported: Imported::Namespace,
            local,
        }];
        self.record_import(s, spec, ImportKind::ImportEquals, type_only, b);
    }

    /// `import(` seen.
    fn dynamic_import(&mut self, target: Option<Target>) {
        let s = self.next();
        if let Some(prefix) = self.template_head(s) {
            return self.record_glob(s, &prefix, "");
        }
        let Some(spec) = self.literal(s) else {
            return self.push_back(s);
        };
        let n = self.next();
        if self.punct(n, b')') || self.punct(n, b',') {
            let b = target_bindings(target, None);
            self.record_import(s, spec, ImportKind::Dynamic, false, b);
        } else if self.punct(n, b'+') {
            self.record_glob(s, &spec, "");
        } else {
            self.push_back(n);
        }
    }

    /// `import.` seen: `import.meta.glob(...)`.
    fn import_meta(&mut self) {
        let m = self.next();
        if !self.word(m, "meta") {
            return self.push_back(m);
        }
        let dot = self.next();
        if !self.punct(dot, b'.') {
            return self.push_back(dot);
        }
        let g = self.next();
        if !matches!(self.text(g), b"glob" | b"globEager" | b"globEagerDefault") {
            return self.push_back(g);
        }
        let open = self.next();
        if !self.punct(open, b'(') {
            return self.push_back(open);
        }
        let a = self.next();
        if self.punct(a, b'[') {
            loop {
                let s = self.next();
                if let Some(spec) = self.literal(s) {
                    if !spec.starts_with('!') {
                        self.record_import(s, spec, ImportKind::Glob, false, Vec::new());
                    }
                } else if !self.punct(s, b',') {
                    return self.push_back(s);
                }
            }
        }
        match self.literal(a) {
            Some(spec) => self.record_import(a, spec, ImportKind::Glob, false, Vec::new()),
            None => self.push_back(a),
        }
    }

    pub(super) fn record_glob(&mut self, at: Tok, prefix: &str, suffix: &str) {
        // Only relative (or root-relative) prefixes that name at least a directory are useful.
        if !(prefix.starts_with("./") || prefix.starts_with("../") || prefix.starts_with('/')) {
            return;
        }
        let dir_prefix = match prefix.rfind('/') {
            Some(i) => &prefix[..=i],
            None => return,
        };
        let spec = format!("{dir_prefix}{}*{suffix}", &prefix[dir_prefix.len()..]);
        self.record_import(at, spec, ImportKind::Glob, false, Vec::new());
    }

    /// `new URL(` … `, import.meta.url)`.
    pub(super) fn new_url(&mut self) {
        let open = self.next();
        if !self.punct(open, b'(') {
            return self.push_back(open);
        }
        let s = self.next();
        let Some(spec) = self.literal(s) else {
            return self.push_back(s);
        };
        for want in [",", "import", ".", "meta", ".", "url"] {
            let t = self.next();
            let ok = match want.as_bytes() {
                [c] => self.punct(t, *c),
                _ => self.word(t, want),
            };
            if !ok {
                return self.push_back(t);
            }
        }
        if spec.starts_with("./") || spec.starts_with("../") {
            self.record_import(s, spec, ImportKind::Dynamic, false, Vec::new());
        }
    }
}
