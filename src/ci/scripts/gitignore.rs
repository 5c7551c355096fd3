//! `.gitignore` files and the minimal glob matching they need.

use super::parent_dir;

/// One `.gitignore` file: its directory and patterns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GitIgnore {
    /// Directory of the .gitignore ("" = root).
    pub dir: String,
    /// Non-negated patterns.
    pub patterns: Vec<String>,
    /// Negated patterns (`!x`).
    pub negated: Vec<String>,
}

/// Parse a `.gitignore` (path is repo-relative).
pub fn parse_gitignore(path: &str, text: &str) -> GitIgnore {
    let mut g = GitIgnore {
        dir: parent_dir(path),
        ..GitIgnore::default()
    };
    for l in text.lines() {
        let l = l.trim_end();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        match l.strip_prefix('!') {
            Some(n) => g.negated.push(n.to_string()),
            None => g.patterns.push(l.to_string()),
        }
    }
    g
}

impl GitIgnore {
    /// Whether repo-relative `path` (file or directory) is ignored by this file.
    pub fn ignores(&self, path: &str) -> bool {
        let rel = if self.dir.is_empty() {
            Some(path)
        } else {
            path.strip_prefix(self.dir.as_str())
                .and_then(|r| r.strip_prefix('/'))
        };
        let Some(rel) = rel else { return false };
        let hit = |pats: &[String]| pats.iter().any(|p| pattern_matches(p, rel));
        hit(&self.patterns) && !hit(&self.negated)
    }
}

/// Does a gitignore pattern match `rel` or one of its parent directories?
fn pattern_matches(pat: &str, rel: &str) -> bool {
    let dir_only = pat.ends_with('/');
    let p = pat.trim_end_matches('/');
    let p = p.strip_suffix("/**").unwrap_or(p);
    let anchored = p.starts_with('/') || p.trim_start_matches('/').contains('/');
    let p = p.trim_start_matches('/');
    let p = p.strip_prefix("**/").unwrap_or(p);
    let comps: Vec<&str> = rel.split('/').collect();
    let n = comps.len();
    for end in 1..=n {
        // A dir-only pattern must match a proper directory prefix.
        if dir_only && end == n {
            continue;
        }
        let prefix = comps.get(..end).unwrap_or(&[]).join("/");
        let ok = if anchored {
            glob(p, &prefix)
        } else {
            comps.get(end - 1).is_some_and(|c| glob(p, c))
        };
        if ok {
            return true;
        }
    }
    false
}

/// Minimal glob: `*` (not crossing `/`), `?`, literal otherwise. Iterative with backtracking.
pub fn glob(pat: &str, s: &str) -> bool {
    let p: Vec<char> = pat.chars().collect();
    let t: Vec<char> = s.chars().collect();
    let (mut pi, mut ti) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
                continue;
            }
            Some('?') if t.get(ti) != Some(&'/') => {
                pi += 1;
                ti += 1;
                continue;
            }
            Some(c) if Some(c) == t.get(ti) => {
                pi += 1;
                ti += 1;
                continue;
            }
            _ => {}
        }
        match star {
            Some((sp, st)) if t.get(st) != Some(&'/') => {
                pi = sp + 1;
                ti = st + 1;
                star = Some((sp, st + 1));
            }
            _ => return false,
        }
    }
    p.get(pi..).unwrap_or(&[]).iter().all(|c| *c == '*')
}
