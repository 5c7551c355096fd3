//! Reference resolution: what routers an identifier, call, member or export stands
//! for, across scopes and files (bounded by depth and a work budget).

use super::super::Imported;
use super::super::facts::{Decl, Ref, ScopeId, decl_scope};
use super::{Ctx, Key, Res, World};

impl World<'_> {
    fn spend(&mut self) -> bool {
        if self.budget == 0 {
            return false;
        }
        self.budget -= 1;
        true
    }

    /// Router nodes a reference in file `i` stands for when used as `ctx` (bounded by
    /// depth and the work budget).
    pub(super) fn resolve_ref(&mut self, i: usize, r: &Ref, ctx: Ctx, depth: usize) -> Res {
        if depth > 24 || !self.spend() {
            return Res::unknown();
        }
        match r {
            Ref::Name(scope, name) => self.resolve_name(i, *scope, name, ctx, depth),
            Ref::Require(spec, member) => match self.resolve_spec(i, spec) {
                Some(t) => {
                    let imp = member
                        .as_ref()
                        .map_or(Imported::Default, |m| Imported::Named(m.clone()));
                    self.resolve_export(t, &imp, ctx, depth + 1)
                }
                None if spec.starts_with('.') => Res::unknown(),
                None => Res::default(),
            },
            Ref::Func(s) => self.func_nodes(i, *s, ctx, depth),
            Ref::Call(callee, arg) => {
                let mut res = self.resolve_ref(i, callee, Ctx::Call, depth + 1);
                if res.nodes.is_empty()
                    && let Some(a) = arg
                {
                    let inner = self.resolve_ref(i, a, ctx, depth + 1);
                    if !inner.nodes.is_empty() {
                        return inner;
                    }
                }
                if res.nodes.is_empty() && ctx == Ctx::Value {
                    res.unknown = false;
                }
                res
            }
            Ref::Routes(inner) => self.resolve_ref(i, inner, Ctx::Value, depth + 1),
            Ref::Member(base, prop) => self.resolve_member(i, base, prop, ctx, depth),
            Ref::Dyn(_) => Res::unknown(),
            Ref::Opaque => Res::default(),
        }
    }

    fn resolve_member(&mut self, i: usize, base: &Ref, prop: &str, ctx: Ctx, depth: usize) -> Res {
        let target = match base {
            Ref::Name(scope, n) => {
                let ds = self
                    .facts(i)
                    .map_or(0, |f| decl_scope(&f.scopes, *scope, n));
                if ds != 0 {
                    return Res::unknown();
                }
                match self.binding(i, n) {
                    Some((Some(t), Imported::Namespace | Imported::Default, _)) => Some(t),
                    Some((None, _, _)) => return Res::default(),
                    _ => None,
                }
            }
            Ref::Require(spec, None) => self.resolve_spec(i, spec),
            _ => None,
        };
        match target {
            Some(t) => self.resolve_export(t, &Imported::Named(prop.to_string()), ctx, depth + 1),
            None => Res::unknown(),
        }
    }

    fn resolve_name(
        &mut self,
        i: usize,
        scope: ScopeId,
        name: &str,
        ctx: Ctx,
        depth: usize,
    ) -> Res {
        let Some(f) = self.facts(i) else {
            return Res::unknown();
        };
        let ds = decl_scope(&f.scopes, scope, name);
        let sc = f.scopes.get(ds as usize);
        let decl = sc.and_then(|s| s.decls.get(name)).cloned();
        let is_param = sc.is_some_and(|s| s.params.iter().any(|p| p.as_deref() == Some(name)));
        let mut res = Res::default();
        let key = Key {
            file: i,
            scope: ds,
            name: name.to_string(),
        };
        if let Some(&n) = self.index.get(&key) {
            res.nodes.push(n);
        }
        match decl {
            Some(Decl::Func(s)) => res.merge(self.func_nodes(i, s, ctx, depth)),
            Some(Decl::Alias(r)) => {
                let inner = self.resolve_ref(i, &r, ctx, depth + 1);
                if res.nodes.is_empty() {
                    res.merge(inner);
                } else {
                    res.nodes.extend(inner.nodes);
                }
            }
            _ if is_param => {
                if res.nodes.is_empty() {
                    res.unknown = true;
                }
            }
            _ => {
                if res.nodes.is_empty() && ds == 0 {
                    match self.binding(i, name) {
                        Some((Some(t), imp, _)) => {
                            return self.resolve_export(t, &imp, ctx, depth + 1);
                        }
                        Some((None, _, spec)) => {
                            if spec.starts_with('.') {
                                res.unknown = true;
                            }
                        }
                        None => res.unknown = decl.is_none(),
                    }
                }
            }
        }
        res
    }

    /// Routers a function provides: parameter `k`, or what it creates/returns when called.
    fn func_nodes(&mut self, i: usize, s: ScopeId, ctx: Ctx, depth: usize) -> Res {
        let mut res = Res::default();
        let Some(sc) = self.facts(i).and_then(|f| f.scopes.get(s as usize)) else {
            return Res::unknown();
        };
        match ctx {
            Ctx::Param(k) => {
                if let Some(Some(p)) = sc.params.get(k) {
                    let key = Key {
                        file: i,
                        scope: s,
                        name: p.clone(),
                    };
                    res.nodes.push(self.node(key));
                }
            }
            Ctx::Call => {
                let returns = sc.returns.clone();
                res.nodes.extend(self.declared_in(i, s));
                for r in returns.iter().take(8) {
                    let inner = self.resolve_ref(i, r, Ctx::Value, depth + 1);
                    res.nodes.extend(
                        inner
                            .nodes
                            .into_iter()
                            .filter(|n| !res.nodes.contains(n))
                            .collect::<Vec<_>>(),
                    );
                }
            }
            Ctx::Value => {}
        }
        res
    }

    /// Router nodes export `imp` of file `t` stands for, through re-exports; a lone
    /// top-level router stands in for a missing default export.
    pub(super) fn resolve_export(
        &mut self,
        t: usize,
        imp: &Imported,
        ctx: Ctx,
        depth: usize,
    ) -> Res {
        if depth > 24 || !self.spend() {
            return Res::unknown();
        }
        let name = match imp {
            Imported::Default => "default",
            Imported::Named(n) => n.as_str(),
            Imported::Namespace => return Res::default(),
        };
        let Some(f) = self.facts(t) else {
            return Res::unknown();
        };
        let refs: Vec<Ref> = f
            .exports
            .iter()
            .filter(|(n, _, _)| n == name)
            .map(|(_, r, _)| r.clone())
            .collect();
        let reexports: Vec<(String, Option<String>)> = f
            .reexports
            .iter()
            .filter(|r| r.exported == name || (r.imported.is_none() && name != "default"))
            .map(|r| (r.spec.clone(), r.imported.clone()))
            .collect();
        let fallback: Vec<usize> = if name == "default" && refs.is_empty() && reexports.is_empty() {
            let tops = self.declared_in(t, 0);
            if tops.len() == 1 { tops } else { Vec::new() }
        } else {
            Vec::new()
        };
        let mut res = Res::default();
        for r in &refs {
            res.merge(self.resolve_ref(t, r, ctx, depth + 1));
        }
        for (spec, imported) in reexports {
            if let Some(tt) = self.resolve_spec(t, &spec) {
                let imp2 = match imported.as_deref() {
                    None => Imported::Named(name.to_string()),
                    Some("default") => Imported::Default,
                    Some(n) => Imported::Named(n.to_string()),
                };
                res.merge(self.resolve_export(tt, &imp2, ctx, depth + 1));
            }
        }
        if refs.is_empty() && res.nodes.is_empty() {
            if fallback.is_empty() {
                res.unknown = true;
            }
            res.nodes.extend(fallback);
        }
        res
    }
}
