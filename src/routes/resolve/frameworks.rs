//! Which framework a router belongs to: package specifiers, the frameworks a file
//! imports, and inheritance along mounts.

use super::super::Framework;
use super::super::facts::RouterDecl;
use super::World;

/// The package name of a specifier (`@scope/name`, `name`), from npm, `npm:`/`jsr:`,
/// or `deno.land/x` / `esm.sh` URLs; versions are dropped.
fn package_name(spec: &str) -> String {
    let mut s = spec;
    for p in ["npm:", "jsr:", "node:"] {
        s = s.strip_prefix(p).unwrap_or(s);
    }
    for host in ["deno.land/x/", "esm.sh/", "cdn.skypack.dev/"] {
        if let Some(k) = s.find(host) {
            s = s.get(k + host.len()..).unwrap_or("");
        }
    }
    let mut parts = s.split('/');
    let first = parts.next().unwrap_or("");
    let name = if first.starts_with('@') {
        format!("{first}/{}", parts.next().unwrap_or(""))
    } else {
        first.to_string()
    };
    match name.rfind('@') {
        Some(k) if k > 0 => name.get(..k).unwrap_or("").to_string(),
        _ => name,
    }
}

/// Framework named by a package specifier.
pub fn framework_of_spec(spec: &str) -> Option<Framework> {
    let name = package_name(spec);
    match name.as_str() {
        "express" | "express-serve-static-core" => Some(Framework::Express),
        "koa" | "koa-router" | "@koa/router" => Some(Framework::Koa),
        "fastify" | "fastify-plugin" => Some(Framework::Fastify),
        "hono" | "@hono/hono" => Some(Framework::Hono),
        "next" => Some(Framework::NextJs),
        _ if name.starts_with("@fastify/") => Some(Framework::Fastify),
        _ if name.starts_with("@hono/") => Some(Framework::Hono),
        _ if name.starts_with("@nestjs/") => Some(Framework::NestJs),
        _ => None,
    }
}

impl World<'_> {
    /// Whether file `i` imports a package whose name starts with `prefix`.
    pub fn imports_package(&self, i: usize, prefix: &str) -> bool {
        let path = self.path(i);
        let given = self
            .given_of(path)
            .iter()
            .any(|b| b.source.is_none() && b.specifier.starts_with(prefix));
        given
            || self
                .facts(i)
                .is_some_and(|f| f.imports.iter().any(|im| im.spec.starts_with(prefix)))
    }

    /// Frameworks imported by file `i`.
    fn evidence(&self, i: usize) -> Vec<Framework> {
        let path = self.path(i);
        let mut out: Vec<Framework> = self
            .given_of(path)
            .iter()
            .filter(|b| b.source.is_none())
            .filter_map(|b| framework_of_spec(&b.specifier))
            .collect();
        if let Some(f) = self.facts.get(i).and_then(Option::as_ref) {
            out.extend(
                f.imports
                    .iter()
                    .filter_map(|im| framework_of_spec(&im.spec)),
            );
            out.extend(f.requires.iter().filter_map(|s| framework_of_spec(s)));
        }
        out.sort();
        out.dedup();
        out
    }

    /// Server frameworks (Express, Koa, Fastify, Hono) imported by file `i`.
    pub(super) fn server_evidence(&self, i: usize) -> Vec<Framework> {
        self.evidence(i)
            .into_iter()
            .filter(|f| {
                matches!(
                    f,
                    Framework::Express | Framework::Koa | Framework::Fastify | Framework::Hono
                )
            })
            .collect()
    }

    /// Framework of a router construction: an inline `require` specifier, else the callee's
    /// import when it names a server framework, else the parser's hint.
    pub(super) fn decl_framework(&self, i: usize, d: &RouterDecl) -> Option<Framework> {
        if let Some(s) = &d.spec {
            return framework_of_spec(s).or(d.hint);
        }
        let spec = self.binding(i, &d.callee).map(|(_, _, s)| s);
        spec.and_then(|s| framework_of_spec(&s))
            .filter(|fw| {
                matches!(
                    fw,
                    Framework::Express | Framework::Koa | Framework::Fastify | Framework::Hono
                )
            })
            .or(d.hint)
    }

    /// Framework of a router: its construction, else an ancestor's, else what its own
    /// or an ancestor's file imports, else the only one the repository uses.
    pub(super) fn node_framework(&self, n: usize) -> Framework {
        let mut seen = vec![n];
        let mut k = 0;
        while let Some(&cur) = seen.get(k) {
            if k > 64 {
                break;
            }
            if let Some(fw) = self.nodes.get(cur).and_then(|x| x.framework) {
                return fw;
            }
            for &e in self.in_edges.get(cur).map_or(&[][..], Vec::as_slice) {
                if let Some(p) = self.edges.get(e).map(|x| x.parent)
                    && !seen.contains(&p)
                {
                    seen.push(p);
                }
            }
            k += 1;
        }
        for &cur in &seen {
            let file = self.nodes.get(cur).map_or(0, |x| x.key.file);
            if let [one] = self.server_evidence(file).as_slice() {
                return *one;
            }
        }
        self.single_framework.unwrap_or(Framework::Unknown)
    }
}
