//! `[integrity]`: change policies and what the stage leaves out.

use crate::toml_doc::{Doc, Tbl};

/// One `[[integrity.require_change]]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequireChange {
    /// Globs of paths whose change triggers the policy.
    pub when: Vec<String>,
    /// Paths (or globs) of which at least one must change too.
    pub require: Vec<String>,
    /// Why (shown in the finding).
    pub reason: String,
    /// Line of the entry, and of each `require` value (for config errors).
    pub line: usize,
    /// (value, line, column) of each `require` entry.
    pub require_at: Vec<(String, usize, usize)>,
}

/// `[integrity]`.
#[derive(Debug, Clone, Default)]
pub struct IntegrityConfig {
    /// Change policies.
    pub require_change: Vec<RequireChange>,
    /// Paths (globs) the stage does not analyse (vendored docs, generated workflows).
    pub exclude: Vec<String>,
}

/// Parses `[integrity]`.
pub fn parse(doc: &mut Doc, mut t: Tbl) -> IntegrityConfig {
    let mut c = IntegrityConfig {
        exclude: doc.globs(&mut t, "exclude").unwrap_or_default(),
        ..IntegrityConfig::default()
    };
    for mut e in t.tables(doc, "require_change") {
        let line = doc.line_of(e.span);
        let when_present = e.contains("when");
        let when = doc.globs(&mut e, "when").unwrap_or_default();
        let require: Vec<_> = e.strings(doc, "require");
        let reason = e.required_string(doc, "reason");
        if !when_present || when.is_empty() {
            doc.error(
                e.span,
                "a change policy needs `when` (globs of the paths it watches)",
            );
        }
        if require.is_empty() {
            doc.error(
                e.span,
                "a change policy needs `require` (the files that must change too)",
            );
        }
        let require_at: Vec<(String, usize, usize)> = require
            .into_iter()
            .map(|r| {
                let l = doc.spot(r);
                (l.value, l.line, l.column)
            })
            .collect();
        e.finish(doc, "[[integrity.require_change]]");
        if let Some(reason) = reason {
            c.require_change.push(RequireChange {
                when,
                require: require_at.iter().map(|(v, _, _)| v.clone()).collect(),
                reason: reason.value,
                line,
                require_at,
            });
        }
    }
    t.finish(doc, "[integrity]");
    c
}
