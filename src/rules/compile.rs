//! Compiling rule specs into a matcher: regexes, path globs and a keyword prefilter.

use super::pack::{RuleSpec, Scope};
use crate::model::Severity;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use globset::{Glob, GlobBuilder, GlobSet, GlobSetBuilder};
use regex::bytes::{Regex, RegexBuilder};
use std::ops::Range;

/// Builds one glob with shipgate's conventions: `/` separated, `*` does not
/// cross directories, and a pattern without `/` matches the file name anywhere.
pub fn glob(pattern: &str) -> Result<Glob, globset::Error> {
    let p = pattern.trim_start_matches("./");
    let dir = p.ends_with('/');
    let p = p.trim_end_matches('/');
    // gitignore-like: a pattern with a `/` (other than a trailing one) is anchored at the root.
    let mut p = if p.contains('/') {
        p.trim_start_matches('/').to_string()
    } else {
        format!("**/{p}")
    };
    // `dir/` means everything under dir.
    if dir {
        p.push_str("/**");
    }
    GlobBuilder::new(&p).literal_separator(true).build()
}

/// Builds a set from patterns already validated by the loaders.
pub fn glob_set(patterns: &[String]) -> Result<GlobSet, globset::Error> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        b.add(glob(p)?);
    }
    b.build()
}

/// Include/exclude globs naming a set of files.
#[derive(Debug, Clone)]
pub struct PathFilter {
    include: Vec<GlobSet>,
    exclude: GlobSet,
}

impl PathFilter {
    /// A file passes when it matches every non-empty include set and no exclude.
    pub fn matches(&self, path: &str) -> bool {
        self.include.iter().all(|g| g.is_match(path)) && !self.exclude.is_match(path)
    }
}

/// The file sets rules are scoped to; from `[scan.production]` and `[scan.tests]`.
#[derive(Debug, Clone)]
pub struct ScopeGlobs {
    /// Production source include globs.
    pub production_include: Vec<String>,
    /// Test/dev paths excluded from production source.
    pub production_exclude: Vec<String>,
    /// Test file globs.
    pub tests: Vec<String>,
}

/// Per-rule overrides from the config.
pub trait RuleOverrides {
    /// Whether the rule is disabled.
    fn disabled(&self, id: &str) -> bool;
    /// A severity override.
    fn severity(&self, id: &str) -> Option<Severity>;
}

/// No overrides (examples, `rules test`).
pub struct NoOverrides;

impl RuleOverrides for NoOverrides {
    fn disabled(&self, _: &str) -> bool {
        false
    }
    fn severity(&self, _: &str) -> Option<Severity> {
        None
    }
}

/// A rule ready to run.
#[derive(Debug, Clone)]
pub struct CompiledRule {
    /// The validated spec.
    pub spec: RuleSpec,
    /// Effective severity.
    pub severity: Severity,
    regex: Regex,
    /// The pattern has a group named `m`: its range is what gets reported.
    focus: bool,
    allow: Vec<Regex>,
    filter: PathFilter,
}

impl CompiledRule {
    /// Whether the rule looks at `path` (repo-relative, `/` separated).
    pub fn applies_to(&self, path: &str) -> bool {
        self.filter.matches(path)
    }

    /// Matches in `text`, minus those an `allow` regex cancels (against the match or its line).
    pub fn find(&self, text: &[u8]) -> Vec<Range<usize>> {
        let mut out = Vec::new();
        for m in self.regex.find_iter(text) {
            let mut range = m.range();
            if self.focus
                && let Some(g) = self
                    .regex
                    .captures_at(text, m.start())
                    .and_then(|c| c.name("m").map(|g| g.range()))
            {
                range = g;
            }
            if range.is_empty() {
                continue;
            }
            if !self.allow.is_empty() {
                let line = line_around(text, range.start);
                let matched = &text[range.clone()];
                if self
                    .allow
                    .iter()
                    .any(|a| a.is_match(matched) || a.is_match(line))
                {
                    continue;
                }
            }
            out.push(range);
        }
        out
    }
}

/// The bytes of the line containing `offset`, without its terminator.
pub fn line_around(text: &[u8], offset: usize) -> &[u8] {
    let start = memchr::memrchr(b'\n', &text[..offset]).map_or(0, |i| i + 1);
    let end = memchr::memchr(b'\n', &text[offset..]).map_or(text.len(), |i| offset + i);
    let end = if end > start && text[end - 1] == b'\r' {
        end - 1
    } else {
        end
    };
    &text[start..end]
}

fn build_regex(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .unicode(false)
        .size_limit(64 << 20)
        .dfa_size_limit(64 << 20)
        .build()
}

/// All enabled rules plus the shared keyword prefilter.
#[derive(Debug, Clone)]
pub struct Ruleset {
    /// Rules in load order.
    pub rules: Vec<CompiledRule>,
    prefilter: Option<AhoCorasick>,
    /// For each prefilter pattern, the rules it enables.
    keyword_rules: Vec<Vec<usize>>,
    /// Rules without keywords: always searched.
    always: Vec<usize>,
}

impl Ruleset {
    /// Compiles specs; a spec that fails here was not validated by the loader.
    pub fn compile(
        specs: Vec<RuleSpec>,
        scopes: &ScopeGlobs,
        overrides: &dyn RuleOverrides,
    ) -> Result<Self, String> {
        let prod_include = glob_set(&scopes.production_include).map_err(|e| e.to_string())?;
        let prod_exclude = &scopes.production_exclude;
        let tests = glob_set(&scopes.tests).map_err(|e| e.to_string())?;
        let mut rules = Vec::new();
        for spec in specs {
            if overrides.disabled(&spec.id) {
                continue;
            }
            let err = |e: &dyn std::fmt::Display| format!("{} ({}): {e}", spec.id, spec.origin);
            let regex = build_regex(&spec.pattern).map_err(|e| err(&e))?;
            let allow = spec
                .allow
                .iter()
                .map(|a| build_regex(a))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| err(&e))?;
            let mut include = Vec::new();
            let mut exclude: Vec<String> = spec.exclude_paths.clone();
            match spec.scope {
                Scope::All => {}
                Scope::Production => {
                    include.push(prod_include.clone());
                    exclude.extend(prod_exclude.iter().cloned());
                }
                Scope::Tests => include.push(tests.clone()),
            }
            if !spec.paths.is_empty() {
                include.push(glob_set(&spec.paths).map_err(|e| err(&e))?);
            }
            let filter = PathFilter {
                include,
                exclude: glob_set(&exclude).map_err(|e| err(&e))?,
            };
            let severity = overrides.severity(&spec.id).unwrap_or(spec.severity);
            let focus = regex.capture_names().any(|n| n == Some("m"));
            rules.push(CompiledRule {
                spec,
                severity,
                focus,
                regex,
                allow,
                filter,
            });
        }
        let mut keywords: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (i, r) in rules.iter().enumerate() {
            if r.spec.keywords.is_empty() {
                always.push(i);
            }
            for k in &r.spec.keywords {
                let k = k.to_ascii_lowercase();
                match keywords.iter().position(|x| *x == k) {
                    Some(p) => keyword_rules[p].push(i),
                    None => {
                        keywords.push(k);
                        keyword_rules.push(vec![i]);
                    }
                }
            }
        }
        let prefilter = if keywords.is_empty() {
            None
        } else {
            Some(
                AhoCorasickBuilder::new()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    .build(&keywords)
                    .map_err(|e| e.to_string())?,
            )
        };
        Ok(Ruleset {
            rules,
            prefilter,
            keyword_rules,
            always,
        })
    }

    /// Looks a rule up by id.
    pub fn get(&self, id: &str) -> Option<&CompiledRule> {
        self.rules.iter().find(|r| r.spec.id == id)
    }

    /// Indexes of the rules that apply to `path`.
    pub fn applicable(&self, path: &str) -> Vec<usize> {
        (0..self.rules.len())
            .filter(|&i| self.rules[i].applies_to(path))
            .collect()
    }

    /// Of `applicable`, the rules whose keywords occur in `text` (or that have none).
    pub fn candidates(&self, applicable: &[usize], text: &[u8]) -> Vec<usize> {
        let mut wanted = vec![false; self.rules.len()];
        let mut remaining = 0usize;
        for &i in applicable {
            wanted[i] = true;
            remaining += 1;
        }
        let mut hit = vec![false; self.rules.len()];
        for &i in &self.always {
            if wanted[i] && !hit[i] {
                hit[i] = true;
                remaining -= 1;
            }
        }
        if remaining > 0
            && let Some(ac) = &self.prefilter
        {
            for m in ac.find_overlapping_iter(text) {
                for &i in &self.keyword_rules[m.pattern().as_usize()] {
                    if wanted[i] && !hit[i] {
                        hit[i] = true;
                        remaining -= 1;
                    }
                }
                if remaining == 0 {
                    break;
                }
            }
        }
        applicable.iter().copied().filter(|&i| hit[i]).collect()
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
    fn line_around_finds_the_line() {
        let t = b"one\r\ntwo three\nfour";
        assert_eq!(line_around(t, 6), b"two three");
        assert_eq!(line_around(t, 0), b"one");
        assert_eq!(line_around(t, 17), b"four");
    }
}
