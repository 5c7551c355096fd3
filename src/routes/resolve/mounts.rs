//! Mount edges: `use` / `route` / `register` / `setup(app)` calls, Fastify autoload,
//! and the notes for mounts that cannot be followed.

use super::super::facts::{MountKind, PathExpr, PrefixArg, RawMount, Ref, Use};
use super::super::matcher::{join, normalize};
use super::super::{Framework, Imported};
use super::modules::{join_rel, parent_dir};
use super::{Ctx, Evaluated, PendingNote, Res, World};

impl World<'_> {
    /// Adds the mount edges (and mount notes) of every read file.
    pub(super) fn build_edges(&mut self) {
        for i in 0..self.facts.len() {
            let Some(mounts) = self.facts(i).map(|f| f.mounts.clone()) else {
                continue;
            };
            for m in &mounts {
                self.mount(i, m);
            }
        }
    }

    /// One mount: its prefixes, then each child linked under them (or noted).
    fn mount(&mut self, i: usize, m: &RawMount) {
        let parent = self.node(Self::key(i, &m.parent));
        let mut children = m.children.clone();
        let prefixes = self.mount_prefixes(i, &m.prefix, &mut children);
        if let Some((dir, opt)) = &m.autoload
            && self.is_autoload(i, children.first().map(|c| &c.0))
        {
            self.autoload(i, parent, dir.as_deref(), opt.as_ref(), m.off);
            return;
        }
        let mut middleware = Vec::new();
        for child in &children {
            if let Some(text) = self.mount_child(i, parent, m, &prefixes, child) {
                middleware.push(text);
            }
        }
        self.middleware_notes(i, parent, m.off, &prefixes, middleware);
    }

    /// The evaluated prefixes of a mount. An identifier that is not a path constant (and
    /// not path-like) is a middleware: it becomes the first child under the empty prefix.
    fn mount_prefixes(
        &self,
        i: usize,
        prefix: &PrefixArg,
        children: &mut Vec<(Ref, Use, String)>,
    ) -> Vec<Evaluated> {
        match prefix {
            PrefixArg::None => vec![Ok(String::new())],
            PrefixArg::Path(ps) => ps.iter().map(|p| self.eval(i, p, 0)).collect(),
            PrefixArg::Maybe(p, r, pathlike) => match self.eval(i, p, 0) {
                Ok(s) => vec![Ok(s)],
                Err(e) if *pathlike => vec![Err(e)],
                Err(_) => {
                    children.insert(0, (r.clone(), Use::Value, String::new()));
                    vec![Ok(String::new())]
                }
            },
        }
    }

    /// Links one mount child under every prefix, or notes a run-time child. Returns the
    /// shown text of an unresolved middleware that may answer requests.
    fn mount_child(
        &mut self,
        i: usize,
        parent: usize,
        m: &RawMount,
        prefixes: &[Evaluated],
        (r, u, text): &(Ref, Use, String),
    ) -> Option<String> {
        let ctx = Ctx::from(*u);
        let res = self.resolve_ref(i, r, ctx, 0);
        if res.nodes.is_empty() {
            if self.dynamic_child(r, &res, text, m.in_loop) && self.strictly_router(parent) {
                let shown = match r {
                    Ref::Dyn(t) if text.is_empty() => t.clone(),
                    _ => text.clone(),
                };
                self.note_each(
                    i,
                    parent,
                    m.off,
                    prefixes,
                    &format!("routes mounted from a run-time value `{shown}`"),
                );
            } else if m.kind == MountKind::Use
                && !text.is_empty()
                && !super::super::calls::plain_middleware(text)
            {
                return Some(format!("`{text}`"));
            }
            return None;
        }
        for p in prefixes {
            if let Err((reason, head)) = p {
                self.notes.push(PendingNote {
                    parent,
                    head: head.clone(),
                    reason: format!("mount prefix: {reason}"),
                    file: i,
                    off: m.off,
                });
            }
        }
        for c in res.nodes {
            if c == parent {
                continue;
            }
            for p in prefixes {
                self.add_edge(parent, c, p.clone());
            }
        }
        None
    }

    /// Notes for middleware mounted below the root that may answer requests itself.
    fn middleware_notes(
        &mut self,
        i: usize,
        parent: usize,
        off: u32,
        prefixes: &[Evaluated],
        mut middleware: Vec<String>,
    ) {
        if self.node_framework(parent) == Framework::Hono {
            // Hono's `use` only adds middleware; only static file serving answers requests.
            middleware.retain(|t| t.to_ascii_lowercase().contains("static"));
        }
        if middleware.is_empty() || !self.strictly_router(parent) {
            return;
        }
        for p in prefixes {
            let h = match p {
                Ok(s) => s.clone(),
                Err((_, h)) => h.clone(),
            };
            let shown = normalize(&h);
            if matches!(shown.as_str(), "/" | "/*") {
                continue;
            }
            let reason = format!(
                "middleware {} mounted at `{shown}` may answer requests below it",
                middleware.join(", ")
            );
            self.notes.push(PendingNote {
                parent,
                head: h,
                reason,
                file: i,
                off,
            });
        }
    }

    /// Whether an unresolved mount child is a run-time value that may carry routes.
    fn dynamic_child(&self, r: &Ref, res: &Res, text: &str, in_loop: bool) -> bool {
        let l = text.to_ascii_lowercase();
        let routerish = l.contains("router") || l.contains("routes") || l.contains("controller");
        matches!(r, Ref::Dyn(_)) || (res.unknown && (in_loop || routerish))
    }

    /// One pending note per prefix of a mount.
    fn note_each(
        &mut self,
        i: usize,
        parent: usize,
        off: u32,
        prefixes: &[Evaluated],
        reason: &str,
    ) {
        for p in prefixes {
            let head = match p {
                Ok(s) => s.clone(),
                Err((_, h)) => h.clone(),
            };
            self.notes.push(PendingNote {
                parent,
                head,
                reason: reason.to_string(),
                file: i,
                off,
            });
        }
    }

    fn is_autoload(&self, i: usize, r: Option<&Ref>) -> bool {
        let spec = match r {
            Some(Ref::Name(_, n)) => self.binding(i, n).map(|b| b.2),
            Some(Ref::Require(s, _)) => Some(s.clone()),
            _ => None,
        };
        spec.is_some_and(|s| s.contains("autoload"))
    }

    /// `@fastify/autoload`: every file under the directory is a plugin; folders add prefixes.
    fn autoload(
        &mut self,
        i: usize,
        parent: usize,
        dir: Option<&str>,
        opt: Option<&PathExpr>,
        off: u32,
    ) {
        let base = match opt.map(|p| self.eval(i, p, 0)) {
            None => String::new(),
            Some(Ok(s)) => s,
            Some(Err((reason, head))) => {
                self.notes.push(PendingNote {
                    parent,
                    head,
                    reason: format!("autoload prefix: {reason}"),
                    file: i,
                    off,
                });
                return;
            }
        };
        let Some(dir) = dir else {
            self.notes.push(PendingNote {
                parent,
                head: base,
                reason: "autoload directory computed at run time".to_string(),
                file: i,
                off,
            });
            return;
        };
        let root = join_rel(parent_dir(self.path(i)), dir);
        for t in self.files_under(&root) {
            let rel = self.path(t).get(root.len()..).unwrap_or("");
            let file_name = rel.rsplit('/').next().unwrap_or("");
            if file_name.starts_with("autohooks") || file_name.starts_with('.') {
                continue;
            }
            let folders: Vec<String> = parent_dir(rel)
                .split('/')
                .filter(|c| !c.is_empty())
                .map(|c| match c.strip_prefix('_') {
                    Some(p) => format!(":{p}"),
                    None => c.to_string(),
                })
                .collect();
            let prefix = join(&base, &folders.join("/"));
            let res = self.resolve_export(t, &Imported::Default, Ctx::Param(0), 0);
            for c in res.nodes {
                self.add_edge(parent, c, Ok(prefix.clone()));
            }
        }
    }
}
