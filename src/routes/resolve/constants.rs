//! Constant evaluation: path expressions made of literals and string constants,
//! followed through imports.

use super::super::Imported;
use super::super::facts::{Part, PathExpr, Ref};
use super::{Evaluated, World};

impl World<'_> {
    /// Evaluates a path expression in file `i`: Ok(text) or Err((reason, static head)).
    pub fn eval(&self, i: usize, p: &PathExpr, depth: usize) -> Evaluated {
        let mut s = String::new();
        for part in p {
            match part {
                Part::Lit(x) => s.push_str(x),
                Part::Ref(name) => match self.const_value(i, name, depth) {
                    Ok(v) => s.push_str(&v),
                    Err(reason) => return Err((reason, s)),
                },
                Part::Dyn(t) => return Err((format!("`{t}` is computed at run time"), s)),
            }
        }
        Ok(s)
    }

    fn const_value(&self, i: usize, dotted: &str, depth: usize) -> Result<String, String> {
        if depth > 8 {
            return Err(format!("`{dotted}` is defined through too many constants"));
        }
        let Some(f) = self.facts(i) else {
            return Err(format!("`{dotted}` is not a constant string"));
        };
        match f.consts.get(dotted) {
            Some(Some(e)) => {
                return self
                    .eval(i, e, depth + 1)
                    .map_err(|(r, _)| format!("`{dotted}`: {r}"));
            }
            Some(None) => return Err(format!("`{dotted}` is assigned different values")),
            None => {}
        }
        let (root, rest) = dotted
            .split_once('.')
            .map_or((dotted, None), |(a, b)| (a, Some(b)));
        if let Some((Some(t), imp, _)) = self.binding(i, root) {
            let exported = match (&imp, rest) {
                (Imported::Named(n), None) => Some(n.clone()),
                (Imported::Named(n), Some(r)) => Some(format!("{n}.{r}")),
                (Imported::Namespace, Some(r)) => Some(r.to_string()),
                _ => None,
            };
            if let Some(e) = exported {
                let local = self.local_of_export(t, &e);
                return self.const_value(t, &local, depth + 1);
            }
        }
        Err(format!("`{dotted}` is not a constant string"))
    }

    /// The local name behind an exported (dotted) name.
    fn local_of_export(&self, t: usize, exported: &str) -> String {
        let (root, rest) = exported
            .split_once('.')
            .map_or((exported, None), |(a, b)| (a, Some(b)));
        let local = self
            .facts(t)
            .and_then(|f| f.exports.iter().find(|(n, _, _)| n == root))
            .and_then(|(_, r, _)| match r {
                Ref::Name(_, l) => Some(l.clone()),
                _ => None,
            })
            .unwrap_or_else(|| root.to_string());
        match rest {
            Some(r) => format!("{local}.{r}"),
            None => local,
        }
    }
}
