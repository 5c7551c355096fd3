//! Mapping from character offsets in an extracted text (a `run:` script, a JSON string value,
//! a Markdown code span) back to 1-based line/column positions in the file it came from.

/// One contiguous run of characters that sit on a single source line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seg {
    off: usize,
    line: usize,
    col: usize,
}

/// Maps char offsets of an extracted text to file positions (1-based line, 1-based char column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PosMap {
    segs: Vec<Seg>,
}

impl Default for PosMap {
    fn default() -> Self {
        Self::at(1, 1)
    }
}

impl PosMap {
    /// A map whose text starts at `line`:`col` and is contiguous on that line.
    pub fn at(line: usize, col: usize) -> Self {
        Self {
            segs: vec![Seg { off: 0, line, col }],
        }
    }

    /// A map for text laid out verbatim: the first line starts at `line`:`col`, each later
    /// line starts at `rest_col` on the following file line.
    pub fn verbatim(text: &str, line: usize, col: usize, rest_col: usize) -> Self {
        let mut map = Self::at(line, col);
        let mut l = line;
        for (off, ch) in text.chars().enumerate() {
            if ch == '\n' {
                l += 1;
                map.push(off + 1, l, rest_col);
            }
        }
        map
    }

    /// Record that the text from char offset `off` on sits at `line`:`col`.
    /// Offsets must be pushed in non-decreasing order; out-of-order pushes are ignored.
    pub fn push(&mut self, off: usize, line: usize, col: usize) {
        if let Some(last) = self.segs.last_mut() {
            if off < last.off {
                return;
            }
            if off == last.off {
                *last = Seg { off, line, col };
                return;
            }
            // Skip segments that merely continue the previous one.
            if last.line == line && last.col + (off - last.off) == col {
                return;
            }
        }
        self.segs.push(Seg { off, line, col });
    }

    /// File position of the char at offset `off` of the text.
    pub fn pos(&self, off: usize) -> (usize, usize) {
        let idx = self.segs.partition_point(|s| s.off <= off);
        match idx.checked_sub(1).and_then(|i| self.segs.get(i)) {
            Some(s) => (s.line, s.col + (off - s.off)),
            None => (1, 1),
        }
    }
}
