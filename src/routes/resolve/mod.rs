//! Cross-file resolution: which files to read, router nodes and mount edges, prefix
//! composition, constant evaluation, and emission of routes and undecided notes.

mod constants;
mod frameworks;
mod graph;
mod modules;
mod mounts;
mod output;
mod prefixes;
mod refs;
mod select;

use std::collections::HashMap;

use super::facts::{Facts, PathExpr, ScopeId, Use};
use super::lex::LineIndex;
use super::{Framework, ImportBinding, RouteTable, SourceFile};

pub(super) use self::frameworks::framework_of_spec;
pub(super) use self::modules::parent_dir;
pub(super) use self::select::eligible;

/// Work budget for reference resolution per extraction.
const BUDGET: usize = 200_000;

/// A router node: one identifier in one scope of one file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Key {
    file: usize,
    scope: ScopeId,
    name: String,
}

#[derive(Debug)]
struct Node {
    key: Key,
    declared: bool,
    framework: Option<Framework>,
    own: Option<PathExpr>,
}

/// A path evaluation: the text, or why not plus the static head before the unknown part.
pub(super) type Evaluated = Result<String, (String, String)>;

#[derive(Debug)]
struct Edge {
    parent: usize,
    prefix: Evaluated,
}

/// A note waiting for its parent's prefixes.
struct PendingNote {
    parent: usize,
    head: String,
    reason: String,
    file: usize,
    off: u32,
}

/// Result of resolving a reference.
#[derive(Default)]
struct Res {
    nodes: Vec<usize>,
    /// Could not be resolved (run-time value, missing file).
    unknown: bool,
}

impl Res {
    fn merge(&mut self, o: Res) {
        for n in o.nodes {
            if !self.nodes.contains(&n) {
                self.nodes.push(n);
            }
        }
        self.unknown |= o.unknown;
    }
    fn unknown() -> Res {
        Res {
            nodes: Vec::new(),
            unknown: true,
        }
    }
}

/// How a resolved function is used.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    Value,
    Call,
    Param(usize),
}

impl From<Use> for Ctx {
    fn from(u: Use) -> Ctx {
        match u {
            Use::Value => Ctx::Value,
            Use::Param(k) => Ctx::Param(k),
        }
    }
}

/// The whole extraction: files, their facts, the router graph and the output.
pub(super) struct World<'a> {
    files: &'a [SourceFile<'a>],
    by_path: HashMap<&'a str, usize>,
    /// Facts per file (`None` = not read).
    pub(super) facts: Vec<Option<Facts>>,
    given: HashMap<(&'a str, &'a str), &'a ImportBinding>,
    given_by_file: HashMap<&'a str, Vec<&'a ImportBinding>>,
    given_spec: HashMap<(&'a str, &'a str), &'a str>,
    nodes: Vec<Node>,
    index: HashMap<Key, usize>,
    by_scope: HashMap<(usize, ScopeId), Vec<usize>>,
    /// The only framework any router was constructed with, if exactly one.
    single_framework: Option<Framework>,
    edges: Vec<Edge>,
    in_edges: Vec<Vec<usize>>,
    out_edges: Vec<usize>,
    budget: usize,
    lines: HashMap<usize, LineIndex<'a>>,
    /// The table being built.
    pub(super) out: RouteTable,
    notes: Vec<PendingNote>,
    memo: HashMap<usize, Vec<String>>,
}

/// Runs the whole extraction.
pub(super) fn run(files: &[SourceFile<'_>], imports: &[ImportBinding]) -> RouteTable {
    let mut w = World::new(files, imports);
    w.analyze_all();
    w.build_nodes();
    w.build_edges();
    w.emit_routes();
    w.emit_notes();
    super::files::emit(&mut w);
    w.emit_nest();
    w.finish()
}

impl<'a> World<'a> {
    fn new(files: &'a [SourceFile<'a>], imports: &'a [ImportBinding]) -> Self {
        let mut given = HashMap::new();
        let mut given_spec = HashMap::new();
        let mut given_by_file: HashMap<&str, Vec<&ImportBinding>> = HashMap::new();
        for b in imports {
            given.insert((b.file.as_str(), b.local.as_str()), b);
            given_by_file.entry(b.file.as_str()).or_default().push(b);
            if let Some(s) = &b.source {
                given_spec.insert((b.file.as_str(), b.specifier.as_str()), s.as_str());
            }
        }
        World {
            files,
            by_path: files.iter().enumerate().map(|(i, f)| (f.path, i)).collect(),
            facts: files.iter().map(|_| None).collect(),
            given,
            given_by_file,
            given_spec,
            nodes: Vec::new(),
            index: HashMap::new(),
            by_scope: HashMap::new(),
            single_framework: None,
            edges: Vec::new(),
            in_edges: Vec::new(),
            out_edges: Vec::new(),
            budget: BUDGET,
            lines: HashMap::new(),
            out: RouteTable::default(),
            notes: Vec::new(),
            memo: HashMap::new(),
        }
    }

    /// Path of file `i`.
    pub(super) fn path(&self, i: usize) -> &'a str {
        self.files.get(i).map_or("", |f| f.path)
    }

    /// Number of files.
    pub(super) fn file_count(&self) -> usize {
        self.files.len()
    }

    fn facts(&self, i: usize) -> Option<&Facts> {
        self.facts.get(i).and_then(Option::as_ref)
    }

    /// Facts of file `i` (for the file-based and NestJS emitters).
    pub(super) fn facts_of(&self, i: usize) -> Option<&Facts> {
        self.facts(i)
    }
}
