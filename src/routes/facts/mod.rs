//! Per-file facts: scopes, router declarations, route calls, mounts, exports, imports
//! and string constants, gathered in one pass over the token stream.

mod functions;
mod scopes;
mod skip;
mod statements;

use std::collections::HashMap;

use super::Imported;
use super::lex::Lexed;
use super::nest::NestFacts;

pub(super) use self::scopes::decl_scope;

/// Index of a function scope in [`Facts::scopes`]; 0 is the module scope.
pub(super) type ScopeId = u32;

/// One piece of a path expression.
#[derive(Clone, Debug, PartialEq)]
pub(super) enum Part {
    /// Literal text.
    Lit(String),
    /// A (dotted) identifier to be resolved as a string constant.
    Ref(String),
    /// Something computed at run time; the text is for messages.
    Dyn(String),
}

/// A path expression: the concatenation of its parts.
pub(super) type PathExpr = Vec<Part>;

/// A reference to something that may be (or produce) a router.
#[derive(Clone, Debug)]
pub(super) enum Ref {
    /// An identifier as seen from a scope.
    Name(ScopeId, String),
    /// `require("spec")` / `import("spec")`, optionally `.member`.
    Require(String, Option<String>),
    /// An inline function.
    Func(ScopeId),
    /// A call of the callee, with its first argument (wrappers like `fp(plugin)`).
    Call(Box<Ref>, Option<Box<Ref>>),
    /// `x.routes()` / `x.middleware()` (Koa).
    Routes(Box<Ref>),
    /// `x.member`.
    Member(Box<Ref>, String),
    /// Computed at run time (loop variable, index expression…); text for messages.
    Dyn(String),
    /// Known not to be a router (literal, `new X()`, object…).
    Opaque,
}

/// How a referenced function is used by a mount.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Use {
    /// The value itself (Express `use`, Hono `route`).
    Value,
    /// The function receives the router as parameter `k` (Fastify plugins, `setup(app)`).
    Param(usize),
}

/// What a name is bound to in a scope.
#[derive(Clone, Debug)]
pub(super) enum Decl {
    /// A function whose body is the given scope.
    Func(ScopeId),
    /// Another reference (`const r = makeRouter()`, `const r = other`).
    Alias(Ref),
    /// Anything else.
    Other,
}

/// A function scope.
#[derive(Debug, Default)]
pub(super) struct Scope {
    pub parent: ScopeId,
    pub params: Vec<Option<String>>,
    pub decls: HashMap<String, Decl>,
    pub returns: Vec<Ref>,
}

/// An identifier used at some scope (resolved to its declaring scope after the pass).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) struct Recv {
    pub scope: ScopeId,
    pub name: String,
}

/// A route registration call.
#[derive(Debug, Clone)]
pub(super) struct RawRoute {
    pub recv: Recv,
    pub method: Option<String>,
    pub paths: Vec<PathExpr>,
    pub off: u32,
    /// Two arguments, the second an object literal (looks like an HTTP client call).
    pub client_like: bool,
}

/// How a mount attaches its children.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum MountKind {
    /// `use(prefix?, …)`.
    Use,
    /// Hono `route(prefix, sub)` / `basePath`.
    Route,
    /// Fastify `register(plugin, { prefix })`.
    Register,
    /// `setup(app)`: a function receives the router.
    Pass,
}

/// The first argument of `use(…)`.
#[derive(Clone, Debug)]
pub(super) enum PrefixArg {
    /// No prefix argument.
    None,
    /// Certainly a path (literal, template, concatenation, array).
    Path(Vec<PathExpr>),
    /// An identifier: a path constant, or else a middleware (`use(auth, router)`).
    Maybe(PathExpr, Ref, bool),
}

/// A mount: children attached to a parent router under a prefix.
#[derive(Debug, Clone)]
pub(super) struct RawMount {
    pub parent: Recv,
    pub prefix: PrefixArg,
    pub children: Vec<(Ref, Use, String)>,
    pub off: u32,
    pub kind: MountKind,
    pub in_loop: bool,
    /// Fastify autoload: directory (relative to the file) and option prefix.
    pub autoload: Option<(Option<String>, Option<PathExpr>)>,
}

/// A router construction (`express.Router()`, `new Router({ prefix })`, `new Hono()`…).
#[derive(Debug, Clone)]
pub(super) struct RouterDecl {
    pub recv: Recv,
    /// Callee identifier (for framework lookup through imports).
    pub callee: String,
    /// `require("pkg")` specifier when the callee is an inline require.
    pub spec: Option<String>,
    pub hint: Option<super::Framework>,
    pub off: u32,
}

/// Something the analysis cannot decide, tied (when known) to a router.
#[derive(Debug, Clone)]
pub(super) struct RawDyn {
    pub recv: Option<Recv>,
    pub reason: String,
    pub off: u32,
}

/// A re-export `export { a as b } from "spec"` / `export * from "spec"`.
#[derive(Debug)]
pub(super) struct ReExport {
    pub spec: String,
    /// `None` for `export *`.
    pub imported: Option<String>,
    pub exported: String,
}

/// An import found in the file (used when the caller gave no binding).
#[derive(Debug)]
pub(super) struct FbImport {
    pub local: String,
    pub spec: String,
    pub imported: Imported,
}

/// Everything one file contributes.
#[derive(Debug, Default)]
pub(super) struct Facts {
    pub scopes: Vec<Scope>,
    pub routes: Vec<RawRoute>,
    pub mounts: Vec<RawMount>,
    pub routers: Vec<RouterDecl>,
    /// Own prefix of a router (`new Router({ prefix })`, `.prefix()`, `basePath`).
    pub own_prefix: Vec<(Recv, PathExpr)>,
    pub dyns: Vec<RawDyn>,
    pub exports: Vec<(String, Ref, u32)>,
    pub reexports: Vec<ReExport>,
    pub imports: Vec<FbImport>,
    /// String constants by (dotted) name; `None` when assigned conflicting values.
    pub consts: HashMap<String, Option<PathExpr>>,
    /// Inline `require("spec")` specifiers.
    pub requires: Vec<String>,
    pub nest: NestFacts,
    /// Hono `mount(path, app)` and similar: any method under the path.
    pub terminal: Vec<(Recv, PathExpr, u32)>,
}

/// Router methods that register one HTTP method (`all` = any).
pub(super) const HTTP_METHODS: &[&str] = &[
    "get", "post", "put", "patch", "delete", "del", "head", "options", "all",
];

const NOT_CALLEES: &[&str] = &[
    "if",
    "for",
    "while",
    "switch",
    "catch",
    "function",
    "return",
    "typeof",
    "await",
    "new",
    "with",
    "super",
    "import",
    "require",
    "console",
    "void",
    "delete",
    "in",
    "of",
    "do",
    "else",
    "case",
    "throw",
    "yield",
    "async",
    "constructor",
    "instanceof",
    "this",
];

const MODIFIERS: &[&str] = &[
    "async",
    "static",
    "public",
    "private",
    "protected",
    "get",
    "set",
    "readonly",
    "override",
    "abstract",
    "declare",
];

/// Names that, without other evidence, are taken to be routers or apps.
pub(super) fn strong_name(name: &str) -> bool {
    let base = name.strip_prefix("this.").unwrap_or(name);
    matches!(
        base,
        "app" | "router" | "server" | "fastify" | "instance" | "koa" | "hono" | "api" | "routes"
    ) || base.ends_with("Router")
        || base.ends_with("router")
        || base.ends_with("App")
        || base.ends_with("Routes")
        || base.ends_with("Api")
        || base.ends_with("Server")
}

const NO_SCOPE: ScopeId = u32::MAX;
const UNSEEN: ScopeId = u32::MAX - 1;

/// Active scope on the parser's stack.
struct Active {
    scope: ScopeId,
    /// Block body: index of the closing brace.
    block_end: Option<usize>,
    /// Expression body: depth at which it lives.
    expr_depth: u32,
}

/// The one-pass parser.
pub(super) struct P<'l, 'a> {
    /// The tokens.
    pub lx: &'l Lexed<'a>,
    /// What has been gathered so far.
    pub f: Facts,
    active: Vec<Active>,
    /// Scope whose body starts at each token (`NO_SCOPE` = none).
    pending: Vec<ScopeId>,
    /// Memo of `function_at` per token (`UNSEEN`, `NO_SCOPE` or the scope).
    fn_at: Vec<ScopeId>,
    loops: Vec<usize>,
    classes: Vec<(usize, usize)>,
}

/// Runs the pass over one tokenised file.
pub(super) fn gather(lx: &Lexed<'_>) -> Facts {
    let mut p = P {
        lx,
        f: Facts {
            scopes: vec![Scope::default()],
            ..Facts::default()
        },
        active: Vec::new(),
        pending: vec![NO_SCOPE; lx.len()],
        fn_at: vec![UNSEEN; lx.len()],
        loops: Vec::new(),
        classes: Vec::new(),
    };
    for i in 0..lx.len() {
        p.enter(i);
        p.function_at(i);
        p.visit(i);
    }
    p.f.nest = super::nest::gather(lx, &mut p);
    p.finish();
    p.f
}
