//! The `scan` stage: match the rule packs against the files a walk hands over
//! (tree, tracked) or against the lines a change adds (diff).

pub mod config;
pub mod diff;
mod file;
mod large;
pub mod scope;

pub use diff::DiffSpec;
pub use file::{Origin, scan_text};

use crate::model::{Finding, Location, RuleMeta, Severity, StageOutcome};
use crate::rules::Ruleset;
use crate::secrets::Redactor;
use crate::walk::{Visitor, WalkFile};
use config::ScanConfig;
use globset::GlobSet;
use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

/// A file that could not be read.
pub const UNREADABLE: RuleMeta = RuleMeta {
    id: "scan/unreadable-file",
    title: "File could not be read",
    severity: Severity::Error,
    help: "Fix the permissions or remove the file; the scan is incomplete until every file can be read.",
    security: false,
};
/// A file that was not scanned: not text and not a known binary format, or not a regular file.
pub const NOT_SCANNED: RuleMeta = RuleMeta {
    id: "scan/not-scanned",
    title: "File not scanned",
    severity: Severity::Warning,
    help: "shipgate could not read this file as text, so secrets in it would go unseen. Remove it from the repository, or ignore it with a reason (`[[ignore]] path = …`) if it is safe. The `release` profile fails on it.",
    security: false,
};

/// The rules the scan stage emits besides the rule packs'.
pub const RULES: &[RuleMeta] = &[UNREADABLE, NOT_SCANNED];

/// Which files to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The working tree, honouring `.gitignore`.
    Tree,
    /// Exactly the files git tracks (ignore rules do not apply).
    Tracked,
    /// Only the lines changes add (one range, or each range a push sends).
    Diff(Vec<DiffSpec>),
}

/// What to scan.
#[derive(Debug, Clone)]
pub struct ScanRequest {
    /// File selection.
    pub target: Target,
    /// Repo-relative paths to limit the scan to (empty: everything).
    pub paths: Vec<String>,
}

struct FileFilter {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl FileFilter {
    fn new(config: &ScanConfig) -> Result<Self, String> {
        let include = if config.include.is_empty() {
            None
        } else {
            Some(crate::glob::glob_set(&config.include).map_err(|e| e.to_string())?)
        };
        let exclude = crate::glob::glob_set(&config.exclude).map_err(|e| e.to_string())?;
        Ok(FileFilter { include, exclude })
    }

    fn wants(&self, rel: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(rel)) && !self.exclude.is_match(rel)
    }
}

#[derive(Default)]
struct Stats {
    scanned: AtomicU64,
    bytes: AtomicU64,
    binary: AtomicU64,
    large: AtomicU64,
    unreadable: AtomicU64,
    not_scanned: AtomicU64,
}

/// The scan stage as a walk visitor: matches every file it is handed.
pub struct Scanner<'a> {
    rules: &'a Ruleset,
    filter: FileFilter,
    max_size: u64,
    redactor: &'a Redactor,
    findings: Mutex<Vec<Finding>>,
    problems: Mutex<Vec<String>>,
    stats: Stats,
    started: Instant,
}

/// How a file's content is classified before matching.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Text (possibly with a stray NUL byte): scanned.
    Text,
    /// A known binary format (by magic number or extension): skipped, counted.
    Binary,
    /// NUL-heavy content of no known format: not scanned, reported.
    Unknown,
}

const BINARY_EXTENSIONS: &[&str] = &[
    "png", "jpg", "jpeg", "gif", "webp", "ico", "bmp", "tiff", "avif", "heic", "psd", "pdf", "zip",
    "gz", "tgz", "bz2", "xz", "zst", "7z", "rar", "tar", "jar", "war", "class", "woff", "woff2",
    "ttf", "otf", "eot", "mp3", "mp4", "m4a", "wav", "ogg", "webm", "mov", "avi", "wasm", "so",
    "dylib", "dll", "exe", "o", "a", "lib", "bin", "pyc", "node", "sqlite", "sqlite3", "db",
    "parquet", "avro", "pack", "idx", "keystore", "p12", "pfx", "der",
];

const MAGIC: &[&[u8]] = &[
    b"\x89PNG",
    b"\xff\xd8\xff",
    b"GIF8",
    b"%PDF",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"\x7fELF",
    b"\0asm",
    b"MZ",
    b"\xca\xfe\xba\xbe",
    b"\xcf\xfa\xed\xfe",
    b"BZh",
    b"\xfd7zXZ",
    b"SQLite format 3",
    b"RIFF",
    b"OggS",
    b"wOFF",
    b"wOF2",
];

/// Classifies content like ripgrep would: one stray NUL does not make a file
/// binary; a known format or NUL-heavy content does.
pub fn classify(path: &str, head: &[u8]) -> Kind {
    let ext = path
        .rsplit('/')
        .next()
        .and_then(|n| n.rsplit_once('.'))
        .map(|(_, e)| e.to_ascii_lowercase());
    if ext
        .as_deref()
        .is_some_and(|e| BINARY_EXTENSIONS.contains(&e))
    {
        return Kind::Binary;
    }
    let head = &head[..head.len().min(8192)];
    if MAGIC.iter().any(|m| head.starts_with(m)) && memchr::memchr(0, head).is_some() {
        return Kind::Binary;
    }
    let nuls = memchr::memchr_iter(0, head).count();
    // UTF-16 text has a NUL in every other byte; it is not scanned as UTF-8.
    if nuls <= 8 || nuls * 100 <= head.len() {
        return Kind::Text;
    }
    if MAGIC.iter().any(|m| head.starts_with(m)) {
        Kind::Binary
    } else {
        Kind::Unknown
    }
}

impl<'a> Scanner<'a> {
    /// A scanner over the compiled rules.
    pub fn new(
        config: &ScanConfig,
        rules: &'a Ruleset,
        redactor: &'a Redactor,
    ) -> Result<Self, String> {
        Ok(Scanner {
            rules,
            filter: FileFilter::new(config)?,
            max_size: config.max_file_size,
            redactor,
            findings: Mutex::new(Vec::new()),
            problems: Mutex::new(Vec::new()),
            stats: Stats::default(),
            started: Instant::now(),
        })
    }

    fn push(&self, mut f: Vec<Finding>) {
        if !f.is_empty()
            && let Ok(mut all) = self.findings.lock()
        {
            all.append(&mut f);
        }
    }

    fn unreadable(&self, rel: &str, why: &str) {
        self.stats.unreadable.fetch_add(1, Ordering::Relaxed);
        self.push(vec![Finding::of(
            &UNREADABLE,
            format!("Could not read this file, so it was not scanned: {why}"),
            Location::file(rel),
            "",
        )]);
        if let Ok(mut p) = self.problems.lock() {
            p.push(rel.to_string());
        }
    }

    fn not_scanned(&self, rel: &str, why: &str) {
        self.stats.not_scanned.fetch_add(1, Ordering::Relaxed);
        self.push(vec![Finding::of(
            &NOT_SCANNED,
            format!("This file was not scanned: {why}"),
            Location::file(rel),
            why,
        )]);
    }

    /// Matches `bytes` (the whole file, or the added lines of a diff).
    pub fn scan_bytes(&self, rel: &str, bytes: &[u8], added: Option<&[usize]>) {
        let applicable = self.rules.applicable(rel);
        if applicable.is_empty() {
            return;
        }
        match classify(rel, bytes) {
            Kind::Binary => {
                self.stats.binary.fetch_add(1, Ordering::Relaxed);
                return;
            }
            Kind::Unknown => {
                return self.not_scanned(rel, "it is not text and not a known binary format");
            }
            Kind::Text => {}
        }
        self.stats.scanned.fetch_add(1, Ordering::Relaxed);
        self.stats
            .bytes
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        let found = scan_text(
            self.rules,
            &applicable,
            rel,
            bytes,
            added,
            Origin::default(),
            self.redactor,
        );
        self.push(found.into_iter().map(|(f, _)| f).collect());
    }

    fn scan_large(&self, file: &WalkFile) {
        let applicable = self.rules.applicable(&file.rel);
        if applicable.is_empty() {
            return;
        }
        self.stats.large.fetch_add(1, Ordering::Relaxed);
        match large::scan(self, &applicable, file) {
            Ok(large::Outcome::Scanned(bytes)) => {
                self.stats.scanned.fetch_add(1, Ordering::Relaxed);
                self.stats.bytes.fetch_add(bytes, Ordering::Relaxed);
            }
            Ok(large::Outcome::Binary) => {
                self.stats.binary.fetch_add(1, Ordering::Relaxed);
            }
            Ok(large::Outcome::Unknown) => {
                self.not_scanned(&file.rel, "it is not text and not a known binary format")
            }
            Err(e) => self.unreadable(&file.rel, &e),
        }
    }

    /// The stage outcome (`changed`: files a diff touched).
    pub fn finish(self, changed: Option<u64>, problem: Option<String>) -> StageOutcome {
        let findings = self.findings.into_inner().unwrap_or_default();
        let unreadable = self.problems.into_inner().unwrap_or_default();
        let problem = problem.or_else(|| {
            (!unreadable.is_empty()).then(|| {
                format!(
                    "{} file(s) could not be read: {}",
                    unreadable.len(),
                    unreadable
                        .iter()
                        .take(5)
                        .cloned()
                        .collect::<Vec<_>>()
                        .join(", ")
                )
            })
        });
        let rule_ids: Vec<String> = self.rules.rules.iter().map(|r| r.spec.id.clone()).collect();
        let mut stage = StageOutcome::new(
            "scan",
            findings,
            problem,
            self.started.elapsed().as_millis() as u64,
        )
        .with_rule_checks(rule_ids);
        let s = &self.stats;
        let stats = &mut stage.stats;
        stats.insert("files_scanned".into(), s.scanned.load(Ordering::Relaxed));
        stats.insert("bytes_scanned".into(), s.bytes.load(Ordering::Relaxed));
        stats.insert(
            "files_skipped_binary".into(),
            s.binary.load(Ordering::Relaxed),
        );
        stats.insert(
            "files_large_windowed".into(),
            s.large.load(Ordering::Relaxed),
        );
        stats.insert(
            "files_not_scanned".into(),
            s.not_scanned.load(Ordering::Relaxed),
        );
        stats.insert(
            "files_unreadable".into(),
            s.unreadable.load(Ordering::Relaxed),
        );
        stats.insert("rules".into(), self.rules.rules.len() as u64);
        if let Some(n) = changed {
            stats.insert("files_changed".into(), n);
        }
        stage
    }
}

impl Visitor for Scanner<'_> {
    fn wants(&self, rel: &str) -> bool {
        self.filter.wants(rel) && self.rules.rules.iter().any(|r| r.applies_to(rel))
    }

    fn visit(&self, file: &WalkFile) {
        if file.size > self.max_size && !file.in_memory() {
            return self.scan_large(file);
        }
        match file.bytes() {
            Ok(bytes) => self.scan_bytes(&file.rel, &bytes, None),
            Err(e) => self.unreadable(&file.rel, &e),
        }
    }

    fn problem(&self, rel: &str, why: &str) {
        if why.starts_with("a FIFO")
            || why.starts_with("a socket")
            || why.starts_with("a device")
            || why.starts_with("not a regular")
        {
            self.not_scanned(rel, &format!("it is {why}"));
        } else {
            self.unreadable(rel, why);
        }
    }
}

/// Scans the lines a change adds. Returns the stage and the new contents of
/// the files with findings (for inline allows: the committed text, not the
/// work tree, is what was scanned).
pub fn run_diff(
    root: &Path,
    scanner: Scanner,
    specs: &[DiffSpec],
    paths: &[String],
) -> (StageOutcome, HashMap<String, Arc<Vec<u8>>>) {
    let mut changed = Vec::new();
    for spec in specs {
        match diff::changed_files(root, spec, paths) {
            Ok(mut c) => changed.append(&mut c),
            Err(e) => return (scanner.finish(None, Some(e.to_string())), HashMap::new()),
        }
    }
    for f in &changed {
        if !scanner.filter.wants(&f.path) {
            continue;
        }
        match &f.content {
            Some(bytes) => scanner.scan_bytes(&f.path, bytes, Some(&f.added)),
            None => scanner.unreadable(&f.path, "git could not produce its new content"),
        }
    }
    let n = changed.len() as u64;
    let mut stage = scanner.finish(Some(n), None);
    // A file changed in several pushed ranges yields the same finding once.
    let mut seen = std::collections::HashSet::new();
    stage
        .findings
        .retain(|f| seen.insert((f.fingerprint.clone(), f.location.clone())));
    let mut sources = HashMap::new();
    for f in changed {
        if let Some(c) = f.content
            && stage
                .findings
                .iter()
                .any(|x| x.location.path() == Some(f.path.as_str()))
        {
            sources.insert(f.path, Arc::new(c));
        }
    }
    (stage, sources)
}
