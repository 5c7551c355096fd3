//! Expression helpers for the parser: argument lists, path expressions, router
//! references, router constructions and string constants.

use super::Framework;
use super::facts::{P, Part, PathExpr, Recv, Ref, RouterDecl};
use super::lex::{K, P_OPTCHAIN};

/// Token range `[start, end)` of one call argument.
pub(super) type Arg = (usize, usize);

impl P<'_, '_> {
    /// Arguments of the call whose `(` is at `open`.
    pub fn args(&self, open: usize) -> Vec<Arg> {
        self.items(open)
    }

    /// Comma-separated items of the bracketed group opened at `open`.
    pub fn items(&self, open: usize) -> Vec<Arg> {
        let lx = self.lx;
        let Some(close) = lx.mate(open) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut start = open + 1;
        let mut j = open + 1;
        while j < close && out.len() < 64 {
            if lx.is_p(j, u32::from(b',')) {
                if j > start {
                    out.push((start, j));
                }
                start = j + 1;
                j += 1;
                continue;
            }
            j = self.next_sibling(j);
        }
        if close > start {
            out.push((start, close));
        }
        out
    }

    /// Path alternatives of the expression at `a..b` (arrays give several).
    pub fn paths_of(&self, (a, b): Arg) -> Vec<PathExpr> {
        let lx = self.lx;
        if lx.is_p(a, u32::from(b'[')) && lx.mate(a) == Some(b - 1) {
            return self
                .items(a)
                .into_iter()
                .take(16)
                .map(|it| self.path_of(it))
                .collect();
        }
        vec![self.path_of((a, b))]
    }

    /// One path expression from the tokens `a..b`: literals, templates, constants and
    /// `+` concatenations; anything else becomes a `Dyn` part.
    pub fn path_of(&self, (a, b): Arg) -> PathExpr {
        let lx = self.lx;
        let mut out = Vec::new();
        let mut j = a;
        loop {
            let Some((mut parts, next)) = self.operand(j, b) else {
                return vec![Part::Dyn(lx.snippet(a, b.saturating_sub(1)))];
            };
            out.append(&mut parts);
            j = next;
            if j >= b || self.is_as_const(j, b) {
                return out;
            }
            if !lx.is_p(j, u32::from(b'+')) {
                return vec![Part::Dyn(lx.snippet(a, b.saturating_sub(1)))];
            }
            j += 1;
        }
    }

    fn is_as_const(&self, j: usize, b: usize) -> bool {
        self.lx.is_id(j, "as") && j + 2 >= b
    }

    /// One operand of a string concatenation.
    fn operand(&self, j: usize, b: usize) -> Option<(PathExpr, usize)> {
        let lx = self.lx;
        match lx.kind(j)? {
            K::Str | K::Tmpl => Some((vec![Part::Lit(lx.str_val(j)?.to_string())], j + 1)),
            K::TmplHead => {
                let end = lx.mate(j)?;
                (end < b).then(|| (self.template(j, end), end + 1))
            }
            K::Regex => Some((
                vec![Part::Dyn(format!("regular expression {}", lx.text(j)))],
                j + 1,
            )),
            K::Ident => {
                let (name, next) = self.dotted(j);
                if next < b && (lx.is_p(next, u32::from(b'(')) || lx.is_p(next, u32::from(b'['))) {
                    return None;
                }
                if name.starts_with("process.env") || name.starts_with("Deno.env") {
                    return Some((vec![Part::Dyn(name)], next));
                }
                Some((vec![Part::Ref(name)], next))
            }
            _ => None,
        }
    }

    /// `a.b.c` starting at identifier `j`; returns the dotted name and the next index.
    pub fn dotted(&self, j: usize) -> (String, usize) {
        let lx = self.lx;
        let mut name = lx.text(j).to_string();
        let mut k = j + 1;
        while (lx.is_p(k, u32::from(b'.')) || lx.is_p(k, P_OPTCHAIN)) && name.len() < 200 {
            let Some(p) = lx.ident(k + 1) else { break };
            name.push('.');
            name.push_str(p);
            k += 2;
        }
        (name, k)
    }

    /// Parts of the template `head … tail`.
    fn template(&self, head: usize, tail: usize) -> PathExpr {
        let lx = self.lx;
        let mut out = Vec::new();
        let mut seg_start = head;
        let mut j = head + 1;
        while j <= tail {
            let is_mid = lx.kind(j) == Some(K::TmplMid) && lx.depth(j) == lx.depth(head);
            if is_mid || j == tail {
                if let Some(s) = lx.str_val(seg_start)
                    && !s.is_empty()
                {
                    out.push(Part::Lit(s.to_string()));
                }
                out.push(self.subst(seg_start + 1, j));
                seg_start = j;
            }
            j = if j == tail {
                j + 1
            } else {
                self.next_sibling(j)
            };
        }
        if let Some(s) = lx.str_val(tail)
            && !s.is_empty()
        {
            out.push(Part::Lit(s.to_string()));
        }
        out
    }

    /// A `${…}` substitution over tokens `a..b`.
    fn subst(&self, a: usize, b: usize) -> Part {
        let lx = self.lx;
        if lx.kind(a) == Some(K::Ident) {
            let (name, next) = self.dotted(a);
            if next == b {
                if name.starts_with("process.env") || name.starts_with("Deno.env") {
                    return Part::Dyn(name);
                }
                return Part::Ref(name);
            }
        }
        if b == a + 1
            && let Some(s) = lx.plain_str(a)
        {
            return Part::Lit(s.to_string());
        }
        Part::Dyn(lx.snippet(a, b.saturating_sub(1)))
    }

    /// A reference to a router-ish value starting at `i`; returns it and the next index.
    pub fn parse_ref(&mut self, i: usize) -> (Ref, usize) {
        self.parse_ref_in(i, 0)
    }

    /// [`P::parse_ref`] with a nesting bound (wrapped calls like `fp(fp(fp(…)))`).
    fn parse_ref_in(&mut self, i: usize, depth: usize) -> (Ref, usize) {
        let lx = self.lx;
        if depth > 8 {
            return (Ref::Opaque, self.skip_expr(i).max(i + 1));
        }
        let mut i = i;
        if lx.is_id(i, "await") {
            i += 1;
        }
        if lx.is_id(i, "async")
            && (lx.is_id(i + 1, "function")
                || lx.is_p(i + 1, u32::from(b'('))
                || lx.kind(i + 1) == Some(K::Ident))
        {
            i += 1;
        }
        if let Some(s) = self.function_at(i) {
            return (Ref::Func(s), self.skip_expr(i));
        }
        if (lx.is_id(i, "require") || lx.is_id(i, "import")) && lx.is_p(i + 1, u32::from(b'(')) {
            return self.require_ref(i, depth);
        }
        if lx.kind(i) != Some(K::Ident) || lx.is_id(i, "new") {
            return self.opaque_or_dyn(i);
        }
        let (name, mut k) = self.dotted(i);
        let mut r = self.name_ref(&name);
        if lx.is_p(k, u32::from(b'[')) {
            let end = lx.mate(k).map_or(k + 1, |m| m + 1);
            return (Ref::Dyn(lx.snippet(i, end.saturating_sub(1))), end);
        }
        if lx.is_p(k, u32::from(b'(')) {
            let close = lx.mate(k).unwrap_or(k);
            let last = name.rsplit('.').next().unwrap_or("");
            let is_member = name.contains('.');
            if is_member && matches!(last, "routes" | "middleware") {
                if let Ref::Member(base, _) = r {
                    r = Ref::Routes(base);
                }
            } else if is_member && last == "allowedMethods" {
                r = Ref::Opaque;
            } else {
                let first = self.args(k).first().copied();
                let arg = first.map(|(a, _)| Box::new(self.parse_ref_in(a, depth + 1).0));
                r = Ref::Call(Box::new(r), arg);
            }
            k = close + 1;
        }
        (r, k)
    }

    /// `a.b.c` as a reference: a name with member accesses.
    pub fn name_ref(&self, dotted: &str) -> Ref {
        let mut parts = dotted.split('.');
        let first = parts.next().unwrap_or("");
        if first == "this" {
            let prop = parts.next().unwrap_or("");
            let mut r = Ref::Name(self.cur(), format!("this.{prop}"));
            for p in parts {
                r = Ref::Member(Box::new(r), p.to_string());
            }
            return r;
        }
        let mut r = Ref::Name(self.cur(), first.to_string());
        for p in parts {
            r = Ref::Member(Box::new(r), p.to_string());
        }
        r
    }

    fn require_ref(&mut self, i: usize, depth: usize) -> (Ref, usize) {
        let lx = self.lx;
        let open = i + 1;
        let close = lx.mate(open).unwrap_or(open);
        let Some(spec) = lx.plain_str(open + 1).filter(|_| close == open + 2) else {
            return (Ref::Dyn(lx.snippet(i, close)), close + 1);
        };
        let spec = spec.to_string();
        self.f.requires.push(spec.clone());
        let mut k = close + 1;
        let mut member = None;
        if lx.is_p(k, u32::from(b'.'))
            && let Some(m) = lx.ident(k + 1)
        {
            member = Some(m.to_string());
            k += 2;
        }
        if lx.is_p(k, u32::from(b'(')) {
            let first = self.args(k).first().copied();
            let arg = first.map(|(a, _)| Box::new(self.parse_ref_in(a, depth + 1).0));
            let end = lx.mate(k).map_or(k + 1, |m| m + 1);
            return (Ref::Call(Box::new(Ref::Require(spec, member)), arg), end);
        }
        (Ref::Require(spec, member), k)
    }

    fn opaque_or_dyn(&self, i: usize) -> (Ref, usize) {
        let end = self.skip_expr(i);
        (Ref::Opaque, end.max(i + 1))
    }

    /// Recognises a router construction at `k` assigned to `name`; records it and any
    /// chained calls. Returns the end index.
    pub fn router_ctor(&mut self, name: &str, k: usize) -> Option<usize> {
        let lx = self.lx;
        let mut j = k;
        let is_new = lx.is_id(j, "new");
        if is_new {
            j += 1;
        }
        let (callee, spec, member, open) = self.ctor_callee(j)?;
        let hint = ctor_hint(&callee, spec.as_deref(), member.as_deref(), is_new)?;
        let recv = Recv {
            scope: self.cur(),
            name: name.to_string(),
        };
        let close = lx.mate(open).unwrap_or(open);
        if let Some(&(a, _)) = self.args(open).first()
            && lx.is_p(a, u32::from(b'{'))
            && let Some(v) = self.object_value(a, &["prefix"])
        {
            let p = self.path_of(v);
            self.f.own_prefix.push((recv.clone(), p));
        }
        self.f.routers.push(RouterDecl {
            recv: recv.clone(),
            callee,
            spec,
            hint: Some(hint),
            off: lx.off(k),
        });
        self.declare(name, super::facts::Decl::Other);
        Some(self.call_chain(&recv, close + 1, lx.off(k)))
    }

    /// The callee of a construction: (identifier, inline require spec, member, `(` index).
    fn ctor_callee(&self, j: usize) -> Option<(String, Option<String>, Option<String>, usize)> {
        let lx = self.lx;
        if lx.is_id(j, "require") && lx.is_p(j + 1, u32::from(b'(')) {
            let close = lx.mate(j + 1)?;
            let spec = lx.plain_str(j + 2)?.to_string();
            let mut k = close + 1;
            let mut member = None;
            if lx.is_p(k, u32::from(b'.')) {
                member = Some(lx.ident(k + 1)?.to_string());
                k += 2;
            }
            return lx
                .is_p(k, u32::from(b'('))
                .then(|| ("require".to_string(), Some(spec), member, k));
        }
        let callee = lx.ident(j)?.to_string();
        let mut k = j + 1;
        let mut member = None;
        if lx.is_p(k, u32::from(b'.')) {
            member = Some(lx.ident(k + 1)?.to_string());
            k += 2;
        }
        if lx.is_p(k, u32::from(b'<')) {
            while k < j + 48 && !lx.is_p(k, u32::from(b'(')) {
                k += 1;
            }
        }
        lx.is_p(k, u32::from(b'('))
            .then_some((callee, None, member, k))
    }

    /// The value tokens of `key:` in the object literal opened at `open` (first match).
    pub fn object_value(&self, open: usize, keys: &[&str]) -> Option<Arg> {
        let lx = self.lx;
        for (a, b) in self.items(open) {
            let key = lx.ident(a).or_else(|| lx.plain_str(a));
            if key.is_some_and(|k| keys.contains(&k)) && lx.is_p(a + 1, u32::from(b':')) {
                return (a + 2 < b).then_some((a + 2, b));
            }
            if key.is_some_and(|k| keys.contains(&k)) && b == a + 1 {
                return Some((a, b));
            }
        }
        None
    }

    /// Records `name` as a string constant when `k` starts a string expression or a flat
    /// object of strings.
    pub fn const_init(&mut self, name: &str, k: usize) {
        let lx = self.lx;
        if lx.is_p(k, u32::from(b'{')) {
            self.object_consts(name, k, 0);
            return;
        }
        let stringy = matches!(lx.kind(k), Some(K::Str | K::Tmpl | K::TmplHead))
            || lx.ident(k).is_some_and(|w| w == "process" || w == "Deno");
        if !stringy {
            return;
        }
        let end = self.skip_expr(k);
        let expr = if self.pure_string(k, end) {
            self.path_of((k, end))
        } else {
            vec![Part::Dyn(lx.snippet(k, end.saturating_sub(1)))]
        };
        self.add_const(name, expr);
    }

    /// Whether `k..end` is only string operands joined by `+` (optionally `as const`).
    fn pure_string(&self, k: usize, end: usize) -> bool {
        let lx = self.lx;
        let mut j = k;
        while j < end {
            if lx.is_id(j, "as") && lx.is_id(j + 1, "const") {
                return true;
            }
            let next = match lx.kind(j) {
                Some(K::Str | K::Tmpl) => j + 1,
                Some(K::TmplHead) => lx.mate(j).map_or(end, |m| m + 1),
                Some(K::Ident) => self.dotted(j).1,
                _ => return false,
            };
            if next >= end {
                return true;
            }
            if !lx.is_p(next, u32::from(b'+')) {
                return lx.is_id(next, "as");
            }
            j = next + 1;
        }
        true
    }

    fn object_consts(&mut self, name: &str, open: usize, depth: usize) {
        let lx = self.lx;
        if depth > 3 {
            return;
        }
        for (a, b) in self.items(open).into_iter().take(256) {
            let Some(key) = lx.ident(a).or_else(|| lx.plain_str(a)) else {
                continue;
            };
            if !lx.is_p(a + 1, u32::from(b':')) || a + 2 >= b {
                continue;
            }
            let full = format!("{name}.{key}");
            if lx.is_p(a + 2, u32::from(b'{')) {
                self.object_consts(&full, a + 2, depth + 1);
            } else if matches!(lx.kind(a + 2), Some(K::Str | K::Tmpl | K::TmplHead))
                && self.pure_string(a + 2, b)
            {
                let expr = self.path_of((a + 2, b));
                self.add_const(&full, expr);
            }
        }
    }

    /// Adds a constant; a second, different value makes it ambiguous.
    pub fn add_const(&mut self, name: &str, expr: PathExpr) {
        match self.f.consts.get_mut(name) {
            None => {
                self.f.consts.insert(name.to_string(), Some(expr));
            }
            Some(slot) => {
                if slot.as_ref() != Some(&expr) {
                    *slot = None;
                }
            }
        }
    }
}

/// Which framework a constructor call suggests (None: not a router construction).
fn ctor_hint(
    callee: &str,
    spec: Option<&str>,
    member: Option<&str>,
    is_new: bool,
) -> Option<Framework> {
    if let Some(s) = spec {
        let fw = super::resolve::framework_of_spec(s)?;
        return match (fw, member) {
            (Framework::Express, None | Some("Router")) => Some(fw),
            (Framework::Koa | Framework::Hono, _) if is_new => Some(fw),
            (Framework::Fastify, None) => Some(fw),
            _ => None,
        };
    }
    match (callee, member) {
        ("express", None | Some("Router")) => Some(Framework::Express),
        ("Router", None) if !is_new => Some(Framework::Express),
        ("Router" | "KoaRouter" | "RouterKoa", None) if is_new => Some(Framework::Koa),
        ("Koa" | "koa", None) if is_new => Some(Framework::Koa),
        ("Hono" | "OpenAPIHono", None) if is_new => Some(Framework::Hono),
        ("Fastify" | "fastify" | "createFastify", None) if !is_new => Some(Framework::Fastify),
        (_, Some("Router")) => Some(Framework::Express),
        _ => None,
    }
}
