//! A small spanned TOML reader that collects every error with its file:line:col
//! instead of stopping at the first (cargo-deny style). Used by the config and
//! rule pack loaders.

use crate::diag::{LineIndex, SourceError};
use toml_span::value::{Table, Value, ValueInner};
use toml_span::{Span, Spanned};

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
