//! The scope stack of the pass: entering and leaving function scopes, loops and
//! classes, declarations, and resolving receivers to their declaring scopes.

use super::{Active, Decl, NO_SCOPE, P, Recv, Scope, ScopeId};

impl P<'_, '_> {
    /// Pops finished scopes/loops/classes and pushes a scope whose body starts at `i`.
    pub(super) fn enter(&mut self, i: usize) {
        let d = self.lx.depth(i);
        let sep = self.lx.is_p(i, u32::from(b',')) || self.lx.is_p(i, u32::from(b';'));
        while let Some(top) = self.active.last() {
            let done = match top.block_end {
                Some(end) => i > end,
                None => d < top.expr_depth || (d == top.expr_depth && sep),
            };
            if !done {
                break;
            }
            self.active.pop();
        }
        while self.loops.last().is_some_and(|&e| e < i) {
            self.loops.pop();
        }
        while self.classes.last().is_some_and(|&(_, e)| e < i) {
            self.classes.pop();
        }
        let s = self.pending.get(i).copied().unwrap_or(NO_SCOPE);
        if s != NO_SCOPE {
            let parent = self.cur();
            if let Some(sc) = self.f.scopes.get_mut(s as usize) {
                sc.parent = parent;
            }
            let block_end = if self.lx.is_p(i, u32::from(b'{')) {
                Some(self.lx.mate(i).unwrap_or(usize::MAX))
            } else {
                None
            };
            self.active.push(Active {
                scope: s,
                block_end,
                expr_depth: d,
            });
        }
    }

    /// The innermost active scope.
    pub fn cur(&self) -> ScopeId {
        self.active.last().map_or(0, |a| a.scope)
    }

    /// Whether `i` lies inside a loop body or an iteration callback.
    pub fn in_loop(&self) -> bool {
        !self.loops.is_empty()
    }

    /// A receiver named `name` as seen from the current scope.
    pub(super) fn recv(&self, name: &str) -> Recv {
        Recv {
            scope: self.cur(),
            name: name.to_string(),
        }
    }

    /// Records a declaration in the current scope (first declaration wins).
    pub fn declare(&mut self, name: &str, d: Decl) {
        let s = self.cur();
        if let Some(sc) = self.f.scopes.get_mut(s as usize) {
            sc.decls.entry(name.to_string()).or_insert(d);
        }
    }

    /// Resolves receivers to their declaring scopes once all declarations are known.
    pub(super) fn finish(&mut self) {
        let scopes = &self.f.scopes;
        let fix = |r: &mut Recv| {
            r.scope = decl_scope(scopes, r.scope, &r.name);
        };
        for r in &mut self.f.routes {
            fix(&mut r.recv);
        }
        for m in &mut self.f.mounts {
            fix(&mut m.parent);
        }
        for d in &mut self.f.routers {
            fix(&mut d.recv);
        }
        for (r, _) in &mut self.f.own_prefix {
            fix(r);
        }
        for d in &mut self.f.dyns {
            if let Some(r) = d.recv.as_mut() {
                fix(r);
            }
        }
        for (r, _, _) in &mut self.f.terminal {
            fix(r);
        }
    }
}

/// The scope (walking outwards from `from`) that declares `name`; 0 when none does.
pub fn decl_scope(scopes: &[Scope], from: ScopeId, name: &str) -> ScopeId {
    if name.starts_with("this.") {
        return 0;
    }
    let mut s = from;
    for _ in 0..256 {
        let Some(sc) = scopes.get(s as usize) else {
            return 0;
        };
        if sc.decls.contains_key(name) || sc.params.iter().any(|p| p.as_deref() == Some(name)) {
            return s;
        }
        if s == 0 {
            return 0;
        }
        s = sc.parent;
    }
    0
}
