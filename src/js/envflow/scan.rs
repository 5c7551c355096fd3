//! One module's scan: scoped bindings (declarations, parameters, imports, classes),
//! exports, then the walk that reports reads.

use std::cell::{Cell, RefCell};

use super::super::files::FxMap;
use super::super::lexer::Kind;
use super::super::module::{Import, ImportKind, Imported};
use super::code::Code;
use super::value::{Sink, Val};
use super::{Module, World};

/// One declaration of a name: the bracket it lives in, where it starts, where its scope
/// ends, its value, and the import binding it comes from.
pub(super) struct Decl {
    lo: u32,
    start: u32,
    end: u32,
    pub(super) val: Option<Val>,
    import: Option<(u32, u32)>,
}

/// What a scan produces.
#[derive(Default)]
pub(super) struct ScanOut {
    pub(super) exports: FxMap<String, Val>,
    pub(super) sink: Sink,
    /// Files to analyse that a schema or class was imported from.
    pub(super) demands: Vec<String>,
    /// Analysed modules whose exports this scan used.
    pub(super) targets: Vec<u32>,
}

/// The scanner of one module.
pub(super) struct Scan<'w, 'a> {
    pub(super) w: &'w World<'a>,
    pub(super) m: u32,
    pub(super) code: &'w Code,
    pub(super) path: &'w str,
    imports: &'w [Import],
    decls: FxMap<&'w str, Vec<Decl>>,
    /// Quick reject for [`Scan::hot`]: bits of names with a tracked value.
    hot_bits: Bloom,
    /// Bits of every name in `decls`.
    known_bits: Bloom,
    /// Declarations without value of names not (yet) in `decls`: they only matter if
    /// the name turns out to have a valued declaration too (see [`Scan::flush_pending`]).
    pending: Vec<Decl>,
    pub(super) exports: FxMap<String, Val>,
    pub(super) demands: RefCell<Vec<String>>,
    pub(super) targets: RefCell<Vec<u32>>,
    /// Resolve imports whatever their specifier (a schema or class argument is evaluated).
    pub(super) force: Cell<bool>,
    /// `{` tokens of class bodies (their `x = …` are fields, not assignments).
    pub(super) class_bodies: Vec<usize>,
    /// [`Scan::assign_pending`] calls so far.
    probes: u32,
}

/// Declarations kept per name (lookups scan them; more only happen in generated code).
const MAX_DECLS: usize = 256;
/// Assignments to value-less declarations looked up per module (each scans the pending list).
const MAX_PENDING_PROBES: u32 = 64;

/// TS parameter properties and class member modifiers.
pub(super) const MODIFIERS: &[&str] = &[
    "public",
    "private",
    "protected",
    "readonly",
    "static",
    "declare",
    "override",
    "abstract",
    "accessor",
];

impl<'w, 'a> Scan<'w, 'a> {
    /// Scan module `m`: bindings and exports, then reads.
    pub(super) fn run(w: &'w World<'a>, m: u32, module: &'w Module) -> ScanOut {
        let mut s = Scan {
            w,
            m,
            code: &module.code,
            path: &module.path,
            imports: &module.info.imports,
            decls: FxMap::default(),
            hot_bits: Bloom::default(),
            known_bits: Bloom::default(),
            pending: Vec::new(),
            exports: FxMap::default(),
            demands: RefCell::new(Vec::new()),
            targets: RefCell::new(Vec::new()),
            force: Cell::new(false),
            class_bodies: Vec::new(),
            probes: 0,
        };
        s.bind_imports();
        s.bind();
        s.finish_exports(module);
        let mut sink = Sink::recording();
        s.walk_at(0, s.code.len(), &mut sink, 0);
        let mut targets = s.targets.take();
        targets.sort_unstable();
        targets.dedup();
        ScanOut {
            exports: std::mem::take(&mut s.exports),
            sink,
            demands: s.demands.take(),
            targets,
        }
    }

    // ------------------------------------------------------------------ bindings

    fn bind_imports(&mut self) {
        let n = self.code.len() as u32;
        let imports: &'w [Import] = self.imports;
        for (ii, imp) in imports.iter().enumerate() {
            if imp.type_only || !binds(imp.kind) {
                continue;
            }
            for (bi, b) in imp.bindings.iter().enumerate() {
                let val = self.import_val(imp, &b.imported, false);
                let d = Decl {
                    lo: 0,
                    start: 0,
                    end: n,
                    val,
                    import: Some((ii as u32, bi as u32)),
                };
                self.push_decl(b.local.as_str(), d);
            }
        }
    }

    fn push_decl(&mut self, name: &'w str, d: Decl) {
        if d.val.is_some() {
            self.hot_bits.set(name.as_bytes());
        }
        self.known_bits.set(name.as_bytes());
        let ds = self.decls.entry(name).or_default();
        if ds.len() < MAX_DECLS {
            ds.push(d);
        }
    }

    /// Declare the identifier at token `i` with scope `[lo, end)`.
    pub(super) fn declare(&mut self, i: usize, lo: usize, end: usize, val: Option<Val>) {
        let code: &'w Code = self.code;
        let Some(name) = code.ident(i) else { return };
        let d = Decl {
            lo: lo as u32,
            start: i as u32,
            end: end as u32,
            val,
            import: None,
        };
        let relevant = d.val.is_some()
            || matches!(name, "process" | "Deno" | "Bun")
            || (self.known_bits.has(name.as_bytes()) && self.decls.contains_key(name));
        if relevant {
            self.push_decl(name, d);
        } else {
            self.pending.push(d);
        }
    }

    /// Add the pending declarations of names that now have valued declarations.
    pub(super) fn flush_pending(&mut self) {
        let code: &'w Code = self.code;
        for d in std::mem::take(&mut self.pending) {
            let Some(name) = code.ident(d.start as usize) else {
                continue;
            };
            if self.known_bits.has(name.as_bytes()) && self.decls.contains_key(name) {
                self.push_decl(name, d);
            }
        }
    }

    /// Declare token `i` in the scope it appears in.
    pub(super) fn declare_here(&mut self, i: usize, val: Option<Val>) {
        let lo = self.code.outer_of(i).unwrap_or(0);
        let end = self.code.scope_end(i);
        self.declare(i, lo, end, val);
    }

    /// The declaration of `name` visible at token `at`: the latest one started before it
    /// in a scope containing it, else a hoisted one in such a scope.
    pub(super) fn lookup(&self, name: &str, at: usize) -> Option<&Decl> {
        let at = at as u32;
        let ds = self.decls.get(name)?;
        let mut best: Option<&Decl> = None;
        let mut hoisted: Option<&Decl> = None;
        for d in ds.iter().filter(|d| d.lo <= at && at < d.end) {
            if d.start <= at {
                if best.is_none_or(|b| d.start >= b.start) {
                    best = Some(d);
                }
            } else if hoisted.is_none() {
                hoisted = Some(d);
            }
        }
        best.or(hoisted)
    }

    /// Whether `name` is declared at all at `at` (a local `process` is not the global).
    pub(super) fn is_free(&self, name: &str, at: usize) -> bool {
        self.lookup(name, at).is_none()
    }

    /// Value of a declaration; imports not resolved yet are resolved when forced.
    pub(super) fn val_of(&self, d: &Decl) -> Option<Val> {
        if d.val.is_some() || !self.force.get() {
            return d.val.clone();
        }
        let (ii, bi) = d.import?;
        let imp = self.imports.get(ii as usize)?;
        let b = imp.bindings.get(bi as usize)?;
        self.import_val(imp, &b.imported, true)
    }

    /// A name that may have a tracked value (cheap bloom check first).
    pub(super) fn hot(&self, name: &[u8]) -> bool {
        self.hot_bits.has(name)
            && std::str::from_utf8(name).is_ok_and(|n| self.decls.contains_key(n))
    }

    /// Update the value of the declaration `name` resolves to at `at` (assignments).
    pub(super) fn assign_val(&mut self, name: &str, at: usize, val: Val) {
        let Some(target) = self.lookup(name, at).map(|d| d.start) else {
            return self.assign_pending(name, at, val);
        };
        self.hot_bits.set(name.as_bytes());
        self.known_bits.set(name.as_bytes());
        if let Some(d) = self
            .decls
            .get_mut(name)
            .and_then(|ds| ds.iter_mut().find(|d| d.start == target))
        {
            d.val = Some(val);
        }
    }

    /// `x = env` where `x` was declared without value (`let x;`): record it after all.
    fn assign_pending(&mut self, name: &str, at: usize, val: Val) {
        if self.probes >= MAX_PENDING_PROBES {
            return;
        }
        self.probes += 1;
        let code: &'w Code = self.code;
        let at32 = at as u32;
        let found = self
            .pending
            .iter()
            .enumerate()
            .filter(|(_, d)| {
                d.lo <= at32 && at32 < d.end && code.ident(d.start as usize) == Some(name)
            })
            .max_by_key(|(_, d)| d.start)
            .map(|(k, _)| k);
        if let Some(k) = found {
            let mut d = self.pending.swap_remove(k);
            d.val = Some(val);
            if let Some(n) = code.ident(d.start as usize) {
                self.push_decl(n, d);
            }
        }
    }

    // ------------------------------------------------------------------ imports

    pub(super) fn import_val(&self, imp: &Import, what: &Imported, force: bool) -> Option<Val> {
        let spec = imp.specifier.as_str();
        if spec == "process" || spec == "node:process" {
            return match what {
                Imported::Default | Imported::Namespace => Some(Val::Process),
                Imported::Named(n) if n == "env" => Some(Val::Env),
                Imported::Named(_) => None,
            };
        }
        if !force && !super::spec_matches(spec, self.w.needles) {
            return None;
        }
        let t = self.target(spec, force)?;
        let exports = &self.w.modules.get(t as usize)?.exports;
        match what {
            Imported::Default => exports.get("default").cloned(),
            Imported::Named(n) => exports.get(n.as_str()).cloned(),
            Imported::Namespace => {
                let cjs = matches!(imp.kind, ImportKind::Require | ImportKind::ImportEquals);
                match exports.get("default") {
                    Some(v) if cjs => Some(v.clone()),
                    _ => Some(Val::Namespace(t)),
                }
            }
        }
    }

    /// The analysed module `spec` resolves to; an unanalysed one is demanded when forced.
    pub(super) fn target(&self, spec: &str, force: bool) -> Option<u32> {
        let path = self.w.resolve(self.m, self.path, spec)?;
        match self.w.by_path.get(path.as_str()) {
            Some(&t) => {
                self.targets.borrow_mut().push(t);
                Some(t)
            }
            None => {
                if force && super::is_js(&path) {
                    self.demands.borrow_mut().push(path);
                }
                None
            }
        }
    }

    /// Exported locals (now that every top-level binding is known) and re-exports.
    fn finish_exports(&mut self, module: &'w Module) {
        for e in &module.info.exports {
            let Some(local) = &e.local else { continue };
            if let Some(v) = self.top_val(local) {
                self.exports.insert(e.name.clone(), v);
            }
        }
        for imp in self.imports {
            match imp.kind {
                ImportKind::ReExport if !imp.type_only => {
                    for b in &imp.bindings {
                        if let Some(v) = self.import_val(imp, &b.imported, false) {
                            self.exports.entry(b.local.clone()).or_insert(v);
                        }
                    }
                }
                ImportKind::ReExportAll if !imp.type_only => {
                    if !super::spec_matches(&imp.specifier, self.w.needles) {
                        continue;
                    }
                    let Some(t) = self.target(&imp.specifier, false) else {
                        continue;
                    };
                    let Some(tm) = self.w.modules.get(t as usize) else {
                        continue;
                    };
                    for (k, v) in &tm.exports {
                        if k != "default" {
                            self.exports.entry(k.clone()).or_insert_with(|| v.clone());
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Value of the top-level binding `name` (the last top-level declaration).
    fn top_val(&self, name: &str) -> Option<Val> {
        let n = self.code.len() as u32;
        let d = self
            .decls
            .get(name)?
            .iter()
            .filter(|d| d.lo == 0 && d.end >= n)
            .max_by_key(|d| d.start)?;
        self.val_of(d)
    }

    // ------------------------------------------------------------------ pass B

    /// Report the reads in tokens `[from, to)`; `depth` bounds nested evaluation.
    pub(super) fn walk_at(&self, from: usize, to: usize, sink: &mut Sink, depth: u32) {
        if depth > super::expr::MAX_DEPTH {
            return;
        }
        let code = self.code;
        let to = to.min(code.len());
        for i in from..to {
            if code.kind(i) != Kind::Ident || code.after_dot(i) {
                continue;
            }
            let w = code.text(i);
            if matches!(w, b"const" | b"let" | b"var") && code.is(i + 1, b'{') {
                self.pattern_reads(i + 1, sink, depth);
            } else if w == b"validationSchema" && code.is(i + 1, b':') {
                // NestJS `ConfigModule.forRoot({ validationSchema: Joi.object({…}) })`
                let shapes = self.shape_at(i + 2, code.scope_end(i), depth);
                sink.shapes(&shapes);
            } else if self.hot(w) || self.primary_word(w, i) {
                self.chain(i, sink, depth);
            }
        }
    }

    /// `const { A, B: b } = rhs`: the keys read from an env-like value.
    fn pattern_reads(&self, open: usize, sink: &mut Sink, depth: u32) {
        let code = self.code;
        let mut k = code.skip(open);
        if code.is(k, b':') {
            k = code.type_end(k + 1, true);
        }
        if !code.assign(k) {
            return;
        }
        let ev = self.rhs(k + 1, code.len(), &mut Sink::default(), depth);
        if let Some(v) = ev.val.filter(Val::env_like) {
            self.pattern(open, Some(&v), ev.direct, sink, &mut Vec::new(), depth);
        }
    }
}

/// Import kinds that bind local names.
fn binds(k: ImportKind) -> bool {
    matches!(
        k,
        ImportKind::Static | ImportKind::Require | ImportKind::ImportEquals | ImportKind::Dynamic
    )
}

/// A 256-bit filter over identifier names.
#[derive(Default)]
struct Bloom([u64; 4]);

impl Bloom {
    fn bit(name: &[u8]) -> (usize, u64) {
        let a = u64::from(name.first().copied().unwrap_or(0));
        let b = u64::from(name.get(1).copied().unwrap_or(0));
        let z = u64::from(name.last().copied().unwrap_or(0));
        let h =
            (a | b << 8 | z << 16 | (name.len() as u64) << 24).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        (((h >> 62) & 3) as usize, 1u64 << ((h >> 56) & 63))
    }

    fn set(&mut self, name: &[u8]) {
        let (w, b) = Bloom::bit(name);
        if let Some(x) = self.0.get_mut(w) {
            *x |= b;
        }
    }

    fn has(&self, name: &[u8]) -> bool {
        let (w, b) = Bloom::bit(name);
        self.0.get(w).is_some_and(|x| x & b != 0)
    }
}
