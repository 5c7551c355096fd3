//! Class bodies: fields initialised from a read of the same name (`public SECRET_KEY =
//! environment.SECRET_KEY ?? ""`, or `this.X = env.X` in the constructor) and decorated
//! fields without initialiser (class-validator keys: `@IsString() DATABASE_URL: string;`).

use super::super::lexer::Kind;
use super::scan::{MODIFIERS, Scan};
use super::value::{ClassVal, Sink, off32};

/// What one class body declares.
#[derive(Default)]
struct Members {
    env_fields: Vec<String>,
    schema: Vec<(String, u32)>,
}

impl Scan<'_, '_> {
    /// The class whose `class` keyword is at `kw` and body `{` at `body`.
    pub(super) fn class_val(
        &self,
        kw: usize,
        body: usize,
        name: Option<&str>,
        parent: Option<&ClassVal>,
    ) -> ClassVal {
        let code = self.code;
        let close = code.close_of(body).min(code.len());
        let mut mem = Members::default();
        if let Some(p) = parent {
            mem.env_fields.extend(p.env_fields.iter().cloned());
        }
        let mut j = body + 1;
        while j < close {
            let next = self.class_member(j, close, &mut mem);
            j = next.max(j + 1);
        }
        mem.env_fields.sort();
        mem.env_fields.dedup();
        ClassVal {
            module: self.m,
            at: kw as u32,
            env_named: self.class_named_env(name),
            env_fields: mem.env_fields,
            schema: mem.schema,
        }
    }

    /// One member starting at `j`; returns where the next one starts.
    fn class_member(&self, mut j: usize, close: usize, mem: &mut Members) -> usize {
        let code = self.code;
        if code.is(j, b';') || code.is(j, b',') {
            return j + 1;
        }
        let mut decorated = false;
        while code.is(j, b'@') && j < close {
            decorated = true;
            j += 1;
            while code.ident(j).is_some() && code.is(j + 1, b'.') {
                j += 2;
            }
            if code.ident(j).is_some() {
                j += 1;
            }
            if code.is(j, b'(') {
                j = code.skip(j);
            }
        }
        while let Some(w) = code.ident(j) {
            let k = code.kind(j + 1);
            let named_next = k == Kind::Ident
                || k == Kind::Str
                || code.is(j + 1, b'[')
                || code.is(j + 1, b'#')
                || code.is(j + 1, b'*');
            let prefix = MODIFIERS.contains(&w) || matches!(w, "get" | "set" | "async");
            if !(named_next && prefix) {
                break;
            }
            j += 1;
        }
        if code.is(j, b'*') || code.is(j, b'#') {
            j += 1;
        }
        let (name, at) = match code.kind(j) {
            Kind::Ident => (code.ident(j).map(str::to_string), code.off(j)),
            Kind::Str => (code.literal(j), code.off(j) + 1),
            _ if code.is(j, b'[') => (None, 0),
            _ => return j + 1,
        };
        j = code.skip(j);
        if code.is(j, b'?') || code.is(j, b'!') {
            j += 1;
        }
        if code.is(j, b'(') || code.is(j, b'<') {
            return self.method(j, close, name.as_deref() == Some("constructor"), mem);
        }
        if code.is(j, b':') {
            j = code.type_end(j + 1, false);
        }
        if code.assign(j) {
            let end = code.expr_end(j + 1, false);
            if let Some(n) = name
                && self.reads_in(j + 1, end).contains(&n)
            {
                mem.env_fields.push(n);
            }
            return end;
        }
        if decorated && let Some(n) = name {
            mem.schema.push((n, off32(at)));
        }
        j
    }

    /// A method from its `(` or `<` at `j`; the constructor's `this.X = …` count as fields.
    fn method(&self, j: usize, close: usize, ctor: bool, mem: &mut Members) -> usize {
        let code = self.code;
        let Some(open) = (j..close.min(j + 64)).find(|&k| code.is(k, b'(')) else {
            return j + 1;
        };
        let params_end = code.close_of(open) + 1;
        let Some(body) = code.body_after(params_end) else {
            return code.expr_end(params_end, false);
        };
        let body_end = code.close_of(body).min(code.len());
        if ctor {
            for t in body + 1..body_end {
                if !code.word(t, "this") || !code.is(t + 1, b'.') || !code.assign(t + 3) {
                    continue;
                }
                let Some(n) = code.ident(t + 2) else { continue };
                let end = code.expr_end(t + 4, false);
                if self.reads_in(t + 4, end).iter().any(|r| r == n) {
                    mem.env_fields.push(n.to_string());
                }
            }
        }
        body_end + 1
    }

    /// Names read from the environment in tokens `[from, to)`.
    fn reads_in(&self, from: usize, to: usize) -> Vec<String> {
        let mut sink = Sink::recording();
        self.walk_at(from, to, &mut sink, 1);
        sink.reads.into_iter().map(|(_, n, _)| n).collect()
    }
}
