//! Health and readiness checks from the routes the code declares
//! ([`crate::routes`]) and `@godaddy/terminus` health checks, per package.
//! Nothing is guessed: a package that declares no health route gets no check,
//! and what the route extractor could not resolve is listed, never checked.

use super::packages::{self, Package};
use crate::routes::config_calls as js;
use crate::routes::{Framework, RouteKind, RouteTable, SourceFile};

/// One health or readiness route the code declares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Probe {
    /// Request path.
    pub path: String,
    /// Readiness (`ready`, `readiness`, `readyz`) rather than health/liveness.
    pub readiness: bool,
    /// Directory of the package declaring it.
    pub package: String,
    /// `file:line` of the declaration.
    pub origin: String,
    /// How it is declared (`Express route`, `Terminus healthChecks`, …).
    pub how: String,
    /// Rank among the package's probes of the same kind (lower is preferred).
    rank: (usize, usize, String),
}

/// Something that may declare routes but could not be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved {
    /// `file:line:column`.
    pub at: String,
    /// Why, and under which prefix.
    pub reason: String,
}

/// What the code says about health endpoints.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Health {
    /// Probes written as checks (one health and one readiness probe, of one package).
    pub checks: Vec<Probe>,
    /// Other probes the code declares (written as commented-out checks).
    pub others: Vec<Probe>,
    /// Route constructs the extractor could not resolve.
    pub unresolved: Vec<Unresolved>,
    /// `SwaggerModule.setup` paths with their `file:line`.
    pub swagger: Vec<(String, String)>,
}

fn framework_label(f: Framework) -> Option<&'static str> {
    Some(match f {
        Framework::Express => "Express",
        Framework::Koa => "Koa",
        Framework::Fastify => "Fastify",
        Framework::Hono => "Hono",
        Framework::NestJs => "NestJS",
        Framework::NextJs => "Next.js",
        Framework::Supabase => "Supabase",
        Framework::Terminus => "Terminus",
        Framework::Unknown => return None,
    })
}

/// How preferable a health path is: `health`-words first, then liveness, then
/// `status`/`ping`; fewer segments first.
fn rank(path: &str) -> (usize, usize, String) {
    let segs: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let word = segs
        .last()
        .map(|s| s.to_ascii_lowercase())
        .unwrap_or_default();
    let class = if word.contains("health") || word.contains("ready") {
        0
    } else if word.contains("live") {
        1
    } else {
        2
    };
    (class, segs.len(), path.to_string())
}

/// Whether a smoke check can request this path as it is.
fn concrete(path: &str) -> bool {
    !path
        .split('/')
        .any(|s| s.starts_with(':') || s.contains('*'))
}

/// Probes from the route table, adding the frameworks routes reveal to their packages.
fn from_routes(table: &RouteTable, pkgs: &mut [Package]) -> Vec<Probe> {
    for r in &table.routes {
        let label = framework_label(r.framework);
        let dir = packages::owner(pkgs, &r.file).map(|p| p.dir.clone());
        if let (Some(label), Some(dir)) = (label, dir)
            && let Some(p) = pkgs.iter_mut().find(|p| p.dir == dir)
        {
            p.add(label);
        }
    }
    table
        .health_paths()
        .into_iter()
        .filter(|r| matches!(r.method.as_deref(), None | Some("GET")) && concrete(&r.path))
        .map(|r| Probe {
            path: r.path.clone(),
            readiness: r.kind == RouteKind::Readiness,
            package: packages::owner(pkgs, &r.file).map_or_else(String::new, |p| p.dir.clone()),
            origin: format!("{}:{}", r.file, r.line),
            how: if r.framework == Framework::Terminus {
                "Terminus healthChecks".into()
            } else {
                format!("{} route", r.method.as_deref().unwrap_or("any-method"))
            },
            rank: rank(&r.path),
        })
        .collect()
}

/// The paths Swagger UI is set up at.
fn swagger(sources: &[(String, Vec<u8>)], h: &mut Health) {
    for (file, bytes) in sources {
        let text = String::from_utf8_lossy(bytes);
        for f in js::swagger(&text) {
            if let Some(p) = f.path {
                h.swagger.push((p, format!("{file}:{}", f.line)));
            }
        }
    }
}

/// The package whose probes become checks: a server's before a Next.js
/// app's, then the one declaring most probes, then by directory.
fn primary(probes: &[Probe], pkgs: &[Package]) -> Option<String> {
    let mut dirs: Vec<&str> = probes.iter().map(|p| p.package.as_str()).collect();
    dirs.dedup();
    dirs.into_iter()
        .min_by_key(|d| {
            let server = pkgs.iter().any(|p| p.dir == *d && p.is_server());
            let n = probes.iter().filter(|p| p.package == *d).count();
            (!server, usize::MAX - n, d.to_string())
        })
        .map(str::to_string)
}

/// Reads the health endpoints of the code in `sources`, per package of `pkgs`
/// (whose framework lists gain what the routes reveal).
pub fn read(sources: &[(String, Vec<u8>)], pkgs: &mut [Package]) -> Health {
    let files: Vec<SourceFile> = sources
        .iter()
        .map(|(p, t)| SourceFile { path: p, text: t })
        .collect();
    let table = crate::routes::extract(&files, &[]);
    let mut h = Health::default();
    let mut probes = from_routes(&table, pkgs);
    swagger(sources, &mut h);
    probes.sort_by(|a, b| (&a.package, &a.rank, &a.origin).cmp(&(&b.package, &b.rank, &b.origin)));
    probes.dedup_by(|a, b| a.package == b.package && a.path == b.path);
    for u in &table.undecided {
        let under = if u.prefix == "/" {
            String::new()
        } else {
            format!(" (under {})", u.prefix)
        };
        h.unresolved.push(Unresolved {
            at: format!("{}:{}:{}", u.file, u.line, u.column),
            reason: format!("{}{under}", u.reason),
        });
    }
    let main = primary(&probes, pkgs);
    let mut took = (false, false);
    for p in probes {
        let slot = if p.readiness {
            &mut took.1
        } else {
            &mut took.0
        };
        if Some(&p.package) == main.as_ref() && !*slot {
            *slot = true;
            h.checks.push(p);
        } else {
            h.others.push(p);
        }
    }
    h.checks.sort_by_key(|p| p.readiness);
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(dir: &str, fw: &[&'static str]) -> Package {
        Package {
            dir: dir.into(),
            frameworks: fw.to_vec(),
            ..Package::default()
        }
    }

    #[test]
    fn the_backend_gets_checks_and_the_frontend_none() {
        let sources = vec![
            (
                "backend/src/app.ts".to_string(),
                b"import express from 'express';\nconst app = express();\napp.get('/health/live', (q, s) => s.send('ok'));\napp.get('/health/ready', (q, s) => s.send('ok'));\napp.get('/users/:id/status', h);\n".to_vec(),
            ),
            (
                "frontend/src/main.tsx".to_string(),
                b"fetch('/health');\n".to_vec(),
            ),
        ];
        let mut pkgs = vec![pkg("backend", &[]), pkg("frontend", &["Vite", "React"])];
        let h = read(&sources, &mut pkgs);
        let got: Vec<(&str, bool, &str)> = h
            .checks
            .iter()
            .map(|p| (p.path.as_str(), p.readiness, p.origin.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("/health/live", false, "backend/src/app.ts:3"),
                ("/health/ready", true, "backend/src/app.ts:4")
            ]
        );
        assert!(h.others.is_empty(), "{:?}", h.others);
        assert_eq!(pkgs[0].frameworks, vec!["Express"]);
    }

    #[test]
    fn ranking_prefers_health_words_and_short_paths() {
        let mut v = ["/ping", "/api/v1/health", "/health", "/livez"].map(rank);
        v.sort();
        assert_eq!(v[0].2, "/health");
        assert_eq!(v[1].2, "/api/v1/health");
        assert_eq!(v[2].2, "/livez");
    }
}
