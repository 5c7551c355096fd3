//! `docs`: integrity checks over a repository's own Markdown (README, runbooks, `docs/**`).
//!
//! Pure analysis: the caller hands over the repo-relative file list and a reader closure.
//! Rules: `integrity/broken-link`, `integrity/broken-anchor`, `integrity/missing-path`.
//! Extraction for the lead (no verdicts): shell snippets, runbook env vars, runbook endpoints.

mod block;
mod doc;
mod extract;
mod html;
mod inline;
mod par;
mod repo;
mod rules;
mod slug;
mod slug_table;

#[cfg(test)]
mod slug_fixtures;
#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests;

use std::borrow::Cow;

pub use self::doc::parse;
pub use self::slug::{Slugger, slug};

/// Rule id: relative Markdown link/image to a file or directory that does not exist.
pub const RULE_BROKEN_LINK: &str = "integrity/broken-link";
/// Rule id: `#anchor` / `file.md#anchor` whose heading slug does not exist in the target.
pub const RULE_BROKEN_ANCHOR: &str = "integrity/broken-anchor";
/// Rule id: an inline-code file path in prose that does not exist.
pub const RULE_MISSING_PATH: &str = "integrity/missing-path";

/// Largest Markdown file scanned (bytes); bigger files get a note and are skipped.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Definitely wrong and blocking.
    Error,
    /// Very likely wrong.
    Warning,
    /// Could not be decided, or low impact.
    Note,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Rule id, one of the `RULE_*` constants.
    pub rule: &'static str,
    /// Severity.
    pub severity: Severity,
    /// Repo-relative path of the Markdown file.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
    /// Human-readable explanation.
    pub message: String,
}

/// A shell command found in a Markdown file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSnippet {
    /// Repo-relative path of the Markdown file.
    pub path: String,
    /// 1-based line of the command's first character.
    pub line: usize,
    /// 1-based column (characters) of the command's first character.
    pub column: usize,
    /// The command; `\`-continued lines are joined with a space, `$ ` prompts stripped.
    pub text: String,
    /// `true` for fenced code block lines, `false` for inline code spans.
    pub fenced: bool,
    /// Lowercased fence language (`bash`, `console`, …); `None` for no language or spans.
    pub lang: Option<String>,
    /// Which fenced block of the file the line belongs to (`None` for spans):
    /// the lines of one block are one script.
    pub block: Option<usize>,
}

/// An environment-variable name listed by a runbook under an env/config/secrets heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvMention {
    /// Repo-relative path of the Markdown file.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters) of the name.
    pub column: usize,
    /// The `UPPER_SNAKE` name.
    pub name: String,
}

/// A URL or path a runbook lists as a health/smoke/verification endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointMention {
    /// Repo-relative path of the Markdown file.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters) of the URL/path.
    pub column: usize,
    /// Explicit HTTP method (`GET /x`, `curl -X POST`), uppercase.
    pub method: Option<String>,
    /// The URL or path as written (trailing punctuation trimmed).
    pub url_or_path: String,
}

/// Everything the module produces, from one read of each Markdown file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Analysis {
    /// Rule findings, sorted by path, line, column.
    pub issues: Vec<Issue>,
    /// Shell snippets (see [`code_snippets`]).
    pub snippets: Vec<CodeSnippet>,
    /// Env var mentions (see [`runbook_env_vars`]).
    pub env_vars: Vec<EnvMention>,
    /// Endpoint mentions (see [`runbook_endpoints`]).
    pub endpoints: Vec<EndpointMention>,
}

/// Kind of a link-like construct.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkKind {
    /// `[text](dest "title")` or `![alt](src)`.
    Inline,
    /// `[text][ref]`, `[ref][]`, `[ref]` resolved through a definition (position = definition's destination).
    Reference,
    /// `<scheme:…>` or `<user@host>`.
    Autolink,
    /// `<a href>` / `<img src>` in raw HTML.
    Html,
}

/// A link or image destination (borrows from the parsed text where it can).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link<'a> {
    /// Destination with escapes and entities resolved (not percent-decoded).
    pub dest: Cow<'a, str>,
    /// 1-based line of the destination's first character.
    pub line: usize,
    /// 1-based column (characters) of the destination's first character.
    pub column: usize,
    /// Image rather than link.
    pub image: bool,
    /// Syntax used.
    pub kind: LinkKind,
    /// Link text / alt text, raw (truncated to 200 bytes).
    pub text: Cow<'a, str>,
}

/// An inline code span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeSpan<'a> {
    /// Content, normalised as CommonMark does (newlines → spaces, one padding space stripped).
    pub text: Cow<'a, str>,
    /// 1-based line of the content's first character.
    pub line: usize,
    /// 1-based column (characters) of the content's first character.
    pub column: usize,
    /// The span is (part of) a link's or image's text.
    pub in_link: bool,
}

/// One line of a code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeLine<'a> {
    /// 1-based line.
    pub line: usize,
    /// 1-based column (characters) where the line's code starts (after fence indentation).
    pub column: usize,
    /// The code text of this line.
    pub text: &'a str,
}

/// A fenced or indented code block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock<'a> {
    /// Fenced (``` / ~~~) rather than indented.
    pub fenced: bool,
    /// First word of the info string, lowercased (`bash`, `console`, …).
    pub lang: Option<Cow<'a, str>>,
    /// Whole info string.
    pub info: &'a str,
    /// 1-based line of the opening fence (or first indented line).
    pub line: usize,
    /// Content lines.
    pub lines: Vec<CodeLine<'a>>,
    /// Whether a closing fence was found (unclosed fences run to end of file).
    pub closed: bool,
}

/// A heading with its GitHub slug.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading<'a> {
    /// 1..=6.
    pub level: u8,
    /// 1-based line of the heading text.
    pub line: usize,
    /// Plain text (inline markup stripped) as github-slugger sees it.
    pub text: Cow<'a, str>,
    /// Unique slug within the document (github-slugger with duplicate counter).
    pub slug: String,
}

/// Block classification of a source line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LineKind {
    /// Whitespace only.
    Blank,
    /// YAML/TOML front matter.
    FrontMatter,
    /// Paragraph text (including list item text).
    Text,
    /// A GFM table row (header, delimiter or body).
    TableRow,
    /// ATX heading, setext heading text or underline.
    Heading,
    /// Opening or closing code fence.
    FenceMarker,
    /// Content of a fenced or indented code block.
    Code,
    /// Raw HTML block.
    Html,
    /// HTML comment block.
    Comment,
    /// `---`, `***`, `___`.
    ThematicBreak,
}

/// Per-line block information.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineInfo {
    /// Classification.
    pub kind: LineKind,
    /// Inside an open list item.
    pub in_list: bool,
    /// A list item marker starts on this line.
    pub list_item: bool,
    /// Byte offset in the line where block content starts (after `>`/list markers/indent).
    pub content_start: usize,
}

/// A parsed Markdown document; strings borrow from the source text where possible.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document<'a> {
    /// Headings in order.
    pub headings: Vec<Heading<'a>>,
    /// Links and images outside code, in order of appearance.
    pub links: Vec<Link<'a>>,
    /// Inline code spans, in order.
    pub code_spans: Vec<CodeSpan<'a>>,
    /// Fenced and indented code blocks.
    pub code_blocks: Vec<CodeBlock<'a>>,
    /// Valid fragment targets: heading slugs, HTML `id`/`name`, `{#custom-id}`.
    pub anchors: std::collections::HashSet<String>,
    /// One entry per source line.
    pub lines: Vec<LineInfo>,
}

/// Whether `path` names a Markdown file (`.md`, `.markdown`, `.mdx`; case-insensitive).
pub fn is_markdown_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.ends_with(".md") || lower.ends_with(".markdown") || lower.ends_with(".mdx")
}

/// Runs all rules and all extractions, reading each Markdown file once.
/// Large inputs are parsed and checked on a few scoped threads (results stay in input order).
pub fn analyze(files: &[String], read: &dyn Fn(&str) -> Option<Vec<u8>>) -> Analysis {
    let repo = self::repo::RepoIndex::new(files, read);
    let sources = self::doc::load_sources(files, read);
    let set = self::doc::DocSet::new(&sources);
    let per_doc = self::par::map(set.docs(), set.threads(), |d| {
        (
            self::rules::check_doc(d, &set, &repo),
            self::extract::snippets(d),
            self::extract::env_vars(d),
            self::extract::endpoints(d),
        )
    });
    let mut a = Analysis::default();
    for (issues, snippets, env, endpoints) in per_doc {
        a.issues.extend(issues);
        a.snippets.extend(snippets);
        a.env_vars.extend(env);
        a.endpoints.extend(endpoints);
    }
    self::rules::sort_issues(&mut a.issues);
    a
}

/// Runs the three `integrity/*` rules over every Markdown file in `files`.
pub fn check(files: &[String], read: &dyn Fn(&str) -> Option<Vec<u8>>) -> Vec<Issue> {
    let repo = self::repo::RepoIndex::new(files, read);
    let sources = self::doc::load_sources(files, read);
    self::rules::check_all(&self::doc::DocSet::new(&sources), &repo)
}

/// Shell-ish commands: lines of `sh`/`bash`/`shell`/`console`/`zsh`/no-language fences and
/// inline code spans starting with npm/pnpm/yarn/bun/npx/make/just/node/curl/cd.
pub fn code_snippets(files: &[String], read: &dyn Fn(&str) -> Option<Vec<u8>>) -> Vec<CodeSnippet> {
    let sources = self::doc::load_sources(files, read);
    self::doc::DocSet::new(&sources)
        .iter()
        .flat_map(self::extract::snippets)
        .collect()
}

/// `UPPER_SNAKE` names listed under environment/config/variables/secrets headings.
pub fn runbook_env_vars(
    files: &[String],
    read: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Vec<EnvMention> {
    let sources = self::doc::load_sources(files, read);
    self::doc::DocSet::new(&sources)
        .iter()
        .flat_map(self::extract::env_vars)
        .collect()
}

/// Paths/URLs listed under health/smoke/post-deploy/verification/endpoint headings
/// (plus health-like paths such as `/health`, `/readyz` anywhere).
pub fn runbook_endpoints(
    files: &[String],
    read: &dyn Fn(&str) -> Option<Vec<u8>>,
) -> Vec<EndpointMention> {
    let sources = self::doc::load_sources(files, read);
    self::doc::DocSet::new(&sources)
        .iter()
        .flat_map(self::extract::endpoints)
        .collect()
}
