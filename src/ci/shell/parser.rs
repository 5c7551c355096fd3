//! Parser: tokens into lists, and-or lists and pipelines, with subshells, brace groups,
//! functions and `if`/`while`/`until`/`for`/`select`/`case`.

use super::MAX_DEPTH;
use super::ast::{Elem, Item, ListAst, Pipeline};
use super::lexer::Tok;
use super::{Op, Word};

/// Parse a token stream into the top-level list.
pub(super) fn parse_list(toks: Vec<Tok>) -> ListAst {
    let mut p = Parser {
        toks,
        i: 0,
        depth: 0,
    };
    p.list(&Stop::default())
}

#[derive(Default)]
struct Stop<'s> {
    words: &'s [&'s str],
    close: bool,
    dsemi: bool,
}

const CLOSERS: &[&str] = &["}", "fi", "done", "esac", "then", "else", "elif", "do"];

struct Parser {
    toks: Vec<Tok>,
    i: usize,
    depth: usize,
}

fn is_assignment(w: &Word) -> bool {
    let Some(eq) = w.raw.find('=') else {
        return false;
    };
    let name = w.raw.get(..eq).unwrap_or("");
    let name = name.strip_suffix('+').unwrap_or(name);
    let mut cs = name.chars();
    cs.next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && cs.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i)
    }

    /// The unquoted text of the next token if it is a word.
    fn peek_word(&self) -> Option<&str> {
        match self.peek() {
            Some(Tok::Word(w)) if w.raw == w.text => Some(w.text.as_str()),
            _ => None,
        }
    }

    fn eat_word(&mut self, w: &str) -> bool {
        if self.peek_word() == Some(w) {
            self.i += 1;
            true
        } else {
            false
        }
    }

    fn skip_newlines(&mut self) {
        while matches!(self.peek(), Some(Tok::Op(Op::Newline))) {
            self.i += 1;
        }
    }

    fn list(&mut self, stop: &Stop) -> ListAst {
        let mut out = ListAst::default();
        if self.depth > MAX_DEPTH {
            return out;
        }
        self.depth += 1;
        loop {
            while matches!(self.peek(), Some(Tok::Op(Op::Newline | Op::Seq))) {
                self.i += 1;
            }
            match self.peek() {
                None => break,
                Some(Tok::Close) if stop.close => break,
                Some(Tok::DSemi) if stop.dsemi => break,
                Some(Tok::Close | Tok::DSemi | Tok::Op(_)) => {
                    self.i += 1;
                    continue;
                }
                _ => {}
            }
            if let Some(w) = self.peek_word() {
                if stop.words.contains(&w) {
                    break;
                }
                if CLOSERS.contains(&w) {
                    self.i += 1;
                    continue;
                }
            }
            let before = self.i;
            let item = self.and_or();
            if self.i == before {
                self.i += 1;
                continue;
            }
            out.items.push(item);
        }
        self.depth -= 1;
        out
    }

    fn and_or(&mut self) -> Item {
        let mut pipes = vec![self.pipeline()];
        let mut ops = Vec::new();
        while let Some(Tok::Op(op @ (Op::And | Op::Or))) = self.peek() {
            let op = *op;
            self.i += 1;
            self.skip_newlines();
            if matches!(
                self.peek(),
                None | Some(Tok::Op(_) | Tok::Close | Tok::DSemi)
            ) {
                break;
            }
            ops.push(op);
            pipes.push(self.pipeline());
        }
        let sep = match self.peek() {
            Some(Tok::Op(op @ (Op::Seq | Op::Newline | Op::Background))) => {
                let op = *op;
                self.i += 1;
                Some(op)
            }
            _ => None,
        };
        Item { pipes, ops, sep }
    }

    fn pipeline(&mut self) -> Pipeline {
        let mut negated = false;
        loop {
            if self.eat_word("!") {
                negated = !negated;
            } else if self.eat_word("time") {
                self.eat_word("-p");
            } else {
                break;
            }
        }
        let mut elems = vec![self.element()];
        while let Some(Tok::Op(Op::Pipe)) = self.peek() {
            self.i += 1;
            self.skip_newlines();
            if matches!(
                self.peek(),
                None | Some(Tok::Op(_) | Tok::Close | Tok::DSemi)
            ) {
                break;
            }
            elems.push(self.element());
        }
        Pipeline { negated, elems }
    }

    fn element(&mut self) -> Elem {
        if self.depth > MAX_DEPTH {
            self.i += 1;
            return Elem::Simple {
                env: Vec::new(),
                words: Vec::new(),
            };
        }
        if matches!(self.peek(), Some(Tok::Open)) {
            self.i += 1;
            let body = self.list(&Stop {
                close: true,
                ..Stop::default()
            });
            if matches!(self.peek(), Some(Tok::Close)) {
                self.i += 1;
            }
            return Elem::Group {
                subshell: true,
                body,
            };
        }
        match self.peek_word() {
            Some("{") => {
                self.i += 1;
                let body = self.list(&Stop {
                    words: &["}"],
                    ..Stop::default()
                });
                self.eat_word("}");
                Elem::Group {
                    subshell: false,
                    body,
                }
            }
            Some("if") => self.if_clause(),
            Some("while" | "until") => {
                self.i += 1;
                let cond = self.list(&Stop {
                    words: &["do"],
                    ..Stop::default()
                });
                self.eat_word("do");
                let body = self.list(&Stop {
                    words: &["done"],
                    ..Stop::default()
                });
                self.eat_word("done");
                Elem::Loop { cond, body }
            }
            Some("for" | "select") => {
                while self.peek().is_some() && self.peek_word() != Some("do") {
                    self.i += 1;
                }
                self.eat_word("do");
                let body = self.list(&Stop {
                    words: &["done"],
                    ..Stop::default()
                });
                self.eat_word("done");
                Elem::Loop {
                    cond: ListAst::default(),
                    body,
                }
            }
            Some("case") => self.case_clause(),
            Some("function") => {
                self.i += 1;
                if matches!(self.peek(), Some(Tok::Word(_))) {
                    self.i += 1;
                }
                if matches!(self.peek(), Some(Tok::Open))
                    && matches!(self.toks.get(self.i + 1), Some(Tok::Close))
                {
                    self.i += 2;
                }
                self.skip_newlines();
                self.function_body()
            }
            _ => {
                let is_fn = matches!(self.peek(), Some(Tok::Word(_)))
                    && matches!(self.toks.get(self.i + 1), Some(Tok::Open))
                    && matches!(self.toks.get(self.i + 2), Some(Tok::Close));
                if is_fn {
                    self.i += 3;
                    self.skip_newlines();
                    return self.function_body();
                }
                self.simple()
            }
        }
    }

    fn function_body(&mut self) -> Elem {
        self.depth += 1;
        let body = self.element();
        self.depth -= 1;
        Elem::Function {
            body: Box::new(body),
        }
    }

    fn if_clause(&mut self) -> Elem {
        self.i += 1;
        let then = Stop {
            words: &["then"],
            ..Stop::default()
        };
        let branch = Stop {
            words: &["elif", "else", "fi"],
            ..Stop::default()
        };
        let mut conds = vec![self.list(&then)];
        self.eat_word("then");
        let mut bodies = vec![self.list(&branch)];
        loop {
            if self.eat_word("elif") {
                conds.push(self.list(&then));
                self.eat_word("then");
                bodies.push(self.list(&branch));
            } else if self.eat_word("else") {
                bodies.push(self.list(&Stop {
                    words: &["fi"],
                    ..Stop::default()
                }));
            } else {
                self.eat_word("fi");
                break;
            }
        }
        Elem::If { conds, bodies }
    }

    fn case_clause(&mut self) -> Elem {
        self.i += 1;
        while self.peek().is_some() && self.peek_word() != Some("in") {
            self.i += 1;
        }
        self.eat_word("in");
        let mut arms = Vec::new();
        loop {
            self.skip_newlines();
            if self.peek().is_none() || self.eat_word("esac") {
                break;
            }
            // Pattern: everything up to the closing `)`.
            while let Some(t) = self.peek() {
                let close = matches!(t, Tok::Close);
                self.i += 1;
                if close {
                    break;
                }
            }
            arms.push(self.list(&Stop {
                words: &["esac"],
                dsemi: true,
                ..Stop::default()
            }));
            if matches!(self.peek(), Some(Tok::DSemi)) {
                self.i += 1;
            }
        }
        Elem::Case { arms }
    }

    fn simple(&mut self) -> Elem {
        let mut env = Vec::new();
        let mut words = Vec::new();
        while let Some(Tok::Word(w)) = self.peek() {
            if words.is_empty() && is_assignment(w) {
                env.push(w.clone());
            } else {
                words.push(w.clone());
            }
            self.i += 1;
        }
        Elem::Simple { env, words }
    }
}
