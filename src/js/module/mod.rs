//! Module syntax extraction: imports (ESM, CommonJS, dynamic, TS `import = require`,
//! globs) and exports, from one file's bytes.
//!
//! - `parser`: the token-level parser core (lookahead, literals, dispatch on keywords).
//! - `imports`: ESM imports, dynamic `import()`, `import.meta.glob`, `new URL(…)`.
//! - `require`: CommonJS `require`, `require.context`, declarations and directory loaders.
//! - `exports`: ESM exports and CommonJS `module.exports`/`exports.x`.
//! - `html`: `<script>` blocks of HTML, Vue, Svelte and Astro files.

mod exports;
mod html;
mod imports;
mod parser;
mod require;

use memchr::memmem;

use super::files;

use self::html::{astro_frontmatter, parse_html, script_blocks};
use self::parser::Parser;

/// How a module is pulled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportKind {
    /// `import … from "m"`.
    Static,
    /// `import "m"` (no bindings).
    SideEffect,
    /// `export { … } from "m"` / `export * as ns from "m"`.
    ReExport,
    /// `export * from "m"`.
    ReExportAll,
    /// `require("m")`.
    Require,
    /// `import("m")` with a literal, or `new URL("m", import.meta.url)`.
    Dynamic,
    /// TS `import x = require("m")`.
    ImportEquals,
    /// A set of files: `import.meta.glob("./p/*.ts")`, `require.context("./d")`, or a dynamic
    /// import/require whose argument starts with a literal prefix (`` import(`./pages/${p}.js`) ``,
    /// `require("./routes/" + f)`); the specifier is a glob where `*` stands for the unknown part.
    Glob,
    /// `<script src="m">` in an HTML file.
    HtmlScript,
}

/// What a binding takes from the imported module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Imported {
    /// The default export.
    Default,
    /// A named export.
    Named(String),
    /// The whole module (`* as ns`, `const x = require("m")`, `import x = require("m")`).
    Namespace,
}

/// One local name bound by an import (for re-exports: the exported name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// What is taken from the module.
    pub imported: Imported,
    /// The local (or re-exported) name.
    pub local: String,
}

/// One import of a module.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Import {
    /// The specifier as written (string contents, escapes undone).
    pub specifier: String,
    /// Which syntax.
    pub kind: ImportKind,
    /// `import type`/`export type … from`, or every named binding marked `type`.
    pub type_only: bool,
    /// Names bound (empty when none or unknown).
    pub bindings: Vec<Binding>,
    /// 1-based line of the specifier string literal.
    pub line: usize,
    /// 1-based column (in characters) of the specifier string literal's opening quote.
    pub column: usize,
}

/// One exported name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Export {
    /// Exported name (`default` for `export default` and `module.exports =`).
    pub name: String,
    /// The local identifier it exports, when that is a plain identifier.
    pub local: Option<String>,
    /// 1-based line of the exported name (or of `default`/`module`).
    pub line: usize,
    /// 1-based column in characters.
    pub column: usize,
}

/// Module syntax of one file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ModuleInfo {
    /// Imports in source order.
    pub imports: Vec<Import>,
    /// Exports in source order.
    pub exports: Vec<Export>,
}

/// Extract module syntax from one file. `.html`, `.vue`, `.svelte` and `.astro` files have
/// their `<script>` blocks (and Astro front matter) read; HTML `<script src>` becomes an
/// [`ImportKind::HtmlScript`] import. Files with none of `import`/`require`/`export` in them
/// cost a few memchr scans.
pub fn parse_module(path: &str, text: &[u8]) -> ModuleInfo {
    let mut out = ModuleInfo::default();
    match files::ext(path) {
        "html" | "htm" => parse_html(text, &mut out),
        "vue" | "svelte" => {
            for (s, e) in script_blocks(text).into_iter().filter_map(|b| b.body) {
                parse_range(text, s, e, &mut out);
            }
        }
        "astro" => {
            if let Some((s, e)) = astro_frontmatter(text) {
                parse_range(text, s, e, &mut out);
            }
            for (s, e) in script_blocks(text).into_iter().filter_map(|b| b.body) {
                parse_range(text, s, e, &mut out);
            }
        }
        _ => parse_range(text, 0, text.len(), &mut out),
    }
    out
}

fn has_module_syntax(text: &[u8]) -> bool {
    memmem::find(text, b"import").is_some()
        || memmem::find(text, b"require").is_some()
        || memmem::find(text, b"export").is_some()
        || memmem::find(text, b"URL(").is_some()
}

fn parse_range(text: &[u8], start: usize, end: usize, out: &mut ModuleInfo) {
    let Some(slice) = text.get(start..end) else {
        return;
    };
    if !has_module_syntax(slice) {
        return;
    }
    let mut p = Parser::new(text, start, end, out);
    p.run();
}

/// Incremental 1-based line/column (characters) for increasing offsets.
struct LineCol<'s> {
    src: &'s [u8],
    pos: usize,
    line: usize,
    col: usize,
}

impl<'s> LineCol<'s> {
    fn at(&mut self, target: usize) -> (usize, usize) {
        let target = target.min(self.src.len());
        if target < self.pos {
            self.pos = 0;
            self.line = 1;
            self.col = 1;
        }
        let seg = self.src.get(self.pos..target).unwrap_or(&[]);
        match memchr::memrchr(b'\n', seg) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', seg).count();
                self.col = 1 + chars(seg.get(last + 1..).unwrap_or(&[]));
            }
            None => self.col += chars(seg),
        }
        self.pos = target;
        (self.line, self.col)
    }
}

fn chars(b: &[u8]) -> usize {
    b.iter().filter(|&&c| (c & 0xC0) != 0x80).count()
}
