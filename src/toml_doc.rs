//! A small spanned TOML reader that collects every error with its file:line:col
//! instead of stopping at the first (cargo-deny style), and the value parsers
//! every section shares (durations, sizes, TOML→JSON). Used by the config
//! sections (each stage parses its own) and the rule pack loader.

use crate::diag::{LineIndex, SourceError};
use std::time::Duration;
use toml_span::value::{Table, Value, ValueInner};
use toml_span::{Span, Spanned};

/// A value with the place in the config it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// 1-based line in the config file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

/// Parses `"500ms"`, `"10s"`, `"5m"`, `"1h"`; `None` for anything else,
/// including durations too large to represent.
pub fn parse_duration(s: &str) -> Option<Duration> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit() && c != '.')?;
    let (n, unit) = s.split_at(split);
    let n: f64 = n.parse().ok()?;
    let secs = match unit.trim() {
        "ms" => n / 1000.0,
        "s" => n,
        "m" => n * 60.0,
        "h" => n * 3600.0,
        _ => return None,
    };
    // Longer than a year is a typo, and larger values would overflow deadlines.
    if !(0.0..=365.0 * 86_400.0).contains(&secs) {
        return None;
    }
    Duration::try_from_secs_f64(secs).ok()
}

/// Parses a size: a positive integer of bytes, or `"10MB"`, `"512 KiB"`, `"1G"`.
pub fn parse_size(text: &str) -> Option<u64> {
    let s = text.trim();
    let (num, mult) = match s.char_indices().find(|(_, c)| !c.is_ascii_digit()) {
        None => (s, 1u64),
        Some((i, _)) => {
            let m = match s.get(i..)?.trim().to_ascii_uppercase().as_str() {
                "B" => 1,
                "K" | "KB" | "KIB" => 1 << 10,
                "M" | "MB" | "MIB" => 1 << 20,
                "G" | "GB" | "GIB" => 1 << 30,
                _ => return None,
            };
            (s.get(..i)?, m)
        }
    };
    num.parse::<u64>()
        .ok()
        .filter(|n| *n > 0)
        .and_then(|n| n.checked_mul(mult))
}

/// A TOML value as JSON (request bodies written in TOML).
pub fn to_json(v: &Value) -> serde_json::Value {
    use serde_json::Value as Json;
    if let Some(s) = v.as_str() {
        Json::String(s.to_string())
    } else if let Some(i) = v.as_integer() {
        Json::from(i)
    } else if let Some(f) = v.as_float() {
        serde_json::Number::from_f64(f).map_or(Json::Null, Json::Number)
    } else if let Some(b) = v.as_bool() {
        Json::Bool(b)
    } else if let Some(a) = v.as_array() {
        Json::Array(a.iter().map(to_json).collect())
    } else if let Some(t) = v.as_table() {
        Json::Object(
            t.iter()
                .map(|(k, v)| (k.name.to_string(), to_json(v)))
                .collect(),
        )
    } else {
        Json::Null
    }
}

/// One TOML document being read, and the errors found in it so far.
pub struct Doc<'a> {
    file: String,
    text: &'a str,
    index: LineIndex,
    /// Errors collected so far.
    pub errors: Vec<SourceError>,
}

impl<'a> Doc<'a> {
    /// Parses `text`; a syntax error is returned located.
    pub fn parse(file: &str, text: &'a str) -> Result<(Self, Value<'a>), SourceError> {
        let doc = Doc {
            file: file.to_string(),
            text,
            index: LineIndex::new(text.as_bytes()),
            errors: Vec::new(),
        };
        match toml_span::parse(text) {
            Ok(v) => Ok((doc, v)),
            Err(e) => Err(doc.located(e.span, format!("invalid TOML: {e}"))),
        }
    }

    /// Builds a located error for `span`.
    pub fn located(&self, span: Span, message: String) -> SourceError {
        let (line, column) = self.index.locate(self.text.as_bytes(), span.start);
        SourceError {
            file: self.file.clone(),
            line,
            column,
            message,
        }
    }

    /// Records an error at `span`.
    pub fn error(&mut self, span: Span, message: impl Into<String>) {
        let e = self.located(span, message.into());
        self.errors.push(e);
    }

    /// 1-based line of a span start.
    pub fn line_of(&self, span: Span) -> usize {
        self.index.line_of(span.start)
    }

    /// The file name errors are reported under.
    pub fn file(&self) -> &str {
        &self.file
    }

    /// A spanned value with its line and column.
    pub fn spot<T>(&self, s: Spanned<T>) -> Located<T> {
        let (line, column) = self.index.locate(self.text.as_bytes(), s.span.start);
        Located {
            value: s.value,
            line,
            column,
        }
    }

    /// Takes a duration string (`"10s"`), recording an error if it is not one.
    pub fn duration(&mut self, t: &mut Tbl, key: &'static str) -> Option<Duration> {
        let s = t.string(self, key)?;
        match parse_duration(&s.value) {
            Some(d) => Some(d),
            None => {
                self.error(
                    s.span,
                    format!(
                        "`{key}` must be a duration such as \"500ms\", \"10s\" or \"5m\" (at most a year)"
                    ),
                );
                None
            }
        }
    }

    /// Takes a list of globs, recording an error for each invalid one.
    pub fn globs(&mut self, t: &mut Tbl, key: &'static str) -> Option<Vec<String>> {
        if !t.contains(key) {
            return None;
        }
        let list = t.strings(self, key);
        for g in &list {
            if let Err(e) = crate::glob::glob(&g.value) {
                self.error(g.span, format!("invalid glob `{}`: {e}", g.value));
            }
        }
        Some(list.into_iter().map(|g| g.value).collect())
    }

    /// Takes a severity string, recording an error if it is not one.
    pub fn severity(&mut self, t: &mut Tbl, key: &'static str) -> Option<crate::model::Severity> {
        let s = t.string(self, key)?;
        match s.value.parse() {
            Ok(v) => Some(v),
            Err(e) => {
                self.error(s.span, e);
                None
            }
        }
    }

    /// Turns a value into a table reader, recording an error if it is not a table.
    pub fn table<'de>(&mut self, mut value: Value<'de>, what: &str) -> Option<Tbl<'de>> {
        let span = value.span;
        match value.take() {
            ValueInner::Table(table) => Some(Tbl {
                table,
                span,
                expected: Vec::new(),
            }),
            other => {
                self.error(
                    span,
                    format!("{what} must be a table, found {}", other.type_str()),
                );
                None
            }
        }
    }
}

/// A table being read key by key; [`Tbl::finish`] reports the keys nobody asked for.
pub struct Tbl<'de> {
    table: Table<'de>,
    /// Span of the whole table.
    pub span: Span,
    expected: Vec<&'static str>,
}

impl<'de> Tbl<'de> {
    /// Whether the table has `key` (not yet taken).
    pub fn contains(&self, key: &str) -> bool {
        self.table.contains_key(key)
    }

    /// Takes a raw value.
    pub fn take(&mut self, key: &'static str) -> Option<Value<'de>> {
        self.expected.push(key);
        self.table.remove(key)
    }

    /// Takes all remaining entries (for maps with free-form keys).
    pub fn drain(&mut self) -> Vec<(Spanned<String>, Value<'de>)> {
        std::mem::take(&mut self.table)
            .into_iter()
            .map(|(k, v)| {
                (
                    Spanned {
                        value: k.name.into_owned(),
                        span: k.span,
                    },
                    v,
                )
            })
            .collect()
    }

    /// Takes a string value.
    pub fn string(&mut self, doc: &mut Doc, key: &'static str) -> Option<Spanned<String>> {
        let v = self.take(key)?;
        as_string(doc, v, key)
    }

    /// Takes a required string value.
    pub fn required_string(&mut self, doc: &mut Doc, key: &'static str) -> Option<Spanned<String>> {
        if !self.table.contains_key(key) {
            doc.error(self.span, format!("missing required key `{key}`"));
            self.expected.push(key);
            return None;
        }
        self.string(doc, key)
    }

    /// Takes a boolean value.
    pub fn boolean(&mut self, doc: &mut Doc, key: &'static str) -> Option<bool> {
        let v = self.take(key)?;
        match v.as_bool() {
            Some(b) => Some(b),
            None => {
                doc.error(v.span, format!("`{key}` must be true or false"));
                None
            }
        }
    }

    /// Takes an array of strings (a single string is accepted as a one-element list).
    pub fn strings(&mut self, doc: &mut Doc, key: &'static str) -> Vec<Spanned<String>> {
        let Some(mut v) = self.take(key) else {
            return Vec::new();
        };
        let span = v.span;
        match v.take() {
            ValueInner::Array(items) => items
                .into_iter()
                .filter_map(|item| as_string(doc, item, key))
                .collect(),
            ValueInner::String(s) => vec![Spanned {
                value: s.into_owned(),
                span,
            }],
            other => {
                doc.error(
                    span,
                    format!(
                        "`{key}` must be an array of strings, found {}",
                        other.type_str()
                    ),
                );
                Vec::new()
            }
        }
    }

    /// Takes a sub-table.
    pub fn table(&mut self, doc: &mut Doc, key: &'static str) -> Option<Tbl<'de>> {
        let v = self.take(key)?;
        doc.table(v, &format!("`{key}`"))
    }

    /// Takes an array of tables (`[[key]]`).
    pub fn tables(&mut self, doc: &mut Doc, key: &'static str) -> Vec<Tbl<'de>> {
        let Some(mut v) = self.take(key) else {
            return Vec::new();
        };
        let span = v.span;
        match v.take() {
            ValueInner::Array(items) => items
                .into_iter()
                .filter_map(|item| doc.table(item, &format!("each `{key}` entry")))
                .collect(),
            other => {
                doc.error(
                    span,
                    format!(
                        "`{key}` must be an array of tables, found {}",
                        other.type_str()
                    ),
                );
                Vec::new()
            }
        }
    }

    /// Reports every key that was not taken as unknown, at the key's position.
    pub fn finish(self, doc: &mut Doc, context: &str) {
        for (key, _) in self.table {
            let mut expected: Vec<&str> = self.expected.clone();
            expected.sort_unstable();
            expected.dedup();
            let hint = if expected.is_empty() {
                String::new()
            } else {
                format!("; expected one of: {}", expected.join(", "))
            };
            doc.error(
                key.span,
                format!("unknown key `{}` in {context}{hint}", key.name),
            );
        }
    }
}

fn as_string(doc: &mut Doc, mut v: Value<'_>, key: &str) -> Option<Spanned<String>> {
    let span = v.span;
    match v.take() {
        ValueInner::String(s) => Some(Spanned {
            value: s.into_owned(),
            span,
        }),
        other => {
            doc.error(
                span,
                format!("`{key}` must be a string, found {}", other.type_str()),
            );
            None
        }
    }
}

/// Whether the string value at `span` is a literal (`'…'` or `'''…'''`) string,
/// so that offsets inside its content map one-to-one to offsets in the file.
/// (toml-span string spans start at the content, after the quotes.)
pub fn is_literal_string(text: &str, span: Span) -> bool {
    let before = &text[..span.start.min(text.len())];
    before.ends_with('\'') || before.ends_with("'''\n") || before.ends_with("'''\r\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_and_sizes() {
        assert_eq!(parse_duration("500ms"), Some(Duration::from_millis(500)));
        assert_eq!(parse_duration("5m"), Some(Duration::from_secs(300)));
        assert_eq!(parse_duration("99999999999999999999h"), None);
        assert_eq!(parse_duration("1.5.2s"), None);
        assert_eq!(parse_duration("10"), None);
        assert_eq!(parse_size("2MB"), Some(2 << 20));
        assert_eq!(parse_size("100"), Some(100));
        assert_eq!(parse_size("0"), None);
        assert_eq!(parse_size("99999999999999999G"), None);
        assert_eq!(parse_size("10 parsecs"), None);
    }

    #[test]
    fn unknown_keys_are_located() {
        let text = "[scan]\nexclude = [\"a\"]\nbogus = 1\n";
        let (mut doc, v) = Doc::parse("shipgate.toml", text).unwrap();
        let mut root = doc.table(v, "the config").unwrap();
        let mut scan = root.table(&mut doc, "scan").unwrap();
        let ex = scan.strings(&mut doc, "exclude");
        assert_eq!(ex.len(), 1);
        scan.finish(&mut doc, "[scan]");
        root.finish(&mut doc, "the config");
        assert_eq!(doc.errors.len(), 1);
        assert_eq!(doc.errors[0].line, 3);
        assert_eq!(doc.errors[0].column, 1);
        assert!(doc.errors[0].message.contains("bogus"));
    }

    #[test]
    fn syntax_error_is_located() {
        let err = match Doc::parse("x.toml", "a = \"ok\"\nb = [\n") {
            Err(e) => e,
            Ok(_) => panic!("expected a syntax error"),
        };
        assert_eq!(err.file, "x.toml");
        assert!(err.line >= 2, "{err}");
    }
}
