//! Expression evaluation over tokens: member chains off env-like values (reporting the
//! names read), right-hand sides of bindings, destructuring patterns, and the calls that
//! tie a schema to the environment (`parse(process.env)`, `cleanEnv`, `createEnv`,
//! `plainToInstance`).

use std::rc::Rc;

use super::super::lexer::Kind;
use super::Via;
use super::scan::Scan;
use super::value::{ShapeRef, Sink, Val};

/// Nesting bound for evaluation (parentheses, arguments, patterns).
pub(super) const MAX_DEPTH: u32 = 12;

/// Schema methods whose result is the parsed environment.
const PARSE_ENV: &[&str] = &["parse", "parseAsync", "validateSync", "cast"];
/// Schema methods whose result wraps it (`.data`, `.value`).
const PARSE_RESULT: &[&str] = &["safeParse", "safeParseAsync", "validate"];
/// Schema methods that combine shapes.
const COMBINE: &[&str] = &["merge", "extend", "and", "concat", "keys"];
/// Schema libraries' usual import names, and their object constructors.
const SCHEMA_LIBS: &[&str] = &["z", "zod", "yup", "Joi", "joi", "v"];
const OBJECT_CTORS: &[&str] = &["object", "strictObject", "looseObject"];
/// Members every object has: never variable names.
const PROTO: &[&str] = &[
    "hasOwnProperty",
    "toString",
    "valueOf",
    "constructor",
    "__proto__",
    "propertyIsEnumerable",
    "isPrototypeOf",
    "toLocaleString",
];
/// Upper bound on the shapes a combined schema tracks.
const MAX_SHAPES: usize = 16;

/// An evaluated expression: its value, whether it is a literal `process.env`-style
/// access, and the token after it.
pub(super) struct Ev {
    pub(super) val: Option<Val>,
    pub(super) direct: bool,
    pub(super) end: usize,
}

impl Ev {
    fn none(end: usize) -> Ev {
        Ev {
            val: None,
            direct: false,
            end,
        }
    }

    fn of(val: Val, direct: bool, end: usize) -> Ev {
        Ev {
            val: Some(val),
            direct,
            end,
        }
    }
}

impl Scan<'_, '_> {
    /// Identifiers that start an interesting chain without being bound to a value.
    pub(super) fn primary_word(&self, w: &[u8], i: usize) -> bool {
        let code = self.code;
        match w {
            b"process" | b"import" | b"Deno" | b"Bun" | b"require" | b"cleanEnv" | b"createEnv"
            | b"plainToInstance" | b"plainToClass" => true,
            _ => {
                code.is(i + 1, b'.')
                    && code.is(i + 3, b'(')
                    && code.ident(i + 2).is_some_and(|m| {
                        PARSE_ENV.contains(&m)
                            || PARSE_RESULT.contains(&m)
                            || OBJECT_CTORS.contains(&m)
                            || m == "cleanEnv"
                            || m == "createEnv"
                    })
            }
        }
    }

    /// Evaluate the member chain starting at token `i`, reporting reads into `sink`.
    pub(super) fn chain(&self, i: usize, sink: &mut Sink, depth: u32) -> Ev {
        if depth > MAX_DEPTH {
            return Ev::none(i + 1);
        }
        let p = self.primary(i, sink, depth);
        self.steps(i, p, sink, depth)
    }

    fn primary(&self, i: usize, sink: &mut Sink, depth: u32) -> Ev {
        let code = self.code;
        if code.is(i, b'(') {
            let close = code.close_of(i);
            let inner = self.rhs(i + 1, close, &mut Sink::default(), depth + 1);
            return if inner.end >= close {
                Ev {
                    end: close + 1,
                    ..inner
                }
            } else {
                Ev::none(i + 1)
            };
        }
        let Some(w) = code.ident(i) else {
            return Ev::none(i + 1);
        };
        let dot_env = code.is(i + 1, b'.') && code.word(i + 2, "env");
        match w {
            "import" if code.is(i + 1, b'.') && code.word(i + 2, "meta") => {
                if code.is(i + 3, b'.') && code.word(i + 4, "env") {
                    return Ev::of(Val::Env, true, i + 5);
                }
                return Ev::none(i + 1);
            }
            "Deno" if dot_env && self.is_free(w, i) => return self.deno(i, sink),
            "Bun" if dot_env && self.is_free(w, i) => return Ev::of(Val::Env, true, i + 3),
            "process" if self.is_free(w, i) => return Ev::of(Val::Process, true, i + 1),
            "require" if code.is(i + 1, b'(') && code.is(i + 3, b')') => {
                let lit = code.literal(i + 2);
                if matches!(lit.as_deref(), Some("process" | "node:process")) {
                    return Ev::of(Val::Process, false, i + 4);
                }
            }
            "cleanEnv" | "createEnv" | "plainToInstance" | "plainToClass"
                if code.is(i + 1, b'(') =>
            {
                return self.known_call(w, i + 1, sink, depth);
            }
            "new" => return self.new_instance(i),
            _ => {}
        }
        if code.is(i + 1, b'.') && code.is(i + 3, b'(') {
            let m = code.ident(i + 2).unwrap_or("");
            if SCHEMA_LIBS.contains(&w) && OBJECT_CTORS.contains(&m) && code.is(i + 4, b'{') {
                let s = [ShapeRef {
                    module: self.m,
                    open: i as u32 + 4,
                }];
                return Ev::of(Val::Shape(s.into()), false, code.close_of(i + 3) + 1);
            }
            if m == "cleanEnv" || m == "createEnv" {
                return self.known_call(m, i + 3, sink, depth);
            }
        }
        let Some(d) = self.lookup(w, i) else {
            return Ev::none(i + 1);
        };
        let tie = code.is(i + 1, b'.')
            && code.is(i + 3, b'(')
            && code
                .ident(i + 2)
                .is_some_and(|m| PARSE_ENV.contains(&m) || PARSE_RESULT.contains(&m));
        let saved = self.force.get();
        self.force.set(saved || tie);
        let val = self.val_of(d);
        self.force.set(saved);
        // `process.env.X` with `process` imported from "node:process" reads as written
        let direct = w == "process" && val == Some(Val::Process);
        Ev {
            val,
            direct,
            end: i + 1,
        }
    }

    /// `.name`, `?.name`, `!.`, `["lit"]`, `[expr]` and method calls after a primary.
    fn steps(&self, start: usize, p: Ev, sink: &mut Sink, depth: u32) -> Ev {
        let code = self.code;
        let deleting = start > 0 && code.word(start - 1, "delete");
        let (mut val, mut direct, mut j) = (p.val, p.direct, p.end);
        while let Some(v) = val.take() {
            if code.is(j, b'!') && (code.is(j + 1, b'.') || code.is(j + 1, b'[')) {
                j += 1;
            }
            if code.is(j, b'?') && code.is(j + 1, b'.') && code.adjacent(j) {
                j += 1;
                if code.is(j + 1, b'[') {
                    j += 1; // `?.[`
                }
            }
            if code.is(j, b'.') && !code.spread(j) {
                let Some(name) = code.ident(j + 1) else {
                    val = Some(v);
                    break;
                };
                let k = j + 2;
                if code.is(k, b'(') {
                    val = self.call_method(&v, name, k, sink, depth);
                    direct = false;
                    j = code.close_of(k) + 1;
                    continue;
                }
                let last = !code.is(k, b'.') && !code.is(k, b'[') && !code.is(k, b'?');
                let write = code.assign(k) || (deleting && last);
                val = self.member(&v, name, direct, code.off(j + 1), write, sink);
                direct = direct && val == Some(Val::Env);
                j = k;
            } else if code.is(j, b'[') {
                let close = code.close_of(j);
                let write = code.assign(close + 1) || (deleting && !code.is(close + 1, b'.'));
                match code.literal(j + 1).filter(|_| close == j + 2) {
                    Some(lit) => {
                        let at = code.off(j + 1) + 1;
                        val = self.member(&v, &lit, direct, at, write, sink);
                    }
                    None => {
                        if matches!(v, Val::Env | Val::Instance(_)) && !write {
                            sink.dynamic(code.off(start));
                        }
                    }
                }
                direct = direct && val == Some(Val::Env);
                j = close + 1;
            } else {
                val = Some(v);
                break;
            }
        }
        let direct = direct && val.is_some();
        Ev {
            val,
            direct,
            end: j,
        }
    }

    /// `v.name`: reports a read off an env object or an env class instance.
    pub(super) fn member(
        &self,
        v: &Val,
        name: &str,
        direct: bool,
        at: usize,
        write: bool,
        sink: &mut Sink,
    ) -> Option<Val> {
        match v {
            Val::Process => (name == "env").then_some(Val::Env),
            Val::Env => {
                if !write && !PROTO.contains(&name) {
                    let via = if direct { Via::Direct } else { Via::Alias };
                    sink.read(at, name, via);
                }
                None
            }
            Val::Parsed => matches!(name, "data" | "value").then_some(Val::Env),
            Val::Instance(c) => {
                if !write
                    && c.env_fields
                        .binary_search_by(|f| f.as_str().cmp(name))
                        .is_ok()
                {
                    sink.read(at, name, Via::Alias);
                }
                None
            }
            Val::Namespace(t) => {
                self.targets.borrow_mut().push(*t);
                self.w.modules.get(*t as usize)?.exports.get(name).cloned()
            }
            Val::Class(_) | Val::Shape(_) => None,
        }
    }

    /// `v.name(…)` with `(` at `open`: schema parsing and combination.
    fn call_method(
        &self,
        v: &Val,
        name: &str,
        open: usize,
        sink: &mut Sink,
        depth: u32,
    ) -> Option<Val> {
        let Val::Shape(s) = v else { return None };
        let code = self.code;
        let close = code.close_of(open);
        let first = code.args(open).first().copied();
        if PARSE_ENV.contains(&name) || PARSE_RESULT.contains(&name) {
            if !first.is_some_and(|a| self.env_arg(a, close, depth)) {
                return None;
            }
            sink.shapes(s);
            return Some(if PARSE_ENV.contains(&name) {
                Val::Env
            } else {
                Val::Parsed
            });
        }
        if COMBINE.contains(&name) {
            let mut all = s.to_vec();
            if let Some(a) = first {
                all.extend(self.shape_at(a, close, depth));
            }
            all.truncate(MAX_SHAPES);
            return Some(Val::Shape(all.into()));
        }
        Some(v.clone())
    }

    /// Whether the argument at `a` is the environment: an env-like value, or an object
    /// literal of this module whose values read it (`{ PORT: process.env.PORT }`).
    fn env_arg(&self, a: usize, limit: usize, depth: u32) -> bool {
        match self.rhs(a, limit, &mut Sink::default(), depth + 1).val {
            Some(Val::Env) => true,
            Some(Val::Shape(s)) => s.iter().any(|r| {
                let mut probe = Sink::recording();
                let open = r.open as usize;
                if r.module == self.m && depth < MAX_DEPTH {
                    self.walk_at(open + 1, self.code.close_of(open), &mut probe, depth + 1);
                }
                !probe.reads.is_empty()
            }),
            _ => false,
        }
    }

    /// Object shapes an argument stands for: a literal, or a binding to one (resolved across modules).
    pub(super) fn shape_at(&self, a: usize, limit: usize, depth: u32) -> Vec<ShapeRef> {
        if self.code.is(a, b'{') {
            return vec![ShapeRef {
                module: self.m,
                open: a as u32,
            }];
        }
        let saved = self.force.replace(true);
        let ev = self.rhs(a, limit, &mut Sink::default(), depth + 1);
        self.force.set(saved);
        match ev.val {
            Some(Val::Shape(s)) => s.to_vec(),
            _ => Vec::new(),
        }
    }

    /// `cleanEnv(env, spec)`, `createEnv({ server, client, shared })`,
    /// `plainToInstance(Class, config)`, with `(` at `open`.
    fn known_call(&self, w: &str, open: usize, sink: &mut Sink, depth: u32) -> Ev {
        let code = self.code;
        let close = code.close_of(open);
        let args = code.args(open);
        let end = close + 1;
        match w {
            "cleanEnv" => {
                if let Some(&spec) = args.get(1) {
                    sink.shapes(&self.shape_at(spec, close, depth));
                }
                Ev::of(Val::Env, false, end)
            }
            "createEnv" => {
                if let Some(&obj) = args.first().filter(|&&a| code.is(a, b'{')) {
                    self.create_env(obj, sink, depth);
                }
                Ev::of(Val::Env, false, end)
            }
            _ => {
                let Some(&c) = args.first() else {
                    return Ev::none(end);
                };
                let saved = self.force.replace(true);
                let cls = self.rhs(c, close, &mut Sink::default(), depth + 1).val;
                self.force.set(saved);
                if let Some(Val::Class(cv)) = cls {
                    let tied =
                        cv.env_named || args.get(1).is_some_and(|&a| self.env_arg(a, close, depth));
                    if tied {
                        sink.class(&cv);
                    }
                }
                Ev::none(end)
            }
        }
    }

    /// `createEnv({ server: {…}, client: {…}, shared: {…} })`: those objects' keys.
    fn create_env(&self, obj: usize, sink: &mut Sink, depth: u32) {
        let code = self.code;
        let close = code.close_of(obj);
        let mut j = obj + 1;
        while j < close {
            let key = code.ident(j).unwrap_or("");
            if matches!(key, "server" | "client" | "shared") && code.is(j + 1, b':') {
                sink.shapes(&self.shape_at(j + 2, close, depth));
            }
            j = code.next_entry(j, close);
        }
    }

    /// `new C(…)` at `i`: an instance of an env class.
    fn new_instance(&self, i: usize) -> Ev {
        let code = self.code;
        let mut j = i + 1;
        let Some(name) = code.ident(j) else {
            return Ev::none(i + 1);
        };
        let mut val = self.lookup(name, j).and_then(|d| self.val_of(d));
        j += 1;
        while code.is(j, b'.') {
            let Some(n) = code.ident(j + 1) else { break };
            val = match &val {
                Some(Val::Namespace(t)) => self
                    .w
                    .modules
                    .get(*t as usize)
                    .and_then(|m| m.exports.get(n).cloned()),
                _ => None,
            };
            j += 2;
        }
        if code.is(j, b'(') {
            j = code.close_of(j) + 1;
        }
        match val {
            Some(Val::Class(c)) => Ev::of(Val::Instance(c), false, j),
            _ => Ev::none(j),
        }
    }

    /// `Deno.env.get("X")` (a read), `Deno.env.toObject()` (the environment).
    fn deno(&self, i: usize, sink: &mut Sink) -> Ev {
        let code = self.code;
        if !code.is(i + 3, b'.') || !code.is(i + 5, b'(') {
            return Ev::none(i + 3);
        }
        let close = code.close_of(i + 5);
        if code.word(i + 4, "get") {
            match code.literal(i + 6).filter(|_| close == i + 7) {
                Some(name) => sink.read(code.off(i + 6) + 1, &name, Via::Direct),
                None => sink.dynamic(code.off(i)),
            }
            return Ev::none(close + 1);
        }
        if code.word(i + 4, "toObject") {
            return Ev::of(Val::Env, false, close + 1);
        }
        Ev::none(i + 3)
    }

    /// The value of the expression at `i` when it is a whole expression: a chain, an
    /// object literal (with `...env` spread: the environment), `Object.assign(…)`, or
    /// those followed by `as T`, `!`, `||`/`??` or the end of the statement.
    pub(super) fn rhs(&self, i: usize, limit: usize, sink: &mut Sink, depth: u32) -> Ev {
        if depth > MAX_DEPTH {
            return Ev::none(i + 1);
        }
        let code = self.code;
        let j = if code.word(i, "await") { i + 1 } else { i };
        let ev = if code.is(j, b'{') {
            let val = self.object_val(j, depth);
            Ev::of(val, false, code.close_of(j) + 1)
        } else if code.word(j, "Object")
            && code.is(j + 1, b'.')
            && (code.word(j + 2, "assign") || code.word(j + 2, "freeze"))
            && code.is(j + 3, b'(')
        {
            let close = code.close_of(j + 3);
            let env = code
                .args(j + 3)
                .into_iter()
                .any(|a| self.rhs(a, close, &mut Sink::default(), depth + 1).val == Some(Val::Env));
            Ev {
                val: env.then_some(Val::Env),
                direct: false,
                end: close + 1,
            }
        } else {
            self.chain(j, sink, depth + 1)
        };
        if self.ends_value(ev.end, limit) {
            ev
        } else {
            Ev::none(ev.end)
        }
    }

    fn ends_value(&self, t: usize, limit: usize) -> bool {
        let code = self.code;
        t >= limit
            || t >= code.len()
            || [b';', b',', b')', b']', b'}', b'!']
                .iter()
                .any(|&c| code.is(t, c))
            || code.word(t, "as")
            || code.word(t, "satisfies")
            || (code.is(t, b'|') && code.is(t + 1, b'|'))
            || (code.is(t, b'?') && code.is(t + 1, b'?'))
            || code
                .tok(t)
                .is_some_and(|k| k.nl_before && k.kind != Kind::Punct)
    }

    /// An object literal at `open`: the environment when it spreads it, else a shape.
    fn object_val(&self, open: usize, depth: u32) -> Val {
        let code = self.code;
        let close = code.close_of(open);
        let mut j = open + 1;
        while j < close {
            if code.spread(j) {
                if self.chain(j + 3, &mut Sink::default(), depth + 1).val == Some(Val::Env) {
                    return Val::Env;
                }
                j += 3;
                continue;
            }
            j = code.skip(j);
        }
        Val::Shape(Rc::from([ShapeRef {
            module: self.m,
            open: open as u32,
        }]))
    }

    /// A destructuring pattern at `open` taking from `src`: reports the keys read and
    /// collects (local identifier token, value) pairs into `out`.
    pub(super) fn pattern(
        &self,
        open: usize,
        src: Option<&Val>,
        direct: bool,
        sink: &mut Sink,
        out: &mut Vec<(usize, Option<Val>)>,
        depth: u32,
    ) {
        let code = self.code;
        if depth > MAX_DEPTH {
            return;
        }
        let close = code.close_of(open);
        let mut j = open + 1;
        while j < close {
            if code.spread(j) {
                if code.kind(j + 3) == Kind::Ident {
                    out.push((j + 3, src.filter(|v| **v == Val::Env).cloned()));
                }
                j = code.next_entry(j + 3, close);
                continue;
            }
            let (key, at, after) = match code.kind(j) {
                Kind::Ident => (code.ident(j).map(str::to_string), code.off(j), j + 1),
                Kind::Str => (code.literal(j), code.off(j) + 1, j + 1),
                _ if code.is(j, b'[') => {
                    if src == Some(&Val::Env) {
                        sink.dynamic(code.off(j));
                    }
                    (None, 0, code.skip(j))
                }
                _ => {
                    j = code.next_entry(j, close);
                    continue;
                }
            };
            let v = match (src, &key) {
                (Some(s), Some(k)) => self.member(s, k, direct, at, false, sink),
                _ => None,
            };
            if code.is(after, b':') {
                let t = after + 1;
                if code.is(t, b'{') {
                    let d = direct && v == Some(Val::Env);
                    self.pattern(t, v.as_ref(), d, sink, out, depth + 1);
                } else if code.kind(t) == Kind::Ident {
                    out.push((t, v));
                }
            } else if code.kind(j) == Kind::Ident {
                out.push((j, v));
            }
            j = code.next_entry(after, close);
        }
    }
}
