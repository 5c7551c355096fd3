//! Folder conventions (Supabase and Netlify functions, a Vercel `api/` folder) and the
//! user's configured entrypoint globs.

use globset::{Glob, GlobSetBuilder};

use super::super::files;
use super::{Collector, JS_EXTS};

impl Collector<'_, '_> {
    /// Each function in a Netlify-style functions folder: `name.ext`, `name/name.ext`, `name/index.ext`.
    pub(super) fn function_dir(&mut self, dir: &str, why: &str, origin: &str) {
        let hits: Vec<String> = self
            .p
            .files
            .range_under(dir)
            .map(|i| self.p.files.path(i))
            .filter(|f| {
                let rel = f.get(dir.len()..).unwrap_or("").trim_start_matches('/');
                let parts: Vec<&str> = rel.split('/').collect();
                JS_EXTS.contains(&files::ext(f))
                    && match parts.as_slice() {
                        [_] => true,
                        [d, file] => files::stem(file) == *d || files::stem(file) == "index",
                        _ => false,
                    }
            })
            .map(str::to_string)
            .collect();
        for h in hits {
            self.push(h, why.to_string(), origin, false);
        }
    }

    /// Serverless folder conventions under each package directory (and the root):
    /// `supabase/functions/<name>/index.*`, `netlify/functions`, `netlify/edge-functions`,
    /// and a Vercel-style `api/` folder.
    pub(super) fn conventions(&mut self) {
        let mut bases: Vec<String> = self.p.package_dirs.clone();
        if !self.p.is_package("") {
            bases.insert(0, String::new());
        }
        for base in bases {
            let sdir = files::child(&base, "supabase/functions");
            let hits: Vec<String> = self
                .p
                .files
                .range_under(&sdir)
                .map(|i| self.p.files.path(i))
                .filter(|f| {
                    let rel = f.get(sdir.len() + 1..).unwrap_or("");
                    match rel.split_once('/') {
                        Some((name, file)) => {
                            !name.starts_with(['_', '.'])
                                && !file.contains('/')
                                && files::stem(file) == "index"
                                && JS_EXTS.contains(&files::ext(file))
                        }
                        None => false,
                    }
                })
                .map(str::to_string)
                .collect();
            for f in hits {
                let name = files::file_name(files::parent(&f)).to_string();
                self.push(
                    f.clone(),
                    format!("Supabase Edge Function \"{name}\""),
                    &format!("{} (Supabase function)", files::parent(&f)),
                    false,
                );
            }
            for conv in ["netlify/functions", "netlify/edge-functions"] {
                let d = files::child(&base, conv);
                self.function_dir(
                    &d,
                    "Netlify function",
                    &format!("{d}/ (Netlify functions folder)"),
                );
            }
            let api = files::child(&base, "api");
            let hits: Vec<String> = self
                .p
                .files
                .range_under(&api)
                .map(|i| self.p.files.path(i))
                .filter(|f| JS_EXTS.contains(&files::ext(f)) && !f.ends_with(".d.ts"))
                .filter(|f| {
                    !f.get(api.len()..)
                        .unwrap_or("")
                        .split('/')
                        .any(|s| s.starts_with('_'))
                })
                .map(str::to_string)
                .collect();
            for f in hits {
                self.vercel_api(&base, &f);
            }
        }
    }

    fn vercel_api(&mut self, owner: &str, f: &str) {
        // Next.js owns `pages/api`; a top-level `api/` is Vercel's convention.
        let vercel_json =
            self.p.is_file(&files::child(owner, "vercel.json")) || self.p.is_file("vercel.json");
        let dep = self
            .p
            .manifest(owner)
            .is_some_and(|m| m.dep_field("@vercel/node").is_some());
        let weak = !(vercel_json || dep);
        let origin = format!(
            "{}/ (Vercel api folder{})",
            files::child(owner, "api"),
            if weak { ", no vercel.json" } else { "" }
        );
        self.push(
            f.to_string(),
            "Vercel serverless function".into(),
            &origin,
            weak,
        );
    }

    pub(super) fn extra(&mut self, globs: &[String]) {
        if globs.is_empty() {
            return;
        }
        let mut b = GlobSetBuilder::new();
        let mut kept = Vec::new();
        for g in globs {
            if let Ok(glob) = Glob::new(g.trim_start_matches("./")) {
                b.add(glob);
                kept.push(g.clone());
            }
        }
        let Ok(set) = b.build() else { return };
        let mut hits = Vec::new();
        for f in self.p.files.iter() {
            for idx in set.matches(f) {
                hits.push((f.to_string(), kept.get(idx).cloned().unwrap_or_default()));
            }
        }
        for (f, g) in hits {
            self.push(
                f,
                format!("matches configured entrypoint glob \"{g}\""),
                "[scan.production] entrypoints",
                false,
            );
        }
    }
}
