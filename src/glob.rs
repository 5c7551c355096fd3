//! Globs with shipgate's conventions, and the two simple name patterns
//! (env names with `*`, GitHub branch patterns).

use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};

/// Builds one path glob: `/` separated, `*` does not cross directories, a
/// pattern without `/` matches the file name anywhere, `dir/` means everything
/// under `dir` (gitignore-like anchoring for patterns with a `/`).
pub fn glob(pattern: &str) -> Result<Glob, globset::Error> {
    let p = pattern.trim_start_matches("./");
    let dir = p.ends_with('/');
    let p = p.trim_end_matches('/');
    let mut p = if p.contains('/') {
        p.trim_start_matches('/').to_string()
    } else {
        format!("**/{p}")
    };
    if dir {
        p.push_str("/**");
    }
    GlobBuilder::new(&p).literal_separator(true).build()
}

/// A set of [`glob`]s.
pub fn glob_set(patterns: &[String]) -> Result<GlobSet, globset::Error> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(glob(p)?);
    }
    b.build()
}

/// A set from string literals (the built-in defaults).
pub fn glob_set_of(patterns: &[&str]) -> Result<GlobSet, globset::Error> {
    let owned: Vec<String> = patterns.iter().map(|s| s.to_string()).collect();
    glob_set(&owned)
}

/// `name` against a pattern where `*` stands for any run of characters
/// (environment variable names, repository names).
pub fn name_matches(pattern: &str, name: &str) -> bool {
    wildcard(pattern.as_bytes(), name.as_bytes(), true)
}

/// A GitHub branch-protection pattern (fnmatch): `*` does not cross `/`,
/// `**` does; `release/*` matches `release/1.0`, not `release/a/b`.
pub fn branch_matches(pattern: &str, branch: &str) -> bool {
    let p = pattern.replace("**", "\u{0}");
    wildcard_branch(p.as_bytes(), branch.as_bytes())
}

fn wildcard(p: &[u8], n: &[u8], star_crosses_slash: bool) -> bool {
    // Iterative matcher with one backtrack point: linear-ish, never exponential.
    let (mut pi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        match p.get(pi) {
            Some(b'*') => {
                star = Some((pi, ni));
                pi += 1;
            }
            Some(&c) if c == n[ni] => {
                pi += 1;
                ni += 1;
            }
            _ => match star {
                Some((sp, sn)) if star_crosses_slash || n[sn] != b'/' => {
                    pi = sp + 1;
                    ni = sn + 1;
                    star = Some((sp, sn + 1));
                }
                _ => return false,
            },
        }
    }
    p[pi.min(p.len())..].iter().all(|&c| c == b'*')
}

fn wildcard_branch(p: &[u8], n: &[u8]) -> bool {
    // `\0` stands for `**` (crosses `/`); `*` does not.
    match p.split_first() {
        None => n.is_empty(),
        Some((0, rest)) => (0..=n.len()).any(|i| wildcard_branch(rest, &n[i..])),
        Some((b'*', rest)) => {
            let limit = n.iter().position(|&b| b == b'/').unwrap_or(n.len());
            (0..=limit).any(|i| wildcard_branch(rest, &n[i..]))
        }
        Some((c, rest)) => n.first() == Some(c) && wildcard_branch(rest, &n[1..]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_conventions() {
        let g = glob("*.md").unwrap().compile_matcher();
        assert!(g.is_match("docs/a/b.md"));
        let g = glob("src/*.ts").unwrap().compile_matcher();
        assert!(g.is_match("src/a.ts"));
        assert!(!g.is_match("src/x/a.ts"));
        let g = glob("fixtures/").unwrap().compile_matcher();
        assert!(g.is_match("fixtures/a/b.js"));
        assert!(g.is_match("test/fixtures/a/b.js"));
        let g = glob("supabase/functions/").unwrap().compile_matcher();
        assert!(g.is_match("supabase/functions/x/index.ts"));
        assert!(!g.is_match("apps/supabase/functions/x/index.ts"));
        let g = glob("**/test/**").unwrap().compile_matcher();
        assert!(g.is_match("test/a.js"));
        assert!(g.is_match("pkg/test/a.js"));
    }

    #[test]
    fn name_and_branch_patterns() {
        assert!(name_matches("GITHUB_*", "GITHUB_SHA"));
        assert!(!name_matches("GITHUB_*", "MY_GITHUB_SHA"));
        assert!(name_matches("*_BYPASS*", "ALLOW_X_BYPASS_ON"));
        assert!(name_matches("a*b*c", "aXXbYYc"));
        assert!(!name_matches("a*b*c", "aXXbYY"));
        assert!(name_matches("*", ""));
        assert!(branch_matches("release/*", "release/1.0"));
        assert!(!branch_matches("release/*", "release/a/b"));
        assert!(branch_matches("release/**", "release/a/b"));
        assert!(branch_matches("main", "main"));
        assert!(!branch_matches("main", "main2"));
        // Long inputs stay fast (no exponential backtracking).
        let long = "a".repeat(200);
        assert!(!name_matches("*a*a*a*a*a*a*a*a*b", &long));
    }
}
