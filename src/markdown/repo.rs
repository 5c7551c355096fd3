//! The repository as the caller describes it: file list, derived directories,
//! case-insensitive lookup and a small `.gitignore` matcher.

use std::collections::{HashMap, HashSet};

/// Outcome of normalising a relative path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Resolved {
    /// A repo-relative path (`""` is the root).
    Inside(String),
    /// The path climbs above the repository root.
    Outside,
}

/// How a path exists in the repository.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Exists {
    File,
    Dir,
    /// Only a different-case spelling exists (returned spelling).
    CaseMismatch(String),
    No,
}

/// Index over the caller's file list.
#[derive(Debug, Default)]
pub(super) struct RepoIndex {
    files: HashSet<String>,
    dirs: HashSet<String>,
    lower: HashMap<String, String>,
    basenames: HashMap<String, Vec<String>>,
    top_dirs: HashSet<String>,
    ignores: Vec<IgnoreRule>,
}

#[derive(Debug)]
struct IgnoreRule {
    /// Directory of the `.gitignore` (repo-relative, `""` for root).
    base: String,
    pattern: String,
    anchored: bool,
}

impl RepoIndex {
    /// Builds the index; `read` is used only for `.gitignore` files in the list.
    pub(super) fn new(files: &[String], read: &dyn Fn(&str) -> Option<Vec<u8>>) -> Self {
        let mut idx = RepoIndex::default();
        for f in files {
            let f = f.trim_start_matches("./");
            if f.is_empty() {
                continue;
            }
            idx.files.insert(f.to_string());
            idx.lower
                .entry(f.to_lowercase())
                .or_insert_with(|| f.to_string());
            let base = f.rsplit('/').next().unwrap_or(f);
            idx.basenames
                .entry(base.to_string())
                .or_default()
                .push(f.to_string());
            let mut end = 0;
            while let Some(p) = f[end..].find('/') {
                let dir = &f[..end + p];
                if end == 0 {
                    idx.top_dirs.insert(dir.to_string());
                }
                if idx.dirs.insert(dir.to_string()) {
                    idx.lower
                        .entry(dir.to_lowercase())
                        .or_insert_with(|| dir.to_string());
                }
                end += p + 1;
            }
            if base == ".gitignore" {
                let dir = f
                    .strip_suffix(".gitignore")
                    .unwrap_or("")
                    .trim_end_matches('/');
                if let Some(bytes) = read(f) {
                    idx.add_gitignore(dir, &String::from_utf8_lossy(&bytes));
                }
            }
        }
        idx
    }

    fn add_gitignore(&mut self, base: &str, text: &str) {
        for line in text.lines().take(10_000) {
            let line = line.trim_end();
            if line.is_empty() || line.starts_with('#') || line.starts_with('!') {
                // Negations un-ignore; skipping them only makes us quieter.
                continue;
            }
            let line = line.strip_prefix('\\').unwrap_or(line);
            let p = line.trim_end_matches('/');
            let anchored = p.contains('/');
            let p = p.trim_start_matches('/');
            if p.is_empty() || p.len() > 512 || p.matches("**").count() > 3 {
                continue;
            }
            self.ignores.push(IgnoreRule {
                base: base.to_string(),
                pattern: p.to_string(),
                anchored,
            });
        }
    }

    /// Whether a repo-relative path exists, as a file or directory.
    pub(super) fn exists(&self, path: &str) -> Exists {
        let p = path.trim_end_matches('/');
        if p.is_empty() {
            return Exists::Dir;
        }
        if self.files.contains(p) && !path.ends_with('/') {
            return Exists::File;
        }
        if self.dirs.contains(p) {
            return Exists::Dir;
        }
        match self.lower.get(&p.to_lowercase()) {
            Some(real) => Exists::CaseMismatch(real.clone()),
            None => Exists::No,
        }
    }

    /// Whether `name` is a top-level directory of the repository.
    pub(super) fn is_top_dir(&self, name: &str) -> bool {
        self.top_dirs.contains(name)
    }

    /// Files anywhere in the repository whose base name is `name`.
    pub(super) fn by_basename(&self, name: &str) -> &[String] {
        self.basenames.get(name).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Whether any `.gitignore` in the list ignores `path` (or one of its parent directories).
    /// Directory-only rules (`dir/`) are treated as matching files too: quieter, never louder.
    pub(super) fn is_ignored(&self, path: &str) -> bool {
        let path = path.trim_end_matches('/');
        self.ignores.iter().any(|r| r.matches(path))
    }
}

impl IgnoreRule {
    fn matches(&self, path: &str) -> bool {
        let rel = if self.base.is_empty() {
            path
        } else {
            match path
                .strip_prefix(self.base.as_str())
                .and_then(|r| r.strip_prefix('/'))
            {
                Some(r) => r,
                None => return false,
            }
        };
        let comps: Vec<&str> = rel.split('/').collect();
        // Try the full path and every ancestor directory.
        for end in (1..=comps.len()).rev() {
            let prefix = comps[..end].join("/");
            let hit = if self.anchored {
                glob_match(self.pattern.as_bytes(), prefix.as_bytes())
            } else {
                comps
                    .get(end - 1)
                    .is_some_and(|last| glob_match(self.pattern.as_bytes(), last.as_bytes()))
            };
            if hit {
                return true;
            }
        }
        false
    }
}

/// Glob matcher for `.gitignore` patterns: `*` and `?` stay within a path component,
/// `**` crosses components, `[...]` is a simple class.
pub(super) fn glob_match(pat: &[u8], s: &[u8]) -> bool {
    glob_rec(pat, s, 0)
}

fn glob_rec(pat: &[u8], s: &[u8], depth: u32) -> bool {
    if depth > 32 {
        return false;
    }
    let (mut p, mut i) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while i < s.len() {
        match pat.get(p) {
            Some(b'*') if pat.get(p + 1) == Some(&b'*') => {
                let rest = &pat[p + 2..];
                // `**/` may match zero directories; `**` matches any sequence, `/` included.
                if let Some(r2) = rest.strip_prefix(b"/")
                    && glob_rec(r2, &s[i..], depth + 1)
                {
                    return true;
                }
                return (i..=s.len()).any(|k| glob_rec(rest, &s[k..], depth + 1));
            }
            Some(b'*') => {
                star = Some((p, i));
                p += 1;
                continue;
            }
            Some(b'?') if s[i] != b'/' => {
                p += 1;
                i += 1;
                continue;
            }
            Some(b'[') => {
                if let Some((ok, len)) = class_match(&pat[p..], s[i]) {
                    if ok {
                        p += len;
                        i += 1;
                        continue;
                    }
                } else if s[i] == b'[' {
                    p += 1;
                    i += 1;
                    continue;
                }
            }
            Some(&c) if c == s[i] && c != b'*' => {
                p += 1;
                i += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, si)) if s[si] != b'/' => {
                star = Some((sp, si + 1));
                p = sp + 1;
                i = si + 1;
            }
            _ => return false,
        }
    }
    pat[p..].iter().all(|&c| c == b'*')
}

/// Matches a `[...]` class at the start of `pat` against `c`; returns (matched, class length).
fn class_match(pat: &[u8], c: u8) -> Option<(bool, usize)> {
    let end = pat.iter().skip(2).position(|&b| b == b']')? + 2;
    let body = pat.get(1..end)?;
    let (neg, body) = match body.first() {
        Some(b'!') | Some(b'^') => (true, &body[1..]),
        _ => (false, body),
    };
    let mut hit = false;
    let mut k = 0;
    while k < body.len() {
        if k + 2 < body.len() && body[k + 1] == b'-' {
            if body[k] <= c && c <= body[k + 2] {
                hit = true;
            }
            k += 3;
        } else {
            if body[k] == c {
                hit = true;
            }
            k += 1;
        }
    }
    Some((hit != neg, end + 1))
}

/// Normalises `rel` against directory `base` (both repo-relative, `/`-separated).
/// A leading `/` in `rel` means the repository root.
pub(super) fn resolve(base: &str, rel: &str) -> Resolved {
    let mut parts: Vec<&str> = Vec::new();
    let rel_trimmed = if let Some(r) = rel.strip_prefix('/') {
        r
    } else {
        parts.extend(base.split('/').filter(|s| !s.is_empty()));
        rel
    };
    for seg in rel_trimmed.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                if parts.pop().is_none() {
                    return Resolved::Outside;
                }
            }
            s => parts.push(s),
        }
    }
    let mut out = parts.join("/");
    if rel.ends_with('/') && !out.is_empty() {
        out.push('/');
    }
    Resolved::Inside(out)
}

/// Directory part of a repo-relative file path (`""` for root files).
pub(super) fn dir_of(path: &str) -> &str {
    match path.rfind('/') {
        Some(i) => &path[..i],
        None => "",
    }
}

/// Percent-decodes `s`; returns `s` unchanged if the result is not UTF-8.
pub(super) fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_string();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && let (Some(h), Some(l)) = (
                b.get(i + 1).and_then(|c| (*c as char).to_digit(16)),
                b.get(i + 2).and_then(|c| (*c as char).to_digit(16)),
            )
        {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_string())
}
