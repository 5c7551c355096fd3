//! A POSIX/bash shell-word parser for `run:` steps, package.json scripts and doc snippets.
//!
//! Three stages: a lexer (quotes, escapes, continuations, comments, operators, heredocs,
//! `$(…)`/backticks/`${{ … }}` kept inside words), a parser into lists/and-or/pipelines with
//! subshells, brace groups and `if`/`while`/`for`/`case`, and a walk that tracks the working
//! directory (`cd`, `pushd`, `popd`) and decides for every simple command whether its failure
//! can fail the script (`|| true`, `set +e`, short-circuit lists under `-e`, pipes without
//! pipefail, …).

use super::pos::PosMap;

mod ast;
mod guards;
mod lexer;
mod options;
mod parser;
mod paths;
mod walk;

pub use self::options::ShellOptions;
pub use self::paths::{join_path, resolve_dir};

/// Deepest nesting of groups/compound commands the parser follows.
const MAX_DEPTH: usize = 64;

/// The operator that follows a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// `&&`
    And,
    /// `||`
    Or,
    /// `;`
    Seq,
    /// `|` or `|&`
    Pipe,
    /// `&`
    Background,
    /// A line break.
    Newline,
}

/// Why a command's failure cannot fail the script (or may not).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Guard {
    /// `cmd || true` / `cmd || :`.
    OrTrue,
    /// `cmd || echo …` / `cmd || printf …`.
    OrEcho,
    /// `cmd || exit 0`.
    OrExitZero,
    /// `cmd; true` (only always-succeeding commands follow) with errexit off.
    ThenTrue,
    /// `set +e` earlier in the script and the command is not the last one.
    ErrexitOff,
    /// The shell runs without errexit (`sh -c` for package.json scripts, `shell: bash {0}`)
    /// and the command is not the last one, so its status is discarded.
    StatusDiscarded,
    /// `cmd && other` followed by more commands: under `-e` a failure on the left of `&&`
    /// does not exit the shell.
    ShortCircuit,
    /// Not the last element of a pipeline and pipefail is off.
    PipeNoPipefail,
    /// `! cmd`.
    Negated,
    /// The command is an `if`/`while`/`until` condition (undecided).
    Condition,
    /// Run in the background with `&` (undecided: a later `wait` may collect it).
    Background,
    /// `cmd || other` where `other` may or may not fail (undecided).
    Fallback(String),
    /// A later command reads `$?`/`PIPESTATUS` (undecided).
    StatusInspected,
    /// Inside a function body whose callers are not followed (undecided).
    InFunction,
}

impl Guard {
    /// True when the guard certainly keeps the command's failure from failing the script.
    pub fn is_certain(&self) -> bool {
        !matches!(
            self,
            Guard::Condition
                | Guard::Background
                | Guard::Fallback(_)
                | Guard::StatusInspected
                | Guard::InFunction
        )
    }

    /// A short description for messages.
    pub fn describe(&self) -> String {
        match self {
            Guard::OrTrue => "`|| true`".into(),
            Guard::OrEcho => "`|| echo …`".into(),
            Guard::OrExitZero => "`|| exit 0`".into(),
            Guard::ThenTrue => {
                "a trailing always-succeeding command (`; true`) without errexit".into()
            }
            Guard::ErrexitOff => "`set +e` earlier in the script".into(),
            Guard::StatusDiscarded => {
                "a later command in a shell without errexit (only the last status counts)".into()
            }
            Guard::ShortCircuit => {
                "an `&&` list that is not the last command (errexit does not fire on its left side)"
                    .into()
            }
            Guard::PipeNoPipefail => {
                "a pipe without pipefail (only the last element's status counts)".into()
            }
            Guard::Negated => "`!` negation".into(),
            Guard::Condition => "an `if`/`while` condition".into(),
            Guard::Background => "`&` (run in the background)".into(),
            Guard::Fallback(t) => format!("the fallback `|| {t}`"),
            Guard::StatusInspected => "a later read of `$?`".into(),
            Guard::InFunction => "a shell function body".into(),
        }
    }
}

/// One shell word: `text` is the value after quote removal (with `$(…)`, backticks, `$VAR`
/// and `${{ … }}` kept verbatim); `raw` is the source spelling.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    /// Value after quote removal.
    pub text: String,
    /// Source spelling including quotes.
    pub raw: String,
    /// 1-based file line of the word's first char.
    pub line: usize,
    /// 1-based file column of the word's first char.
    pub column: usize,
}

impl Word {
    /// True when the value is fixed text: no unquoted expansion, substitution or glob.
    pub fn is_literal(&self) -> bool {
        let mut in_single = false;
        let mut prev = ' ';
        for c in self.raw.chars() {
            if c == '\'' && prev != '\\' {
                in_single = !in_single;
            } else if !in_single && matches!(c, '$' | '`' | '*' | '?' | '[' | '~' | '{') {
                return false;
            }
            prev = c;
        }
        true
    }
}

/// One simple command with its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Command {
    /// Leading `NAME=value` assignments.
    pub env: Vec<Word>,
    /// The command words (assignments removed, redirections removed).
    pub words: Vec<Word>,
    /// Repo-relative working directory ("" = repository root); `None` when it cannot be known
    /// (`cd $DIR`, `cd /abs`, `cd -`, an unknown `working-directory`).
    pub cwd: Option<String>,
    /// The operator right after the command.
    pub op_after: Option<Op>,
    /// What keeps the command's failure from failing the script, if anything.
    pub guarded_by: Option<Guard>,
    /// 1-based line of the command's first word.
    pub line: usize,
    /// 1-based column of the command's first word.
    pub column: usize,
}

impl Command {
    /// The command words joined by spaces (for messages).
    pub fn text(&self) -> String {
        let v: Vec<&str> = self.words.iter().map(|w| w.raw.as_str()).collect();
        v.join(" ")
    }
}

/// Parse a script into its simple commands, in source order.
pub fn parse(text: &str, map: &PosMap, opts: &ShellOptions) -> Vec<Command> {
    let chars: Vec<char> = text.chars().collect();
    let toks = lexer::tokenize(&chars, map);
    let list = parser::parse_list(toks);
    walk::walk(&list, opts)
}
