//! The router graph: nodes (one identifier in one scope of one file), mount edges,
//! and which nodes count as routers.

use std::collections::HashSet;

use super::super::Framework;
use super::super::facts::{Recv, ScopeId};
use super::{Edge, Evaluated, Key, Node, World};

impl World<'_> {
    /// The node for `key`, created on first use.
    pub(super) fn node(&mut self, key: Key) -> usize {
        if let Some(&n) = self.index.get(&key) {
            return n;
        }
        let n = self.nodes.len();
        self.nodes.push(Node {
            key: key.clone(),
            declared: false,
            framework: None,
            own: None,
        });
        self.in_edges.push(Vec::new());
        self.out_edges.push(0);
        self.by_scope
            .entry((key.file, key.scope))
            .or_default()
            .push(n);
        self.index.insert(key, n);
        n
    }

    /// Constructed routers declared directly in scope `s` of file `i`.
    pub(super) fn declared_in(&self, i: usize, s: ScopeId) -> Vec<usize> {
        self.by_scope
            .get(&(i, s))
            .map(|v| {
                v.iter()
                    .copied()
                    .filter(|&n| self.nodes.get(n).is_some_and(|x| x.declared))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The node key of receiver `r` in file `file`.
    pub(super) fn key(file: usize, r: &Recv) -> Key {
        Key {
            file,
            scope: r.scope,
            name: r.name.clone(),
        }
    }

    /// Creates nodes for constructed routers, own prefixes and route receivers, and
    /// records the only framework in use, if there is exactly one.
    pub(super) fn build_nodes(&mut self) {
        for i in 0..self.facts.len() {
            let Some(f) = self.facts(i) else {
                continue;
            };
            let routers = f.routers.clone();
            let own = f.own_prefix.clone();
            let recvs: Vec<Recv> = f.routes.iter().map(|r| r.recv.clone()).collect();
            for d in &routers {
                let fw = self.decl_framework(i, d);
                let n = self.node(Self::key(i, &d.recv));
                if let Some(node) = self.nodes.get_mut(n) {
                    node.declared = true;
                    node.framework = node.framework.or(fw);
                }
            }
            for (r, p) in &own {
                let n = self.node(Self::key(i, r));
                if let Some(node) = self.nodes.get_mut(n) {
                    node.own = Some(p.clone());
                }
            }
            for r in &recvs {
                self.node(Self::key(i, r));
            }
        }
        let mut used: HashSet<Framework> = self.nodes.iter().filter_map(|x| x.framework).collect();
        if used.is_empty() {
            for i in 0..self.facts.len() {
                used.extend(self.server_evidence(i));
            }
        }
        if used.len() == 1 {
            self.single_framework = used.into_iter().next();
        }
    }

    /// A router by construction, by being mounted, or by its conventional name.
    pub(super) fn strictly_router(&self, n: usize) -> bool {
        self.nodes.get(n).is_some_and(|node| {
            node.declared
                || self.in_edges.get(n).is_some_and(|v| !v.is_empty())
                || core_name(&node.key.name)
        })
    }

    /// Adds a mount edge from `parent` to `child` (bounded in number).
    pub(super) fn add_edge(&mut self, parent: usize, child: usize, prefix: Evaluated) {
        if self.edges.len() >= 200_000 {
            return;
        }
        let e = self.edges.len();
        self.edges.push(Edge { parent, prefix });
        if let Some(v) = self.in_edges.get_mut(child) {
            v.push(e);
        }
        if let Some(c) = self.out_edges.get_mut(parent) {
            *c += 1;
        }
    }

    /// Whether routes on node `n` count: a constructed, mounted or mounting router, a
    /// conventional name, or any receiver in a file importing a server framework.
    pub(super) fn accepted(&self, n: usize, client_like: bool) -> bool {
        let Some(node) = self.nodes.get(n) else {
            return false;
        };
        let wired = node.declared
            || self.in_edges.get(n).is_some_and(|v| !v.is_empty())
            || self.out_edges.get(n).is_some_and(|&c| c > 0);
        if wired {
            return true;
        }
        if client_like {
            return false;
        }
        core_name(&node.key.name) || !self.server_evidence(node.key.file).is_empty()
    }
}

/// Conventional names of apps and routers.
fn core_name(name: &str) -> bool {
    let name = name.strip_prefix("this.").unwrap_or(name);
    matches!(
        name,
        "app" | "router" | "server" | "fastify" | "instance" | "koa" | "hono"
    ) || name.ends_with("Router")
        || name.ends_with("router")
        || name.ends_with("App")
        || name.ends_with("Server")
}

/// Identifier of node `n` (`""` when out of range).
pub(super) fn node_name(nodes: &[Node], n: usize) -> &str {
    nodes.get(n).map_or("", |x| x.key.name.as_str())
}
