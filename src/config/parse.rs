//! Parsing `shipgate.toml` into a [`Config`], collecting every located error.

use super::{Config, Date, IgnoreEntry, Located, ScanConfig};
use crate::diag::SourceError;
use crate::model::Severity;
use crate::toml_doc::{Doc, Tbl};
use std::path::PathBuf;
use toml_span::Spanned;

/// Parses config text; `display` names the file in errors.
pub fn parse_config(
    display: &str,
    path: Option<PathBuf>,
    text: &str,
) -> Result<Config, Vec<SourceError>> {
    let (mut doc, root) = Doc::parse(display, text).map_err(|e| vec![e])?;
    let mut config = Config {
        path,
        display: display.to_string(),
        ..Config::default()
    };
    if let Some(mut root) = doc.table(root, "the config") {
        if let Some(gate) = root.table(&mut doc, "gate") {
            config.gate = super::gate::parse_gate(&mut doc, gate);
        }
        if let Some(scan) = root.table(&mut doc, "scan") {
            config.scan = parse_scan(&mut doc, scan);
        }
        if let Some(env) = root.table(&mut doc, "env") {
            config.env = super::env::parse_env(&mut doc, env);
        }
        if let Some(protect) = root.table(&mut doc, "protect") {
            config.protect = super::protect::parse_protect(&mut doc, protect);
        }
        if let Some(smoke) = root.table(&mut doc, "smoke") {
            config.smoke = super::smoke::parse_smoke(&mut doc, smoke);
        }
        root.finish(&mut doc, "the config");
    }
    if doc.errors.is_empty() {
        Ok(config)
    } else {
        Err(doc.errors)
    }
}

fn located<T>(doc: &Doc, s: Spanned<T>) -> Located<T> {
    let e = doc.located(s.span, String::new());
    Located {
        value: s.value,
        line: e.line,
        column: e.column,
    }
}

fn severity(doc: &mut Doc, s: Option<Spanned<String>>) -> Option<Severity> {
    let s = s?;
    match s.value.parse::<Severity>() {
        Ok(v) => Some(v),
        Err(e) => {
            doc.error(s.span, e);
            None
        }
    }
}

fn globs(doc: &mut Doc, t: &mut Tbl, key: &'static str) -> Option<Vec<String>> {
    if !t.contains(key) {
        return None;
    }
    let list = t.strings(doc, key);
    for g in &list {
        if let Err(e) = crate::rules::compile::glob(&g.value) {
            doc.error(g.span, format!("invalid glob `{}`: {e}", g.value));
        }
    }
    Some(list.into_iter().map(|g| g.value).collect())
}

fn rule_ref_ok(doc: &mut Doc, s: &Spanned<String>) {
    let v = &s.value;
    let ok = v.split_once('/').is_some_and(|(a, b)| {
        !a.is_empty() && !b.is_empty() && !b.contains('/') && (b == "*" || !b.contains('*'))
    });
    if !ok {
        doc.error(
            s.span,
            format!("`{v}` is not a rule id; expected `pack/name` or `pack/*`"),
        );
    }
}

fn parse_size(doc: &mut Doc, t: &mut Tbl) -> Option<u64> {
    let v = t.take("max_file_size")?;
    if let Some(i) = v.as_integer() {
        if i > 0 {
            return Some(i as u64);
        }
    } else if let Some(s) = v.as_str() {
        let s = s.trim();
        let (num, mult) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
            None => (s, 1),
            Some((i, _)) => {
                let m = match s[i..].trim().to_ascii_uppercase().as_str() {
                    "B" => 1,
                    "K" | "KB" | "KIB" => 1 << 10,
                    "M" | "MB" | "MIB" => 1 << 20,
                    "G" | "GB" | "GIB" => 1 << 30,
                    _ => 0,
                };
                (&s[..i], m)
            }
        };
        if let Ok(n) = num.parse::<u64>()
            && n > 0
            && mult > 0
        {
            return Some(n * mult);
        }
    }
    doc.error(
        v.span,
        "`max_file_size` must be a positive number of bytes or a size such as \"10MB\"",
    );
    None
}

fn parse_scan(doc: &mut Doc, mut t: Tbl) -> ScanConfig {
    let mut scan = ScanConfig::default();
    if let Some(v) = globs(doc, &mut t, "include") {
        scan.include = v;
    }
    if let Some(v) = globs(doc, &mut t, "exclude") {
        scan.exclude = v;
    }
    scan.rule_dirs = t
        .strings(doc, "rule_dirs")
        .into_iter()
        .map(|s| located(doc, s))
        .collect();
    let disable = t.strings(doc, "disable");
    for d in &disable {
        rule_ref_ok(doc, d);
    }
    scan.disable = disable.into_iter().map(|s| located(doc, s)).collect();
    if let Some(mut sev) = t.table(doc, "severity") {
        for (key, mut value) in sev.drain() {
            rule_ref_ok(doc, &key);
            let span = value.span;
            let s = match value.take() {
                toml_span::value::ValueInner::String(s) => Some(Spanned {
                    value: s.into_owned(),
                    span,
                }),
                other => {
                    doc.error(
                        span,
                        format!("severity must be a string, found {}", other.type_str()),
                    );
                    None
                }
            };
            if let Some(level) = severity(doc, s) {
                scan.severity.push((located(doc, key), level));
            }
        }
        sev.finish(doc, "[scan.severity]");
    }
    if let Some(size) = parse_size(doc, &mut t) {
        scan.max_file_size = size;
    }
    if let Some(mut p) = t.table(doc, "production") {
        if let Some(v) = globs(doc, &mut p, "include") {
            scan.production_include = v;
        }
        if let Some(v) = globs(doc, &mut p, "exclude") {
            scan.production_exclude = v;
        }
        if let Some(v) = globs(doc, &mut p, "extra_exclude") {
            scan.production_exclude.extend(v);
        }
        p.finish(doc, "[scan.production]");
    }
    if let Some(mut p) = t.table(doc, "tests") {
        if let Some(v) = globs(doc, &mut p, "include") {
            scan.tests = v;
        }
        p.finish(doc, "[scan.tests]");
    }
    for mut e in t.tables(doc, "ignore") {
        let start = e.span;
        let rule = e.string(doc, "rule");
        if let Some(r) = &rule {
            rule_ref_ok(doc, r);
        }
        let path = e.string(doc, "path");
        if let Some(p) = &path
            && let Err(err) = crate::rules::compile::glob(&p.value)
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
        let expires = e
            .string(doc, "expires")
            .and_then(|x| match Date::parse(&x.value) {
                Some(d) => Some(d),
                None => {
                    doc.error(
                        x.span,
                        format!(
                            "`expires` must be a date such as \"2026-12-31\", found `{}`",
                            x.value
                        ),
                    );
                    None
                }
            });
        if rule.is_none() && path.is_none() && fingerprint.is_none() {
            doc.error(
                start,
                "an ignore needs at least one of `rule`, `path` or `fingerprint`",
            );
        }
        e.finish(doc, "[[scan.ignore]]");
        let line = doc.line_of(start);
        if let Some(reason) = reason {
            scan.ignore.push(IgnoreEntry {
                rule: rule.map(|r| r.value),
                path: path.map(|p| p.value),
                fingerprint: fingerprint.map(|f| f.value),
                reason: reason.value,
                expires,
                line,
            });
        }
    }
    t.finish(doc, "[scan]");
    scan
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_full_config() {
        let text = r#"
[gate]
fail_on = "warning"

[scan]
exclude = ["legacy/"]
disable = ["hygiene/*"]
max_file_size = "2MB"
[scan.severity]
"migrations/destructive-statement" = "error"
[scan.production]
extra_exclude = ["tools/"]

[[scan.ignore]]
rule = "localhost/hardcoded-url"
path = "src/dev/*.ts"
reason = "dev-only helpers"
expires = "2030-01-01"
"#;
        let c = parse_config("shipgate.toml", None, text).unwrap();
        assert_eq!(c.gate.fail_on, Some(Severity::Warning));
        assert_eq!(c.scan.exclude, vec!["legacy/"]);
        assert_eq!(c.scan.max_file_size, 2 << 20);
        assert_eq!(c.scan.severity[0].1, Severity::Error);
        assert!(c.scan.production_exclude.contains(&"tools/".to_string()));
        assert_eq!(c.scan.ignore.len(), 1);
        assert_eq!(c.scan.ignore[0].line, 14);
        use crate::rules::RuleOverrides;
        assert!(c.disabled("hygiene/debugger"));
        assert!(!c.disabled("secrets/github-token"));
    }

    #[test]
    fn collects_every_error_with_its_position() {
        let text = "[gate]\nfail_on = \"fatal\"\n\n[scan]\nexclud = []\nmax_file_size = -1\n\n[[scan.ignore]]\nrule = \"x/y\"\nexpires = \"tomorrow\"\n";
        let errs = parse_config("shipgate.toml", None, text).unwrap_err();
        let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("shipgate.toml:2:12: unknown severity `fatal`")),
            "{msgs:#?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("shipgate.toml:5:1: unknown key `exclud`")),
            "{msgs:#?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("shipgate.toml:6:17: `max_file_size`")),
            "{msgs:#?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.contains("missing required key `reason`")),
            "{msgs:#?}"
        );
        assert!(
            msgs.iter()
                .any(|m| m.starts_with("shipgate.toml:10:12: `expires`")),
            "{msgs:#?}"
        );
    }
}
