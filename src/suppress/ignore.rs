//! Config ignores: `[[ignore]]` (any stage) and `[[scan.ignore]]` (the same, kept
//! for existing configs). A reason is required; `expires` stops an entry.

use crate::date::Date;
use crate::model::{Finding, rule_matches};
use crate::toml_doc::{Doc, Tbl};
use globset::GlobMatcher;

/// One ignore entry.
#[derive(Debug, Clone)]
pub struct Ignore {
    /// Rule id, or `pack/*`.
    pub rule: Option<String>,
    /// Path glob.
    pub path: Option<String>,
    /// Exact fingerprint.
    pub fingerprint: Option<String>,
    /// Required reason.
    pub reason: String,
    /// Stops suppressing after this day.
    pub expires: Option<Date>,
    /// Line of the entry in the config.
    pub line: usize,
}

impl Ignore {
    /// What the entry names, for messages.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(r) = &self.rule {
            parts.push(format!("rule `{r}`"));
        }
        if let Some(p) = &self.path {
            parts.push(format!("path `{p}`"));
        }
        if let Some(f) = &self.fingerprint {
            parts.push(format!("fingerprint `{f}`"));
        }
        parts.join(", ")
    }

    /// Whether the entry is past its expiry on `today`.
    pub fn expired(&self, today: Date) -> bool {
        self.expires.is_some_and(|d| d < today)
    }

    /// A compiled path matcher (validated when parsed).
    pub fn matcher(&self) -> Option<GlobMatcher> {
        self.path
            .as_ref()
            .and_then(|p| crate::glob::glob(p).ok())
            .map(|g| g.compile_matcher())
    }

    /// Whether the entry names `f` (ignoring expiry).
    pub fn matches(&self, glob: Option<&GlobMatcher>, f: &Finding) -> bool {
        self.rule.as_ref().is_none_or(|r| rule_matches(r, &f.rule))
            && self
                .fingerprint
                .as_ref()
                .is_none_or(|fp| *fp == f.fingerprint.0)
            && glob.is_none_or(|g| f.location.path().is_some_and(|p| g.is_match(p)))
    }
}

/// Takes the `ignore` array of tables from `t` (`context` names it in errors).
pub fn parse_ignores(doc: &mut Doc, t: &mut Tbl, context: &str) -> Vec<Ignore> {
    let mut out = Vec::new();
    for mut e in t.tables(doc, "ignore") {
        let start = e.span;
        let rule = e.string(doc, "rule");
        if let Some(r) = &rule {
            crate::scan::config::check_rule_ref(doc, r);
        }
        let path = e.string(doc, "path");
        if let Some(p) = &path
            && let Err(err) = crate::glob::glob(&p.value)
        {
            doc.error(p.span, format!("invalid glob `{}`: {err}", p.value));
        }
        let fingerprint = e.string(doc, "fingerprint");
        let reason = e.required_string(doc, "reason");
        if let Some(r) = &reason
            && r.value.trim().is_empty()
        {
            doc.error(r.span, "`reason` must say why the finding is acceptable");
        }
        let expires = e.string(doc, "expires").and_then(|x| {
            let d = Date::parse(&x.value);
            if d.is_none() {
                doc.error(
                    x.span,
                    format!(
                        "`expires` must be a date such as \"2026-12-31\", found `{}`",
                        x.value
                    ),
                );
            }
            d
        });
        if rule.is_none() && path.is_none() && fingerprint.is_none() {
            doc.error(
                start,
                "an ignore needs at least one of `rule`, `path` or `fingerprint`",
            );
        }
        e.finish(doc, context);
        if let Some(reason) = reason {
            out.push(Ignore {
                rule: rule.map(|r| r.value),
                path: path.map(|p| p.value),
                fingerprint: fingerprint.map(|f| f.value),
                reason: reason.value,
                expires,
                line: doc.line_of(start),
            });
        }
    }
    out
}
