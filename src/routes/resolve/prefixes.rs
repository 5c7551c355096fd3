//! Prefix composition: the full path prefixes of a router through its mount chain.

use super::super::matcher::{join, normalize};
use super::World;
use super::graph::node_name;

/// At most this many prefixes per router.
const MAX_PREFIXES: usize = 16;

impl World<'_> {
    /// Full prefixes of node `n` (memoised; cycles and depth bounded).
    pub(super) fn prefixes(
        &mut self,
        n: usize,
        depth: usize,
        stack: &mut Vec<usize>,
    ) -> Vec<String> {
        if let Some(v) = self.memo.get(&n) {
            return v.clone();
        }
        let own = self.own_prefix(n);
        let ins = self.in_edges.get(n).cloned().unwrap_or_default();
        let mut out = Vec::new();
        let mut had_static = false;
        if depth < 48 && !stack.contains(&n) {
            stack.push(n);
            for e in ins {
                let Some(edge) = self.edges.get(e) else {
                    continue;
                };
                let (parent, pre) = (edge.parent, edge.prefix.clone());
                let Ok(pre) = pre else { continue };
                if stack.contains(&parent) {
                    continue;
                }
                had_static = true;
                for p in self.prefixes(parent, depth + 1, stack) {
                    let full = join(&join(&p, &pre), &own);
                    if !out.contains(&full) && out.len() < MAX_PREFIXES {
                        out.push(full);
                    }
                }
            }
            stack.pop();
        }
        if !had_static || out.is_empty() {
            out = vec![normalize(&own)];
        }
        if depth == 0 || stack.is_empty() {
            self.memo.insert(n, out.clone());
        }
        out
    }

    fn own_prefix(&mut self, n: usize) -> String {
        let Some(node) = self.nodes.get(n) else {
            return String::new();
        };
        let Some(p) = node.own.clone() else {
            return String::new();
        };
        let file = node.key.file;
        match self.eval(file, &p, 0) {
            Ok(s) => s,
            Err((reason, head)) => {
                let off = self
                    .facts(file)
                    .and_then(|f| {
                        f.routers
                            .iter()
                            .find(|d| d.recv.name == node_name(&self.nodes, n))
                    })
                    .map_or(0, |d| d.off);
                self.push_undecided(file, off, format!("router prefix: {reason}"), &head);
                head
            }
        }
    }
}
