//! Commands (scripts, container commands, platform start commands) → entrypoints: the files
//! they run, the package scripts they call, shell scripts and pm2 ecosystem files.

use std::sync::OnceLock;

use regex::Regex;

use super::super::command::{self, Target};
use super::super::files;
use super::Collector;

impl Collector<'_, '_> {
    /// Entrypoints of a shell command run in `base`. `build_only`: the command builds rather
    /// than runs the app, so files a runtime executes there (build scripts) are not entrypoints.
    pub(super) fn command(
        &mut self,
        cmd: &str,
        base: &str,
        origin: &str,
        why: &str,
        depth: u8,
        build_only: bool,
    ) {
        if depth > 5 {
            return;
        }
        for t in command::parse(cmd) {
            match t {
                Target::File { cwd, path, run } => {
                    if run && build_only {
                        continue;
                    }
                    let Some(dir) = files::join(base, &cwd) else {
                        continue;
                    };
                    self.run_file(&dir, &path, &dir, origin, why, depth);
                }
                Target::Script {
                    cwd,
                    workspace,
                    name,
                } => {
                    let Some(dir) = files::join(base, &cwd) else {
                        continue;
                    };
                    let pkg = match workspace {
                        Some(ws) => self.workspace_dir(&ws),
                        None => Some(self.p.package_of_dir(&dir).to_string()),
                    };
                    if let Some(pkg) = pkg {
                        self.script(&pkg, &name, origin, why, depth + 1, build_only);
                    }
                }
                Target::Framework { cwd, fw } => {
                    if let Some(dir) = files::join(base, &cwd) {
                        let pkg = self.p.package_of_dir(&dir).to_string();
                        self.framework(&pkg, fw, origin, why);
                    }
                }
            }
        }
    }

    /// A file a command runs (`dir`/`path`); `run_cwd` is where that command runs (for the
    /// commands inside a shell script it starts).
    pub(super) fn run_file(
        &mut self,
        dir: &str,
        path: &str,
        run_cwd: &str,
        origin: &str,
        why: &str,
        depth: u8,
    ) {
        let Some(file) = self.push_path(dir, path, &format!("{why} → runs {path}"), origin)
        else {
            return;
        };
        let name = files::file_name(&file);
        if name.starts_with("ecosystem.config") || name == "pm2.json" || name == "process.json" {
            self.pm2_ecosystem(&file, origin, depth);
        } else if files::ext(&file) == "sh" || (files::ext(&file).is_empty() && depth < 3) {
            self.shell_script(&file, run_cwd, origin, depth);
        }
    }

    pub(super) fn script(
        &mut self,
        pkg: &str,
        name: &str,
        origin: &str,
        why: &str,
        depth: u8,
        build_only: bool,
    ) {
        let Some(m) = self.p.manifest(pkg) else {
            return;
        };
        let names: Vec<(String, String)> = if name.contains('*') {
            let (pre, post) = name.split_once('*').unwrap_or((name, ""));
            m.scripts()
                .into_iter()
                .filter(|(n, _)| n.starts_with(pre) && n.ends_with(post))
                .map(|(n, c)| (n.to_string(), c.to_string()))
                .collect()
        } else {
            m.script(name)
                .map(|c| vec![(name.to_string(), c.to_string())])
                .unwrap_or_default()
        };
        if names.is_empty() && name == "start" {
            // npm's default start script
            if self.p.is_file(&files::child(pkg, "server.js"))
                && self.scripts.insert((pkg.to_string(), "start".into()))
            {
                self.push(
                    files::child(pkg, "server.js"),
                    format!("{why} → npm's default start (node server.js)"),
                    origin,
                    false,
                );
            }
        }
        for (n, cmd) in names {
            if !self.scripts.insert((pkg.to_string(), n.clone())) {
                continue;
            }
            let why = format!("{why} → {} script \"{n}\" `{cmd}`", m.path);
            self.command(
                &cmd,
                pkg,
                origin,
                &why,
                depth,
                build_only || n.starts_with("build"),
            );
        }
    }

    pub(super) fn workspace_dir(&self, ws: &str) -> Option<String> {
        if let Some(d) = self.p.workspace().get(ws) {
            return Some(d.clone());
        }
        let ws = ws.trim_start_matches("./").trim_end_matches('/');
        self.p
            .package_dirs
            .iter()
            .find(|d| *d == ws || files::file_name(d) == ws)
            .cloned()
    }

    fn shell_script(&mut self, file: &str, cwd: &str, origin: &str, depth: u8) {
        let Some(text) = self.p.read(file) else {
            return;
        };
        if text.len() > 64 * 1024 {
            return;
        }
        let text = String::from_utf8_lossy(&text);
        if files::ext(file).is_empty()
            && !text.starts_with("#!/bin/sh")
            && !text.starts_with("#!/bin/bash")
            && !text.starts_with("#!/usr/bin/env bash")
        {
            return;
        }
        let why = format!("started by {file}");
        // The script's working directory is not known for sure: try where it was started,
        // its own folder, and the repository root.
        let mut bases = vec![
            cwd.to_string(),
            files::parent(file).to_string(),
            String::new(),
        ];
        bases.dedup();
        for base in bases {
            self.command(&text, &base, origin, &why, depth + 1, false);
        }
    }

    fn pm2_ecosystem(&mut self, file: &str, origin: &str, depth: u8) {
        static RE: OnceLock<Option<Regex>> = OnceLock::new();
        let Some(re) = RE.get_or_init(|| Regex::new(r#"["']?script["']?\s*:\s*["'`]([^"'`]+)["'`](?:[^}]*?["']?cwd["']?\s*:\s*["'`]([^"'`]+)["'`])?"#).ok()).as_ref() else { return };
        let Some(text) = self.p.read(file) else {
            return;
        };
        let text = String::from_utf8_lossy(&text).into_owned();
        let dir = files::parent(file).to_string();
        for c in re.captures_iter(&text) {
            let Some(script) = c.get(1) else { continue };
            let base = c
                .get(2)
                .and_then(|cwd| files::join(&dir, cwd.as_str()))
                .unwrap_or_else(|| dir.clone());
            let why = format!("pm2 app in {file}");
            if depth < 4 {
                self.push_path(&base, script.as_str(), &why, origin);
            }
        }
    }
}
