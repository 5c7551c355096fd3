//! A dotenv parser that keeps line numbers: comments, `export`, single/double/
//! backtick quotes, escapes, multi-line double-quoted values, `${VAR}`
//! references, duplicate keys and malformed lines (reported, never a crash).

use std::collections::HashMap;

/// One `KEY=value` assignment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Variable name.
    pub key: String,
    /// Value after unquoting, unescaping and `${VAR}` expansion.
    pub value: String,
    /// 1-based line of the key.
    pub line: usize,
    /// 1-based column of the key.
    pub column: usize,
    /// Annotations from the comment lines right above (`# @required @type=url`).
    pub annotations: Vec<String>,
}

/// A problem in the file, located.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// What is wrong (never quotes the line: it may hold a secret).
    pub message: String,
    /// Which kind of problem.
    pub kind: ProblemKind,
}

/// Kinds of env file problems.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProblemKind {
    /// A line dotenv loaders ignore (an error).
    Malformed,
    /// A key set twice (a warning).
    Duplicate,
}

/// A parsed env file.
#[derive(Debug, Clone, Default)]
pub struct EnvFile {
    /// Assignments in file order (duplicates included).
    pub entries: Vec<Entry>,
    /// Malformed lines and duplicate keys.
    pub problems: Vec<Problem>,
}

impl EnvFile {
    /// The effective entry for `key` (the last assignment wins, as in dotenv).
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().rev().find(|e| e.key == key)
    }

    /// Effective entries, one per key, in first-appearance order.
    pub fn effective(&self) -> Vec<&Entry> {
        let mut seen: Vec<&str> = Vec::new();
        let mut out = Vec::new();
        for e in &self.entries {
            if !seen.contains(&e.key.as_str()) {
                seen.push(&e.key);
                if let Some(last) = self.get(&e.key) {
                    out.push(last);
                }
            }
        }
        out
    }
}

fn valid_key(k: &str) -> bool {
    let mut chars = k.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
}

/// Parses bytes (BOM, CRLF and invalid UTF-8 tolerated).
pub fn parse(bytes: &[u8]) -> EnvFile {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let mut file = EnvFile::default();
    let mut known: HashMap<String, String> = HashMap::new();
    let mut first_line: HashMap<String, usize> = HashMap::new();
    let mut annotations: Vec<String> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let raw = lines[i];
        let lineno = i + 1;
        i += 1;
        let trimmed = raw.trim_start();
        if trimmed.is_empty() {
            annotations.clear();
            continue;
        }
        if let Some(comment) = trimmed.strip_prefix('#') {
            annotations.extend(
                comment
                    .split_whitespace()
                    .filter(|w| w.starts_with('@') && w.len() > 1)
                    .map(|w| w[1..].to_string()),
            );
            continue;
        }
        let indent = raw.len() - trimmed.len();
        let (body, offset) = match trimmed.strip_prefix("export") {
            Some(rest) if rest.starts_with([' ', '\t']) => {
                let r = rest.trim_start();
                (r, indent + (trimmed.len() - r.len()))
            }
            _ => (trimmed, indent),
        };
        let column = raw[..offset].chars().count() + 1;
        let Some(eq) = body.find('=') else {
            file.problems.push(Problem {
                line: lineno,
                column,
                message: "expected `KEY=value`".into(),
                kind: ProblemKind::Malformed,
            });
            annotations.clear();
            continue;
        };
        let key = body[..eq].trim_end();
        if !valid_key(key) {
            file.problems.push(Problem {
                line: lineno,
                column,
                message: "the name before `=` is not a valid variable name (letters, digits and `_`, not starting with a digit)".into(),
                kind: ProblemKind::Malformed,
            });
            annotations.clear();
            continue;
        }
        let rest = body[eq + 1..].trim_start();
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'' | '`')) => {
                // Quoted, possibly spanning lines.
                let mut buf = String::from(&rest[1..]);
                let mut closed = find_close(&buf, q);
                while closed.is_none() && i < lines.len() {
                    buf.push('\n');
                    buf.push_str(lines[i]);
                    i += 1;
                    closed = find_close(&buf, q);
                }
                let Some(end) = closed else {
                    file.problems.push(Problem {
                        line: lineno,
                        column,
                        message: format!("unterminated {q}-quoted value for `{key}`"),
                        kind: ProblemKind::Malformed,
                    });
                    annotations.clear();
                    continue;
                };
                let inner = &buf[..end];
                let after = buf[end + 1..].trim();
                if !after.is_empty() && !after.starts_with('#') {
                    file.problems.push(Problem {
                        line: lineno,
                        column,
                        message: format!("unexpected text after the quoted value of `{key}`"),
                        kind: ProblemKind::Malformed,
                    });
                }
                match q {
                    '"' => expand(&unescape(inner), &known),
                    '`' => expand(inner, &known),
                    _ => inner.to_string(),
                }
            }
            _ => {
                // Unquoted: an inline comment starts at ` #`.
                let v = match rest.find(" #").or_else(|| rest.find("\t#")) {
                    Some(p) => &rest[..p],
                    None => rest,
                };
                expand(v.trim_end(), &known)
            }
        };
        if let Some(first) = first_line.get(key) {
            file.problems.push(Problem {
                line: lineno,
                column,
                message: format!(
                    "`{key}` is set again (first on line {first}); the last value wins"
                ),
                kind: ProblemKind::Duplicate,
            });
        } else {
            first_line.insert(key.to_string(), lineno);
        }
        known.insert(key.to_string(), value.clone());
        file.entries.push(Entry {
            key: key.to_string(),
            value,
            line: lineno,
            column,
            annotations: std::mem::take(&mut annotations),
        });
    }
    file
}

/// Index of the closing quote, honouring backslash escapes in double quotes.
fn find_close(s: &str, q: char) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in s.char_indices() {
        if escaped {
            escaped = false;
            continue;
        }
        if c == '\\' && q == '"' {
            escaped = true;
            continue;
        }
        if c == q {
            return Some(i);
        }
    }
    None
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('"') => out.push('"'),
            Some('\\') => out.push('\\'),
            Some('$') => out.push('$'),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Expands `${VAR}` from earlier entries (unknown ones expand to nothing, as dotenv-expand).
fn expand(s: &str, known: &HashMap<String, String>) -> String {
    if !s.contains("${") {
        return s.to_string();
    }
    let mut out = String::new();
    let mut rest = s;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            out.push_str(&rest[start..]);
            return out;
        };
        let inner = &after[..end];
        let (name, default) = match inner.split_once(":-") {
            Some((n, d)) => (n, Some(d)),
            None => (inner, None),
        };
        match (known.get(name), default) {
            (Some(v), _) if !v.is_empty() || default.is_none() => out.push_str(v),
            (_, Some(d)) => out.push_str(d),
            _ => {}
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_usual_shapes() {
        let f = parse(
            b"\xef\xbb\xbf# comment\nA=1\nexport B = two words # trailing\nC='single ${A}'\nD=\"line\\nnext ${A}\"\nE=`tick ${A}`\r\nF=\nG=\"multi\nline\nvalue\"\nH=${A}-${MISSING:-dflt}\nI=last",
        );
        let get = |k: &str| f.get(k).map(|e| e.value.clone());
        assert_eq!(get("A").as_deref(), Some("1"));
        assert_eq!(get("B").as_deref(), Some("two words"));
        assert_eq!(get("C").as_deref(), Some("single ${A}"));
        assert_eq!(get("D").as_deref(), Some("line\nnext 1"));
        assert_eq!(get("E").as_deref(), Some("tick 1"));
        assert_eq!(get("F").as_deref(), Some(""));
        assert_eq!(get("G").as_deref(), Some("multi\nline\nvalue"));
        assert_eq!(get("H").as_deref(), Some("1-dflt"));
        assert_eq!(get("I").as_deref(), Some("last"));
        assert_eq!(f.get("I").unwrap().line, 12);
        assert_eq!(f.get("B").unwrap().column, 8);
        assert!(f.problems.is_empty(), "{:?}", f.problems);
    }

    #[test]
    fn reports_malformed_lines_and_duplicates() {
        let f = parse(b"GOOD=1\nnot a line\n9BAD=1\nGOOD=2\nQ=\"never closed\n");
        assert_eq!(f.get("GOOD").unwrap().value, "2");
        let p: Vec<(usize, bool)> = f
            .problems
            .iter()
            .map(|p| (p.line, p.kind == ProblemKind::Duplicate))
            .collect();
        assert_eq!(p, vec![(2, false), (3, false), (4, true), (5, false)]);
        // The malformed line's text is never echoed (it may be a secret).
        assert!(f.problems.iter().all(|p| !p.message.contains("9BAD")));
        assert_eq!(f.effective().len(), 1);
    }

    #[test]
    fn annotations_attach_to_the_next_key() {
        let f = parse(b"# Session signing key\n# @required @secret @type=hex @min_length=64\nSESSION_SECRET=\n\nPORT=3000\n");
        assert_eq!(
            f.get("SESSION_SECRET").unwrap().annotations,
            vec!["required", "secret", "type=hex", "min_length=64"]
        );
        assert!(f.get("PORT").unwrap().annotations.is_empty());
    }

    #[test]
    fn invalid_utf8_is_read_lossily() {
        let f = parse(b"A=caf\xe9\nB=ok");
        assert_eq!(f.get("B").unwrap().value, "ok");
        assert!(f.get("A").unwrap().value.starts_with("caf"));
    }
}
