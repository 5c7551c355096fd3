//! Which HTTP routes a Node.js/TypeScript codebase declares.
//!
//! [`extract`] reads the files it is given (no I/O) and returns a [`RouteTable`]:
//! Express / Koa / Fastify / Hono routers with their mounts resolved across files,
//! NestJS controllers, Next.js route handlers and API pages, and Supabase edge
//! functions. What cannot be decided statically (paths from variables, routes
//! registered in loops, mounts under computed prefixes) is reported in
//! [`RouteTable::undecided`] instead of guessed, and [`RouteTable::serves`] answers
//! [`Serves::Undecided`] for requests those could serve.

mod calls;
pub mod config_calls;
mod decls;
mod exprs;
mod facts;
mod files;
mod lex;
mod matcher;
mod nest;
mod resolve;
#[cfg(test)]
mod tests;

pub use self::matcher::{RouteIndex, kind_of};

/// One source file handed in by the caller.
#[derive(Debug, Clone, Copy)]
pub struct SourceFile<'a> {
    /// Repository-relative path with `/` separators.
    pub path: &'a str,
    /// Raw contents (need not be UTF-8).
    pub text: &'a [u8],
}

/// One import binding in a file, already resolved by the module graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportBinding {
    /// Importing file.
    pub file: String,
    /// Local name bound in `file`.
    pub local: String,
    /// What is imported from the target.
    pub imported: Imported,
    /// Resolved repo-relative target file; `None` = npm package / unresolved.
    pub source: Option<String>,
    /// The specifier as written.
    pub specifier: String,
}

/// What an import binding takes from its target module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    /// The default export (or `module.exports` for `require`).
    Default,
    /// A named export.
    Named(String),
    /// The whole module (`import * as ns`).
    Namespace,
}

/// Web framework a route was declared with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Framework {
    /// Express (also the fallback for Express-style routers of unknown origin).
    Express,
    /// Koa with `@koa/router` / `koa-router`.
    Koa,
    /// Fastify.
    Fastify,
    /// Hono.
    Hono,
    /// NestJS.
    NestJs,
    /// Next.js route handlers and API pages.
    NextJs,
    /// Supabase (Deno) edge functions.
    Supabase,
    /// `@godaddy/terminus` health checks on a Node HTTP server.
    Terminus,
    /// An Express-style router API whose framework could not be identified.
    Unknown,
}

impl Framework {
    /// Stable lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Framework::Express => "express",
            Framework::Koa => "koa",
            Framework::Fastify => "fastify",
            Framework::Hono => "hono",
            Framework::NestJs => "nestjs",
            Framework::NextJs => "nextjs",
            Framework::Supabase => "supabase",
            Framework::Terminus => "terminus",
            Framework::Unknown => "unknown",
        }
    }
}

/// What a route is for, judged from its path (and Terminus decorators).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RouteKind {
    /// An ordinary route.
    Plain,
    /// `/health`, `/healthz`, `/_health`, `/status`, `/ping`, Terminus `@HealthCheck()`.
    Health,
    /// `ready`, `readiness`, `readyz`.
    Readiness,
    /// `live`, `liveness`, `livez`.
    Liveness,
}

/// One declared route.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    /// `"GET"`, `"POST"`…; `None` = any method (`use`, `all`, API pages, edge functions).
    pub method: Option<String>,
    /// Normalised full path: leading `/`, no trailing `/`, params as `:name`, wildcard `*`.
    pub path: String,
    /// File declaring the route.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// Framework.
    pub framework: Framework,
    /// Health / readiness / liveness classification.
    pub kind: RouteKind,
}

/// Something that may declare routes but cannot be decided statically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undecided {
    /// File of the construct.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// Why it cannot be decided.
    pub reason: String,
    /// Path prefix under which unknown routes may exist (`"/"` = anywhere).
    pub prefix: String,
}

/// All routes of a codebase.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RouteTable {
    /// Declared routes, sorted by file and position.
    pub routes: Vec<Route>,
    /// Constructs that may add routes the table cannot name.
    pub undecided: Vec<Undecided>,
    /// Frameworks seen (sorted, deduplicated).
    pub frameworks: Vec<Framework>,
}

/// Answer of [`RouteTable::serves`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Serves<'a> {
    /// This route serves the request.
    Yes(&'a Route),
    /// No declared route serves it and nothing undecided could.
    No,
    /// Nothing declared serves it, but an undecided construct might; the reason says which.
    Undecided(String),
}

/// Extracts the route table from `files`, using `imports` to follow mounts across files.
pub fn extract(files: &[SourceFile<'_>], imports: &[ImportBinding]) -> RouteTable {
    let mut table = resolve::run(files, imports);
    terminus_routes(files, &mut table);
    table
}

/// `createTerminus(server, { healthChecks })` keys: GET routes at the server's
/// root; computed keys are undecided.
fn terminus_routes(files: &[SourceFile<'_>], table: &mut RouteTable) {
    for f in files {
        if memchr::memmem::find(f.text, b"createTerminus").is_none() {
            continue;
        }
        let text = String::from_utf8_lossy(f.text);
        for found in config_calls::terminus(&text) {
            match found.path {
                Some(path) => {
                    let path = format!("/{}", path.trim_matches('/'));
                    table.routes.push(Route {
                        method: Some("GET".into()),
                        kind: kind_of(&path),
                        path,
                        file: f.path.to_string(),
                        line: found.line,
                        column: 1,
                        framework: Framework::Terminus,
                    });
                    if !table.frameworks.contains(&Framework::Terminus) {
                        table.frameworks.push(Framework::Terminus);
                        table.frameworks.sort();
                    }
                }
                None => table.undecided.push(Undecided {
                    file: f.path.to_string(),
                    line: found.line,
                    column: 1,
                    reason: found.reason,
                    prefix: "/".into(),
                }),
            }
        }
    }
}

impl RouteTable {
    /// Whether a request (`method` or any, `path` or full URL) is served by a declared route.
    ///
    /// Query strings, fragments, trailing slashes, scheme and host are ignored;
    /// `${{ secrets.X }}`, `$VAR`, `${VAR}` segments match any segment, and a leading
    /// variable (a base URL) lets the rest match the end of a route. `HEAD` is served
    /// by `GET` routes. A bare catch-all (`*` at the root) does not count as serving.
    /// To match many requests, build a [`RouteIndex`] once with [`RouteTable::index`].
    pub fn serves(&self, method: Option<&str>, path: &str) -> Serves<'_> {
        self.index().serves(method, path)
    }

    /// The table with its patterns parsed once, for matching many requests.
    pub fn index(&self) -> RouteIndex<'_> {
        RouteIndex::new(self)
    }

    /// Health, readiness and liveness routes, ordered by file then kind then path.
    pub fn health_paths(&self) -> Vec<&Route> {
        let mut v: Vec<&Route> = self
            .routes
            .iter()
            .filter(|r| r.kind != RouteKind::Plain)
            .collect();
        v.sort_by(|a, b| {
            (&a.file, a.kind, &a.path, a.line).cmp(&(&b.file, b.kind, &b.path, b.line))
        });
        v
    }

    /// Routes declared in files under directory `dir` (`""` or `"."` = everything).
    pub fn routes_under(&self, dir: &str) -> Vec<&Route> {
        self.routes.iter().filter(|r| under(&r.file, dir)).collect()
    }

    /// [`RouteTable::health_paths`] restricted to files under `dir` (one package of a monorepo).
    pub fn health_paths_under(&self, dir: &str) -> Vec<&Route> {
        self.health_paths()
            .into_iter()
            .filter(|r| under(&r.file, dir))
            .collect()
    }
}

/// Whether `file` lies under directory `dir`.
fn under(file: &str, dir: &str) -> bool {
    let d = dir.trim_start_matches("./").trim_end_matches('/');
    if d.is_empty() || d == "." {
        return true;
    }
    file.strip_prefix(d)
        .is_some_and(|rest| rest.starts_with('/'))
}
