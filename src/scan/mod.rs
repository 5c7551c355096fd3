//! The `scan` stage: choose files (tree, tracked, diff), match rules, suppress.

pub mod diff;
mod file;
pub mod git;
mod inline;
pub mod suppress;

pub use diff::DiffSpec;
pub use file::{ALLOW_WITHOUT_REASON, mask, scan_text};

use crate::config::{Config, today};
use crate::model::{FailOn, Finding, Fingerprint, Location, Severity, StageOutcome};
use crate::rules::Ruleset;
use globset::GlobSet;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Rule id of the finding for a file that could not be read.
pub const UNREADABLE: &str = "scan/unreadable-file";

/// Which files to scan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The working tree, honouring `.gitignore`.
    Tree,
    /// Exactly the files git tracks (ignore rules do not apply).
    Tracked,
    /// Only the lines a change adds.
    Diff(DiffSpec),
}

/// What to scan and how to suppress.
#[derive(Debug, Clone)]
pub struct ScanRequest {
    /// File selection.
    pub target: Target,
    /// Repo-relative paths to limit the scan to (empty: everything).
    pub paths: Vec<String>,
    /// Baseline name and fingerprints.
    pub baseline: Option<(String, HashSet<String>)>,
}

/// Everything the scan needs from the outside.
pub struct ScanContext<'a> {
    /// Repository root; finding paths are relative to it.
    pub root: &'a Path,
    /// Configuration.
    pub config: &'a Config,
    /// Compiled rules.
    pub rules: &'a Ruleset,
    /// Gate threshold.
    pub fail_on: FailOn,
}

struct FileFilter {
    include: Option<GlobSet>,
    exclude: GlobSet,
}

impl FileFilter {
    fn new(config: &Config) -> Result<Self, String> {
        let include = if config.scan.include.is_empty() {
            None
        } else {
            Some(crate::rules::compile::glob_set(&config.scan.include).map_err(|e| e.to_string())?)
        };
        let exclude =
            crate::rules::compile::glob_set(&config.scan.exclude).map_err(|e| e.to_string())?;
        Ok(FileFilter { include, exclude })
    }

    fn wants(&self, rel: &str) -> bool {
        self.include.as_ref().is_none_or(|g| g.is_match(rel)) && !self.exclude.is_match(rel)
    }
}

#[derive(Default)]
struct Acc {
    findings: Mutex<Vec<Finding>>,
    problems: Mutex<Vec<String>>,
    scanned: AtomicU64,
    bytes: AtomicU64,
    binary: AtomicU64,
    large: AtomicU64,
    unreadable: AtomicU64,
}

impl Acc {
    fn push(&self, mut f: Vec<Finding>) {
        if !f.is_empty()
            && let Ok(mut all) = self.findings.lock()
        {
            all.append(&mut f);
        }
    }

    fn unreadable(&self, rel: &str, why: String) {
        self.unreadable.fetch_add(1, Ordering::Relaxed);
        self.push(vec![Finding {
            rule: UNREADABLE.into(),
            title: "File could not be read".into(),
            severity: Severity::Error,
            message: format!("Could not read this file, so it was not scanned: {why}"),
            help: "Fix the permissions or remove the file; the scan is incomplete until every file can be read.".into(),
            location: Location::file(rel),
            snippet: None,
            fingerprint: Fingerprint::compute(UNREADABLE, rel, "", 0),
            suppressed: None,
        }]);
        if let Ok(mut p) = self.problems.lock() {
            p.push(rel.to_string());
        }
    }
}

struct Scanner<'a> {
    rules: &'a Ruleset,
    filter: FileFilter,
    max_size: u64,
    acc: Acc,
}

fn is_binary(bytes: &[u8]) -> bool {
    memchr::memchr(0, &bytes[..bytes.len().min(8192)]).is_some()
}

impl Scanner<'_> {
    /// Reads and scans a working-tree file. `rel` is repo-relative with `/`.
    fn scan_path(&self, rel: &str, abs: &Path, missing_ok: bool) {
        if !self.filter.wants(rel) {
            return;
        }
        let applicable = self.rules.applicable(rel);
        if applicable.is_empty() {
            return;
        }
        let meta = match std::fs::symlink_metadata(abs) {
            Ok(m) => m,
            Err(e) if missing_ok && e.kind() == std::io::ErrorKind::NotFound => return,
            Err(e) => return self.acc.unreadable(rel, e.to_string()),
        };
        if !meta.is_file() {
            return; // symlinks are never followed; directories, sockets, fifos skipped
        }
        if meta.len() > self.max_size {
            self.acc.large.fetch_add(1, Ordering::Relaxed);
            return;
        }
        match std::fs::read(abs) {
            Ok(bytes) => self.scan_bytes(rel, &applicable, &bytes, None),
            Err(e) => self.acc.unreadable(rel, e.to_string()),
        }
    }

    fn scan_bytes(&self, rel: &str, applicable: &[usize], bytes: &[u8], added: Option<&[usize]>) {
        if is_binary(bytes) {
            self.acc.binary.fetch_add(1, Ordering::Relaxed);
            return;
        }
        self.acc.scanned.fetch_add(1, Ordering::Relaxed);
        self.acc
            .bytes
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        self.acc
            .push(scan_text(self.rules, applicable, rel, bytes, added));
    }
}

fn rel_path(root: &Path, p: &Path) -> String {
    let rel = p.strip_prefix(root).unwrap_or(p);
    let s = rel.to_string_lossy();
    if std::path::MAIN_SEPARATOR == '/' {
        s.into_owned()
    } else {
        s.replace(std::path::MAIN_SEPARATOR, "/")
    }
}

fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(16)
}

fn walk_tree(root: &Path, paths: &[String], scanner: &Scanner) {
    let starts: Vec<PathBuf> = if paths.is_empty() {
        vec![root.to_path_buf()]
    } else {
        paths.iter().map(|p| root.join(p)).collect()
    };
    let mut wb = ignore::WalkBuilder::new(&starts[0]);
    for s in &starts[1..] {
        wb.add(s);
    }
    wb.hidden(false)
        .parents(true)
        .require_git(false)
        .follow_links(false)
        .threads(threads())
        .filter_entry(|e| e.file_name() != ".git");
    wb.build_parallel().run(|| {
        Box::new(|entry| {
            match entry {
                Ok(e) => {
                    if e.file_type().is_some_and(|t| t.is_file()) {
                        let rel = rel_path(root, e.path());
                        scanner.scan_path(&rel, e.path(), false);
                    }
                }
                Err(err) => {
                    let path = walk_error_path(&err)
                        .map_or_else(|| "<walk>".to_string(), |p| rel_path(root, &p));
                    scanner.acc.unreadable(&path, err.to_string());
                }
            }
            ignore::WalkState::Continue
        })
    });
}

fn walk_error_path(err: &ignore::Error) -> Option<PathBuf> {
    match err {
        ignore::Error::WithPath { path, .. } => Some(path.clone()),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_error_path(err)
        }
        _ => None,
    }
}

fn scan_list(root: &Path, files: &[String], scanner: &Scanner) {
    let next = AtomicU64::new(0);
    std::thread::scope(|s| {
        for _ in 0..threads() {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed) as usize;
                    let Some(rel) = files.get(i) else { break };
                    scanner.scan_path(rel, &root.join(rel), true);
                }
            });
        }
    });
}

fn scan_diff(
    root: &Path,
    spec: &DiffSpec,
    paths: &[String],
    scanner: &Scanner,
) -> Result<u64, String> {
    let changed = diff::changed_files(root, spec, paths)?;
    for f in &changed {
        if !scanner.filter.wants(&f.path) {
            continue;
        }
        let applicable = scanner.rules.applicable(&f.path);
        if applicable.is_empty() {
            continue;
        }
        match &f.content {
            Some(bytes) if bytes.len() as u64 > scanner.max_size => {
                scanner.acc.large.fetch_add(1, Ordering::Relaxed);
            }
            Some(bytes) => scanner.scan_bytes(&f.path, &applicable, bytes, Some(&f.added)),
            None => scanner
                .acc
                .unreadable(&f.path, "git could not produce its new content".into()),
        }
    }
    Ok(changed.len() as u64)
}

/// Runs the scan stage.
pub fn run_scan(ctx: &ScanContext, req: &ScanRequest) -> StageOutcome {
    let started = Instant::now();
    let filter = match FileFilter::new(ctx.config) {
        Ok(f) => f,
        Err(e) => {
            return StageOutcome::completed("scan", Vec::new(), Some(e), ctx.fail_on, 0);
        }
    };
    let scanner = Scanner {
        rules: ctx.rules,
        filter,
        max_size: ctx.config.scan.max_file_size,
        acc: Acc::default(),
    };
    let mut problem = None;
    let mut changed = None;
    match &req.target {
        Target::Tree => walk_tree(ctx.root, &req.paths, &scanner),
        Target::Tracked => match git::tracked_files(ctx.root, &req.paths) {
            Ok(files) => scan_list(ctx.root, &files, &scanner),
            Err(e) => problem = Some(e),
        },
        Target::Diff(spec) => match scan_diff(ctx.root, spec, &req.paths, &scanner) {
            Ok(n) => changed = Some(n),
            Err(e) => problem = Some(e),
        },
    }
    let acc = scanner.acc;
    let mut findings = acc.findings.into_inner().unwrap_or_default();
    let unreadable = acc.problems.into_inner().unwrap_or_default();
    if problem.is_none() && !unreadable.is_empty() {
        problem = Some(format!(
            "{} file(s) could not be read: {}",
            unreadable.len(),
            unreadable
                .iter()
                .take(5)
                .cloned()
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    // Unused ignores can only be judged after a scan of everything.
    let report_unused =
        matches!(req.target, Target::Tree | Target::Tracked) && req.paths.is_empty();
    let config_path = config_display(ctx);
    let mut notes = suppress::apply_ignores(
        &mut findings,
        &ctx.config.scan.ignore,
        today(),
        &config_path,
        report_unused,
    );
    findings.append(&mut notes);
    if let Some((name, set)) = &req.baseline {
        suppress::apply_baseline(&mut findings, set, name);
    }
    let rule_ids: Vec<String> = ctx.rules.rules.iter().map(|r| r.spec.id.clone()).collect();
    let mut stage = StageOutcome::completed(
        "scan",
        findings,
        problem,
        ctx.fail_on,
        started.elapsed().as_millis() as u64,
    )
    .with_rule_checks(&rule_ids, ctx.fail_on);
    let stats = &mut stage.stats;
    stats.insert("files_scanned".into(), acc.scanned.into_inner());
    stats.insert("bytes_scanned".into(), acc.bytes.into_inner());
    stats.insert("files_skipped_binary".into(), acc.binary.into_inner());
    stats.insert("files_skipped_too_large".into(), acc.large.into_inner());
    stats.insert("files_unreadable".into(), acc.unreadable.into_inner());
    stats.insert("rules".into(), ctx.rules.rules.len() as u64);
    if let Some(n) = changed {
        stats.insert("files_changed".into(), n);
    }
    stage
}

fn config_display(ctx: &ScanContext) -> String {
    match &ctx.config.path {
        Some(p) => rel_path(ctx.root, p),
        None => ctx.config.display.clone(),
    }
}
