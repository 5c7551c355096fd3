//! Compiling rule specs into a matcher: regexes, path globs and a keyword prefilter.

use super::pack::{RuleSpec, Scope};
use crate::glob::glob_set;
use crate::model::Severity;
use globset::GlobSet;
use regex::bytes::{Regex, RegexBuilder};
use regex_automata::Input;
use regex_automata::meta::Regex as MetaRegex;
use std::collections::HashMap;
use std::ops::Range;
use std::sync::{Arc, RwLock};

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
#[derive(Debug)]
pub struct CompiledRule {
    /// The validated spec.
    pub spec: RuleSpec,
    /// Effective severity.
    pub severity: Severity,
    regex: Regex,
    /// The pattern has a group named `m`: its range is what gets reported.
    focus: bool,
    allow: Vec<Regex>,
    context: Option<Regex>,
    not_context: Vec<Regex>,
    filter: PathFilter,
}

/// How far back the statement before a match is looked at.
const CONTEXT_WINDOW: usize = 2048;

/// The text before `start` in its statement: back to the last `;` (or the
/// window's edge), so a multi-line call or array reads as one.
pub fn statement_prefix(text: &[u8], start: usize) -> &[u8] {
    let from = start.saturating_sub(CONTEXT_WINDOW);
    let window = &text[from..start];
    let cut = memchr::memrchr(b';', window).map_or(0, |i| i + 1);
    &window[cut..]
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
            if self.context.is_some() || !self.not_context.is_empty() {
                let prefix = statement_prefix(text, range.start);
                if self.context.as_ref().is_some_and(|c| !c.is_match(prefix))
                    || self.not_context.iter().any(|c| c.is_match(prefix))
                {
                    continue;
                }
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

/// A keyword automaton for one set of applicable rules.
#[derive(Debug)]
struct Prefilter {
    /// All keywords as one case-insensitive multi-pattern regex (literal
    /// prefilters such as Teddy apply to it).
    automaton: Option<MetaRegex>,
    /// For each automaton pattern, the rules it enables.
    keyword_rules: Vec<Vec<usize>>,
    /// Rules without keywords: always searched.
    always: Vec<usize>,
}

impl Prefilter {
    fn build(rules: &[CompiledRule], applicable: &[usize]) -> Result<Self, String> {
        // (keyword, case-insensitive) -> rules
        let mut keywords: Vec<(String, bool)> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for &i in applicable {
            let r = &rules[i];
            if r.spec.keywords.is_empty() {
                always.push(i);
            }
            let ci = r.spec.keywords_case_insensitive();
            for k in &r.spec.keywords {
                let key = (
                    if ci {
                        k.to_ascii_lowercase()
                    } else {
                        k.clone()
                    },
                    ci,
                );
                match keywords.iter().position(|x| *x == key) {
                    Some(p) => keyword_rules[p].push(i),
                    None => {
                        keywords.push(key);
                        keyword_rules.push(vec![i]);
                    }
                }
            }
        }
        // The search reports, at each start, only the longest keyword; every
        // keyword that may be a prefix of it also occurs there, so it enables
        // their rules too (compared case-insensitively: a superset is safe).
        // Together with restarting one byte after each match start, this finds
        // every rule whose keyword occurs anywhere.
        let merged: Vec<Vec<usize>> = keywords
            .iter()
            .map(|(k, _)| {
                let k = k.to_ascii_lowercase();
                let mut rs = Vec::new();
                for (j, (other, _)) in keywords.iter().enumerate() {
                    if k.starts_with(&other.to_ascii_lowercase()) {
                        for &r in &keyword_rules[j] {
                            if !rs.contains(&r) {
                                rs.push(r);
                            }
                        }
                    }
                }
                rs
            })
            .collect();
        // Longest first, so that at one start position the longest keyword wins.
        let mut order: Vec<usize> = (0..keywords.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(keywords[i].0.len()));
        let keyword_rules: Vec<Vec<usize>> = order.iter().map(|&i| merged[i].clone()).collect();
        let patterns: Vec<String> = order
            .iter()
            .map(|&i| {
                let (k, ci) = &keywords[i];
                if *ci {
                    format!("(?i:{})", regex_syntax::escape(k))
                } else {
                    regex_syntax::escape(k)
                }
            })
            .collect();
        let automaton = if patterns.is_empty() {
            None
        } else {
            Some(
                MetaRegex::builder()
                    .syntax(
                        regex_automata::util::syntax::Config::new()
                            .unicode(false)
                            .utf8(false),
                    )
                    .configure(
                        MetaRegex::config().match_kind(regex_automata::MatchKind::LeftmostFirst),
                    )
                    .build_many(&patterns)
                    .map_err(|e| e.to_string())?,
            )
        };
        Ok(Prefilter {
            automaton,
            keyword_rules,
            always,
        })
    }

    /// Of `applicable` (the set this prefilter was built for), the rules to search `text` with.
    fn candidates(&self, applicable: &[usize], text: &[u8]) -> Vec<usize> {
        let mut hit: Vec<usize> = self.always.clone();
        if hit.len() < applicable.len()
            && let Some(ac) = &self.automaton
        {
            let mut at = 0;
            while at < text.len() {
                let Some(m) = ac.search(&Input::new(text).span(at..text.len())) else {
                    break;
                };
                for &i in &self.keyword_rules[m.pattern().as_usize()] {
                    if !hit.contains(&i) {
                        hit.push(i);
                    }
                }
                if hit.len() == applicable.len() {
                    break;
                }
                at = m.start() + 1;
            }
        }
        hit.sort_unstable();
        hit
    }
}

/// All enabled rules, with keyword prefilters built per set of applicable rules
/// (files of one kind share one automaton holding only their rules' keywords).
#[derive(Debug)]
pub struct Ruleset {
    /// Rules in load order.
    pub rules: Vec<CompiledRule>,
    prefilters: RwLock<HashMap<Vec<usize>, Arc<Prefilter>>>,
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
            let context = spec
                .context
                .as_deref()
                .map(build_regex)
                .transpose()
                .map_err(|e| err(&e))?;
            let not_context = spec
                .not_context
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
                context,
                not_context,
                filter,
            });
        }
        // Validate every keyword set up front so that matching cannot fail later.
        let all: Vec<usize> = (0..rules.len()).collect();
        let full = Prefilter::build(&rules, &all)?;
        let mut cache = HashMap::new();
        cache.insert(all, Arc::new(full));
        Ok(Ruleset {
            rules,
            prefilters: RwLock::new(cache),
        })
    }

    /// The secret rules' patterns, for the redaction policy.
    pub fn secret_patterns(&self) -> Vec<Regex> {
        self.rules
            .iter()
            .filter(|r| r.spec.secret)
            .map(|r| r.regex.clone())
            .collect()
    }

    /// Indexes of the rules that apply to `path`.
    pub fn applicable(&self, path: &str) -> Vec<usize> {
        (0..self.rules.len())
            .filter(|&i| self.rules[i].applies_to(path))
            .collect()
    }

    fn prefilter(&self, applicable: &[usize]) -> Option<Arc<Prefilter>> {
        if let Ok(cache) = self.prefilters.read()
            && let Some(p) = cache.get(applicable)
        {
            return Some(p.clone());
        }
        // Keywords were validated when the full set was built.
        let p = Arc::new(Prefilter::build(&self.rules, applicable).ok()?);
        if let Ok(mut cache) = self.prefilters.write() {
            cache.insert(applicable.to_vec(), p.clone());
        }
        Some(p)
    }

    /// Of `applicable`, the rules whose keywords occur in `text` (or that have none).
    pub fn candidates(&self, applicable: &[usize], text: &[u8]) -> Vec<usize> {
        match self.prefilter(applicable) {
            Some(p) => p.candidates(applicable, text),
            // Unreachable in practice; searching everything is slower but correct.
            None => applicable.to_vec(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_around_finds_the_line() {
        let t = b"one\r\ntwo three\nfour";
        assert_eq!(line_around(t, 6), b"two three");
        assert_eq!(line_around(t, 0), b"one");
        assert_eq!(line_around(t, 17), b"four");
    }
}
