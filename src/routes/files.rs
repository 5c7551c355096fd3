//! File-system routes: Next.js `app/**/route.ts` handlers and `pages/api/**` pages, and
//! Supabase edge functions (`supabase/functions/<name>/index.ts`).

use super::Framework;
use super::resolve::World;

const NEXT_METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
const EXTS: &[&str] = &["ts", "tsx", "js", "jsx", "mjs"];

fn split_ext(name: &str) -> Option<(&str, &str)> {
    let (stem, ext) = name.rsplit_once('.')?;
    EXTS.contains(&ext).then_some((stem, ext))
}

/// What kind of file-system route a path is.
enum FileRoute {
    /// Next.js app-router handler: URL path.
    NextApp(String),
    /// Next.js API page: URL path.
    NextPage(String),
    /// Supabase function: URL path.
    Supabase(String),
}

/// Next.js folder name → path segment (`None` = dropped, `Err` = not routable).
fn next_segment(c: &str) -> Result<Option<String>, ()> {
    if c.starts_with('(') && c.ends_with(')') || c.starts_with('@') {
        return Ok(None);
    }
    if c.starts_with('(') || c.starts_with('_') {
        return Err(());
    }
    if c.starts_with("[[...") || c.starts_with("[...") {
        return Ok(Some("*".to_string()));
    }
    if let Some(inner) = c.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
        return Ok(Some(format!(":{inner}")));
    }
    Ok(Some(c.to_string()))
}

fn next_path(folders: &[&str]) -> Option<String> {
    let mut out = String::new();
    for c in folders {
        if let Some(seg) = next_segment(c).ok()? {
            out.push('/');
            out.push_str(&seg);
        }
    }
    Some(if out.is_empty() { "/".to_string() } else { out })
}

fn classify(path: &str) -> Option<FileRoute> {
    let comps: Vec<&str> = path.split('/').collect();
    let (file, dirs) = comps.split_last()?;
    let (stem, _) = split_ext(file)?;
    if let Some(k) = dirs.windows(2).position(|w| w == ["supabase", "functions"]) {
        let name = dirs.get(k + 2)?;
        if dirs.len() == k + 3
            && stem == "index"
            && !name.starts_with('_')
            && !name.starts_with('.')
        {
            return Some(FileRoute::Supabase(format!("/functions/v1/{name}")));
        }
        return None;
    }
    if stem == "route"
        && let Some(k) = dirs.iter().position(|c| *c == "app")
    {
        return next_path(dirs.get(k + 1..)?).map(FileRoute::NextApp);
    }
    if let Some(k) = dirs.windows(2).position(|w| w == ["pages", "api"]) {
        if stem.starts_with('_') {
            return None;
        }
        let mut folders: Vec<&str> = dirs.get(k + 2..)?.to_vec();
        if stem != "index" {
            folders.push(stem);
        }
        return next_path(&folders).map(FileRoute::NextPage);
    }
    None
}

/// Whether `path` is routed by its location (always analysed).
pub(super) fn is_file_route(path: &str) -> bool {
    classify(path).is_some()
}

/// Emits file-system routes.
pub(super) fn emit(w: &mut World<'_>) {
    let mut out = Vec::new();
    for i in 0..w.file_count() {
        let path = w.path(i);
        let Some(kind) = classify(path) else { continue };
        if !super::resolve::eligible(path, 0) {
            continue;
        }
        let exports: Vec<(String, u32)> = w
            .facts_of(i)
            .map(|f| {
                let own = f.exports.iter().map(|(n, _, o)| (n.clone(), *o));
                let re = f.reexports.iter().map(|r| (r.exported.clone(), 0));
                own.chain(re).collect()
            })
            .unwrap_or_default();
        match kind {
            FileRoute::NextApp(p) => {
                for (name, off) in &exports {
                    if NEXT_METHODS.contains(&name.as_str()) {
                        out.push((i, *off, Some(name.clone()), p.clone(), Framework::NextJs));
                    }
                }
            }
            FileRoute::NextPage(p) => {
                let off = exports
                    .iter()
                    .find(|(n, _)| n == "default")
                    .map_or(0, |(_, o)| *o);
                out.push((i, off, None, format!("/api{p}"), Framework::NextJs));
            }
            FileRoute::Supabase(p) => out.push((i, 0, None, p, Framework::Supabase)),
        }
    }
    for (i, off, method, path, fw) in out {
        w.push_route(i, off, method, &path, fw, None);
    }
}
