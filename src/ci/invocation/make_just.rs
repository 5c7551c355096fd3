//! `make [targets]` with `-C`/`-f`, and `just [recipe]` with `-d`/`-f`.

use super::super::shell::Word;
use super::Invocation;
use super::flags::split_flag;

/// Read a `make …` command line.
pub(super) fn make(rest: &[Word]) -> Invocation {
    let mut targets = Vec::new();
    let mut dir = None;
    let mut file = None;
    let mut it = rest.iter().peekable();
    while let Some(w) = it.next() {
        let t = w.text.as_str();
        if let Some(flag) = t.strip_prefix('-').filter(|f| !f.is_empty()) {
            let (n, inline) = split_flag(t);
            let value = |it: &mut std::iter::Peekable<std::slice::Iter<Word>>| {
                inline
                    .map(str::to_string)
                    .or_else(|| it.next().map(|v| v.text.clone()))
            };
            match n {
                "-C" | "--directory" => dir = value(&mut it),
                "-f" | "--file" | "--makefile" => file = value(&mut it),
                "-I" | "--include-dir" | "-o" | "--old-file" | "-W" | "--what-if"
                | "--new-file" | "--assume-new" | "--assume-old" => {
                    if inline.is_none() {
                        it.next();
                    }
                }
                "-j" | "--jobs" | "-l" | "--load-average" => {
                    if it
                        .peek()
                        .is_some_and(|v| v.text.chars().all(|c| c.is_ascii_digit() || c == '.'))
                    {
                        it.next();
                    }
                }
                _ => {
                    if let Some(d) = flag.strip_prefix('C').filter(|d| !d.is_empty()) {
                        dir = Some(d.to_string());
                    } else if let Some(f) = flag.strip_prefix('f').filter(|f| !f.is_empty()) {
                        file = Some(f.to_string());
                    }
                }
            }
            continue;
        }
        if t.contains('=') {
            continue;
        }
        targets.push(w.clone());
    }
    Invocation::Make { targets, dir, file }
}

/// Read a `just …` command line.
pub(super) fn just(rest: &[Word]) -> Invocation {
    let mut dir = None;
    let mut file = None;
    let mut it = rest.iter();
    while let Some(w) = it.next() {
        let t = w.text.as_str();
        if t.starts_with('-') && t.len() > 1 {
            let (n, inline) = split_flag(t);
            match n {
                "-f" | "--justfile" => dir_or(&mut file, inline, &mut it),
                "-d" | "--working-directory" => dir_or(&mut dir, inline, &mut it),
                "--set" => {
                    it.next();
                    it.next();
                }
                "--dotenv-path" | "--dotenv-filename" | "--shell" | "--shell-arg" | "--color"
                | "--command-color" | "--chooser" | "--list-heading" | "--list-prefix"
                    if inline.is_none() =>
                {
                    it.next();
                }
                "-l" | "--list" | "--summary" | "--dump" | "--evaluate" | "--show" | "-s"
                | "--choose" | "--init" | "--fmt" | "--edit" | "-e" | "--variables"
                | "--completions" | "--groups" | "--changelog" | "-h" | "--help" | "-V"
                | "--version" | "--command" | "-c" => {
                    return Invocation::Just {
                        recipe: None,
                        dir,
                        file,
                    };
                }
                _ => {}
            }
            continue;
        }
        if t.contains('=') {
            continue;
        }
        let recipe = (!t.contains('/') && !t.contains("::") && w.is_literal()).then(|| w.clone());
        return Invocation::Just { recipe, dir, file };
    }
    Invocation::Just {
        recipe: None,
        dir,
        file,
    }
}

/// Set `slot` from an inline `--flag=value` or the next word.
fn dir_or(slot: &mut Option<String>, inline: Option<&str>, it: &mut std::slice::Iter<Word>) {
    *slot = inline
        .map(str::to_string)
        .or_else(|| it.next().map(|v| v.text.clone()));
}
