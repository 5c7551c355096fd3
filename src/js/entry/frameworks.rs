//! Framework conventions: the files and folders Next.js, NestJS, Vite, CRA, Nuxt,
//! SvelteKit, Remix, Astro and Expo load without an import.

use serde_json::Value;

use super::super::command::Framework;
use super::super::files;
use super::super::jsonc;
use super::{Collector, JS_EXTS};

const NEXT_SPECIAL: &[&str] = &[
    "page",
    "layout",
    "route",
    "loading",
    "error",
    "not-found",
    "template",
    "default",
    "global-error",
    "forbidden",
    "unauthorized",
    "opengraph-image",
    "twitter-image",
    "icon",
    "apple-icon",
    "sitemap",
    "robots",
    "manifest",
];

impl Collector<'_, '_> {
    /// Entrypoints a framework implies by convention; `trigger` says what revealed the
    /// framework (a script, a dependency) and prefixes each entry's `why`.
    pub(super) fn framework(&mut self, pkg: &str, fw: Framework, origin: &str, trigger: &str) {
        if !self.frameworks.insert((pkg.to_string(), fw)) {
            return;
        }
        let saved = std::mem::replace(&mut self.trigger, format!("{trigger} → "));
        self.framework_entries(pkg, fw, origin);
        self.trigger = saved;
    }

    fn framework_entries(&mut self, pkg: &str, fw: Framework, origin: &str) {
        match fw {
            Framework::Next => self.next(pkg, origin),
            Framework::Nest => self.nest(pkg, origin),
            Framework::Vite => {
                self.conv_file(pkg, "index.html", "Vite app page (index.html)", origin);
                self.push_root(&files::child(pkg, "public"), "Vite static assets", origin);
            }
            Framework::Cra => {
                self.first_of(
                    pkg,
                    "src/index",
                    JS_EXTS,
                    "Create React App entry (src/index)",
                    origin,
                );
                self.push_root(
                    &files::child(pkg, "public"),
                    "Create React App static assets",
                    origin,
                );
            }
            Framework::Nuxt => self.nuxt(pkg, origin),
            Framework::SvelteKit => {
                self.push_root(&files::child(pkg, "src/routes"), "SvelteKit routes", origin);
                for h in [
                    "src/hooks.server",
                    "src/hooks.client",
                    "src/hooks",
                    "src/service-worker",
                    "svelte.config",
                ] {
                    self.first_of(pkg, h, JS_EXTS, "SvelteKit hook/config", origin);
                }
                self.conv_file(pkg, "src/app.html", "SvelteKit page template", origin);
                self.push_root(
                    &files::child(pkg, "static"),
                    "SvelteKit static assets",
                    origin,
                );
            }
            Framework::Remix => {
                for f in [
                    "app/root",
                    "app/entry.client",
                    "app/entry.server",
                    "app/routes",
                    "remix.config",
                    "react-router.config",
                ] {
                    self.first_of(pkg, f, JS_EXTS, "Remix/React Router app file", origin);
                }
                self.push_root(&files::child(pkg, "app/routes"), "Remix routes", origin);
                self.push_root(&files::child(pkg, "public"), "static assets", origin);
            }
            Framework::Astro => {
                self.push_root(&files::child(pkg, "src/pages"), "Astro pages", origin);
                self.first_of(pkg, "src/middleware", JS_EXTS, "Astro middleware", origin);
                self.first_of(pkg, "astro.config", JS_EXTS, "Astro config", origin);
                self.push_root(&files::child(pkg, "public"), "static assets", origin);
            }
            Framework::Expo => {
                let router = self
                    .p
                    .manifest(pkg)
                    .is_some_and(|m| m.dep_field("expo-router").is_some());
                if router {
                    self.push_root(&files::child(pkg, "app"), "expo-router routes", origin);
                }
                self.first_of(pkg, "App", JS_EXTS, "Expo app component", origin);
                self.first_of(pkg, "index", JS_EXTS, "Expo entry", origin);
            }
        }
    }

    fn conv_file(&mut self, pkg: &str, rel: &str, why: &str, origin: &str) {
        let p = files::child(pkg, rel);
        if self.p.is_file(&p) {
            self.push(p, why.to_string(), origin, false);
        }
    }

    fn first_of(&mut self, pkg: &str, stem: &str, exts: &[&str], why: &str, origin: &str) {
        if let Some(p) = exts
            .iter()
            .map(|x| files::child(pkg, &format!("{stem}.{x}")))
            .find(|p| self.p.is_file(p))
        {
            self.push(p, why.to_string(), origin, false);
        }
    }

    pub(super) fn next(&mut self, pkg: &str, origin: &str) {
        let mut found: Vec<(String, &str)> = Vec::new();
        for base in [pkg.to_string(), files::child(pkg, "src")] {
            let app = files::child(&base, "app");
            for i in self.p.files.range_under(&app) {
                let f = self.p.files.path(i);
                if JS_EXTS.contains(&files::ext(f)) && NEXT_SPECIAL.contains(&files::stem(f)) {
                    found.push((f.to_string(), "Next.js app router file"));
                }
            }
            let pages = files::child(&base, "pages");
            for i in self.p.files.range_under(&pages) {
                let f = self.p.files.path(i);
                if JS_EXTS.contains(&files::ext(f)) || files::ext(f) == "md" {
                    let api = files::is_under(f, &files::child(&pages, "api"));
                    found.push((
                        f.to_string(),
                        if api {
                            "Next.js API route"
                        } else {
                            "Next.js page"
                        },
                    ));
                }
            }
            for stem in ["middleware", "instrumentation", "instrumentation-client"] {
                if let Some(p) = JS_EXTS
                    .iter()
                    .map(|x| files::child(&base, &format!("{stem}.{x}")))
                    .find(|p| self.p.is_file(p))
                {
                    found.push((p, "Next.js middleware/instrumentation"));
                }
            }
        }
        for (f, why) in found {
            self.push(f, why.to_string(), origin, false);
        }
        self.first_of(
            pkg,
            "next.config",
            JS_EXTS,
            "Next.js config (loaded by next start)",
            origin,
        );
        self.push_root(
            &files::child(pkg, "public"),
            "Next.js static assets",
            origin,
        );
    }

    fn nest(&mut self, pkg: &str, origin: &str) {
        let cli = files::child(pkg, "nest-cli.json");
        let mut roots: Vec<(String, String)> = Vec::new();
        let doc = if self.p.is_file(&cli) {
            self.p.read(&cli).and_then(|b| jsonc::parse(&b))
        } else {
            None
        };
        let get =
            |v: &Value, k: &str, d: &str| v.get(k).and_then(Value::as_str).unwrap_or(d).to_string();
        match &doc {
            Some(d) => {
                roots.push((
                    get(&d.value, "sourceRoot", "src"),
                    get(&d.value, "entryFile", "main"),
                ));
                if let Some(projects) = d.value.get("projects").and_then(Value::as_object) {
                    for p in projects.values() {
                        let root = get(p, "sourceRoot", &format!("{}/src", get(p, "root", ".")));
                        roots.push((root, get(p, "entryFile", "main")));
                    }
                }
            }
            None => roots.push(("src".into(), "main".into())),
        }
        for (src, entry) in roots {
            let rel = format!("{}/{entry}", src.trim_end_matches('/'));
            let why = format!("NestJS entry ({rel}, nest-cli defaults/config)");
            self.push_path(pkg, &rel, &why, origin);
        }
    }

    fn nuxt(&mut self, pkg: &str, origin: &str) {
        for base in [pkg.to_string(), files::child(pkg, "app")] {
            for d in [
                "pages",
                "layouts",
                "components",
                "composables",
                "utils",
                "plugins",
                "middleware",
            ] {
                self.push_root(
                    &files::child(&base, d),
                    "Nuxt convention directory (auto-imported)",
                    origin,
                );
            }
            for f in ["app.vue", "error.vue"] {
                self.conv_file(&base, f, "Nuxt app component", origin);
            }
            self.first_of(&base, "app.config", JS_EXTS, "Nuxt app config", origin);
        }
        for d in ["server", "public", "shared"] {
            self.push_root(
                &files::child(pkg, d),
                "Nuxt server/static directory",
                origin,
            );
        }
        self.first_of(pkg, "nuxt.config", JS_EXTS, "Nuxt config", origin);
    }
}
