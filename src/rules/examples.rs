//! Runs every rule's `examples.match` / `examples.no_match`.

use super::Ruleset;

/// An example whose outcome was not the expected one.
#[derive(Debug, Clone)]
pub struct ExampleFailure {
    /// Rule id.
    pub rule: String,
    /// Pack file and line of the rule.
    pub origin: String,
    /// `match` or `no_match`.
    pub kind: &'static str,
    /// 0-based index in the list.
    pub index: usize,
    /// The example's path, if any.
    pub path: Option<String>,
}

/// Whether rule `i` flags `text` (at `path`), through the keyword prefilter as in a scan.
fn flags(rules: &Ruleset, i: usize, text: &str, path: Option<&str>) -> bool {
    let rule = &rules.rules[i];
    if let Some(p) = path
        && !rule.applies_to(p)
    {
        return false;
    }
    !rules.candidates(&[i], text.as_bytes()).is_empty() && !rule.find(text.as_bytes()).is_empty()
}

/// Checks all examples of all rules; returns (examples run, failures).
pub fn test_examples(rules: &Ruleset) -> (usize, Vec<ExampleFailure>) {
    let mut run = 0;
    let mut failures = Vec::new();
    for (i, rule) in rules.rules.iter().enumerate() {
        let s = &rule.spec;
        let cases = s
            .examples_match
            .iter()
            .map(|e| ("match", true, e))
            .chain(s.examples_no_match.iter().map(|e| ("no_match", false, e)));
        let mut counters = [0usize; 2];
        for (kind, expect, ex) in cases {
            let index = counters[usize::from(expect)];
            counters[usize::from(expect)] += 1;
            run += 1;
            if flags(rules, i, &ex.text, ex.path.as_deref()) != expect {
                failures.push(ExampleFailure {
                    rule: s.id.clone(),
                    origin: format!("{}:{}", s.origin, s.line),
                    kind,
                    index,
                    path: ex.path.clone(),
                });
            }
        }
    }
    (run, failures)
}
