//! What a shell command does: run a package script, run a file, make/just, an HTTP call,
//! and whether it is a check (test, lint, typecheck, build, audit).

use super::shell::{Command, Word};

mod bun;
mod files;
mod flags;
mod http;
mod kinds;
mod make_just;
mod nested;
mod npm;
mod pnpm;
mod wrappers;
mod yarn;

pub use self::kinds::{check_kind, script_kind};
pub use self::nested::{nested_scripts, script_list_refs};
pub use self::wrappers::strip_wrappers;

/// A JavaScript package manager.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manager {
    /// npm
    Npm,
    /// pnpm
    Pnpm,
    /// yarn
    Yarn,
    /// bun
    Bun,
}

impl Manager {
    /// The CLI name.
    pub fn name(self) -> &'static str {
        match self {
            Manager::Npm => "npm",
            Manager::Pnpm => "pnpm",
            Manager::Yarn => "yarn",
            Manager::Bun => "bun",
        }
    }
}

/// Which package a script run targets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScriptDir {
    /// The package at (or above) the command's working directory.
    Cwd,
    /// `--prefix d` / `-C d` / `--cwd d` / `--dir d`, relative to the working directory.
    Dir(String),
    /// `-w NAME` / `--workspace NAME` / `yarn workspace NAME`: a directory or a package name.
    Workspace(String),
    /// `--filter`, `-r`, `--workspaces`, `--if-present` across workspaces… (the reason).
    Undecided(String),
}

/// What kind of check a command is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckKind {
    /// Tests.
    Test,
    /// Linters and format checks.
    Lint,
    /// Type checks.
    Typecheck,
    /// Builds.
    Build,
    /// Dependency/security audits.
    Audit,
}

impl CheckKind {
    /// Lower-case name.
    pub fn name(self) -> &'static str {
        match self {
            CheckKind::Test => "test",
            CheckKind::Lint => "lint",
            CheckKind::Typecheck => "typecheck",
            CheckKind::Build => "build",
            CheckKind::Audit => "audit",
        }
    }
}

/// A classified command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Invocation {
    /// A package.json script run.
    RunScript {
        /// The package manager.
        manager: Manager,
        /// Script name.
        script: String,
        /// `--if-present` was given.
        if_present: bool,
        /// Which package.
        dir: ScriptDir,
        /// The manager falls back to a dependency binary of that name (`pnpm X`, `yarn X`,
        /// `yarn run X`, `bun run X`), or to `node server.js` (`npm start`).
        bin_fallback: bool,
        /// Position of the script-name word (or of the manager word for `npm test`).
        line: usize,
        /// Column of that word.
        column: usize,
    },
    /// An interpreter (or direct execution) running a relative file.
    RunFile {
        /// `node`, `tsx`, `bash`, `python3`, `exec` (direct `./x.sh`) …
        interpreter: String,
        /// The path as written.
        path: String,
        /// Position of the path word.
        line: usize,
        /// Column of the path word.
        column: usize,
    },
    /// `make [targets]`.
    Make {
        /// Named targets (empty = default goal).
        targets: Vec<Word>,
        /// `-C dir`.
        dir: Option<String>,
        /// `-f file`.
        file: Option<String>,
    },
    /// `just [recipe]`.
    Just {
        /// The recipe word (None = default recipe or undecidable form).
        recipe: Option<Word>,
        /// `-d dir` / `--working-directory`.
        dir: Option<String>,
        /// `-f file` / `--justfile`.
        file: Option<String>,
    },
    /// An HTTP request tool.
    Http {
        /// `curl`, `wget`, `http`, `https`, `xh`.
        tool: String,
        /// Upper-case method.
        method: String,
        /// URL as written (may contain `${{ … }}` or `$VAR`).
        url: String,
        /// Position of the URL word.
        line: usize,
        /// Column of the URL word.
        column: usize,
    },
    /// Anything else.
    Other,
}

/// Classify a command.
pub fn classify(cmd: &Command) -> Invocation {
    let words = strip_wrappers(&cmd.words);
    let Some(head) = words.first() else {
        return Invocation::Other;
    };
    let rest = words.get(1..).unwrap_or(&[]);
    let name = head.text.rsplit('/').next().unwrap_or(&head.text);
    match name {
        "npm" if !head.text.contains('/') => npm::npm(head, rest),
        "pnpm" if !head.text.contains('/') => pnpm::pnpm(head, rest),
        "yarn" if !head.text.contains('/') => yarn::yarn(rest, 0),
        "bun" if !head.text.contains('/') => bun::bun(head, rest),
        "make" | "gmake" => make_just::make(rest),
        "just" => make_just::just(rest),
        "curl" => http::curl(rest),
        "wget" => http::wget(rest),
        "http" | "https" | "xh" | "xhs" => http::httpie(name, rest),
        _ => files::run_file(head, rest).unwrap_or(Invocation::Other),
    }
}

/// A `RunScript` invocation of script `w`.
fn script_run(
    m: Manager,
    w: &Word,
    dir: ScriptDir,
    fallback: bool,
    if_present: bool,
) -> Invocation {
    Invocation::RunScript {
        manager: m,
        script: w.text.clone(),
        if_present,
        dir,
        bin_fallback: fallback,
        line: w.line,
        column: w.column,
    }
}
