//! Fixture tests: real-looking repositories per framework, dynamic registration,
//! robustness on garbage and pathological input, and small unit checks.

#![allow(clippy::unwrap_used)]

mod express;
mod koa_fastify_hono;
mod nest_next_supabase;
mod robustness;
mod undecided;
mod units;

use super::*;

fn files<'a>(list: &'a [(&'a str, &'a str)]) -> Vec<SourceFile<'a>> {
    list.iter()
        .map(|(p, t)| SourceFile {
            path: p,
            text: t.as_bytes(),
        })
        .collect()
}

fn table(list: &[(&str, &str)]) -> RouteTable {
    extract(&files(list), &[])
}

fn paths(t: &RouteTable) -> Vec<String> {
    t.routes
        .iter()
        .map(|r| format!("{} {}", r.method.as_deref().unwrap_or("*"), r.path))
        .collect()
}

fn has(t: &RouteTable, method: &str, path: &str) -> bool {
    let want = format!("{method} {path}");
    paths(t).contains(&want)
}

fn is_yes(s: &Serves<'_>) -> bool {
    matches!(s, Serves::Yes(_))
}

fn is_undecided(s: &Serves<'_>) -> bool {
    matches!(s, Serves::Undecided(_))
}

fn bind(
    file: &str,
    local: &str,
    imported: Imported,
    source: Option<&str>,
    spec: &str,
) -> ImportBinding {
    ImportBinding {
        file: file.to_string(),
        local: local.to_string(),
        imported,
        source: source.map(str::to_string),
        specifier: spec.to_string(),
    }
}
