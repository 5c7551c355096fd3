//! CommonJS-style loading: `require(…)`, `require.context(…)`, `const x = require(…)` /
//! `await import(…)` declarations with destructuring, and directory loaders
//! (`readdirSync(__dirname …)`, `__dirname + '/**/*.js'`).

use super::super::lexer::Tok;
use super::ImportKind;
use super::parser::{Parser, Target, target_bindings};

impl Parser<'_, '_> {
    /// `require` seen (not after `.`).
    pub(super) fn require(&mut self, target: Option<Target>) {
        let open = self.next();
        if self.punct(open, b'.') {
            return self.require_context();
        }
        if !self.punct(open, b'(') {
            return self.push_back(open);
        }
        let s = self.next();
        if let Some(prefix) = self.template_head(s) {
            return self.record_glob(s, &prefix, "");
        }
        let Some(spec) = self.literal(s) else {
            return self.push_back(s);
        };
        let close = self.next();
        if self.punct(close, b'+') {
            return self.record_glob(s, &spec, "");
        }
        if !self.punct(close, b')') {
            return self.push_back(close);
        }
        let mut member = None;
        let dot = self.next();
        if self.punct(dot, b'.') {
            let m = self.next();
            match self.ident(m) {
                Some(name) => member = Some(name),
                None => self.push_back(m),
            }
        } else {
            self.push_back(dot);
        }
        let b = target_bindings(target, member);
        self.record_import(s, spec, ImportKind::Require, false, b);
    }

    /// `require.` seen: `require.context("./dir", recursive?)`.
    fn require_context(&mut self) {
        let c = self.next();
        if !self.word(c, "context") {
            return self.push_back(c);
        }
        let open = self.next();
        if !self.punct(open, b'(') {
            return self.push_back(open);
        }
        let s = self.next();
        let Some(dir) = self.literal(s) else {
            return self.push_back(s);
        };
        let comma = self.next();
        let recursive = if self.punct(comma, b',') {
            let r = self.next();
            let yes = self.word(r, "true");
            if !yes {
                self.push_back(r);
            }
            yes
        } else {
            self.push_back(comma);
            true // webpack's default
        };
        let dir = dir.trim_end_matches('/');
        let spec = if recursive {
            format!("{dir}/**")
        } else {
            format!("{dir}/*")
        };
        self.record_import(s, spec, ImportKind::Glob, false, Vec::new());
    }

    /// `const|let|var` seen: `x = require(…)`, `{a, b: c} = require(…)`, `x = await import(…)`.
    pub(super) fn declaration(&mut self) {
        let t = self.next();
        let target = if let Some(name) = self.ident(t) {
            Target::Name(name)
        } else if self.punct(t, b'{') {
            match self.pattern() {
                Some(p) => Target::Pattern(p),
                None => return,
            }
        } else {
            return self.push_back(t);
        };
        let eq = self.next();
        if !self.assign(eq) {
            return self.push_back(eq);
        }
        let v = self.next();
        if self.word(v, "require") {
            return self.require(Some(target));
        }
        if self.word(v, "await") {
            let i = self.next();
            if self.word(i, "import") {
                return self.import(Some(target));
            }
            return self.push_back(i);
        }
        self.push_back(v);
    }

    /// A simple object destructuring pattern after its `{`: `a, b: c, ...rest`.
    pub(super) fn pattern(&mut self) -> Option<Vec<(String, String)>> {
        let mut out = Vec::new();
        loop {
            let t = self.next();
            if self.punct(t, b'}') {
                return Some(out);
            }
            if self.punct(t, b'.') {
                // `...rest`
                let mut n = self.next();
                while self.punct(n, b'.') {
                    n = self.next();
                }
                if self.ident(n).is_none() {
                    self.push_back(n);
                    return None;
                }
            } else {
                let Some(key) = self.name(t) else {
                    self.push_back(t);
                    return None;
                };
                let n = self.next();
                if self.punct(n, b':') {
                    let l = self.next();
                    let Some(local) = self.ident(l) else {
                        self.push_back(l);
                        return None;
                    };
                    out.push((key, local));
                } else {
                    self.push_back(n);
                    out.push((key.clone(), key));
                }
            }
            let sep = self.next();
            if self.punct(sep, b'}') {
                return Some(out);
            }
            if !self.punct(sep, b',') {
                self.push_back(sep);
                return None;
            }
        }
    }

    /// `__dirname + '/**/*.entity{.ts,.js}'` (TypeORM-style glob loading).
    pub(super) fn dirname_glob(&mut self, at: Tok) {
        let plus = self.next();
        if !self.punct(plus, b'+') {
            return self.push_back(plus);
        }
        let s = self.next();
        match self.literal(s) {
            Some(tail) if tail.starts_with('/') && tail.contains('*') => {
                self.record_import(at, format!(".{tail}"), ImportKind::Glob, false, Vec::new());
            }
            _ => self.push_back(s),
        }
    }

    /// `readdirSync(__dirname)`, `readdirSync(__dirname + '/routes')`,
    /// `readdirSync(path.join(__dirname, 'routes'))`: a directory whose files are loaded by
    /// computed `require`s (Sequelize `models/index.js`, route autoloaders).
    pub(super) fn readdir(&mut self) {
        let open = self.next();
        if !self.punct(open, b'(') {
            return self.push_back(open);
        }
        let mut t = self.next();
        let mut joined = false;
        // `path.join(` / `path.resolve(` / `join(` / `resolve(`
        if self.word(t, "path") {
            let dot = self.next();
            if !self.punct(dot, b'.') {
                return self.push_back(dot);
            }
            t = self.next();
        }
        if self.word(t, "join") || self.word(t, "resolve") {
            let o = self.next();
            if !self.punct(o, b'(') {
                return self.push_back(o);
            }
            joined = true;
            t = self.next();
        }
        if !self.word(t, "__dirname") {
            return self.push_back(t);
        }
        let at = t;
        let n = self.next();
        let sub = if (joined && self.punct(n, b',')) || (!joined && self.punct(n, b'+')) {
            let s = self.next();
            match self.literal(s) {
                Some(sub) => sub,
                None => return self.push_back(s),
            }
        } else if self.punct(n, b')') || self.punct(n, b',') {
            String::new()
        } else {
            return self.push_back(n);
        };
        let sub = sub.trim_matches('/');
        let spec = if sub.is_empty() {
            "./*".to_string()
        } else {
            format!("./{sub}/*")
        };
        self.record_import(at, spec, ImportKind::Glob, false, Vec::new());
    }
}
