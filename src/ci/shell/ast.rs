//! The syntax tree the parser builds: lists of and-or items of pipelines of elements.

use super::{Op, Word};

/// A command list (`a; b && c\n d`).
#[derive(Debug, Default)]
pub(super) struct ListAst {
    pub(super) items: Vec<Item>,
}

/// One and-or list with its separator.
#[derive(Debug)]
pub(super) struct Item {
    pub(super) pipes: Vec<Pipeline>,
    pub(super) ops: Vec<Op>,
    pub(super) sep: Option<Op>,
}

/// One pipeline, possibly negated with `!`.
#[derive(Debug)]
pub(super) struct Pipeline {
    pub(super) negated: bool,
    pub(super) elems: Vec<Elem>,
}

/// One element of a pipeline: a simple command or a compound command.
#[derive(Debug)]
pub(super) enum Elem {
    Simple {
        env: Vec<Word>,
        words: Vec<Word>,
    },
    Group {
        subshell: bool,
        body: ListAst,
    },
    Function {
        body: Box<Elem>,
    },
    If {
        conds: Vec<ListAst>,
        bodies: Vec<ListAst>,
    },
    Loop {
        cond: ListAst,
        body: ListAst,
    },
    Case {
        arms: Vec<ListAst>,
    },
}
