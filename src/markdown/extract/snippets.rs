//! Shell commands from shell-ish fenced code blocks and command-like inline code spans.

use super::super::doc::Loaded;
use super::super::{CodeBlock, CodeSnippet};
use super::col_in;

/// Fence languages whose lines are shell commands.
const SHELL_LANGS: &[&str] = &[
    "sh",
    "bash",
    "shell",
    "console",
    "zsh",
    "shell-session",
    "shellsession",
    "sh-session",
    "bash-session",
    "terminal",
];
/// Fence languages that are transcripts (prompted commands, then output).
const CONSOLE_LANGS: &[&str] = &[
    "console",
    "shell-session",
    "shellsession",
    "sh-session",
    "bash-session",
    "terminal",
];
/// First words that make an inline code span a command.
const COMMAND_WORDS: &[&str] = &[
    "npm", "pnpm", "yarn", "bun", "bunx", "npx", "pnpx", "make", "just", "node", "curl", "cd",
];

/// Shell commands from shell-ish fences and command-like inline code spans.
pub(in super::super) fn snippets(d: &Loaded) -> Vec<CodeSnippet> {
    let mut out = Vec::new();
    for (n, b) in d.doc.code_blocks.iter().filter(|b| b.fenced).enumerate() {
        let lang = b.lang.as_deref();
        if lang.is_none_or(|l| SHELL_LANGS.contains(&l)) {
            block_snippets(d, b, n, &mut out);
        }
    }
    for s in &d.doc.code_spans {
        let t = s.text.trim_start();
        let lead = s.text.len() - t.len();
        let (t, prompt) = match t.strip_prefix("$ ") {
            Some(r) => (r.trim_start(), t.len() - r.trim_start().len()),
            None => (t, 0),
        };
        if is_command(t) {
            out.push(CodeSnippet {
                path: d.path.to_string(),
                line: s.line,
                column: col_in(&s.text, lead + prompt, s.column),
                text: t.trim_end().to_string(),
                fenced: false,
                lang: None,
                block: None,
            });
        }
    }
    out.sort_unstable_by_key(|s| (s.line, s.column));
    out
}

/// First word (after `KEY=value` assignments) is one of [`COMMAND_WORDS`].
fn is_command(t: &str) -> bool {
    let first = t
        .split_whitespace()
        .find(|w| !is_assignment(w))
        .unwrap_or("");
    COMMAND_WORDS.contains(&first)
}

/// `KEY=value` prefix assignment (`NODE_ENV=production npm start`).
fn is_assignment(w: &str) -> bool {
    w.split_once('=').is_some_and(|(k, _)| {
        !k.is_empty()
            && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !k.starts_with(|c: char| c.is_ascii_digit())
    })
}

/// Removes a trailing shell comment (` # …` outside quotes).
fn strip_comment(s: &str) -> &str {
    if !s.contains('#') {
        return s;
    }
    let mut quote: Option<u8> = None;
    let mut prev_ws = false;
    for (i, &c) in s.as_bytes().iter().enumerate() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(c),
            (None, b'#') if prev_ws => return s[..i].trim_end(),
            _ => {}
        }
        prev_ws = c.is_ascii_whitespace();
    }
    s
}

/// Strips a shell prompt (`$ `, `% `, `❯ `); returns the command and the prompt's byte length.
fn strip_prompt(s: &str) -> Option<(&str, usize)> {
    for p in ["$ ", "% ", "❯ "] {
        if let Some(r) = s.strip_prefix(p) {
            let cmd = r.trim_start();
            return Some((cmd, s.len() - cmd.len()));
        }
    }
    (s == "$").then_some(("", 1))
}

/// Commands of one fenced block; `\`-continued lines are joined.
fn block_snippets(d: &Loaded, b: &CodeBlock, block: usize, out: &mut Vec<CodeSnippet>) {
    let lang = b.lang.as_deref();
    let console = lang.is_some_and(|l| CONSOLE_LANGS.contains(&l))
        || b.lines
            .iter()
            .any(|l| strip_prompt(l.text.trim_start()).is_some_and(|(c, _)| !c.is_empty()));
    let mut i = 0;
    while i < b.lines.len() {
        let l = &b.lines[i];
        i += 1;
        let body = l.text.trim_start();
        let ws = l.text.len() - body.len();
        let (cmd, off) = if console {
            match strip_prompt(body) {
                Some((c, p)) => (c, ws + p),
                None => continue, // output line
            }
        } else {
            (body, ws)
        };
        if cmd.trim().is_empty()
            || cmd.starts_with('#')
            || (lang.is_none() && !looks_like_command(cmd))
        {
            continue;
        }
        let mut text = strip_comment(cmd).trim_end().to_string();
        while text.ends_with('\\') && i < b.lines.len() {
            text.pop();
            let next = b.lines[i].text.trim();
            let next = if console {
                strip_continuation_prompt(next)
            } else {
                next
            };
            let next = strip_comment(next);
            text = format!("{} {}", text.trim_end(), next);
            i += 1;
        }
        out.push(CodeSnippet {
            path: d.path.to_string(),
            line: l.line,
            column: col_in(l.text, off, l.column),
            text: text.trim_end_matches('\\').trim_end().to_string(),
            fenced: true,
            lang: b.lang.as_deref().map(str::to_string),
            block: Some(block),
        });
    }
}

/// Continuation lines in console transcripts may carry a `> ` (PS2) or `$ ` prompt.
fn strip_continuation_prompt(s: &str) -> &str {
    match s.strip_prefix("> ") {
        Some(r) => r.trim_start(),
        None => strip_prompt(s).map_or(s, |(c, _)| c),
    }
}

/// For language-less fences: skip trees, JSON, tables and prose bullets.
fn looks_like_command(s: &str) -> bool {
    let Some(c) = s.chars().next() else {
        return false;
    };
    let first = s.split_whitespace().next().unwrap_or("");
    (c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '_'))
        && first.chars().any(|c| c.is_ascii_alphabetic())
        && !s.ends_with(':')
        && !s.ends_with(',')
}
