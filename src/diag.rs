//! Located errors for user-written files (config, rule packs) and byte-offset
//! to line/column conversion.

use std::fmt;

/// An error in a user file, pointing at a 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceError {
    /// Path of the file as the user would type it.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

/// All the errors found in one or more user files, reported together.
#[derive(Debug, Clone, Default)]
pub struct SourceErrors(pub Vec<SourceError>);

impl fmt::Display for SourceErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "error: {e}")?;
        }
        Ok(())
    }
}

impl std::error::Error for SourceErrors {}

/// Maps byte offsets in a text to 1-based (line, column) pairs.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &[u8]) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text).map(|i| i + 1));
        Self { starts }
    }

    /// 1-based line containing `offset`.
    pub fn line_of(&self, offset: usize) -> usize {
        match self.starts.binary_search(&offset) {
            Ok(i) => i + 1,
            Err(i) => i,
        }
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: usize) -> usize {
        self.starts
            .get(line.saturating_sub(1))
            .copied()
            .unwrap_or(0)
    }

    /// Byte range of 1-based `line`, without its line terminator.
    pub fn line_range(&self, text: &[u8], line: usize) -> (usize, usize) {
        let start = self.line_start(line);
        let mut end = self.starts.get(line).map_or(text.len(), |next| next - 1);
        if end > start && text.get(end - 1) == Some(&b'\r') {
            end -= 1;
        }
        (start, end.max(start))
    }

    /// 1-based (line, column) of `offset`; the column counts characters.
    pub fn locate(&self, text: &[u8], offset: usize) -> (usize, usize) {
        let line = self.line_of(offset);
        let start = self.line_start(line);
        let end = offset.min(text.len()).max(start);
        (line, char_count(&text[start..end]) + 1)
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// Always false: a text has at least one (possibly empty) line.
    pub fn is_empty(&self) -> bool {
        false
    }
}

/// Counts UTF-8 characters, treating each invalid byte as one character.
pub fn char_count(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_offsets() {
        let text = "ab\ncdé\nx";
        let idx = LineIndex::new(text.as_bytes());
        assert_eq!(idx.locate(text.as_bytes(), 0), (1, 1));
        assert_eq!(idx.locate(text.as_bytes(), 3), (2, 1));
        // 'x' is at byte 8: é takes two bytes but one column
        assert_eq!(idx.locate(text.as_bytes(), 8), (3, 1));
        assert_eq!(idx.locate(text.as_bytes(), 7), (2, 4));
        assert_eq!(idx.len(), 3);
    }

    #[test]
    fn line_range_strips_crlf() {
        let text = b"one\r\ntwo";
        let idx = LineIndex::new(text);
        assert_eq!(idx.line_range(text, 1), (0, 3));
        assert_eq!(idx.line_range(text, 2), (5, 8));
    }
}
