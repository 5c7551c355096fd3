//! `package.json`: entry fields (`main`, `module`, `source`, `browser`, `bin`, `exports`),
//! entry scripts (start/serve/build/…), framework dependencies and tsconfig `files`.

use serde_json::Value;

use super::super::command::Framework;
use super::super::files;
use super::super::project::Manifest;
use super::super::resolve::{condition_targets, exports_entries};
use super::Collector;

/// Script names whose commands name what a package runs or builds.
fn is_entry_script(name: &str) -> bool {
    let base = name.split(':').next().unwrap_or(name);
    matches!(
        base,
        "start"
            | "serve"
            | "server"
            | "preview"
            | "prod"
            | "production"
            | "worker"
            | "main"
            | "dev"
            | "build"
    ) && !name.contains("test")
        && !name.contains("lint")
}

/// Order in which entry scripts are read (the first origin found explains a file).
fn script_rank(name: &str) -> u8 {
    match name.split(':').next().unwrap_or(name) {
        "start" => 0,
        "serve" | "server" | "prod" | "production" | "main" | "worker" => 1,
        "preview" => 2,
        "build" => 3,
        _ => 4,
    }
}

impl Collector<'_, '_> {
    pub(super) fn package(&mut self, dir: &str) {
        let Some(m) = self.p.manifest(dir) else {
            return;
        };
        self.entry_fields(&m);
        let mut scripts: Vec<(&str, &str)> = m
            .scripts()
            .into_iter()
            .filter(|(n, _)| is_entry_script(n))
            .collect();
        scripts.sort_by_key(|(n, _)| script_rank(n));
        for (name, cmd) in scripts {
            {
                let origin = m.origin(&["scripts", name], &format!("scripts.{name}"));
                let why = format!("script \"{name}\" runs `{cmd}`");
                self.command(cmd, dir, &origin, &why, 0, name.starts_with("build"));
            }
        }
        self.dep_frameworks(&m);
        if let Some(ts) = self.p.build_tsconfig(dir) {
            for f in ts.files.clone() {
                if self.p.is_file(&f) && !f.ends_with(".d.ts") {
                    let origin = format!("{}:1 (files)", ts.path);
                    self.push(
                        f,
                        "listed in tsconfig \"files\" (weak signal)".into(),
                        &origin,
                        true,
                    );
                }
            }
        }
    }

    fn entry_fields(&mut self, m: &Manifest) {
        let dir = m.dir.clone();
        let j = m.json();
        for f in ["main", "module", "source"] {
            if let Some(t) = j.get(f).and_then(Value::as_str) {
                self.push_path(
                    &dir,
                    t,
                    &format!("package entry point ({f})"),
                    &m.origin(&[f], f),
                );
            }
        }
        match j.get("browser") {
            Some(Value::String(t)) => {
                self.push_path(
                    &dir,
                    t,
                    "browser entry point (browser)",
                    &m.origin(&["browser"], "browser"),
                );
            }
            Some(Value::Object(map)) => {
                for (k, v) in map {
                    if let Some(t) = v.as_str() {
                        self.push_path(
                            &dir,
                            t,
                            "browser replacement (browser)",
                            &m.origin(&["browser", k], &format!("browser.{k}")),
                        );
                    }
                }
            }
            _ => {}
        }
        match j.get("bin") {
            Some(Value::String(t)) => {
                self.push_path(
                    &dir,
                    t,
                    "command-line entry (bin)",
                    &m.origin(&["bin"], "bin"),
                );
            }
            Some(Value::Object(map)) => {
                for (k, v) in map {
                    if let Some(t) = v.as_str() {
                        self.push_path(
                            &dir,
                            t,
                            &format!("command-line entry \"{k}\" (bin)"),
                            &m.origin(&["bin", k], &format!("bin.{k}")),
                        );
                    }
                }
            }
            _ => {}
        }
        if let Some(e) = j.get("exports") {
            for (sub, v) in exports_entries(e) {
                let mut targets = Vec::new();
                condition_targets(v, &mut targets, 0);
                let key_path: Vec<&str> = if sub == "." && !e.is_object() {
                    vec!["exports"]
                } else {
                    vec!["exports", sub]
                };
                let origin = m.origin(&key_path, &format!("exports[\"{sub}\"]"));
                for t in targets {
                    self.export_target(&dir, &t, sub, &origin);
                }
            }
        }
    }

    fn export_target(&mut self, dir: &str, target: &str, sub: &str, origin: &str) {
        if target.ends_with(".d.ts") {
            return;
        }
        let why = format!("package export \"{sub}\"");
        if !target.contains('*') {
            self.push_path(dir, target, &why, origin);
            return;
        }
        // Pattern export: every file matching `prefix*suffix`.
        let Some(full) = files::join(dir, target) else {
            return;
        };
        let Some((pre, post)) = full.split_once('*') else {
            return;
        };
        let base = files::parent(pre).to_string();
        let hits: Vec<String> = self
            .p
            .files
            .range_under(&base)
            .map(|i| self.p.files.path(i))
            .filter(|f| {
                f.starts_with(pre) && f.ends_with(post) && f.len() >= pre.len() + post.len()
            })
            .map(str::to_string)
            .collect();
        for f in hits {
            self.push(f, why.clone(), origin, false);
        }
    }

    fn dep_frameworks(&mut self, m: &Manifest) {
        let table: &[(&str, Framework)] = &[
            ("next", Framework::Next),
            ("@nestjs/core", Framework::Nest),
            ("react-scripts", Framework::Cra),
            ("nuxt", Framework::Nuxt),
            ("@sveltejs/kit", Framework::SvelteKit),
            ("astro", Framework::Astro),
            ("expo", Framework::Expo),
            ("@react-router/dev", Framework::Remix),
            ("vite", Framework::Vite),
        ];
        for (dep, fw) in table {
            if let Some(field) = m.dep_field(dep) {
                let origin = m.origin(&[field, dep], &format!("{field}.{dep}"));
                self.framework(&m.dir, *fw, &origin, &format!("depends on {dep}"));
            }
        }
        if let Some((field, dep)) = m.dep_with_prefix("@remix-run/") {
            let origin = m.origin(&[field, &dep], &format!("{field}.{dep}"));
            self.framework(
                &m.dir,
                Framework::Remix,
                &origin,
                &format!("depends on {dep}"),
            );
        }
    }
}
