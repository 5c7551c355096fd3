//! Path normalisation, route-kind classification and request matching.

use super::{Framework, Route, RouteKind, RouteTable, Serves};

/// Normalises a route pattern: leading `/`, no empty or trailing segments, params as
/// `:name` (regex/constraint suffixes dropped, `?` kept for optional), wildcards as `*`.
pub(super) fn normalize(path: &str) -> String {
    let text = optional_groups(path.trim());
    let mut out = String::with_capacity(text.len() + 1);
    for seg in text.split('/').filter(|s| !s.is_empty()).take(128) {
        out.push('/');
        out.push_str(&segment(seg));
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// Express 5 `{/:id}` optional groups → `/:id?`.
fn optional_groups(p: &str) -> String {
    if !p.contains("{/") {
        return p.to_string();
    }
    let mut out = String::with_capacity(p.len());
    let mut open = false;
    let mut chars = p.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'/') => open = true,
            '}' if open => {
                open = false;
                out.push('?');
            }
            _ => out.push(c),
        }
    }
    out
}

fn segment(seg: &str) -> String {
    if seg.starts_with('*') || seg == "(.*)" || seg.starts_with("[...") || seg.starts_with("[[...")
    {
        return "*".to_string();
    }
    if let Some(rest) = seg.strip_prefix(':') {
        let name: String = rest
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '-')
            .collect();
        let tail = rest.get(name.len()..).unwrap_or("");
        let optional = tail.ends_with('?') || tail.starts_with('?');
        if tail.ends_with('*') || tail.starts_with('*') {
            return "*".to_string();
        }
        let name = if name.is_empty() {
            "param".to_string()
        } else {
            name
        };
        return if optional {
            format!(":{name}?")
        } else {
            format!(":{name}")
        };
    }
    if let Some(inner) = seg.strip_prefix('[').and_then(|s| s.strip_suffix(']'))
        && !inner.is_empty()
        && !inner.contains('[')
    {
        return format!(":{inner}");
    }
    seg.to_string()
}

/// Joins two path pieces and normalises the result.
pub(super) fn join(a: &str, b: &str) -> String {
    let mut s = String::with_capacity(a.len() + b.len() + 1);
    s.push_str(a.trim_end_matches('/'));
    s.push('/');
    s.push_str(b.trim_start_matches('/'));
    normalize(&s)
}

const HEALTH: &[&str] = &[
    "health",
    "healthz",
    "_health",
    "healthcheck",
    "health-check",
    "health_check",
    "healthcheckz",
    "status",
    "ping",
    "_ping",
    "heartbeat",
];
const READY: &[&str] = &["ready", "readiness", "readyz", "_ready", "_readiness"];
const LIVE: &[&str] = &["live", "liveness", "livez", "_live", "alive", "_liveness"];
const PREFIXISH: &[&str] = &[
    "api",
    "internal",
    "_",
    "system",
    "sys",
    "admin",
    "monitoring",
    "monitor",
    "meta",
    "management",
    "actuator",
    "ops",
    "private",
    "public",
    "functions",
    ".well-known",
    "service",
    "probe",
    "probes",
    "k8s",
    "kubernetes",
];

fn classify(seg: &str) -> Option<RouteKind> {
    let s = seg.to_ascii_lowercase();
    if HEALTH.contains(&s.as_str()) {
        Some(RouteKind::Health)
    } else if READY.contains(&s.as_str()) {
        Some(RouteKind::Readiness)
    } else if LIVE.contains(&s.as_str()) {
        Some(RouteKind::Liveness)
    } else {
        None
    }
}

fn prefixish(seg: &str) -> bool {
    let s = seg.to_ascii_lowercase();
    PREFIXISH.contains(&s.as_str())
        || s.starts_with(':')
        || classify(&s).is_some()
        || (s.len() >= 2
            && s.starts_with('v')
            && s.get(1..)
                .is_some_and(|d| d.chars().all(|c| c.is_ascii_digit())))
}

/// Classifies a normalised route path as health / readiness / liveness / plain.
///
/// The most specific (last) matching segment decides; everything before it must look
/// like a prefix (`api`, `v1`, `internal`, params, other health words), so
/// `/orders/:id/status` stays plain.
pub fn kind_of(path: &str) -> RouteKind {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    for (k, seg) in segs.iter().enumerate().rev() {
        if let Some(kind) = classify(seg) {
            let before_ok = segs
                .get(..k)
                .unwrap_or_default()
                .iter()
                .all(|s| prefixish(s));
            return if before_ok { kind } else { RouteKind::Plain };
        }
    }
    RouteKind::Plain
}

/// A request path segment.
#[derive(Debug)]
struct ReqSeg {
    text: String,
    var: bool,
}

fn is_var(seg: &str) -> bool {
    seg.contains('$')
        || seg.contains("{{")
        || seg.starts_with('{')
        || seg.starts_with('<')
        || seg.starts_with(':')
        || (seg.starts_with('%') && seg.ends_with('%') && seg.len() > 2)
}

/// Splits a request (path or URL) into segments; the flag says a variable base URL led it.
fn request(path: &str) -> (Vec<ReqSeg>, bool) {
    let mut s = path
        .trim()
        .trim_matches(|c| c == '"' || c == '\'' || c == '`');
    let mut had_host = false;
    if let Some(k) = s.find("://") {
        let rest = s.get(k + 3..).unwrap_or("");
        s = rest.find('/').map_or("", |j| rest.get(j..).unwrap_or(""));
        had_host = true;
    } else if let Some(rest) = s.strip_prefix("//") {
        s = rest.find('/').map_or("", |j| rest.get(j..).unwrap_or(""));
        had_host = true;
    }
    let s = cut_query(s);
    let mut segs: Vec<ReqSeg> = s
        .split('/')
        .filter(|x| !x.is_empty())
        .take(128)
        .map(|x| ReqSeg {
            text: x.to_string(),
            var: is_var(x),
        })
        .collect();
    let mut leading = false;
    if !had_host && !s.starts_with('/') {
        while segs.first().is_some_and(|x| x.var) {
            segs.remove(0);
            leading = true;
        }
        if !leading && segs.first().is_some_and(|x| x.text.contains('.')) {
            // bare host: example.com/health
            segs.remove(0);
        }
    }
    (segs, leading)
}

/// Cuts `?query` and `#fragment`, leaving `${…?…}` and `${{ … }}` intact.
fn cut_query(s: &str) -> &str {
    let mut depth = 0i32;
    for (k, c) in s.char_indices() {
        match c {
            '{' => depth = depth.saturating_add(1),
            '}' => depth = depth.saturating_sub(1),
            '?' | '#' if depth <= 0 => return s.get(..k).unwrap_or(s),
            _ => {}
        }
    }
    s
}

/// A route pattern segment.
#[derive(Debug)]
enum PatSeg<'p> {
    Lit(&'p str),
    Param { optional: bool },
    Star,
}

fn pattern(path: &str) -> Vec<PatSeg<'_>> {
    path.split('/')
        .filter(|s| !s.is_empty())
        .take(128)
        .map(|s| {
            if s == "*" {
                PatSeg::Star
            } else if s.starts_with(':') {
                PatSeg::Param {
                    optional: s.ends_with('?'),
                }
            } else {
                PatSeg::Lit(s)
            }
        })
        .collect()
}

fn glob(p: &str, s: &str) -> bool {
    match p.split_once('*') {
        None => p.eq_ignore_ascii_case(s),
        Some((a, b)) => {
            s.len() >= a.len() + b.len()
                && s.get(..a.len()).is_some_and(|x| x.eq_ignore_ascii_case(a))
                && s.get(s.len() - b.len()..)
                    .is_some_and(|x| x.eq_ignore_ascii_case(b))
        }
    }
}

fn seg_match(p: &PatSeg<'_>, r: &ReqSeg) -> bool {
    match p {
        PatSeg::Star | PatSeg::Param { .. } => true,
        PatSeg::Lit(l) => r.var || glob(l, &r.text),
    }
}

/// Whether the pattern matches the request segments exactly (with bounded backtracking).
fn matches(pat: &[PatSeg<'_>], req: &[ReqSeg], budget: &mut u32) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    let Some(p) = pat.first() else {
        return req.is_empty();
    };
    let rest = pat.get(1..).unwrap_or_default();
    match p {
        PatSeg::Star => true,
        PatSeg::Param { optional: true } if matches(rest, req, budget) => true,
        _ => match req.first() {
            Some(r) => seg_match(p, r) && matches(rest, req.get(1..).unwrap_or_default(), budget),
            None => false,
        },
    }
}

fn method_ok(route: &Route, method: Option<&str>) -> bool {
    let (Some(want), Some(have)) = (method, route.method.as_deref()) else {
        return true;
    };
    want.eq_ignore_ascii_case(have) || (want.eq_ignore_ascii_case("HEAD") && have == "GET")
}

/// A route's pattern, parsed once per table (see [`RouteIndex`]).
struct Compiled<'t> {
    route: &'t Route,
    pat: Vec<PatSeg<'t>>,
    specificity: usize,
    /// A bare `*` at the root does not count as serving anything.
    catch_all: bool,
    /// No wildcard and no optional parameter: one segment per request segment.
    fixed: bool,
}

impl<'t> Compiled<'t> {
    fn new(route: &'t Route) -> Self {
        let mut pat = pattern(&route.path);
        let catch_all = matches!(pat.as_slice(), [PatSeg::Star]);
        let specificity = pat
            .iter()
            .map(|s| match s {
                PatSeg::Lit(_) => 4,
                PatSeg::Param { .. } => 2,
                PatSeg::Star => 0,
            })
            .sum();
        if route.framework == Framework::Supabase {
            pat.push(PatSeg::Star);
        }
        let fixed = pat
            .iter()
            .all(|p| matches!(p, PatSeg::Lit(_) | PatSeg::Param { optional: false }));
        Compiled {
            route,
            pat,
            specificity,
            catch_all,
            fixed,
        }
    }

    /// Whether the route matches the request; a bare catch-all never does.
    fn matches(&self, req: &[ReqSeg], leading: bool) -> bool {
        if self.catch_all {
            return false;
        }
        let pat = self.pat.as_slice();
        if self.fixed {
            // Segment for segment, from the end (the most telling part); a
            // leading variable stands for the pattern's first segments.
            let skip = match pat.len().checked_sub(req.len()) {
                Some(0) => 0,
                Some(k) if leading => k,
                _ => return false,
            };
            let tail = pat.get(skip..).unwrap_or_default();
            return tail
                .iter()
                .rev()
                .zip(req.iter().rev())
                .all(|(p, r)| seg_match(p, r));
        }
        let mut budget = 4096;
        if !leading {
            return matches(pat, req, &mut budget);
        }
        (0..=pat.len()).any(|k| matches(pat.get(k..).unwrap_or_default(), req, &mut budget))
    }
}

/// A route table with every pattern parsed once, for matching many requests.
pub struct RouteIndex<'t> {
    table: &'t RouteTable,
    routes: Vec<Compiled<'t>>,
    /// Routes ending in a plain literal, by that literal lower-cased: a
    /// request whose last segment is a literal can only match these (or `open`).
    by_last: std::collections::HashMap<String, Vec<usize>>,
    /// Routes ending in a parameter, wildcard or glob.
    open: Vec<usize>,
}

impl<'t> RouteIndex<'t> {
    /// Parses the table's route patterns.
    pub fn new(table: &'t RouteTable) -> Self {
        let routes: Vec<Compiled<'t>> = table.routes.iter().map(Compiled::new).collect();
        let mut by_last: std::collections::HashMap<String, Vec<usize>> = Default::default();
        let mut open = Vec::new();
        for (i, c) in routes.iter().enumerate() {
            // `*` anywhere matches the rest of the request outright.
            let star = c.pat.iter().any(|p| matches!(p, PatSeg::Star));
            match c.pat.last() {
                Some(PatSeg::Lit(l)) if !star && !l.contains('*') => {
                    by_last.entry(l.to_ascii_lowercase()).or_default().push(i)
                }
                _ => open.push(i),
            }
        }
        RouteIndex {
            table,
            routes,
            by_last,
            open,
        }
    }

    /// The routes that can match a request, in table order.
    fn candidates(&self, req: &[ReqSeg]) -> Vec<&Compiled<'t>> {
        let Some(last) = req.last().filter(|r| !r.var) else {
            return self.routes.iter().collect();
        };
        let mut ids: Vec<usize> = self.open.clone();
        if let Some(v) = self.by_last.get(&last.text.to_ascii_lowercase()) {
            ids.extend_from_slice(v);
        }
        ids.sort_unstable();
        ids.iter().filter_map(|&i| self.routes.get(i)).collect()
    }

    /// See [`RouteTable::serves`].
    pub fn serves(&self, method: Option<&str>, path: &str) -> Serves<'t> {
        let (req, leading) = request(path);
        if leading && req.is_empty() {
            return Serves::Undecided("the URL is entirely a variable".to_string());
        }
        let best = self
            .candidates(&req)
            .into_iter()
            .filter(|c| method_ok(c.route, method) && c.matches(&req, leading))
            .max_by_key(|c| c.specificity);
        if let Some(c) = best {
            return Serves::Yes(c.route);
        }
        for u in &self.table.undecided {
            if covers(&u.prefix, &req, leading) {
                return Serves::Undecided(format!(
                    "{}:{}:{}: {}",
                    u.file, u.line, u.column, u.reason
                ));
            }
        }
        Serves::No
    }
}

fn covers(prefix: &str, req: &[ReqSeg], leading: bool) -> bool {
    let pre: Vec<&str> = prefix.split('/').filter(|s| !s.is_empty()).collect();
    let starts = |p: &[&str]| {
        p.len() <= req.len()
            && p.iter().zip(req).all(|(a, r)| {
                r.var || a.starts_with(':') || *a == "*" || a.eq_ignore_ascii_case(&r.text)
            })
    };
    if starts(&pre) {
        return true;
    }
    leading && (1..=pre.len()).any(|k| starts(pre.get(k..).unwrap_or_default()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(path: &str) -> Route {
        Route {
            method: Some("GET".into()),
            path: normalize(path),
            file: "app.js".into(),
            line: 1,
            column: 1,
            kind: kind_of(path),
            framework: Framework::Express,
        }
    }

    /// The fixed-length shortcut answers exactly as the backtracking matcher.
    #[test]
    fn fixed_patterns_match_as_the_general_matcher_does() {
        let patterns = [
            "/",
            "/health",
            "/api/v1/:id",
            "/api/:a/:b",
            "/Users/:id/posts",
            "/a/b/c/d",
        ];
        let requests = [
            "/",
            "/health",
            "/HEALTH/",
            "${BASE}/health",
            "$U/api/v1/7",
            "/api/v1/7",
            "/api/v1",
            "/v1/7",
            "${X}/7",
            "/users/1/posts",
            "${A}/${B}/posts",
            "/a/b/c/d",
            "${B}/c/d",
            "/b/c/d",
            "/a/b/c/d/e",
            "https://x.example/api/v1/2",
        ];
        for p in patterns {
            let r = route(p);
            let c = Compiled::new(&r);
            assert!(c.fixed, "{p}");
            for q in requests {
                let (req, leading) = request(q);
                let mut budget = 4096;
                let general = if leading {
                    (0..=c.pat.len())
                        .any(|k| matches(c.pat.get(k..).unwrap_or_default(), &req, &mut budget))
                } else {
                    matches(&c.pat, &req, &mut budget)
                };
                assert_eq!(c.matches(&req, leading), general, "{p} vs {q}");
            }
        }
    }
}
