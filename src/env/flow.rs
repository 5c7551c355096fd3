//! Reads through config modules: the JS/TS dataflow of `crate::js::env_reads`
//! (env objects built from `process.env`, exported and imported; instances
//! of env classes; zod/envalid/t3/class-validator schema keys), merged into
//! the regex references so each read is counted once.

use super::refs::Ref;
use std::collections::HashSet;

/// Whether the dataflow reads `path` (JS/TS family, not declarations).
pub fn is_js(path: &str) -> bool {
    const EXTS: &[&str] = &[".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts"];
    EXTS.iter().any(|e| path.ends_with(e)) && !path.ends_with(".d.ts")
}

/// The reads of `files` the regexes did not find (`refs`), as references.
pub fn extra_refs(
    files: &[String],
    read: &dyn Fn(&str) -> Option<Vec<u8>>,
    refs: &[Ref],
) -> Vec<Ref> {
    let mut files: Vec<String> = files.iter().filter(|f| is_js(f)).cloned().collect();
    if files.is_empty() {
        return Vec::new();
    }
    files.sort();
    files.dedup();
    let flow = crate::js::env_reads(&files, read);
    let known: HashSet<(&str, usize, usize)> = refs
        .iter()
        .map(|r| (r.path.as_str(), r.line, r.column))
        .collect();
    let known_lines: HashSet<(&str, usize)> = refs
        .iter()
        .filter(|r| r.dynamic)
        .map(|r| (r.path.as_str(), r.line))
        .collect();
    let mut out: Vec<Ref> = flow
        .reads
        .into_iter()
        .filter(|r| !known.contains(&(r.path.as_str(), r.line, r.column)))
        .map(|r| Ref {
            name: r.name,
            path: r.path,
            line: r.line,
            column: r.column,
            dynamic: false,
        })
        .collect();
    out.extend(
        flow.dynamic
            .into_iter()
            .filter(|(p, l, _)| !known_lines.contains(&(p.as_str(), *l)))
            .map(|(path, line, column)| Ref {
                name: String::new(),
                path,
                line,
                column,
                dynamic: true,
            }),
    );
    out
}
