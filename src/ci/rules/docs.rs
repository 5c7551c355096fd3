//! Commands in documentation (Markdown code) checked against the repository.

use super::super::invocation::Invocation;
use super::super::pos::PosMap;
use super::super::shell::{self, Command, ShellOptions};
use super::super::{Issue, Repo, RepoIndex, Severity};
use super::analysis::facts_of;
use super::missing_files::doc_missing_file;
use super::resolve::Resolution;
use super::targets::{TargetCheck, check_make_just};
use super::{MISSING_SCRIPT_FILE, UNKNOWN_COMMAND};

/// Check `npm run X` / `make X` / `just X` / `node file` references in shell code found in
/// documentation (Markdown code), with severity Warning. `cwd` is the repo-relative directory
/// the commands are meant to run in ("" = root). Lines after the first start at column 1.
pub fn check_command_refs(
    path: &str,
    line: usize,
    column: usize,
    text: &str,
    cwd: &str,
    repo: &Repo,
) -> Vec<Issue> {
    let idx = RepoIndex::new(repo);
    check_command_refs_with(&idx, path, line, column, text, cwd)
}

/// [`check_command_refs`] over an existing index (use this for many snippets).
pub fn check_command_refs_with(
    idx: &RepoIndex,
    path: &str,
    line: usize,
    column: usize,
    text: &str,
    cwd: &str,
) -> Vec<Issue> {
    let cleaned = strip_prompts(text);
    let map = PosMap::verbatim(&cleaned, line, column, 1);
    check_script(idx, path, &cleaned, &map, cwd)
}

/// One command of a documentation code block and where it starts.
#[derive(Debug, Clone, Copy)]
pub struct DocLine<'t> {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters).
    pub column: usize,
    /// The command (prompt stripped, continuation lines joined).
    pub text: &'t str,
}

/// The commands of one code block read as one script, so a `cd` on one line
/// carries to the lines after it.
pub fn check_doc_block(idx: &RepoIndex, path: &str, lines: &[DocLine], cwd: &str) -> Vec<Issue> {
    let Some(first) = lines.first() else {
        return Vec::new();
    };
    let mut script = String::new();
    let mut map = PosMap::at(first.line, first.column);
    let mut off = 0;
    for l in lines {
        if !script.is_empty() {
            script.push('\n');
            off += 1;
        }
        map.push(off, l.line, l.column);
        let text = l.text.replace('\n', " ");
        off += text.chars().count();
        script.push_str(&text);
    }
    check_script(idx, path, &script, &map, cwd)
}

/// Checks the commands of `script`, positioned by `map`, run from `cwd`.
fn check_script(idx: &RepoIndex, path: &str, script: &str, map: &PosMap, cwd: &str) -> Vec<Issue> {
    let cleaned = script;
    let opts = ShellOptions::package_script(Some(cwd.to_string()));
    let cmds: Vec<Command> = shell::parse(cleaned, map, &opts);
    let mut out = Vec::new();
    let mk = |rule: &'static str, at: (usize, usize), message: String| Issue {
        rule,
        severity: Severity::Warning,
        path: path.to_string(),
        line: at.0,
        column: at.1,
        message,
        job: None,
        checks: Vec::new(),
    };
    for f in facts_of(idx, cmds) {
        let at = (f.cmd.line, f.cmd.column);
        let cmd = f.cmd.text();
        match (&f.inv, &f.res) {
            (Invocation::RunScript { script, .. }, Some(Resolution::Missing(p))) => {
                out.push(mk(
                    UNKNOWN_COMMAND,
                    at,
                    format!("`{cmd}`: {} has no `{script}` script", p.path),
                ));
            }
            (Invocation::Make { .. } | Invocation::Just { .. }, _) => {
                if let TargetCheck::Missing { file, name } =
                    check_make_just(idx, &f.inv, f.cmd.cwd.as_deref())
                {
                    out.push(mk(
                        UNKNOWN_COMMAND,
                        at,
                        format!("`{cmd}`: {file} has no `{name}` target"),
                    ));
                }
            }
            (
                Invocation::RunFile {
                    interpreter,
                    path: p,
                    ..
                },
                _,
            ) => {
                if let Some(m) = doc_missing_file(idx, &f.cmd, interpreter, p) {
                    out.push(mk(MISSING_SCRIPT_FILE, at, m));
                }
            }
            _ => {}
        }
    }
    out
}

/// Replace shell prompts (`$ `) at line starts by spaces, keeping positions.
fn strip_prompts(text: &str) -> String {
    text.split('\n')
        .map(|l| {
            let indent = l.len() - l.trim_start().len();
            match l.trim_start().strip_prefix("$ ") {
                Some(rest) => format!("{}  {rest}", l.get(..indent).unwrap_or("")),
                None => l.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}
