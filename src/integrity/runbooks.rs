//! The repository's Markdown (README, runbooks, `docs/**`): links and paths
//! to nothing, commands naming scripts or targets that do not exist, and
//! what the runbooks list (endpoints, variables) for the other rules.

use super::endpoints::Mention;
use super::rules;
use crate::ci::{self, RepoIndex};
use crate::markdown::{self, CodeSnippet, EnvMention};
use crate::model::{Finding, Location, Severity};

/// What the Markdown says, checked and extracted.
#[derive(Default)]
pub struct Runbooks {
    /// Link, anchor, path and command findings.
    pub findings: Vec<Finding>,
    /// Endpoints listed in health/smoke sections and `curl` commands.
    pub endpoints: Vec<Mention>,
    /// Variables listed under environment/configuration headings.
    pub env_vars: Vec<EnvMention>,
    /// Markdown files read.
    pub files: usize,
}

fn severity(s: markdown::Severity) -> Severity {
    match s {
        markdown::Severity::Error => Severity::Error,
        markdown::Severity::Warning => Severity::Warning,
        markdown::Severity::Note => Severity::Note,
    }
}

/// Directories whose Markdown is test data (fixtures, fuzz corpora), generated
/// or vendored, not docs.
const NOT_DOCS: &[&str] = &[
    "node_modules",
    "vendor",
    "fixtures",
    "__fixtures__",
    "testdata",
    "test-data",
    "golden",
    "snapshots",
    "__snapshots__",
    "corpus",
];

/// Whether a path is Markdown the repository's people read.
fn is_doc(path: &str) -> bool {
    markdown::is_markdown_path(path) && !path.split('/').any(|s| NOT_DOCS.contains(&s))
}

/// Commands a line of an unlabelled code block must start with to be read
/// as shell (such blocks also hold directory trees, output and config).
const COMMANDS: &[&str] = &[
    "npm", "pnpm", "yarn", "bun", "bunx", "npx", "pnpx", "make", "just", "node", "deno", "tsx",
    "ts-node", "bash", "sh", "python", "python3", "cd", "curl",
];

/// Whether a snippet is shell: a labelled shell block, an inline command, or
/// a line of an unlabelled block that starts with a known command or `./`.
fn is_shell(s: &CodeSnippet) -> bool {
    if !s.fenced || s.lang.is_some() {
        return true;
    }
    let text = s.text.trim_start();
    let first = text.split_whitespace().next().unwrap_or("");
    text.starts_with("./") || COMMANDS.contains(&first)
}

/// The directory of a repo-relative path ("" for the root).
fn dir_of(path: &str) -> &str {
    path.rsplit_once('/').map_or("", |(d, _)| d)
}

/// `rel` joined to `dir`, with `.` and `..` resolved (`None` above the root).
fn join(dir: &str, rel: &str) -> Option<String> {
    let mut parts: Vec<&str> = if rel.starts_with('/') {
        Vec::new()
    } else {
        dir.split('/').filter(|s| !s.is_empty()).collect()
    };
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// A runbook's commands are run from its package's root (the nearest
/// directory with a `package.json`, else the repository root), or from its
/// own directory: whichever reading leaves fewer commands unresolved.
fn commands_issues(idx: &RepoIndex, doc: &str, lines: &[ci::DocLine]) -> Vec<ci::Issue> {
    let own = dir_of(doc);
    let root = idx
        .nearest(own, &["package.json"])
        .map_or(String::new(), |p| dir_of(&p).to_string());
    let issues = ci::check_doc_block(idx, doc, lines, &root);
    if issues.is_empty() || root == own {
        return issues;
    }
    let beside = ci::check_doc_block(idx, doc, lines, own);
    if beside.len() < issues.len() {
        beside
    } else {
        issues
    }
}

/// The Markdown files `docs` link to (their anchors are checked against them).
fn linked_docs(docs: &[String], read: &dyn Fn(&str) -> Option<Vec<u8>>) -> Vec<String> {
    let mut out = Vec::new();
    for d in docs {
        let Some(bytes) = read(d) else { continue };
        let text = String::from_utf8_lossy(&bytes);
        for l in markdown::parse(&text).links {
            let dest = l.dest.split(['#', '?']).next().unwrap_or("");
            if dest.contains(':') || dest.starts_with("//") || !markdown::is_markdown_path(dest) {
                continue;
            }
            if let Some(p) = join(dir_of(d), dest) {
                out.push(p);
            }
        }
    }
    out
}

/// Reads the Markdown among `docs` against every path in the index. With
/// `whole` false (a change), only `docs` and the Markdown they link to are read.
pub fn check(
    idx: &RepoIndex,
    docs: &[String],
    whole: bool,
    read: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Runbooks {
    let md: Vec<String> = docs.iter().filter(|p| is_doc(p)).cloned().collect();
    if md.is_empty() {
        return Runbooks::default();
    }
    // Links resolve against every path, anchors against the documents read;
    // findings are kept for the Markdown of `docs` only.
    let mut sources: Vec<String> = if whole {
        Vec::new()
    } else {
        linked_docs(&md, read)
    };
    sources.extend(md.iter().cloned());
    sources.sort();
    sources.dedup();
    let scoped = |p: &str| {
        if whole
            || !markdown::is_markdown_path(p)
            || sources.binary_search_by(|s| s.as_str().cmp(p)).is_ok()
        {
            read(p)
        } else {
            None
        }
    };
    let analysis = markdown::analyze(idx.files(), &scoped);
    let mut findings: Vec<Finding> = analysis
        .issues
        .iter()
        .filter(|i| md.binary_search(&i.path).is_ok())
        .map(|i| {
            Finding::of(
                rules::get(i.rule),
                i.message.clone(),
                Location::span(&i.path, (i.line, i.column), (i.line, i.column)),
                &i.message,
            )
            .at(severity(i.severity))
        })
        .collect();
    let shell: Vec<&CodeSnippet> = analysis
        .snippets
        .iter()
        .filter(|s| is_shell(s) && md.binary_search(&s.path).is_ok())
        .collect();
    // The lines of one fenced block are one script; a span stands alone.
    for group in shell.chunk_by(|a, b| a.block.is_some() && a.block == b.block && a.path == b.path)
    {
        let Some(first) = group.first() else { continue };
        let lines: Vec<ci::DocLine> = group
            .iter()
            .map(|s| ci::DocLine {
                line: s.line,
                column: s.column,
                text: &s.text,
            })
            .collect();
        for issue in commands_issues(idx, &first.path, &lines) {
            findings.push(super::finding(&issue));
        }
    }
    let endpoints = analysis
        .endpoints
        .iter()
        .filter(|e| md.binary_search(&e.path).is_ok())
        // A templated host cut at its inner space (`https://${{ secrets.X }}/…` in prose).
        .filter(|e| !e.url_or_path.contains("{{") || e.url_or_path.contains("}}"))
        .map(|e| Mention {
            method: e.method.clone(),
            target: e.url_or_path.clone(),
            path: e.path.clone(),
            line: e.line,
            column: e.column,
        })
        .collect();
    let env_vars = analysis
        .env_vars
        .into_iter()
        .filter(|e| md.binary_search(&e.path).is_ok())
        .collect();
    Runbooks {
        findings,
        endpoints,
        env_vars,
        files: md.len(),
    }
}
