//! Emission: routes and undecided notes with positions, and the final sorted table.

use super::super::facts::PathExpr;
use super::super::lex::LineIndex;
use super::super::matcher::{join, kind_of, normalize};
use super::super::{Framework, Route, RouteKind, RouteTable, Undecided};
use super::World;

impl World<'_> {
    /// Adds an undecided note scoped to the directory part of `prefix`.
    pub fn push_undecided(&mut self, file: usize, off: u32, reason: String, prefix: &str) {
        let (line, column) = self.pos(file, off);
        let u = Undecided {
            file: self.path(file).to_string(),
            line,
            column,
            reason,
            prefix: normalize(&dir_of_prefix(prefix)),
        };
        if self.out.undecided.len() < 100_000 {
            self.out.undecided.push(u);
        }
    }

    /// 1-based (line, column) of a byte offset in file `i`.
    fn pos(&mut self, i: usize, off: u32) -> (usize, usize) {
        let files = self.files;
        let li = self
            .lines
            .entry(i)
            .or_insert_with(|| LineIndex::new(files.get(i).map_or(&[][..], |f| f.text)));
        li.pos(off)
    }

    /// Adds a route.
    pub fn push_route(
        &mut self,
        file: usize,
        off: u32,
        method: Option<String>,
        path: &str,
        fw: Framework,
        kind: Option<RouteKind>,
    ) {
        if self.out.routes.len() >= 200_000 {
            return;
        }
        let mut path = normalize(path);
        if !matches!(
            fw,
            Framework::Supabase | Framework::NextJs | Framework::NestJs
        ) && supabase_function(self.path(file)).is_some()
        {
            // A router inside an edge function sees the path below `/functions/v1`
            // (starting with the function name).
            path = join("/functions/v1", &path);
        }
        let (line, column) = self.pos(file, off);
        let k = kind_of(&path);
        let kind = match kind {
            Some(RouteKind::Health) if k == RouteKind::Plain => RouteKind::Health,
            _ => k,
        };
        self.out.routes.push(Route {
            method,
            path,
            file: self.path(file).to_string(),
            line,
            column,
            framework: fw,
            kind,
        });
    }

    /// Emits routes, terminal mounts and dynamic-registration notes under every prefix
    /// of their router.
    pub(super) fn emit_routes(&mut self) {
        for i in 0..self.facts.len() {
            let Some((routes, terminal, dyns)) = self
                .facts(i)
                .map(|f| (f.routes.clone(), f.terminal.clone(), f.dyns.clone()))
            else {
                continue;
            };
            for r in &routes {
                let Some(&n) = self.index.get(&Self::key(i, &r.recv)) else {
                    continue;
                };
                if !self.accepted(n, r.client_like) {
                    continue;
                }
                let fw = self.node_framework(n);
                let pres = self.prefixes(n, 0, &mut Vec::new());
                for p in &pres {
                    for pe in &r.paths {
                        self.route_or_note(i, r.off, r.method.clone(), p, pe, fw);
                    }
                }
            }
            for (recv, pe, off) in &terminal {
                let n = self.node(Self::key(i, recv));
                let fw = self.node_framework(n);
                for p in self.prefixes(n, 0, &mut Vec::new()) {
                    match self.eval(i, pe, 0) {
                        Ok(s) => {
                            self.push_route(i, *off, None, &format!("{}/*", join(&p, &s)), fw, None)
                        }
                        Err((reason, head)) => self.push_undecided(
                            i,
                            *off,
                            format!("mounted app path: {reason}"),
                            &join(&p, &head),
                        ),
                    }
                }
            }
            for d in &dyns {
                let pres = match &d.recv {
                    Some(r) => {
                        let n = self.node(Self::key(i, r));
                        if !self.accepted(n, false) {
                            continue;
                        }
                        self.prefixes(n, 0, &mut Vec::new())
                    }
                    None => vec!["/".to_string()],
                };
                for p in pres {
                    self.push_undecided(i, d.off, d.reason.clone(), &format!("{p}/"));
                }
            }
        }
    }

    fn route_or_note(
        &mut self,
        i: usize,
        off: u32,
        method: Option<String>,
        prefix: &str,
        pe: &PathExpr,
        fw: Framework,
    ) {
        match self.eval(i, pe, 0) {
            Ok(s) => {
                let t = s.trim();
                if t.starts_with('/') || t.is_empty() || t == "*" || t.starts_with("/*") {
                    self.push_route(i, off, method, &join(prefix, t), fw, None);
                }
            }
            Err((reason, head)) => {
                if head.is_empty() || head.starts_with('/') {
                    let full = join(prefix, &head);
                    let scope = if head.is_empty() || head.ends_with('/') {
                        format!("{full}/")
                    } else {
                        full
                    };
                    self.push_undecided(i, off, format!("route path: {reason}"), &scope);
                }
            }
        }
    }

    /// Emits the pending mount notes under every prefix of their parent.
    pub(super) fn emit_notes(&mut self) {
        let notes = std::mem::take(&mut self.notes);
        for n in notes {
            for p in self.prefixes(n.parent, 0, &mut Vec::new()) {
                let full = join(&p, &n.head);
                self.push_undecided(n.file, n.off, n.reason.clone(), &format!("{full}/"));
            }
        }
    }

    /// Emits NestJS decorator routes.
    pub(super) fn emit_nest(&mut self) {
        super::super::nest::emit(self);
    }

    /// Sorts and deduplicates the table and lists the frameworks seen.
    pub(super) fn finish(mut self) -> RouteTable {
        let declared: Vec<Framework> = self
            .nodes
            .iter()
            .filter(|n| n.declared)
            .filter_map(|n| n.framework)
            .collect();
        let mut out = self.out;
        out.routes.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.path, &a.method)
                .cmp(&(&b.file, b.line, b.column, &b.path, &b.method))
        });
        out.routes.dedup();
        out.undecided.sort_by(|a, b| {
            (&a.file, a.line, a.column, &a.prefix).cmp(&(&b.file, b.line, b.column, &b.prefix))
        });
        out.undecided.dedup();
        let mut fws: Vec<Framework> = out.routes.iter().map(|r| r.framework).collect();
        fws.extend(declared);
        fws.sort();
        fws.dedup();
        out.frameworks = fws;
        self.out = RouteTable::default();
        out
    }
}

/// The Supabase function a file belongs to (`supabase/functions/<name>/…`).
fn supabase_function(path: &str) -> Option<&str> {
    let k = path.find("supabase/functions/")?;
    let rest = path.get(k + "supabase/functions/".len()..)?;
    let (name, _) = rest.split_once('/')?;
    (!name.starts_with('_')).then_some(name)
}

/// Cuts a static path head back to its last complete segment.
fn dir_of_prefix(head: &str) -> String {
    if head.ends_with('/') || head.is_empty() {
        return head.to_string();
    }
    match head.rfind('/') {
        Some(k) => head.get(..=k).unwrap_or("/").to_string(),
        None => "/".to_string(),
    }
}
