//! Lexer: quotes, escapes, line continuations, comments, operators and heredocs; `$(…)`,
//! backticks and `${{ … }}` are kept verbatim inside words.

use super::super::pos::PosMap;
use super::{Op, Word};

/// A token of the shell grammar.
#[derive(Debug, Clone)]
pub(super) enum Tok {
    Word(Word),
    Op(Op),
    Open,
    Close,
    DSemi,
}

struct Lexer<'a> {
    c: &'a [char],
    i: usize,
    map: &'a PosMap,
    heredocs: Vec<(String, bool)>,
    out: Vec<Tok>,
}

fn is_meta(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\r' | '\n' | ';' | '&' | '|' | '(' | ')' | '<' | '>'
    )
}

/// Split a script (as chars) into tokens; `map` gives each word its file position.
pub(super) fn tokenize(chars: &[char], map: &PosMap) -> Vec<Tok> {
    Lexer {
        c: chars,
        i: 0,
        map,
        heredocs: Vec::new(),
        out: Vec::new(),
    }
    .run()
}

impl Lexer<'_> {
    fn at(&self, k: usize) -> Option<char> {
        self.c.get(self.i + k).copied()
    }

    fn run(mut self) -> Vec<Tok> {
        while let Some(c) = self.at(0) {
            match c {
                ' ' | '\t' | '\r' => self.i += 1,
                '\\' if self.at(1) == Some('\n') => self.i += 2,
                '\n' => {
                    self.i += 1;
                    self.out.push(Tok::Op(Op::Newline));
                    self.skip_heredocs();
                }
                '#' => {
                    while self.at(0).is_some_and(|c| c != '\n') {
                        self.i += 1;
                    }
                }
                ';' => {
                    if matches!(self.at(1), Some(';') | Some('&')) {
                        self.i += 2;
                        if self.at(0) == Some('&') {
                            self.i += 1;
                        }
                        self.out.push(Tok::DSemi);
                    } else {
                        self.i += 1;
                        self.out.push(Tok::Op(Op::Seq));
                    }
                }
                '&' => match self.at(1) {
                    Some('&') => self.op(2, Op::And),
                    Some('>') => {
                        self.i += 2;
                        if self.at(0) == Some('>') {
                            self.i += 1;
                        }
                        self.redirect_target();
                    }
                    _ => self.op(1, Op::Background),
                },
                '|' => match self.at(1) {
                    Some('|') => self.op(2, Op::Or),
                    Some('&') => self.op(2, Op::Pipe),
                    _ => self.op(1, Op::Pipe),
                },
                '(' => {
                    self.i += 1;
                    self.out.push(Tok::Open);
                }
                ')' => {
                    self.i += 1;
                    self.out.push(Tok::Close);
                }
                '<' | '>' if self.at(1) == Some('(') => self.word(),
                '<' | '>' => self.redirection(),
                _ => self.word(),
            }
        }
        self.out
    }

    fn op(&mut self, n: usize, op: Op) {
        self.i += n;
        self.out.push(Tok::Op(op));
    }

    fn skip_blanks(&mut self) {
        loop {
            match self.at(0) {
                Some(' ' | '\t' | '\r') => self.i += 1,
                Some('\\') if self.at(1) == Some('\n') => self.i += 2,
                _ => break,
            }
        }
    }

    /// A redirection operator at `<`/`>`; the target word is consumed and dropped.
    fn redirection(&mut self) {
        let c = self.at(0);
        let n = self.at(1);
        if c == Some('<') && n == Some('<') {
            if self.at(2) == Some('<') {
                self.i += 3;
                self.redirect_target();
                return;
            }
            self.i += 2;
            let strip = self.at(0) == Some('-');
            if strip {
                self.i += 1;
            }
            self.skip_blanks();
            if let Some(w) = self.read_word() {
                self.heredocs.push((w.text, strip));
            }
            return;
        }
        self.i += 1;
        if matches!(self.at(0), Some('>' | '&' | '|')) || (c == Some('<') && n == Some('>')) {
            self.i += 1;
        }
        self.redirect_target();
    }

    fn redirect_target(&mut self) {
        self.skip_blanks();
        if self.at(0).is_some_and(|c| !is_meta(c)) {
            let _ = self.read_word();
        }
    }

    fn skip_heredocs(&mut self) {
        let docs = std::mem::take(&mut self.heredocs);
        for (delim, strip) in docs {
            while self.i < self.c.len() {
                let start = self.i;
                while self.at(0).is_some_and(|c| c != '\n') {
                    self.i += 1;
                }
                let line: String = self.c.get(start..self.i).unwrap_or(&[]).iter().collect();
                if self.at(0) == Some('\n') {
                    self.i += 1;
                }
                let l = line.trim_end_matches('\r');
                let l = if strip { l.trim_start_matches('\t') } else { l };
                if l == delim {
                    break;
                }
            }
        }
    }

    fn word(&mut self) {
        let start = self.i;
        let Some(w) = self.read_word() else {
            // Never stall: consume the char.
            self.i = self.i.max(start + 1);
            return;
        };
        // `2>&1`, `1>out`: a bare number right before a redirection is a file descriptor.
        let fd = !w.raw.is_empty() && w.raw.chars().all(|c| c.is_ascii_digit());
        if fd && matches!(self.at(0), Some('<' | '>')) {
            return;
        }
        self.out.push(Tok::Word(w));
    }

    /// Read one word starting at `self.i` (a non-meta char or `<(`/`>(`).
    fn read_word(&mut self) -> Option<Word> {
        let start = self.i;
        let mut text = String::new();
        while let Some(c) = self.at(0) {
            match c {
                '<' | '>' if self.at(1) == Some('(') => {
                    let end = self.balanced(self.i + 1, '(', ')');
                    self.take_verbatim(&mut text, end);
                }
                c if is_meta(c) => break,
                '\\' => match self.at(1) {
                    Some('\n') => self.i += 2,
                    Some(n) => {
                        text.push(n);
                        self.i += 2;
                    }
                    None => self.i += 1,
                },
                '\'' => {
                    self.i += 1;
                    while let Some(c) = self.at(0) {
                        self.i += 1;
                        if c == '\'' {
                            break;
                        }
                        text.push(c);
                    }
                }
                '"' => self.double_quoted(&mut text),
                '$' => self.dollar(&mut text),
                '`' => {
                    let end = self.backtick_end(self.i);
                    self.take_verbatim(&mut text, end);
                }
                _ => {
                    text.push(c);
                    self.i += 1;
                }
            }
        }
        if self.i == start {
            return None;
        }
        let raw: String = self.c.get(start..self.i).unwrap_or(&[]).iter().collect();
        let (line, column) = self.map.pos(start);
        Some(Word {
            text,
            raw,
            line,
            column,
        })
    }

    fn take_verbatim(&mut self, text: &mut String, end: usize) {
        let end = end.clamp(self.i + 1, self.c.len().max(self.i + 1));
        text.extend(self.c.get(self.i..end.min(self.c.len())).unwrap_or(&[]));
        self.i = end;
    }

    /// `$…` inside or outside double quotes.
    fn dollar(&mut self, text: &mut String) {
        match (self.at(1), self.at(2)) {
            (Some('{'), Some('{')) => {
                let end = self
                    .find_seq(self.i + 3, "}}")
                    .map_or(self.c.len(), |e| e + 2);
                self.take_verbatim(text, end);
            }
            (Some('{'), _) => {
                let end = self.balanced(self.i + 1, '{', '}');
                self.take_verbatim(text, end);
            }
            (Some('('), _) => {
                let end = self.balanced(self.i + 1, '(', ')');
                self.take_verbatim(text, end);
            }
            (Some('\''), _) => {
                self.i += 2;
                self.ansi_c(text);
            }
            (Some('"'), _) => {
                self.i += 1;
                self.double_quoted(text);
            }
            _ => {
                text.push('$');
                self.i += 1;
            }
        }
    }

    fn double_quoted(&mut self, text: &mut String) {
        self.i += 1;
        while let Some(c) = self.at(0) {
            match c {
                '"' => {
                    self.i += 1;
                    return;
                }
                '\\' => match self.at(1) {
                    Some('\n') => self.i += 2,
                    Some(n @ ('$' | '`' | '"' | '\\')) => {
                        text.push(n);
                        self.i += 2;
                    }
                    _ => {
                        text.push('\\');
                        self.i += 1;
                    }
                },
                '$' => self.dollar(text),
                '`' => {
                    let end = self.backtick_end(self.i);
                    self.take_verbatim(text, end);
                }
                _ => {
                    text.push(c);
                    self.i += 1;
                }
            }
        }
    }

    fn ansi_c(&mut self, text: &mut String) {
        while let Some(c) = self.at(0) {
            self.i += 1;
            match c {
                '\'' => return,
                '\\' => {
                    let e = self.at(0);
                    self.i += 1;
                    match e {
                        Some('n') => text.push('\n'),
                        Some('t') => text.push('\t'),
                        Some('r') => text.push('\r'),
                        Some('e' | 'E') => text.push('\u{1b}'),
                        Some('0') => text.push('\0'),
                        Some(o) => text.push(o),
                        None => {}
                    }
                }
                _ => text.push(c),
            }
        }
    }

    fn find_seq(&self, from: usize, pat: &str) -> Option<usize> {
        let p: Vec<char> = pat.chars().collect();
        (from..self.c.len()).find(|&k| self.c.get(k..k + p.len()) == Some(&p[..]))
    }

    /// End (exclusive) of a backtick substitution starting at `from`.
    fn backtick_end(&self, from: usize) -> usize {
        let mut k = from + 1;
        while let Some(&c) = self.c.get(k) {
            match c {
                '\\' => k += 2,
                '`' => return k + 1,
                _ => k += 1,
            }
        }
        self.c.len()
    }

    /// End (exclusive) of a balanced `open … close` region starting at `from` (on `open`),
    /// skipping quoted text. Unterminated → end of input.
    fn balanced(&self, from: usize, open: char, close: char) -> usize {
        let mut depth = 0usize;
        let mut k = from;
        while let Some(&c) = self.c.get(k) {
            match c {
                '\\' => {
                    k += 2;
                    continue;
                }
                '\'' if open == '(' => {
                    k += 1;
                    while self.c.get(k).is_some_and(|c| *c != '\'') {
                        k += 1;
                    }
                }
                '"' => {
                    k += 1;
                    while let Some(&d) = self.c.get(k) {
                        if d == '\\' {
                            k += 1;
                        } else if d == '"' {
                            break;
                        }
                        k += 1;
                    }
                }
                '`' => {
                    k = self.backtick_end(k);
                    continue;
                }
                c if c == open => depth += 1,
                c if c == close => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        return k + 1;
                    }
                }
                _ => {}
            }
            k += 1;
        }
        self.c.len()
    }
}
