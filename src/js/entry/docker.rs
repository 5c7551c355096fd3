//! Dockerfiles: `WORKDIR` and `COPY`/`ADD` build a container-path → repository-path map
//! through which `CMD`/`ENTRYPOINT` are resolved; copied files and folders ship.

use super::super::command::{self, Target};
use super::super::deploy::{self, Instr};
use super::super::files;
use super::{Collector, shell_quote};

impl Collector<'_, '_> {
    pub(super) fn dockerfile_file(&mut self, f: &str) {
        let Some(text) = self.read_text(f) else {
            return;
        };
        let ins = deploy::dockerfile(&text);
        let f2 = f.to_string();
        self.dockerfile(files::parent(f), &ins, &|line, op| {
            format!("{f2}:{line} ({op})")
        });
    }

    pub(super) fn dockerfile(
        &mut self,
        ddir: &str,
        ins: &[Instr],
        origin_of: &dyn Fn(usize, &str) -> String,
    ) {
        let mut d = Docker {
            workdir: "/".into(),
            maps: Vec::new(),
        };
        for i in ins {
            match i.op.as_str() {
                "FROM" => d.workdir = "/".into(),
                "WORKDIR" => {
                    d.workdir = container_join(&d.workdir, i.args.trim().trim_matches('"'))
                }
                "COPY" | "ADD" => self.docker_copy(ddir, i, &mut d, origin_of),
                "CMD" | "ENTRYPOINT" => {
                    let cmd = match i.exec_form() {
                        Some(words) => words
                            .iter()
                            .map(|w| shell_quote(w))
                            .collect::<Vec<_>>()
                            .join(" "),
                        None => i.args.clone(),
                    };
                    let origin = origin_of(i.line, &i.op);
                    self.docker_command(ddir, &cmd, &d, &origin);
                }
                _ => {}
            }
        }
    }

    fn docker_copy(
        &mut self,
        ddir: &str,
        i: &Instr,
        d: &mut Docker,
        origin_of: &dyn Fn(usize, &str) -> String,
    ) {
        let words: Vec<String> = match i.exec_form() {
            Some(w) => w,
            None => i.args.split_whitespace().map(str::to_string).collect(),
        };
        let from = words
            .iter()
            .find_map(|w| w.strip_prefix("--from="))
            .map(str::to_string);
        let args: Vec<&String> = words.iter().filter(|w| !w.starts_with("--")).collect();
        let Some((dest, srcs)) = args.split_last() else {
            return;
        };
        if srcs.is_empty() {
            return;
        }
        let dest_abs = container_join(&d.workdir, dest);
        let dest_is_dir = dest.ends_with('/') || dest.as_str() == "." || srcs.len() > 1;
        for src in srcs {
            if src.contains("://") || src.contains('*') || src.contains('?') {
                continue;
            }
            let whole = matches!(src.as_str(), "." | "./" | "/");
            if from.is_some() {
                let from_path = container_join("/", src);
                let cpath = if dest_is_dir && !whole {
                    container_join(&dest_abs, files::file_name(src.trim_end_matches('/')))
                } else {
                    dest_abs.clone()
                };
                d.maps.push((cpath, MapTo::Container(from_path)));
                continue;
            }
            let cands: Vec<String> = [files::join(ddir, src), files::join("", src)]
                .into_iter()
                .flatten()
                .collect();
            let existing: Vec<String> = cands
                .iter()
                .filter(|c| whole || self.p.is_file(c) || self.p.files.is_dir(c))
                .cloned()
                .collect();
            let Some(first) = existing.first().cloned() else {
                continue;
            };
            let src_is_file = self.p.is_file(&first);
            let cpath = if src_is_file && dest_is_dir {
                container_join(&dest_abs, files::file_name(&first))
            } else {
                dest_abs.clone()
            };
            let mut uniq = existing.clone();
            uniq.dedup();
            d.maps.push((cpath, MapTo::Repo(uniq)));
            if !whole {
                let origin = origin_of(i.line, &i.op);
                if src_is_file {
                    self.push(
                        first,
                        format!("copied into the image ({} {})", i.op, i.args),
                        &origin,
                        false,
                    );
                } else {
                    self.push_root(
                        &first,
                        &format!("copied into the image ({} {})", i.op, i.args),
                        &origin,
                    );
                }
            }
        }
    }

    fn docker_command(&mut self, ddir: &str, cmd: &str, d: &Docker, origin: &str) {
        let why = format!("container command `{cmd}`");
        for t in command::parse(cmd) {
            match t {
                Target::File { cwd, path, .. } => {
                    let cpath = container_join(&container_join(&d.workdir, &cwd), &path);
                    let mut cands = d.map(&cpath, 0);
                    let rel = files::join(&cwd, &path);
                    cands.extend(
                        rel.iter()
                            .flat_map(|r| [files::join(ddir, r), Some(r.clone())])
                            .flatten(),
                    );
                    let run_cwd = d
                        .map(&d.workdir, 0)
                        .into_iter()
                        .next()
                        .unwrap_or_else(|| ddir.to_string());
                    for c in cands {
                        if self.p.locate(&c, 0).is_some() {
                            let (dir, name) = (
                                files::parent(&c).to_string(),
                                files::file_name(&c).to_string(),
                            );
                            self.run_file(&dir, &name, &run_cwd, origin, &why, 0);
                            break;
                        }
                    }
                }
                Target::Script {
                    cwd,
                    workspace,
                    name,
                } => {
                    let cdir = container_join(&d.workdir, &cwd);
                    let mut dirs = d.map(&cdir, 0);
                    dirs.push(ddir.to_string());
                    dirs.push(String::new());
                    let pkg = match workspace {
                        Some(ws) => self.workspace_dir(&ws),
                        None => dirs
                            .iter()
                            .find(|x| {
                                self.p
                                    .manifest(x)
                                    .is_some_and(|m| m.script(&name).is_some() || name == "start")
                            })
                            .cloned(),
                    };
                    if let Some(pkg) = pkg {
                        self.script(&pkg, &name, origin, &why, 1, false);
                    }
                }
                Target::Framework { cwd, fw } => {
                    let cdir = container_join(&d.workdir, &cwd);
                    let mut dirs = d.map(&cdir, 0);
                    dirs.push(ddir.to_string());
                    if let Some(dir) = dirs.into_iter().find(|x| self.p.is_package(x)) {
                        self.framework(&dir, fw, origin, &why);
                    }
                }
            }
        }
    }
}

// ---------------------------------------------------------------- Docker path mapping

enum MapTo {
    /// Repository paths the container path came from (build context unknown: both the
    /// Dockerfile's directory and the repository root are candidates).
    Repo(Vec<String>),
    /// Another container path (a `COPY --from=stage`).
    Container(String),
}

struct Docker {
    workdir: String,
    maps: Vec<(String, MapTo)>,
}

impl Docker {
    /// Repository candidates for a container path, via the longest mapped prefix.
    pub(super) fn map(&self, cpath: &str, depth: u8) -> Vec<String> {
        if depth > 8 {
            return Vec::new();
        }
        let mut best: Option<(&str, &MapTo)> = None;
        for (prefix, to) in &self.maps {
            let hit = cpath == prefix
                || prefix == "/"
                || cpath
                    .strip_prefix(prefix.as_str())
                    .is_some_and(|r| r.starts_with('/'));
            if hit && best.is_none_or(|(b, _)| prefix.len() >= b.len()) {
                best = Some((prefix, to));
            }
        }
        let Some((prefix, to)) = best else {
            return self.infer(cpath);
        };
        let rest = cpath
            .get(prefix.len()..)
            .unwrap_or("")
            .trim_start_matches('/');
        match to {
            MapTo::Repo(cands) => cands.iter().filter_map(|c| files::join(c, rest)).collect(),
            MapTo::Container(src) => self.map(&container_join(src, rest), depth + 1),
        }
    }
}

impl Docker {
    /// A container directory with no mapping of its own, inferred from a mapped descendant:
    /// `/app/apps/api/src` ← `apps/api/src` gives `/app/apps/api` ← `apps/api`.
    fn infer(&self, cdir: &str) -> Vec<String> {
        let mut out = Vec::new();
        for (prefix, to) in &self.maps {
            let (Some(tail), MapTo::Repo(cands)) = (
                prefix.strip_prefix(cdir).and_then(|t| t.strip_prefix('/')),
                to,
            ) else {
                continue;
            };
            for c in cands {
                if let Some(base) = c.strip_suffix(tail) {
                    let base = base.trim_end_matches('/').to_string();
                    if !out.contains(&base) {
                        out.push(base);
                    }
                }
            }
        }
        out
    }
}

/// Join container paths (absolute, `/`-rooted, `..` folded).
fn container_join(base: &str, rel: &str) -> String {
    let joined = if rel.starts_with('/') {
        rel.to_string()
    } else {
        format!("{base}/{rel}")
    };
    format!("/{}", files::join("", &joined).unwrap_or_default())
}
