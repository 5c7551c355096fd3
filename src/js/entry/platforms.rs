//! Deploy platform configuration: Procfile, `railway.json`/`railway.toml`, `nixpacks.toml`,
//! `fly.toml`, `netlify.toml`, `render.yaml`, App Engine `app.yaml`, CapRover
//! `captain-definition` and `vercel.json`.

use globset::Glob;
use serde_json::Value;

use super::super::deploy::{self, TomlVal};
use super::super::files;
use super::super::jsonc;
use super::{Collector, shell_quote};

impl Collector<'_, '_> {
    /// Read every deploy configuration file (the project found them while indexing).
    pub(super) fn deploy_configs(&mut self) {
        let p = self.p;
        for &f in &p.deploy_files {
            let name = files::file_name(f);
            if deploy::is_docker_name(name) {
                self.dockerfile_file(f);
                continue;
            }
            match name {
                "Procfile" => self.procfile(f),
                "railway.json" | "railway.toml" | "nixpacks.toml" | "fly.toml" | "netlify.toml" => {
                    self.toml_or_json_start(f)
                }
                "render.yaml" | "render.yml" | "app.yaml" => self.yaml_start(f),
                "captain-definition" => self.captain(f),
                "vercel.json" => self.vercel(f),
                _ => {}
            }
        }
    }

    fn procfile(&mut self, f: &str) {
        let Some(text) = self.read_text(f) else {
            return;
        };
        let dir = files::parent(f).to_string();
        for (line, name, cmd) in deploy::procfile(&text) {
            let origin = format!("{f}:{line} ({name})");
            self.command(
                &cmd,
                &dir,
                &origin,
                &format!("Procfile process \"{name}\" `{cmd}`"),
                0,
                false,
            );
        }
    }

    fn toml_or_json_start(&mut self, f: &str) {
        let Some(text) = self.read_text(f) else {
            return;
        };
        let dir = files::parent(f).to_string();
        let name = files::file_name(f);
        if name == "railway.json" {
            let Some(doc) = jsonc::parse(text.as_bytes()) else {
                return;
            };
            if let Some(cmd) = doc
                .value
                .get("deploy")
                .and_then(|d| d.get("startCommand"))
                .and_then(Value::as_str)
            {
                let line = jsonc::key_line(&doc.clean, &["deploy", "startCommand"]).unwrap_or(1);
                let origin = format!("{f}:{line} (startCommand)");
                self.command(
                    cmd,
                    &dir,
                    &origin,
                    &format!("Railway start command `{cmd}`"),
                    0,
                    false,
                );
            }
            return;
        }
        let mut base = dir.clone();
        for (line, section, key, val) in deploy::toml_values(&text) {
            let cmd = match &val {
                TomlVal::Str(s) => s.clone(),
                TomlVal::Arr(a) => a
                    .iter()
                    .map(|w| shell_quote(w))
                    .collect::<Vec<_>>()
                    .join(" "),
            };
            let origin = format!(
                "{f}:{line} ({}{key})",
                if section.is_empty() {
                    String::new()
                } else {
                    format!("{section}.")
                }
            );
            let is_start = match name {
                "railway.toml" => key == "startCommand",
                "nixpacks.toml" => section == "start" && key == "cmd",
                "fly.toml" => {
                    section == "processes"
                        || key == "cmd"
                        || (section == "experimental" && key == "entrypoint")
                }
                "netlify.toml" => {
                    if section == "build" && key == "base" {
                        base = files::join(&dir, &cmd).unwrap_or_else(|| dir.clone());
                    }
                    if (section == "build" && key == "functions")
                        || (section == "functions" && key == "directory")
                        || (section == "build" && key == "edge_functions")
                    {
                        let fdir = files::join(&base, &cmd).unwrap_or_default();
                        self.function_dir(&fdir, "Netlify function", &origin);
                    }
                    false
                }
                _ => false,
            };
            if is_start {
                self.command(
                    &cmd,
                    &dir,
                    &origin,
                    &format!("start command `{cmd}`"),
                    0,
                    false,
                );
            }
        }
    }

    fn yaml_start(&mut self, f: &str) {
        let Some(text) = self.read_text(f) else {
            return;
        };
        let dir = files::parent(f).to_string();
        let keys = deploy::yaml_keys(&text);
        // Group by list item: a command's rootDir is the one in the same item.
        let mut item_root: Option<String> = None;
        let mut pending: Vec<(usize, String, String)> = Vec::new();
        let flush =
            |this: &mut Self, root: &Option<String>, pending: &mut Vec<(usize, String, String)>| {
                for (line, key, cmd) in pending.drain(..) {
                    let base = root
                        .as_deref()
                        .and_then(|r| files::join(&dir, r))
                        .unwrap_or_else(|| dir.clone());
                    let origin = format!("{f}:{line} ({key})");
                    let cmd = cmd.trim_start_matches("node_modules/.bin/").to_string();
                    this.command(
                        &cmd,
                        &base,
                        &origin,
                        &format!("start command `{cmd}`"),
                        0,
                        false,
                    );
                }
            };
        for (line, _indent, item, key, val) in keys {
            if item && (key == "type" || key == "name" || key.is_empty()) {
                flush(self, &item_root, &mut pending);
                item_root = None;
            }
            match key.as_str() {
                "rootDir" => item_root = Some(val),
                "startCommand" | "entrypoint" if !val.is_empty() => pending.push((line, key, val)),
                _ => {}
            }
        }
        flush(self, &item_root, &mut pending);
    }

    fn captain(&mut self, f: &str) {
        let Some(text) = self.read_text(f) else {
            return;
        };
        let Some(doc) = jsonc::parse(text.as_bytes()) else {
            return;
        };
        let dir = files::parent(f).to_string();
        if let Some(lines) = doc.value.get("dockerfileLines").and_then(Value::as_array) {
            let joined: Vec<&str> = lines.iter().filter_map(Value::as_str).collect();
            let ins = deploy::dockerfile(&joined.join("\n"));
            let base_line = jsonc::key_line(&doc.clean, &["dockerfileLines"]).unwrap_or(1);
            let f2 = f.to_string();
            self.dockerfile(&dir, &ins, &|_, op| {
                format!("{f2}:{base_line} (dockerfileLines {op})")
            });
        }
    }

    fn vercel(&mut self, f: &str) {
        let Some(text) = self.read_text(f) else {
            return;
        };
        let Some(doc) = jsonc::parse(text.as_bytes()) else {
            return;
        };
        let dir = files::parent(f).to_string();
        let mut globs: Vec<(String, String)> = Vec::new();
        if let Some(fns) = doc.value.get("functions").and_then(Value::as_object) {
            for k in fns.keys() {
                let line = jsonc::key_line(&doc.clean, &["functions", k]).unwrap_or(1);
                globs.push((k.clone(), format!("{f}:{line} (functions)")));
            }
        }
        if let Some(builds) = doc.value.get("builds").and_then(Value::as_array) {
            let line = jsonc::key_line(&doc.clean, &["builds"]).unwrap_or(1);
            for b in builds.iter().filter_map(|b| b.get("src")?.as_str()) {
                globs.push((b.to_string(), format!("{f}:{line} (builds)")));
            }
        }
        for (g, origin) in globs {
            let Some(full) = files::join(&dir, &g) else {
                continue;
            };
            let Ok(glob) = Glob::new(&full) else { continue };
            let m = glob.compile_matcher();
            let hits: Vec<String> = self
                .p
                .files
                .range_under(&dir)
                .map(|i| self.p.files.path(i))
                .filter(|p| m.is_match(p))
                .map(str::to_string)
                .collect();
            for h in hits {
                self.push(h, "Vercel function/build source".into(), &origin, false);
            }
        }
    }
}
