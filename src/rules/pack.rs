//! Rule pack format (`rules/*.toml`): parsing and validation with located errors.

use crate::diag::SourceError;
use crate::model::Severity;
use crate::toml_doc::{Doc, Tbl, is_literal_string};
use regex::bytes::RegexBuilder;
use toml_span::{Span, Spanned};

/// Which files a rule looks at before its own `paths`/`exclude_paths`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// Every scanned file.
    All,
    /// Production source: `[scan.production]` include minus exclude.
    Production,
    /// Test files: `[scan.tests]`.
    Tests,
}

impl Scope {
    /// Name used in packs.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::All => "all",
            Scope::Production => "production",
            Scope::Tests => "tests",
        }
    }
}

/// One example from a rule's `examples`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Example {
    /// File content.
    pub text: String,
    /// Path the content is tested under; `None` tests the content alone, ignoring path filters.
    pub path: Option<String>,
}

/// A rule as written in a pack, validated.
#[derive(Debug, Clone)]
pub struct RuleSpec {
    /// `pack/name`.
    pub id: String,
    /// One line.
    pub title: String,
    /// Default severity.
    pub severity: Severity,
    /// Finding message; `{match}` is replaced by the (masked) match.
    pub message: String,
    /// How to fix.
    pub help: String,
    /// Rust regex, matched on bytes with ASCII classes unless `(?u)` is used.
    pub pattern: String,
    /// Literals; a file is searched with `pattern` only if one occurs. They match
    /// case-insensitively when the pattern does (`(?i`), as written otherwise.
    pub keywords: Vec<String>,
    /// Base file set.
    pub scope: Scope,
    /// Globs a file must match (any).
    pub paths: Vec<String>,
    /// Globs that exclude a file.
    pub exclude_paths: Vec<String>,
    /// Regexes that cancel a match when they match the matched text or its line.
    pub allow: Vec<String>,
    /// A match counts only when the text before it in its statement matches this.
    pub context: Option<String>,
    /// A match is cancelled when the text before it in its statement matches one of these.
    pub not_context: Vec<String>,
    /// Mask the match in every output.
    pub secret: bool,
    /// Texts the rule must flag.
    pub examples_match: Vec<Example>,
    /// Texts the rule must not flag.
    pub examples_no_match: Vec<Example>,
    /// Pack file the rule comes from.
    pub origin: String,
    /// Line of the rule's `id` in the pack.
    pub line: usize,
}

impl RuleSpec {
    /// Keywords are matched case-insensitively when the rule's pattern uses
    /// `(?i`, and as written otherwise (which keeps the literal prefilter on its
    /// fast path).
    pub fn keywords_case_insensitive(&self) -> bool {
        case_insensitive(&self.pattern)
    }
}

fn case_insensitive(pattern: &str) -> bool {
    pattern.contains("(?i")
}

/// Parses one pack. Every problem is returned, located in the pack.
pub fn parse_pack(file: &str, text: &str) -> Result<Vec<RuleSpec>, Vec<SourceError>> {
    let (mut doc, root) = Doc::parse(file, text).map_err(|e| vec![e])?;
    let mut rules = Vec::new();
    if let Some(mut root) = doc.table(root, "a rule pack") {
        if let Some(mut pack) = root.table(&mut doc, "pack") {
            let _ = pack.string(&mut doc, "name");
            let _ = pack.string(&mut doc, "description");
            pack.finish(&mut doc, "[pack]");
        }
        let tables = root.tables(&mut doc, "rules");
        root.finish(&mut doc, "a rule pack");
        for t in tables {
            if let Some(r) = parse_rule(&mut doc, text, t) {
                rules.push(r);
            }
        }
    }
    let mut seen: Vec<(String, usize)> = Vec::new();
    for r in &rules {
        if let Some((_, first)) = seen.iter().find(|(id, _)| *id == r.id) {
            doc.errors.push(SourceError {
                file: file.to_string(),
                line: r.line,
                column: 1,
                message: format!(
                    "duplicate rule id `{}` (first defined on line {first})",
                    r.id
                ),
            });
        }
        seen.push((r.id.clone(), r.line));
    }
    if doc.errors.is_empty() {
        Ok(rules)
    } else {
        Err(doc.errors)
    }
}

fn parse_rule(doc: &mut Doc, text: &str, mut t: Tbl) -> Option<RuleSpec> {
    let id = t.required_string(doc, "id");
    let title = t.required_string(doc, "title");
    let severity = t.required_string(doc, "severity");
    let message = t.required_string(doc, "message");
    let help = t.required_string(doc, "help");
    let pattern = t.required_string(doc, "pattern");
    let keywords = t.strings(doc, "keywords");
    let scope = t.string(doc, "scope");
    let paths = t.strings(doc, "paths");
    let exclude_paths = t.strings(doc, "exclude_paths");
    let allow = t.strings(doc, "allow");
    let context = t.string(doc, "context");
    let not_context = t.strings(doc, "not_context");
    let secret = t.boolean(doc, "secret").unwrap_or(false);
    let (mut examples_match, mut examples_no_match) = (Vec::new(), Vec::new());
    if let Some(mut ex) = t.table(doc, "examples") {
        examples_match = parse_examples(doc, &mut ex, "match");
        examples_no_match = parse_examples(doc, &mut ex, "no_match");
        ex.finish(doc, "[rules.examples]");
    }
    t.finish(doc, "a rule");

    let before = doc.errors.len();
    let id = id?;
    if !valid_id(&id.value) {
        doc.error(
            id.span,
            format!(
                "rule id `{}` must be `pack/name` in lowercase kebab-case (e.g. `localhost/hardcoded-url`)",
                id.value
            ),
        );
    }
    let severity = severity.and_then(|s| match s.value.parse::<Severity>() {
        Ok(v) => Some(v),
        Err(e) => {
            doc.error(s.span, e);
            None
        }
    });
    let scope = match scope {
        None => Some(Scope::All),
        Some(s) => match s.value.as_str() {
            "all" => Some(Scope::All),
            "production" => Some(Scope::Production),
            "tests" => Some(Scope::Tests),
            other => {
                doc.error(
                    s.span,
                    format!("unknown scope `{other}`; expected one of: all, production, tests"),
                );
                None
            }
        },
    };
    if let Some(p) = &pattern {
        check_regex(doc, text, p);
    }
    for a in allow.iter().chain(&not_context).chain(context.iter()) {
        check_regex(doc, text, a);
    }
    for g in paths.iter().chain(&exclude_paths) {
        if let Err(e) = crate::glob::glob(&g.value) {
            doc.error(g.span, format!("invalid glob `{}`: {e}", g.value));
        }
    }
    for k in &keywords {
        if k.value.is_empty() {
            doc.error(k.span, "keywords must not be empty strings");
        } else if let Some(p) = &pattern
            && !case_insensitive(&p.value)
            && !p.value.contains(&k.value)
            && p.value
                .to_ascii_lowercase()
                .contains(&k.value.to_ascii_lowercase())
        {
            doc.error(
                k.span,
                format!(
                    "keyword `{}` differs in case from the pattern; keywords of a case-sensitive pattern are matched as written (add `(?i)` to the pattern to match any case)",
                    k.value
                ),
            );
        }
    }
    if doc.errors.len() > before {
        return None;
    }
    let line = doc.line_of(id.span);
    Some(RuleSpec {
        id: id.value,
        title: title?.value,
        severity: severity?,
        message: message?.value,
        help: help?.value,
        pattern: pattern?.value,
        keywords: keywords.into_iter().map(|k| k.value).collect(),
        scope: scope?,
        paths: paths.into_iter().map(|k| k.value).collect(),
        exclude_paths: exclude_paths.into_iter().map(|k| k.value).collect(),
        allow: allow.into_iter().map(|k| k.value).collect(),
        context: context.map(|c| c.value),
        not_context: not_context.into_iter().map(|k| k.value).collect(),
        secret,
        examples_match,
        examples_no_match,
        origin: doc.file().to_string(),
        line,
    })
}

fn parse_examples(doc: &mut Doc, ex: &mut Tbl, key: &'static str) -> Vec<Example> {
    let Some(mut v) = ex.take(key) else {
        return Vec::new();
    };
    let span = v.span;
    let items = match v.take() {
        toml_span::value::ValueInner::Array(items) => items,
        other => {
            doc.error(
                span,
                format!(
                    "`examples.{key}` must be an array, found {}",
                    other.type_str()
                ),
            );
            return Vec::new();
        }
    };
    let mut out = Vec::new();
    for item in items {
        if let Some(s) = item.as_str() {
            out.push(Example {
                text: s.to_string(),
                path: None,
            });
            continue;
        }
        let Some(mut t) = doc.table(item, &format!("each `examples.{key}` entry")) else {
            continue;
        };
        let text = t.required_string(doc, "text");
        let path = t.string(doc, "path");
        t.finish(doc, "an example");
        if let Some(text) = text {
            out.push(Example {
                text: text.value,
                path: path.map(|p| p.value),
            });
        }
    }
    out
}

fn valid_id(id: &str) -> bool {
    let mut parts = id.split('/');
    let ok = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !p.starts_with('-')
    };
    matches!((parts.next(), parts.next(), parts.next()), (Some(a), Some(b), None) if ok(a) && ok(b))
}

/// Validates a regex, locating a syntax error at its column inside the pack where possible.
fn check_regex(doc: &mut Doc, text: &str, pat: &Spanned<String>) {
    if let Err(e) = regex_syntax::ast::parse::Parser::new().parse(&pat.value) {
        let offset = if is_literal_string(text, pat.span) {
            pat.span.start + e.span().start.offset
        } else {
            pat.span.start
        };
        doc.error(
            Span::new(offset, offset + 1),
            format!("invalid regex: {}", e.kind()),
        );
        return;
    }
    if let Err(e) = RegexBuilder::new(&pat.value).unicode(false).build() {
        let msg = e.to_string();
        let last = msg.lines().last().unwrap_or(&msg).trim().to_string();
        doc.error(pat.span, format!("invalid regex: {last}"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[pack]
name = "demo"

[[rules]]
id = "demo/todo"
title = "A TODO"
severity = "warning"
message = "found {match}"
help = "do it"
pattern = 'TODO\b'
keywords = ["TODO"]
[rules.examples]
match = ["// TODO fix", { text = "TODO", path = "src/a.ts" }]
no_match = ["done"]
"#;

    #[test]
    fn parses_a_good_pack() {
        let rules = parse_pack("demo.toml", GOOD).unwrap();
        assert_eq!(rules.len(), 1);
        let r = &rules[0];
        assert_eq!(r.id, "demo/todo");
        assert_eq!(r.line, 6);
        assert_eq!(r.examples_match.len(), 2);
        assert_eq!(r.examples_match[1].path.as_deref(), Some("src/a.ts"));
    }

    #[test]
    fn bad_regex_is_located_at_its_column() {
        let text = GOOD.replace(r"pattern = 'TODO\b'", r"pattern = 'TO(DO'");
        let errs = parse_pack("demo.toml", &text).unwrap_err();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert_eq!(errs[0].line, 11);
        // `pattern = '` is 11 chars; the unclosed group opens at offset 2 of the regex
        assert_eq!(errs[0].column, 14, "{}", errs[0]);
        assert!(errs[0].message.contains("invalid regex"));
    }

    #[test]
    fn keyword_case_must_match_a_case_sensitive_pattern() {
        let text = GOOD.replace("keywords = [\"TODO\"]", "keywords = [\"todo\"]");
        let errs = parse_pack("demo.toml", &text).unwrap_err();
        assert_eq!(errs.len(), 1);
        assert_eq!((errs[0].line, errs[0].column), (12, 14), "{}", errs[0]);
        assert!(errs[0].message.contains("differs in case"));
        let ci = text.replace(r"pattern = 'TODO\b'", r"pattern = '(?i)TODO\b'");
        assert!(parse_pack("demo.toml", &ci).is_ok());
    }

    #[test]
    fn all_errors_are_collected() {
        let text = GOOD
            .replace("severity = \"warning\"", "severity = \"fatal\"")
            .replace("keywords", "keywordz")
            .replace("id = \"demo/todo\"", "id = \"Demo Todo\"");
        let errs = parse_pack("demo.toml", &text).unwrap_err();
        let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        assert_eq!(errs.len(), 3, "{msgs:#?}");
        assert!(
            msgs.iter()
                .any(|m| m.contains("demo.toml:12:1: unknown key `keywordz`"))
        );
        assert!(msgs.iter().any(|m| m.contains("unknown severity `fatal`")));
        assert!(msgs.iter().any(|m| m.contains("kebab-case")));
    }
}
