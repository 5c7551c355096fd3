//! Inline suppressions: `shipgate:allow <rule-id>[, <rule-id>…] -- <reason>`.

use crate::model::rule_matches;

/// A parsed allow comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allow {
    /// Rule ids or `pack/*`.
    pub rules: Vec<String>,
    /// The reason after `--`; `None` when missing or empty.
    pub reason: Option<String>,
}

impl Allow {
    /// Whether the comment names `rule`.
    pub fn names(&self, rule: &str) -> bool {
        self.rules.iter().any(|r| rule_matches(r, rule))
    }
}

/// Parses the allow comment on a line, if any.
pub fn parse_allow(line: &str) -> Option<Allow> {
    let at = line.find("shipgate:allow")?;
    let rest = &line[at + "shipgate:allow".len()..];
    let (ids, reason) = match rest.split_once("--") {
        Some((ids, reason)) => (ids, Some(reason)),
        None => (rest, None),
    };
    let rules: Vec<String> = ids
        .split([' ', ',', '\t'])
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if rules.is_empty() {
        return None;
    }
    let reason = reason
        .map(|r| {
            // Drop comment terminators such as `*/`, `-->` or a closing quote.
            r.trim()
                .trim_end_matches("*/")
                .trim_end_matches("-->")
                .trim_end_matches(['"', '\'', '`', ','])
                .trim()
                .to_string()
        })
        .filter(|r| !r.is_empty());
    Some(Allow { rules, reason })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_allows() {
        let a =
            parse_allow("  // shipgate:allow localhost/hardcoded-url -- dev proxy only").unwrap();
        assert_eq!(a.rules, vec!["localhost/hardcoded-url"]);
        assert_eq!(a.reason.as_deref(), Some("dev proxy only"));
        assert!(a.names("localhost/hardcoded-url"));
        assert!(!a.names("localhost/env-fallback"));
        let a = parse_allow("/* shipgate:allow secrets/*, hygiene/debugger -- fixture */").unwrap();
        assert!(a.names("secrets/github-token"));
        assert!(a.names("hygiene/debugger"));
        assert_eq!(a.reason.as_deref(), Some("fixture"));
        let a = parse_allow("# shipgate:allow secrets/github-token").unwrap();
        assert_eq!(a.reason, None);
        let a = parse_allow("# shipgate:allow secrets/github-token --   ").unwrap();
        assert_eq!(a.reason, None);
        assert!(parse_allow("# shipgate:allow").is_none());
        assert!(parse_allow("nothing here").is_none());
    }
}
