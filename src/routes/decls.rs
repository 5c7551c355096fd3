//! Declarations, imports and exports (ESM and CommonJS).

use super::Imported;
use super::facts::{Decl, FbImport, MountKind, P, PrefixArg, ReExport, Recv, Ref, Use};
use super::lex::{K, P_ARROW};

impl P<'_, '_> {
    /// `const|let|var` declarations at `i`.
    pub fn decl(&mut self, i: usize) {
        let lx = self.lx;
        let mut j = i + 1;
        for _ in 0..64 {
            if lx.is_p(j, u32::from(b'{')) || lx.is_p(j, u32::from(b'[')) {
                self.destructure(j);
                return;
            }
            let Some(name) = lx.ident(j) else { return };
            let mut k = j + 1;
            if lx.is_p(k, u32::from(b'!')) {
                k += 1;
            }
            if lx.is_p(k, u32::from(b':')) {
                k = self.skip_type(k + 1);
            }
            if lx.is_p(k, u32::from(b'=')) && !lx.is_p(k + 1, u32::from(b'=')) {
                self.declare_init(name, k + 1);
                let end = self.skip_expr(k + 1);
                if !lx.is_p(end, u32::from(b',')) {
                    return;
                }
                j = end + 1;
            } else {
                self.declare(name, Decl::Other);
                if !lx.is_p(k, u32::from(b',')) {
                    return;
                }
                j = k + 1;
            }
        }
    }

    fn declare_init(&mut self, name: &str, k: usize) {
        let lx = self.lx;
        let mut k = k;
        if lx.is_id(k, "await") {
            k += 1;
        }
        if self.router_ctor(name, k).is_some() {
            return;
        }
        if self.derived_base_path(name, k) {
            return;
        }
        let fk = if lx.is_id(k, "async") { k + 1 } else { k };
        if let Some(s) = self.function_at(fk) {
            self.declare(name, Decl::Func(s));
            return;
        }
        if (lx.is_id(k, "require") || lx.is_id(k, "import")) && lx.is_p(k + 1, u32::from(b'(')) {
            let dynamic = lx.is_id(k, "import");
            let (r, next) = self.parse_ref(k);
            match r {
                Ref::Require(spec, member) if !lx.is_p(next, u32::from(b'(')) => {
                    let imported = match (member, dynamic) {
                        (Some(m), _) if m == "default" => Imported::Default,
                        (Some(m), _) => Imported::Named(m),
                        (None, true) => Imported::Namespace,
                        (None, false) => Imported::Default,
                    };
                    self.f.imports.push(FbImport {
                        local: name.to_string(),
                        spec,
                        imported,
                    });
                    self.declare(name, Decl::Other);
                }
                other => self.declare(name, Decl::Alias(other)),
            }
            return;
        }
        match lx.kind(k) {
            Some(K::Str | K::Tmpl | K::TmplHead) => {
                self.const_init(name, k);
                self.declare(name, Decl::Other);
            }
            Some(K::Punct) if lx.is_p(k, u32::from(b'{')) => {
                self.const_init(name, k);
                self.declare(name, Decl::Other);
            }
            Some(K::Ident) if lx.is_id(k, "process") || lx.is_id(k, "Deno") => {
                self.const_init(name, k);
                self.declare(name, Decl::Other);
            }
            Some(K::Ident) if !lx.is_id(k, "new") => {
                let (r, _) = self.parse_ref(k);
                self.declare(name, Decl::Alias(r));
            }
            _ => self.declare(name, Decl::Other),
        }
    }

    /// Hono `const api = app.basePath("/api")`: `api` is `app` under a prefix.
    fn derived_base_path(&mut self, name: &str, k: usize) -> bool {
        let lx = self.lx;
        let Some(base) = lx.ident(k) else {
            return false;
        };
        if !(lx.is_p(k + 1, u32::from(b'.'))
            && lx.is_id(k + 2, "basePath")
            && lx.is_p(k + 3, u32::from(b'(')))
        {
            return false;
        }
        let Some(&arg) = self.args(k + 3).first() else {
            return false;
        };
        let path = self.path_of(arg);
        let parent = Recv {
            scope: self.cur(),
            name: base.to_string(),
        };
        let child = Ref::Name(self.cur(), name.to_string());
        self.push_mount(
            &parent,
            PrefixArg::Path(vec![path]),
            vec![(child, Use::Value, name.to_string())],
            lx.off(k),
            MountKind::Route,
        );
        self.declare(name, Decl::Other);
        let recv = Recv {
            scope: self.cur(),
            name: name.to_string(),
        };
        let close = lx.mate(k + 3).unwrap_or(k + 3);
        self.call_chain(&recv, close + 1, lx.off(k));
        true
    }

    /// `{ a, b: c } = require("x")` and other destructuring declarations.
    fn destructure(&mut self, j: usize) {
        let lx = self.lx;
        let Some(close) = lx.mate(j) else { return };
        let mut pairs = Vec::new();
        if lx.is_p(j, u32::from(b'{')) {
            for (a, b) in self.items(j) {
                let Some(key) = lx.ident(a) else { continue };
                let local = if lx.is_p(a + 1, u32::from(b':')) && b == a + 3 {
                    lx.ident(a + 2).unwrap_or(key)
                } else {
                    key
                };
                pairs.push((key.to_string(), local.to_string()));
            }
        }
        let spec = if lx.is_p(close + 1, u32::from(b'=')) {
            let mut k = close + 2;
            if lx.is_id(k, "await") {
                k += 1;
            }
            let is_req = lx.is_id(k, "require") || lx.is_id(k, "import");
            (is_req && lx.is_p(k + 1, u32::from(b'(')) && lx.mate(k + 1) == Some(k + 3))
                .then(|| lx.plain_str(k + 2))
                .flatten()
        } else {
            None
        };
        for (key, local) in pairs {
            if let Some(s) = spec {
                self.f.requires.push(s.to_string());
                self.f.imports.push(FbImport {
                    local: local.clone(),
                    spec: s.to_string(),
                    imported: if key == "default" {
                        Imported::Default
                    } else {
                        Imported::Named(key)
                    },
                });
            }
            self.declare(&local, Decl::Other);
        }
    }

    /// ESM `import` statements (fallback bindings).
    pub fn import_stmt(&mut self, i: usize) {
        let lx = self.lx;
        if lx.is_p(i + 1, u32::from(b'(')) || lx.is_p(i + 1, u32::from(b'.')) {
            return;
        }
        let mut j = i + 1;
        if lx.is_id(j, "type") && !lx.is_id(j + 1, "from") && !lx.is_p(j + 1, u32::from(b',')) {
            return;
        }
        let mut entries: Vec<(String, Imported)> = Vec::new();
        if let Some(name) = lx
            .ident(j)
            .filter(|w| *w != "from" || lx.is_id(j + 1, "from"))
        {
            if lx.is_p(j + 1, u32::from(b'=')) {
                // TS: import x = require("y")
                if lx.is_id(j + 2, "require")
                    && let Some(spec) = lx.plain_str(j + 4)
                {
                    self.f.imports.push(FbImport {
                        local: name.to_string(),
                        spec: spec.to_string(),
                        imported: Imported::Default,
                    });
                }
                return;
            }
            entries.push((name.to_string(), Imported::Default));
            j += 1;
            if lx.is_p(j, u32::from(b',')) {
                j += 1;
            }
        }
        if lx.is_p(j, u32::from(b'*')) && lx.is_id(j + 1, "as") {
            if let Some(n) = lx.ident(j + 2) {
                entries.push((n.to_string(), Imported::Namespace));
            }
            j += 3;
        }
        if lx.is_p(j, u32::from(b'{')) {
            for (a, b) in self.items(j) {
                let mut a = a;
                if lx.is_id(a, "type") && b > a + 1 {
                    continue;
                }
                let Some(key) = lx.ident(a).or_else(|| lx.plain_str(a)) else {
                    continue;
                };
                let local = if lx.is_id(a + 1, "as") {
                    a += 2;
                    lx.ident(a).unwrap_or(key)
                } else {
                    key
                };
                let imported = if key == "default" {
                    Imported::Default
                } else {
                    Imported::Named(key.to_string())
                };
                entries.push((local.to_string(), imported));
            }
            j = lx.mate(j).map_or(j + 1, |m| m + 1);
        }
        if !lx.is_id(j, "from") {
            return;
        }
        let Some(spec) = lx.plain_str(j + 1) else {
            return;
        };
        for (local, imported) in entries {
            self.f.imports.push(FbImport {
                local,
                spec: spec.to_string(),
                imported,
            });
        }
    }

    /// ESM `export` statements.
    pub fn export_stmt(&mut self, i: usize) {
        let lx = self.lx;
        let j = i + 1;
        let off = lx.off(i);
        let Some(w) = lx.ident(j).or_else(|| {
            if lx.is_p(j, u32::from(b'{')) {
                Some("{")
            } else if lx.is_p(j, u32::from(b'*')) {
                Some("*")
            } else if lx.is_p(j, u32::from(b'=')) {
                Some("=")
            } else {
                None
            }
        }) else {
            return;
        };
        match w {
            "default" | "=" => {
                let r = self.export_value(j + 1);
                self.f.exports.push(("default".to_string(), r, off));
            }
            "const" | "let" | "var" => self.export_decl(j + 1),
            "async" | "function" => {
                let k = if w == "async" { j + 2 } else { j + 1 };
                let k = if lx.is_p(k, u32::from(b'*')) {
                    k + 1
                } else {
                    k
                };
                self.export_name(k);
            }
            "class" => self.export_name(j + 1),
            "abstract" => self.export_name(j + 2),
            "{" => self.export_list(j),
            "*" => {
                let k = if lx.is_id(j + 1, "as") { j + 3 } else { j + 1 };
                if lx.is_id(k, "from")
                    && !lx.is_id(j + 1, "as")
                    && let Some(spec) = lx.plain_str(k + 1)
                {
                    self.f.reexports.push(ReExport {
                        spec: spec.to_string(),
                        imported: None,
                        exported: String::new(),
                    });
                }
            }
            _ => {}
        }
    }

    fn export_name(&mut self, k: usize) {
        if let Some(n) = self.lx.ident(k) {
            let r = Ref::Name(self.cur(), n.to_string());
            self.f.exports.push((n.to_string(), r, self.lx.off(k)));
        }
    }

    fn export_decl(&mut self, k: usize) {
        let lx = self.lx;
        if lx.ident(k).is_some() {
            self.export_name(k);
            return;
        }
        if lx.is_p(k, u32::from(b'{')) {
            for (a, b) in self.items(k) {
                let name_at = if lx.is_p(a + 1, u32::from(b':')) && b == a + 3 {
                    a + 2
                } else {
                    a
                };
                self.export_name(name_at);
            }
        }
    }

    fn export_list(&mut self, open: usize) {
        let lx = self.lx;
        let close = lx.mate(open).unwrap_or(open);
        let from = lx
            .is_id(close + 1, "from")
            .then(|| lx.plain_str(close + 2))
            .flatten()
            .map(str::to_string);
        for (a, _) in self.items(open) {
            let a = if lx.is_id(a, "type") && lx.ident(a + 1).is_some() {
                a + 1
            } else {
                a
            };
            let Some(local) = lx.ident(a).or_else(|| lx.plain_str(a)) else {
                continue;
            };
            let (exported, at) = if lx.is_id(a + 1, "as") {
                (
                    lx.ident(a + 2)
                        .or_else(|| lx.plain_str(a + 2))
                        .unwrap_or(local),
                    a + 2,
                )
            } else {
                (local, a)
            };
            match &from {
                Some(spec) => self.f.reexports.push(ReExport {
                    spec: spec.clone(),
                    imported: Some(local.to_string()),
                    exported: exported.to_string(),
                }),
                None => {
                    let r = Ref::Name(self.cur(), local.to_string());
                    self.f.exports.push((exported.to_string(), r, lx.off(at)));
                }
            }
        }
    }

    /// The exported value at `k` (`export default …`, `module.exports = …`).
    fn export_value(&mut self, k: usize) -> Ref {
        let lx = self.lx;
        if lx.is_id(k, "class") || lx.is_id(k, "new") {
            return Ref::Opaque;
        }
        let fk = if lx.is_id(k, "async") { k + 1 } else { k };
        if let Some(s) = self.function_at(fk) {
            return Ref::Func(s);
        }
        // An anonymous router: `export default Router().use("/api", api)`.
        let anon = format!("<export@{k}>");
        if self.router_ctor(&anon, k).is_some() {
            return Ref::Name(self.cur(), anon);
        }
        if lx.is_p(k, u32::from(b'(')) && !lx.is_p(lx.mate(k).map_or(k, |m| m + 1), P_ARROW) {
            return self.parse_ref(k + 1).0;
        }
        self.parse_ref(k).0
    }

    /// `module.exports = …`, `module.exports.x = …`, `exports.x = …` at `i`.
    pub fn cjs_export(&mut self, i: usize) {
        let lx = self.lx;
        let j = if lx.is_id(i, "module") {
            if !(lx.is_p(i + 1, u32::from(b'.')) && lx.is_id(i + 2, "exports")) {
                return;
            }
            i + 3
        } else {
            i + 1
        };
        let off = lx.off(i);
        let single_eq = |k: usize| lx.is_p(k, u32::from(b'=')) && !lx.is_p(k + 1, u32::from(b'='));
        if lx.is_id(i, "module") && single_eq(j) {
            if lx.is_p(j + 1, u32::from(b'{')) {
                self.cjs_object(j + 1, off);
            } else {
                let r = self.export_value(j + 1);
                self.f.exports.push(("default".to_string(), r, off));
            }
            return;
        }
        if lx.is_p(j, u32::from(b'.'))
            && single_eq(j + 2)
            && let Some(name) = lx.ident(j + 1)
        {
            let r = self.export_value(j + 3);
            self.f.exports.push((name.to_string(), r, off));
        }
    }

    fn cjs_object(&mut self, open: usize, off: u32) {
        let lx = self.lx;
        for (a, b) in self.items(open) {
            let Some(key) = lx.ident(a).or_else(|| lx.plain_str(a)) else {
                continue;
            };
            if b == a + 1 {
                let r = Ref::Name(self.cur(), key.to_string());
                self.f.exports.push((key.to_string(), r, off));
            } else if lx.is_p(a + 1, u32::from(b':')) {
                let r = self.export_value(a + 2);
                self.f.exports.push((key.to_string(), r, off));
            }
        }
    }
}
