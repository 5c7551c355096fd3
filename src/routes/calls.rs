//! Router method calls: route registrations, mounts, Fastify `register`/`route`,
//! Hono `route`/`on`/`mount`, Koa `prefix`, and functions that receive a router.

use super::exprs::Arg;
use super::facts::{
    HTTP_METHODS, MountKind, P, PathExpr, PrefixArg, RawDyn, RawMount, RawRoute, Recv, Ref, Use,
    strong_name,
};
use super::lex::K;

/// Middleware names that never serve requests themselves (no note when mounted).
const PLAIN_MIDDLEWARE: &[&str] = &[
    "auth",
    "authenticate",
    "authorize",
    "requireAuth",
    "isAuthenticated",
    "protect",
    "guard",
    "verify",
    "cors",
    "helmet",
    "limiter",
    "rateLimit",
    "rateLimiter",
    "logger",
    "morgan",
    "json",
    "urlencoded",
    "bodyParser",
    "compression",
    "session",
    "passport",
    "csrf",
    "cookieParser",
    "validate",
    "errorHandler",
    "notFound",
];

/// Whether a middleware name is a plain (non-serving) middleware.
pub(super) fn plain_middleware(name: &str) -> bool {
    let callee = name.split('(').next().unwrap_or(name);
    let last = callee.rsplit('.').next().unwrap_or(callee);
    PLAIN_MIDDLEWARE
        .iter()
        .any(|m| m.eq_ignore_ascii_case(last))
        || last.to_ascii_lowercase().contains("auth")
        || last.to_ascii_lowercase().ends_with("middleware")
}

fn pathlike_name(name: &str) -> bool {
    let l = name.rsplit('.').next().unwrap_or(name).to_ascii_lowercase();
    [
        "path", "prefix", "base", "url", "mount", "endpoint", "route",
    ]
    .iter()
    .any(|w| l.contains(w))
        && !l.ends_with("router")
        && !l.ends_with("routes")
}

impl P<'_, '_> {
    /// Processes `.m(…)` calls starting at `j` on `recv`; returns the index after the chain.
    pub fn call_chain(&mut self, recv: &Recv, j: usize, off: u32) -> usize {
        let lx = self.lx;
        let mut j = j;
        let mut path_ctx: Option<Vec<PathExpr>> = None;
        for n in 0..256 {
            if !lx.is_p(j, u32::from(b'.')) || !lx.is_p(j + 2, u32::from(b'(')) {
                break;
            }
            let Some(m) = lx.ident(j + 1) else { break };
            let open = j + 2;
            let Some(close) = lx.mate(open) else { break };
            let m_off = if n == 0 { off } else { lx.off(j + 1) };
            if !self.member_call(recv, m, open, m_off, &mut path_ctx) {
                break;
            }
            j = close + 1;
        }
        j
    }

    /// One `.m(args)` call; false when `m` is not a router method.
    fn member_call(
        &mut self,
        recv: &Recv,
        m: &str,
        open: usize,
        off: u32,
        path_ctx: &mut Option<Vec<PathExpr>>,
    ) -> bool {
        let args = self.args(open);
        if HTTP_METHODS.contains(&m) {
            let method = http_method(m);
            match path_ctx {
                Some(paths) => self.push_route(recv, method, paths.clone(), off, false),
                None => self.route_call(recv, method, &args, off),
            }
            return true;
        }
        match m {
            "use" => self.use_call(recv, &args, off),
            "route" => return self.route_method(recv, &args, off, path_ctx),
            "register" | "forRoutes" if recv.name == "RouterModule" => {
                self.f.dyns.push(RawDyn {
                    recv: None,
                    reason: "NestJS RouterModule path prefixes are not applied".to_string(),
                    off,
                });
            }
            "register" => self.register_call(recv, &args, off),
            "prefix" | "basePath" => {
                if let Some(&a) = args.first() {
                    let p = self.path_of(a);
                    self.f.own_prefix.push((recv.clone(), p));
                }
            }
            "on" => self.hono_on(recv, &args, off),
            "mount" => {
                if let Some(&a) = args.first() {
                    let p = self.path_of(a);
                    self.f.terminal.push((recv.clone(), p, off));
                }
            }
            "setGlobalPrefix" => self.nest_global_prefix(&args, off),
            "enableVersioning" => self.nest_versioning(&args),
            _ => return false,
        }
        true
    }

    fn push_route(
        &mut self,
        recv: &Recv,
        method: Option<String>,
        paths: Vec<PathExpr>,
        off: u32,
        client_like: bool,
    ) {
        if self.f.routes.len() >= 100_000 {
            return;
        }
        self.f.routes.push(RawRoute {
            recv: recv.clone(),
            method,
            paths,
            off,
            client_like,
        });
    }

    /// `recv.get(path, …handlers)`.
    fn route_call(&mut self, recv: &Recv, method: Option<String>, args: &[Arg], off: u32) {
        let lx = self.lx;
        if args.len() < 2 {
            return;
        }
        let (Some(&first), Some(&second)) = (args.first(), args.get(1)) else {
            return;
        };
        // koa-router named route: router.get("name", "/path", handler)
        let named = lx.plain_str(first.0).is_some_and(|s| !s.starts_with('/'))
            && lx.plain_str(second.0).is_some_and(|s| s.starts_with('/'))
            && args.len() >= 3;
        let path_arg = if named { second } else { first };
        let paths = self.paths_of(path_arg);
        let client_like = args.len() == 2 && lx.is_p(second.0, u32::from(b'{'));
        self.push_route(recv, method, paths, off, client_like);
    }

    /// `recv.route(…)`: Express route chain, Hono sub-app mount or Fastify route object.
    fn route_method(
        &mut self,
        recv: &Recv,
        args: &[Arg],
        off: u32,
        path_ctx: &mut Option<Vec<PathExpr>>,
    ) -> bool {
        let lx = self.lx;
        match args {
            [one] if lx.is_p(one.0, u32::from(b'{')) => {
                self.fastify_route(recv, one.0, off);
                true
            }
            [one] => {
                *path_ctx = Some(self.paths_of(*one));
                true
            }
            [prefix, child, ..] => {
                let paths = self.paths_of(*prefix);
                let (r, _) = self.parse_ref(child.0);
                let text = lx.snippet(child.0, child.1.saturating_sub(1));
                self.push_mount(
                    recv,
                    PrefixArg::Path(paths),
                    vec![(r, Use::Value, text)],
                    off,
                    MountKind::Route,
                );
                true
            }
            [] => false,
        }
    }

    /// Fastify `route({ method, url, handler })`.
    fn fastify_route(&mut self, recv: &Recv, open: usize, off: u32) {
        let lx = self.lx;
        let Some(url) = self.object_value(open, &["url", "path"]) else {
            return;
        };
        let paths = self.paths_of(url);
        let mut methods = Vec::new();
        if let Some((a, b)) = self.object_value(open, &["method"]) {
            if let Some(s) = lx.plain_str(a) {
                methods.push(Some(s.to_ascii_uppercase()));
            } else if lx.is_p(a, u32::from(b'[')) {
                for (x, _) in self.items(a) {
                    if let Some(s) = lx.plain_str(x) {
                        methods.push(Some(s.to_ascii_uppercase()));
                    }
                }
            } else {
                let what = lx.snippet(a, b.saturating_sub(1));
                self.f.dyns.push(RawDyn {
                    recv: Some(recv.clone()),
                    reason: format!("route method chosen at run time (`{what}`)"),
                    off,
                });
            }
        }
        if methods.is_empty() {
            methods.push(None);
        }
        for m in methods {
            self.push_route(recv, m, paths.clone(), off, false);
        }
    }

    /// Hono `app.on("GET" | ["GET", "POST"], path | [paths], …)`.
    fn hono_on(&mut self, recv: &Recv, args: &[Arg], off: u32) {
        let lx = self.lx;
        let (Some(&(ma, _)), Some(&p)) = (args.first(), args.get(1)) else {
            return;
        };
        let mut methods = Vec::new();
        if let Some(s) = lx.plain_str(ma) {
            methods.push(s.to_ascii_uppercase());
        } else if lx.is_p(ma, u32::from(b'[')) {
            for (x, _) in self.items(ma) {
                if let Some(s) = lx.plain_str(x) {
                    methods.push(s.to_ascii_uppercase());
                }
            }
        }
        let known = [
            "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "ALL",
        ];
        if methods.is_empty()
            || !methods.iter().all(|m| known.contains(&m.as_str()))
            || args.len() < 3
        {
            return;
        }
        let paths = self.paths_of(p);
        for m in methods {
            let m = (m != "ALL").then_some(m);
            self.push_route(recv, m, paths.clone(), off, false);
        }
    }

    /// `recv.use(prefix?, …children)`.
    fn use_call(&mut self, recv: &Recv, args: &[Arg], off: u32) {
        let lx = self.lx;
        let Some(&first) = args.first() else { return };
        let (prefix, rest) = match lx.kind(first.0) {
            Some(K::Str | K::Tmpl | K::TmplHead | K::Regex) => (
                PrefixArg::Path(self.paths_of(first)),
                args.get(1..).unwrap_or_default(),
            ),
            Some(K::Punct) if lx.is_p(first.0, u32::from(b'[')) && self.string_array(first) => (
                PrefixArg::Path(self.paths_of(first)),
                args.get(1..).unwrap_or_default(),
            ),
            Some(K::Ident) if args.len() >= 2 => {
                let (name, next) = self.dotted(first.0);
                if next == first.1 {
                    let path = self.path_of(first);
                    let as_ref = self.name_ref(&name);
                    let pathlike = pathlike_name(&name) || name.starts_with("process.env");
                    (
                        PrefixArg::Maybe(path, as_ref, pathlike),
                        args.get(1..).unwrap_or_default(),
                    )
                } else {
                    (PrefixArg::None, args)
                }
            }
            _ => (PrefixArg::None, args),
        };
        let mut children = Vec::new();
        for &(a, b) in rest.iter().take(16) {
            if lx.is_p(a, u32::from(b'[')) && lx.mate(a) == Some(b - 1) {
                for (x, y) in self.items(a).into_iter().take(16) {
                    let (r, _) = self.parse_ref(x);
                    children.push((r, Use::Value, lx.snippet(x, y.saturating_sub(1))));
                }
                continue;
            }
            let (r, _) = self.parse_ref(a);
            children.push((r, Use::Value, lx.snippet(a, b.saturating_sub(1))));
        }
        self.push_mount(recv, prefix, children, off, MountKind::Use);
    }

    fn string_array(&self, arg: Arg) -> bool {
        let lx = self.lx;
        let items = self.items(arg.0);
        !items.is_empty()
            && items
                .iter()
                .all(|&(a, _)| matches!(lx.kind(a), Some(K::Str | K::Tmpl | K::TmplHead)))
    }

    /// Records a mount of `children` on `recv` (bounded).
    pub(super) fn push_mount(
        &mut self,
        recv: &Recv,
        prefix: PrefixArg,
        children: Vec<(Ref, Use, String)>,
        off: u32,
        kind: MountKind,
    ) {
        if self.f.mounts.len() >= 100_000 {
            return;
        }
        let in_loop = self.in_loop();
        self.f.mounts.push(RawMount {
            parent: recv.clone(),
            prefix,
            children,
            off,
            kind,
            in_loop,
            autoload: None,
        });
    }

    /// Fastify `recv.register(plugin, { prefix })`, including `@fastify/autoload`.
    fn register_call(&mut self, recv: &Recv, args: &[Arg], off: u32) {
        let lx = self.lx;
        let Some(&(a, b)) = args.first() else { return };
        let (r, _) = self.parse_ref(a);
        let text = lx.snippet(a, b.saturating_sub(1));
        let opts = args
            .get(1)
            .map(|o| o.0)
            .filter(|&o| lx.is_p(o, u32::from(b'{')));
        let prefix = opts
            .and_then(|o| self.object_value(o, &["prefix"]))
            .map_or(PrefixArg::None, |v| PrefixArg::Path(vec![self.path_of(v)]));
        let autoload = opts.and_then(|o| {
            let dir = self.object_value(o, &["dir"])?;
            let inner = self
                .object_value(o, &["options"])
                .filter(|v| lx.is_p(v.0, u32::from(b'{')))
                .and_then(|v| self.object_value(v.0, &["prefix"]))
                .map(|v| self.path_of(v));
            Some((self.dir_strings(dir), inner))
        });
        self.push_mount(
            recv,
            prefix,
            vec![(r, Use::Param(0), text)],
            off,
            MountKind::Register,
        );
        if let Some(m) = self.f.mounts.last_mut() {
            m.autoload = autoload;
        }
    }

    /// The string literals of `a..b` joined as a path (`path.join(__dirname, "routes", "v1")`).
    fn dir_strings(&self, (a, b): Arg) -> Option<String> {
        let parts: Vec<&str> = (a..b).filter_map(|j| self.lx.plain_str(j)).collect();
        (!parts.is_empty()).then(|| parts.join("/"))
    }

    /// `setup(app)` / `require("./routes")(app)`: a function receiving routers.
    pub fn pass_call(&mut self, callee: Ref, open: usize) {
        let lx = self.lx;
        let args = self.args(open);
        for (k, &(a, b)) in args.iter().enumerate().take(8) {
            if b != a + 1 {
                continue;
            }
            let Some(name) = lx.ident(a) else { continue };
            if !strong_name(name) && !self.is_router_here(name) {
                continue;
            }
            let recv = Recv {
                scope: self.cur(),
                name: name.to_string(),
            };
            let text = lx.snippet(open.saturating_sub(1), lx.mate(open).unwrap_or(open));
            self.push_mount(
                &recv,
                PrefixArg::None,
                vec![(callee.clone(), Use::Param(k), text)],
                lx.off(open.saturating_sub(1)),
                MountKind::Pass,
            );
        }
    }

    fn is_router_here(&self, name: &str) -> bool {
        self.f.routers.iter().any(|d| d.recv.name == name)
    }

    /// `require("./x")(app)` at a `require` token.
    pub fn require_call(&mut self, i: usize) {
        let lx = self.lx;
        if !lx.is_p(i + 1, u32::from(b'(')) {
            return;
        }
        let Some(close) = lx.mate(i + 1) else { return };
        let Some(spec) = lx.plain_str(i + 2).filter(|_| close == i + 3) else {
            return;
        };
        let spec = spec.to_string();
        self.f.requires.push(spec.clone());
        let mut k = close + 1;
        let mut member = None;
        if lx.is_p(k, u32::from(b'.'))
            && let Some(m) = lx.ident(k + 1)
        {
            member = Some(m.to_string());
            k += 2;
        }
        if lx.is_p(k, u32::from(b'(')) {
            self.pass_call(Ref::Require(spec, member), k);
        }
    }

    /// `app.setGlobalPrefix("api", { exclude })` (NestJS).
    fn nest_global_prefix(&mut self, args: &[Arg], off: u32) {
        let Some(&first) = args.first() else { return };
        let prefix = self.path_of(first);
        let mut exclude = Vec::new();
        if let Some(&(o, _)) = args.get(1)
            && self.lx.is_p(o, u32::from(b'{'))
            && let Some(v) = self.object_value(o, &["exclude"])
        {
            exclude = self.exclude_list(v);
        }
        self.f.nest.global_prefix.push((prefix, exclude, off));
    }

    fn exclude_list(&self, (a, _): Arg) -> Vec<String> {
        let lx = self.lx;
        if !lx.is_p(a, u32::from(b'[')) {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (x, _) in self.items(a) {
            if let Some(s) = lx.plain_str(x) {
                out.push(s.to_string());
            } else if lx.is_p(x, u32::from(b'{'))
                && let Some((v, _)) = self.object_value(x, &["path"])
                && let Some(s) = lx.plain_str(v)
            {
                out.push(s.to_string());
            }
        }
        out
    }

    /// `app.enableVersioning({ type, defaultVersion, prefix })` (NestJS).
    fn nest_versioning(&mut self, args: &[Arg]) {
        let lx = self.lx;
        let mut v = super::nest::Versioning {
            uri: true,
            default: Vec::new(),
            prefix: "v".to_string(),
        };
        if let Some(&(o, _)) = args.first()
            && lx.is_p(o, u32::from(b'{'))
        {
            if let Some((a, b)) = self.object_value(o, &["type"]) {
                v.uri = lx
                    .snippet(a, b.saturating_sub(1))
                    .to_ascii_uppercase()
                    .contains("URI");
            }
            if let Some(d) = self.object_value(o, &["defaultVersion"]) {
                v.default = self.version_list(d);
            }
            if let Some((a, _)) = self.object_value(o, &["prefix"]) {
                if let Some(s) = lx.plain_str(a) {
                    v.prefix = s.to_string();
                } else if lx.is_id(a, "false") {
                    v.prefix = String::new();
                }
            }
        }
        self.f.nest.versioning = Some(v);
    }

    /// `"1"`, `["1", "2"]` → versions; `VERSION_NEUTRAL` and unknowns are skipped.
    pub fn version_list(&self, (a, b): Arg) -> Vec<String> {
        let lx = self.lx;
        if let Some(s) = lx.plain_str(a) {
            return vec![s.to_string()];
        }
        if lx.is_p(a, u32::from(b'[')) && lx.mate(a) == Some(b - 1) {
            return self
                .items(a)
                .into_iter()
                .filter_map(|(x, _)| lx.plain_str(x).map(str::to_string))
                .collect();
        }
        Vec::new()
    }
}

/// HTTP method name for a router method (`all` → any).
fn http_method(m: &str) -> Option<String> {
    match m {
        "all" => None,
        "del" => Some("DELETE".to_string()),
        _ => Some(m.to_ascii_uppercase()),
    }
}
