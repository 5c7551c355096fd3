//! NestJS: `@Controller` classes and their `@Get`/`@Post`/… handlers, `@Version`,
//! Terminus `@HealthCheck()`, plus `setGlobalPrefix` / `enableVersioning` (gathered by
//! the call parser).

use super::facts::{P, PathExpr};
use super::lex::{K, Lexed};

/// URI versioning options from `enableVersioning`.
#[derive(Debug, Clone)]
pub(super) struct Versioning {
    pub uri: bool,
    pub default: Vec<String>,
    pub prefix: String,
}

/// One handler method.
#[derive(Debug)]
pub(super) struct NestMethod {
    pub method: Option<String>,
    pub paths: Vec<PathExpr>,
    pub version: Option<Vec<String>>,
    pub health: bool,
    pub off: u32,
}

/// One `@Controller` class.
#[derive(Debug)]
pub(super) struct Controller {
    pub paths: Vec<PathExpr>,
    pub version: Option<Vec<String>>,
    pub methods: Vec<NestMethod>,
}

/// NestJS facts of one file.
#[derive(Debug, Default)]
pub(super) struct NestFacts {
    pub controllers: Vec<Controller>,
    /// `setGlobalPrefix(prefix, { exclude })` and where it is called.
    pub global_prefix: Vec<(PathExpr, Vec<String>, u32)>,
    pub versioning: Option<Versioning>,
}

const NEST_METHODS: &[(&str, Option<&str>)] = &[
    ("Get", Some("GET")),
    ("Post", Some("POST")),
    ("Put", Some("PUT")),
    ("Patch", Some("PATCH")),
    ("Delete", Some("DELETE")),
    ("Head", Some("HEAD")),
    ("Options", Some("OPTIONS")),
    ("All", None),
    ("Sse", Some("GET")),
];

/// Collects controllers (the prefix/versioning calls were recorded during the main pass).
pub(super) fn gather(lx: &Lexed<'_>, p: &mut P<'_, '_>) -> NestFacts {
    let mut nf = std::mem::take(&mut p.f.nest);
    if memchr::memmem::find(lx.src, b"Controller").is_none() {
        return nf;
    }
    let mut i = 0;
    while i < lx.len() {
        if lx.is_p(i, u32::from(b'@'))
            && (lx.is_id(i + 1, "Controller") || lx.is_id(i + 1, "JsonController"))
            && let Some((c, end)) = controller(p, i)
        {
            nf.controllers.push(c);
            i = end;
            continue;
        }
        i += 1;
    }
    nf
}

/// Arguments of a decorator at `at` (`@Name(…)`): (paths, version).
fn decorator_args(p: &P<'_, '_>, at: usize) -> (Vec<PathExpr>, Option<Vec<String>>) {
    let lx = p.lx;
    let open = at + 2;
    if !lx.is_p(open, u32::from(b'(')) {
        return (vec![Vec::new()], None);
    }
    let args = p.args(open);
    let Some(&first) = args.first() else {
        return (vec![Vec::new()], None);
    };
    if lx.is_p(first.0, u32::from(b'{')) {
        let paths = p
            .object_value(first.0, &["path"])
            .map_or_else(|| vec![Vec::new()], |v| p.paths_of(v));
        let version = p
            .object_value(first.0, &["version"])
            .map(|v| p.version_list(v));
        return (paths, version);
    }
    (p.paths_of(first), None)
}

/// Parses the controller whose decorator starts at `at`; returns it and the class end.
fn controller(p: &mut P<'_, '_>, at: usize) -> Option<(Controller, usize)> {
    let lx = p.lx;
    let (paths, version) = decorator_args(p, at);
    let d = lx.depth(at);
    let mut k = at + 2;
    let mut class_version = version;
    let mut seen_class = false;
    let mut open = None;
    while k < at + 400 && k < lx.len() {
        if lx.depth(k) < d {
            return None;
        }
        if lx.is_p(k, u32::from(b'@')) && lx.is_id(k + 1, "Version") {
            class_version = version_arg(p, k).or(class_version);
        }
        if lx.is_id(k, "class") {
            seen_class = true;
        }
        if seen_class && lx.is_p(k, u32::from(b'{')) && lx.depth(k) == d {
            open = Some(k);
            break;
        }
        k = p.next_sibling(k);
    }
    let open = open?;
    let close = lx.mate(open).unwrap_or(lx.len());
    let methods = methods(p, open, close);
    Some((
        Controller {
            paths,
            version: class_version,
            methods,
        },
        close,
    ))
}

fn version_arg(p: &P<'_, '_>, at: usize) -> Option<Vec<String>> {
    let open = at + 2;
    if !p.lx.is_p(open, u32::from(b'(')) {
        return None;
    }
    p.args(open).first().map(|&a| p.version_list(a))
}

/// Handler methods in the class body `open … close`.
fn methods(p: &P<'_, '_>, open: usize, close: usize) -> Vec<NestMethod> {
    let lx = p.lx;
    let body = lx.depth(open) + 1;
    let mut out = Vec::new();
    let mut pending: Vec<NestMethod> = Vec::new();
    let mut health = false;
    let mut version = None;
    let mut k = open + 1;
    while k < close && out.len() < 4096 {
        if lx.depth(k) != body {
            k += 1;
            continue;
        }
        if lx.is_p(k, u32::from(b'@')) && lx.kind(k + 1) == Some(K::Ident) {
            let name = lx.text(k + 1);
            if let Some((_, m)) = NEST_METHODS.iter().find(|(n, _)| *n == name) {
                let (paths, _) = decorator_args(p, k);
                pending.push(NestMethod {
                    method: m.map(str::to_string),
                    paths,
                    version: None,
                    health: false,
                    off: lx.off(k),
                });
            } else if name == "HealthCheck" {
                health = true;
            } else if name == "Version" {
                version = version_arg(p, k);
            }
            k = if lx.is_p(k + 2, u32::from(b'(')) {
                lx.mate(k + 2).map_or(k + 3, |m| m + 1)
            } else {
                k + 2
            };
            continue;
        }
        // First token of the member the decorators belong to.
        for mut m in pending.drain(..) {
            m.health = health;
            m.version.clone_from(&version);
            out.push(m);
        }
        health = false;
        version = None;
        k = skip_member(p, k, close);
    }
    out
}

/// Skips one class member starting at `k` (through its body or terminating `;`).
fn skip_member(p: &P<'_, '_>, k: usize, close: usize) -> usize {
    let lx = p.lx;
    let body = lx.depth(k);
    let mut j = k;
    while j < close {
        if lx.depth(j) == body {
            if lx.is_p(j, u32::from(b';')) {
                return j + 1;
            }
            if lx.is_p(j, u32::from(b'{')) {
                return lx.mate(j).map_or(close, |m| m + 1);
            }
            if j > k && lx.is_p(j, u32::from(b'@')) {
                return j;
            }
        }
        j = p.next_sibling(j);
    }
    close
}

/// A global prefix: its evaluation, excluded paths, and where it is set (file, offset).
struct GlobalPrefix {
    prefix: super::resolve::Evaluated,
    exclude: Vec<String>,
    at: (usize, u32),
}

/// Per-package NestJS settings, keyed by package root.
struct Globals {
    prefixes: Vec<(String, GlobalPrefix)>,
    versioning: Vec<(String, Versioning)>,
}

/// The package root of a bootstrap file: its directory without a trailing `src`.
fn package_root(path: &str) -> String {
    let dir = super::resolve::parent_dir(path);
    let dir = dir.strip_suffix("/src").unwrap_or(dir);
    if dir == "src" {
        String::new()
    } else {
        dir.to_string()
    }
}

/// Picks the setting whose package root contains `file` (longest), or the only one.
fn pick<'x, T>(items: &'x [(String, T)], file: &str) -> Option<&'x T> {
    let inside = items
        .iter()
        .filter(|(root, _)| root.is_empty() || file.starts_with(&format!("{root}/")))
        .max_by_key(|(root, _)| root.len());
    match (inside, items) {
        (Some((_, t)), _) => Some(t),
        (None, [(_, t)]) => Some(t),
        _ => None,
    }
}

fn globals(w: &super::resolve::World<'_>) -> Globals {
    let mut g = Globals {
        prefixes: Vec::new(),
        versioning: Vec::new(),
    };
    for i in 0..w.file_count() {
        let Some(f) = w.facts_of(i) else { continue };
        let root = package_root(w.path(i));
        for (p, ex, off) in &f.nest.global_prefix {
            g.prefixes.push((
                root.clone(),
                GlobalPrefix {
                    prefix: w.eval(i, p, 0),
                    exclude: ex.clone(),
                    at: (i, *off),
                },
            ));
        }
        if let Some(v) = &f.nest.versioning {
            g.versioning.push((root.clone(), v.clone()));
        }
    }
    g
}

/// One decorator route ready to push.
struct Pending {
    file: usize,
    off: u32,
    method: Option<String>,
    path: super::resolve::Evaluated,
    health: bool,
    framework: super::Framework,
}

/// Version path segments for a handler (`[""]` when unversioned).
fn versions(v: Option<&Versioning>, c: &Controller, m: &NestMethod) -> Vec<String> {
    let Some(v) = v else {
        return vec![String::new()];
    };
    let list = m
        .version
        .clone()
        .or_else(|| c.version.clone())
        .unwrap_or_else(|| v.default.clone());
    if list.is_empty() {
        return vec![String::new()];
    }
    list.into_iter()
        .map(|x| format!("{}{x}", v.prefix))
        .collect()
}

/// Routes of one file's controllers.
fn file_routes(w: &mut super::resolve::World<'_>, g: &Globals, i: usize, out: &mut Vec<Pending>) {
    let nest = w.imports_package(i, "@nestjs/");
    let framework = if nest {
        super::Framework::NestJs
    } else {
        super::Framework::Unknown
    };
    let path = w.path(i);
    let global = if nest { pick(&g.prefixes, path) } else { None };
    let versioning = pick(&g.versioning, path).filter(|v| v.uri && nest);
    let Some(f) = w.facts_of(i) else { return };
    let mut dynamic_global = None;
    for c in &f.nest.controllers {
        for m in &c.methods {
            for ver in versions(versioning, c, m) {
                for cp in &c.paths {
                    for mp in &m.paths {
                        let rel = match (w.eval(i, cp, 0), w.eval(i, mp, 0)) {
                            (Ok(a), Ok(b)) => Ok(super::matcher::join(&a, &b)),
                            (Err(e), _) | (_, Err(e)) => Err(e),
                        };
                        let full = rel.map(|r| apply_global(global, &ver, &r, &mut dynamic_global));
                        out.push(Pending {
                            file: i,
                            off: m.off,
                            method: m.method.clone(),
                            path: full,
                            health: m.health,
                            framework,
                        });
                    }
                }
            }
        }
    }
    if let Some(((file, off), reason, head)) = dynamic_global {
        w.push_undecided(file, off, format!("global prefix: {reason}"), &head);
    }
}

/// Emits decorator routes with global prefix and URI versioning applied.
pub(super) fn emit(w: &mut super::resolve::World<'_>) {
    let g = globals(w);
    let mut out = Vec::new();
    for i in 0..w.file_count() {
        if w.facts_of(i)
            .is_some_and(|f| !f.nest.controllers.is_empty())
        {
            file_routes(w, &g, i, &mut out);
        }
    }
    for p in out {
        match p.path {
            Ok(s) => {
                let kind = p.health.then_some(super::RouteKind::Health);
                w.push_route(p.file, p.off, p.method, &s, p.framework, kind);
            }
            Err((reason, head)) => {
                w.push_undecided(p.file, p.off, format!("route path: {reason}"), &head)
            }
        }
    }
}

type DynamicGlobal = Option<((usize, u32), String, String)>;

/// `/{global}/{version}/{rel}`; a run-time global prefix is left out and reported once.
fn apply_global(
    global: Option<&GlobalPrefix>,
    version: &str,
    rel: &str,
    dynamic: &mut DynamicGlobal,
) -> String {
    use super::matcher::{join, normalize};
    let Some(g) = global else {
        return join(version, rel);
    };
    let rel_n = normalize(rel);
    if g.exclude.iter().any(|e| normalize(e) == rel_n) {
        return join(version, rel);
    }
    match &g.prefix {
        Ok(p) => join(&join(p, version), rel),
        Err((reason, head)) => {
            *dynamic = Some((g.at, reason.clone(), head.clone()));
            join(version, rel)
        }
    }
}
