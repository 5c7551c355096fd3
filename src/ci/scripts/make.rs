//! Makefile targets, following trivially-relative includes.

use std::collections::HashSet;

/// Targets of a Makefile (and its trivially-relative includes).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MakeTargets {
    /// Explicit target names.
    pub targets: HashSet<String>,
    /// Pattern rules (`%.o: %.c`, `%:`) as (prefix, suffix).
    pub patterns: Vec<(String, String)>,
    /// Some target names are computed (`$(X):`) or an include could not be followed.
    pub dynamic: bool,
}

impl MakeTargets {
    /// Whether `make target` has a rule, or `None` when it cannot be decided.
    pub fn has(&self, target: &str) -> Option<bool> {
        if self.targets.contains(target)
            || self.patterns.iter().any(|(p, s)| {
                target.len() >= p.len() + s.len()
                    && target.starts_with(p.as_str())
                    && target.ends_with(s.as_str())
            })
        {
            return Some(true);
        }
        if self.dynamic { None } else { Some(false) }
    }
}

/// Parse Makefile text. `read_include(path)` returns the text of an included file (already
/// resolved relative to the Makefile's directory) or `None`.
pub fn make_targets(
    text: &str,
    dir: &str,
    read_include: &dyn Fn(&str) -> Option<String>,
) -> MakeTargets {
    let mut out = MakeTargets::default();
    let mut seen = HashSet::new();
    collect_make(text, dir, read_include, &mut out, &mut seen, 0);
    out
}

/// Collect the rules of one Makefile text (`depth` counts include levels).
fn collect_make(
    text: &str,
    dir: &str,
    read_include: &dyn Fn(&str) -> Option<String>,
    out: &mut MakeTargets,
    seen: &mut HashSet<String>,
    depth: usize,
) {
    let mut in_define = false;
    let mut logical = String::new();
    for raw in text.lines() {
        if raw.starts_with('\t') && logical.is_empty() {
            continue; // recipe line
        }
        if let Some(stripped) = raw.strip_suffix('\\') {
            logical.push_str(stripped);
            logical.push(' ');
            continue;
        }
        logical.push_str(raw);
        let line = std::mem::take(&mut logical);
        let trimmed = line.trim_start();
        let first = trimmed.split_whitespace().next().unwrap_or("");
        if in_define {
            in_define = first != "endef";
            continue;
        }
        match first {
            "define" => {
                in_define = true;
                continue;
            }
            "include" | "-include" | "sinclude" => {
                make_include(trimmed, dir, read_include, out, seen, depth);
                continue;
            }
            "ifeq" | "ifneq" | "ifdef" | "ifndef" | "else" | "endif" | "unexport" | "override"
            | "vpath" => continue,
            "export" if !trimmed.contains(':') => continue,
            _ => {}
        }
        make_rule_line(&line, out);
    }
}

/// Follow an `include` line.
fn make_include(
    line: &str,
    dir: &str,
    read_include: &dyn Fn(&str) -> Option<String>,
    out: &mut MakeTargets,
    seen: &mut HashSet<String>,
    depth: usize,
) {
    let optional = line.starts_with('-') || line.starts_with("sinclude");
    for f in line.split_whitespace().skip(1) {
        let trivial = !f.contains(['$', '*', '?', '[']) && !f.starts_with('/');
        let path = trivial
            .then(|| super::super::shell::join_path(dir, f))
            .flatten();
        let Some(path) = path else {
            out.dynamic = true;
            continue;
        };
        if depth >= 8 || !seen.insert(path.clone()) {
            continue;
        }
        match read_include(&path) {
            Some(t) => collect_make(&t, dir, read_include, out, seen, depth + 1),
            None => {
                if !optional {
                    out.dynamic = true;
                }
            }
        }
    }
}

/// Record the targets of one logical rule line.
fn make_rule_line(line: &str, out: &mut MakeTargets) {
    let line = line.split('#').next().unwrap_or("");
    if line.trim().is_empty() || line.starts_with('\t') {
        return;
    }
    let Some(colon) = line.find(':') else { return };
    let head = line.get(..colon).unwrap_or("");
    let after = line.get(colon + 1..).unwrap_or("");
    // Variable assignments: `X = y`, `X := y`, `X ::= y`, `X ?= y`, `X += y`, `X != y`.
    if head.contains('=') || after.starts_with('=') || after.starts_with(":=") {
        return;
    }
    for t in head.split_whitespace() {
        if t.contains('$') {
            out.dynamic = true;
        } else if t.starts_with('.')
            && t.chars()
                .skip(1)
                .all(|c| c.is_ascii_uppercase() || c == '_')
        {
            // Special targets: .PHONY, .DEFAULT, .SUFFIXES …
        } else if let Some((p, s)) = t.split_once('%') {
            out.patterns.push((p.to_string(), s.to_string()));
        } else {
            out.targets.insert(t.to_string());
        }
    }
}
