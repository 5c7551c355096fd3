//! Environment variables read through config modules, not only as `process.env.X`.
//!
//! Followed: aliases of the environment (`const env = process.env`, `let env = process.env
//! as Record<…>`, `{ ...process.env, ...parsed }`, `Object.assign({}, process.env, …)`,
//! `const { env } = process`, `import { env } from "node:process"`, `import process from
//! "process"`, `import * as proc from "process"`, `require("process")`, a later
//! `environment = { ...process.env }`); exports and imports across modules (ESM and
//! CommonJS, `export { default as env } from`, `export * from`, namespaces, tsconfig and
//! other aliases through [`Resolver`]); instances of classes whose fields are initialised
//! from a read of the same name (`public SECRET_KEY = environment.SECRET_KEY ?? ""`,
//! `this.X = process.env.X` in the constructor, inherited through `extends`), so that
//! `env.SECRET_KEY` on `export default new Environment()` is a read; schema keys tied to
//! the environment: zod/yup/Joi objects `parse`d/`safeParse`d/`validate`d against an env
//! value or an object literal of env reads (also merged/extended and imported schemas),
//! t3 `createEnv({ server, client, shared })`, envalid `cleanEnv(env, spec)`, NestJS
//! `validationSchema:`, class-validator classes given to `plainToInstance`/`plainToClass`
//! (class or file named like an env definition, or converting an env value).
//!
//! Not reads: writes (`env.X = …`, `delete env.X`), method calls (`env.hasOwnProperty(…)`),
//! `Object.keys(env)`, object members (`toString`, …), getters and methods of env classes,
//! fields not named like the variable they read, a local `env` that is not env-derived,
//! parameters and locals shadowing an env binding. `env[expr]` is reported as dynamic.
//!
//! Pure and bounded: the caller passes the file list and a reader. Only JS/TS-family files
//! (not `.d.ts`, not under `node_modules`, at most 2 MiB) are read, each once; those
//! mentioning `env` (or importing class-transformer / `@nestjs/config`) are analysed, plus
//! the files mentioning, as a path, the file name of a module found to export an env value
//! under a name without `env` (`settings.ts` → `'./settings'`), and files a tied schema or
//! class is imported from. Modules are scanned dependencies first, each scan seeing the
//! latest exports; a module is scanned again only when a module it may import changed
//! after its scan, for at most [`MAX_ROUNDS`] rounds.

mod bind;
mod class;
mod code;
mod expr;
mod graph;
mod scan;
mod value;

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_more;

use std::cell::RefCell;

use super::files::{self, FxMap, FxSet};
use super::module::ModuleInfo;
use super::resolve::Resolver;

use self::code::{Code, positions};
use self::graph::State;
use self::scan::{Scan, ScanOut};
use self::value::{ClassVal, ShapeRef, Val};

/// How a variable is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Via {
    /// Off the environment itself: `process.env.X`, `process.env["X"]`,
    /// `const { X } = process.env`, `import.meta.env.X`, `Bun.env.X`, `Deno.env.get("X")`.
    Direct,
    /// Through an env-derived object or binding: `env.X` after `const env = process.env`,
    /// an imported config object, or an instance of a class with env-initialised fields.
    Alias,
    /// A key of a schema validated against the environment (zod/yup/Joi object, t3
    /// `createEnv`, envalid `cleanEnv`, class-validator class), located at the key.
    Schema,
}

/// One read of an environment variable.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EnvRead {
    /// The variable name, as written.
    pub name: String,
    /// Repository-relative path of the file.
    pub path: String,
    /// 1-based line of the name.
    pub line: usize,
    /// 1-based column (characters) of the name (inside the quotes for `["X"]`).
    pub column: usize,
    /// How it is read.
    pub via: Via,
}

/// Every env read found, and the accesses whose name cannot be known.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EnvFlow {
    /// Reads, sorted by path, line, column.
    pub reads: Vec<EnvRead>,
    /// `env[key]` on an env object: path, 1-based line and column of the object expression.
    pub dynamic: Vec<(String, usize, usize)>,
}

/// Most rounds of propagation over the import graph.
const MAX_ROUNDS: usize = 8;
/// Larger files (bundles, generated code) are not analysed.
const MAX_FILE: usize = 2 << 20;
/// Texts of files not analysed (yet) kept in memory, for discovery without reading again.
const KEEP_BYTES: usize = 48 << 20;
const JS_EXTS: &[&str] = &["js", "jsx", "ts", "tsx", "mjs", "cjs", "mts", "cts"];

/// One analysed module.
struct Module {
    path: String,
    code: Code,
    info: ModuleInfo,
    /// Env-related exported values (from the latest scan).
    exports: FxMap<String, Val>,
    out: Option<ScanOut>,
}

/// What a module scan may look at besides its own text.
struct World<'a> {
    modules: &'a [Module],
    by_path: &'a FxMap<String, u32>,
    /// File names (stems, or directory names for `index` files) of env-exporting modules.
    needles: &'a FxSet<String>,
    resolver: &'a dyn Fn(&str, &str) -> Option<String>,
    cache: &'a RefCell<FxMap<(u32, String), Option<String>>>,
}

impl World<'_> {
    /// `spec` imported from module `m` at `from`, memoised.
    fn resolve(&self, m: u32, from: &str, spec: &str) -> Option<String> {
        let key = (m, spec.to_string());
        if let Some(hit) = self.cache.borrow().get(&key) {
            return hit.clone();
        }
        let r = (self.resolver)(from, spec);
        self.cache.borrow_mut().insert(key, r.clone());
        r
    }
}

/// Every env variable read in `files` (see the module docs for what is followed).
pub fn env_reads(files: &[String], read: &dyn Fn(&str) -> Option<Vec<u8>>) -> EnvFlow {
    let resolver = Resolver::new(files, read);
    let resolve = |from: &str, spec: &str| resolver.resolve(from, spec);
    let cache = RefCell::new(FxMap::default());
    let mut st = State::default();
    st.prefilter(files, read);
    let mut searched: FxSet<String> = FxSet::default();
    for _ in 0..MAX_ROUNDS {
        let order = st.order();
        if order.is_empty() {
            break;
        }
        let mut demands = Vec::new();
        for i in order {
            let Some(m) = st.modules.get(i as usize) else {
                continue;
            };
            let world = World {
                modules: &st.modules,
                by_path: &st.by_path,
                needles: &st.needles,
                resolver: &resolve,
                cache: &cache,
            };
            let out = Scan::run(&world, i, m);
            st.apply(i, out, &mut demands);
        }
        for p in demands {
            if is_js(&p)
                && let Some(text) = read(&p)
            {
                st.load(&p, text);
            }
        }
        st.discover(files, read, &mut searched);
        st.mark_stale();
    }
    collect(&st)
}

/// Reads, dynamic accesses and the keys of tied schemas, located and sorted.
fn collect(st: &State) -> EnvFlow {
    let mut per: Vec<Vec<(u32, String, Via)>> = vec![Vec::new(); st.modules.len()];
    let mut dynamic: Vec<Vec<u32>> = vec![Vec::new(); st.modules.len()];
    let mut shapes: FxSet<ShapeRef> = FxSet::default();
    let mut classes: FxMap<(u32, u32), &ClassVal> = FxMap::default();
    for (i, m) in st.modules.iter().enumerate() {
        let Some(out) = &m.out else { continue };
        if let Some(p) = per.get_mut(i) {
            p.extend(out.sink.reads.iter().cloned());
        }
        if let Some(d) = dynamic.get_mut(i) {
            d.extend(out.sink.dynamic.iter().copied());
        }
        shapes.extend(out.sink.shapes.iter().copied());
        for c in &out.sink.classes {
            classes.insert((c.module, c.at), c);
        }
    }
    for s in shapes {
        let Some(m) = st.modules.get(s.module as usize) else {
            continue;
        };
        if let Some(p) = per.get_mut(s.module as usize) {
            for (name, off) in object_keys(&m.code, s.open as usize) {
                p.push((off, name, Via::Schema));
            }
        }
    }
    for c in classes.values() {
        if let Some(p) = per.get_mut(c.module as usize) {
            p.extend(c.schema.iter().map(|(n, o)| (*o, n.clone(), Via::Schema)));
        }
    }
    let mut flow = EnvFlow::default();
    for (i, m) in st.modules.iter().enumerate() {
        let mut reads = per.get_mut(i).map(std::mem::take).unwrap_or_default();
        reads.sort();
        reads.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        let offs: Vec<usize> = reads.iter().map(|r| r.0 as usize).collect();
        for ((_, name, via), (line, column)) in reads.into_iter().zip(positions(&m.code.src, &offs))
        {
            flow.reads.push(EnvRead {
                name,
                path: m.path.clone(),
                line,
                column,
                via,
            });
        }
        let mut dy = dynamic.get_mut(i).map(std::mem::take).unwrap_or_default();
        dy.sort_unstable();
        dy.dedup();
        let offs: Vec<usize> = dy.iter().map(|&o| o as usize).collect();
        for (line, column) in positions(&m.code.src, &offs) {
            flow.dynamic.push((m.path.clone(), line, column));
        }
    }
    flow.reads
        .sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    flow.dynamic.sort();
    flow
}

/// Keys of the object literal at `open` (identifiers, strings, shorthands), with offsets.
fn object_keys(code: &Code, open: usize) -> Vec<(String, u32)> {
    let close = code.close_of(open);
    let mut out = Vec::new();
    let mut j = open + 1;
    while j < close {
        let key_end = code.is(j + 1, b':') || code.is(j + 1, b',') || j + 1 == close;
        if key_end {
            if let Some(k) = code.ident(j) {
                out.push((k.to_string(), value::off32(code.off(j))));
            } else if let Some(k) = code.literal(j).filter(|_| code.is(j + 1, b':')) {
                out.push((k, value::off32(code.off(j) + 1)));
            }
        }
        j = code.next_entry(j, close);
    }
    out
}

/// A JS/TS-family file this analysis reads.
fn is_js(path: &str) -> bool {
    let name = files::file_name(path);
    JS_EXTS.contains(&files::ext(name))
        && !name.as_bytes().windows(3).any(|w| w == b".d.")
        && !path.split('/').any(|s| s == "node_modules")
}

/// The name importers use for a module: its stem, or its directory's for `index` files.
fn needle_of(path: &str) -> &str {
    let stem = files::stem(path);
    let stem = files::file_name(stem);
    if stem == "index" {
        files::file_name(files::parent(path))
    } else {
        stem
    }
}

/// Whether `spec` may name a module whose needle is in `needles`.
fn spec_matches(spec: &str, needles: &FxSet<String>) -> bool {
    !needles.is_empty() && spec_key(spec).is_some_and(|k| needles.contains(k))
}

/// The file name a specifier points at: its last segment without a JS extension (the
/// directory's for `…/index`), without alias sigils (`@env` → `env`).
fn spec_key(spec: &str) -> Option<&str> {
    let s = spec.trim_end_matches('/');
    let mut segs = s.rsplit('/');
    let mut last = segs.next()?;
    if let Some((stem, ext)) = last.rsplit_once('.')
        && JS_EXTS.contains(&ext)
    {
        last = stem;
    }
    if last == "index" {
        last = segs.next()?;
    }
    let key = last.trim_start_matches(['@', '#', '~', '$']);
    (!key.is_empty() && key != "." && key != "..").then_some(key)
}
