//! One file walk per run, shared by the stages that read the repository
//! (scan, env, integrity). Each file is read at most once, whatever number of
//! stages want it; the walk honours `.gitignore` (tree mode) or takes git's
//! list (tracked mode), never follows symlinks and never blocks on a FIFO.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, OnceLock};

/// One file being visited. Its content is read on first use and shared.
pub struct WalkFile {
    /// Repo-relative path with `/` separators.
    pub rel: String,
    /// Absolute path on disk.
    pub abs: PathBuf,
    /// Size in bytes.
    pub size: u64,
    content: OnceLock<Result<Arc<Vec<u8>>, String>>,
}

impl WalkFile {
    fn new(rel: String, abs: PathBuf, size: u64) -> Self {
        WalkFile {
            rel,
            abs,
            size,
            content: OnceLock::new(),
        }
    }

    /// A file whose content is already known (a blob read from git).
    pub fn with_content(rel: String, abs: PathBuf, content: Vec<u8>) -> Self {
        let f = WalkFile::new(rel, abs, content.len() as u64);
        let _ = f.content.set(Ok(Arc::new(content)));
        f
    }

    /// The whole content (read once, then shared by every visitor).
    pub fn bytes(&self) -> Result<Arc<Vec<u8>>, String> {
        self.content
            .get_or_init(|| {
                std::fs::read(&self.abs)
                    .map(Arc::new)
                    .map_err(|e| e.to_string())
            })
            .clone()
    }

    /// Whether the content is already in memory (a blob, or read by another visitor).
    pub fn in_memory(&self) -> bool {
        self.content.get().is_some_and(Result::is_ok)
    }
}

/// Something that looks at files during the walk.
pub trait Visitor: Sync {
    /// Whether it wants this path (cheap: globs only).
    fn wants(&self, rel: &str) -> bool;
    /// Looks at one wanted file.
    fn visit(&self, file: &WalkFile);
    /// A path that could not be listed or is not a regular file.
    fn problem(&self, rel: &str, why: &str);
}

/// Reads `:<path>` blobs from git (each `None` when missing).
pub type BlobReader<'a> = dyn Fn(&[String]) -> Result<Vec<Option<Vec<u8>>>, String> + 'a;

/// Which files the walk covers.
#[derive(Debug, Clone)]
pub enum Source {
    /// The work tree under these repo-relative paths (empty: everything),
    /// `.gitignore` honoured.
    Tree(Vec<String>),
    /// Exactly these repo-relative paths (git's index). A path missing from the
    /// work tree is read from git (the committed content is what ships).
    List(Vec<String>),
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

/// Worker threads for reading and matching.
pub fn threads() -> usize {
    std::thread::available_parallelism()
        .map_or(2, |n| n.get())
        .min(16)
}

fn dispatch(file: &WalkFile, visitors: &[&dyn Visitor]) {
    for v in visitors {
        if v.wants(&file.rel) {
            v.visit(file);
        }
    }
}

fn problem(rel: &str, why: &str, visitors: &[&dyn Visitor]) {
    for v in visitors {
        v.problem(rel, why);
    }
}

/// What kind of non-regular file this is, for the message.
fn kind(ft: &std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if ft.is_fifo() {
            return "a FIFO";
        }
        if ft.is_socket() {
            return "a socket";
        }
        if ft.is_block_device() || ft.is_char_device() {
            return "a device";
        }
    }
    if ft.is_symlink() {
        "a symbolic link (not followed)"
    } else {
        "not a regular file"
    }
}

/// Walks `source` under `root`, handing each file to the visitors that want it.
/// `blobs` reads files missing from the work tree (tracked mode) from git.
pub fn walk(root: &Path, source: &Source, visitors: &[&dyn Visitor], blobs: &BlobReader) {
    match source {
        Source::Tree(paths) => walk_tree(root, paths, visitors),
        Source::List(files) => walk_list(root, files, visitors, blobs),
    }
}

fn walk_tree(root: &Path, paths: &[String], visitors: &[&dyn Visitor]) {
    let starts: Vec<PathBuf> = if paths.is_empty() {
        vec![root.to_path_buf()]
    } else {
        paths.iter().map(|p| root.join(p)).collect()
    };
    let Some((first, rest)) = starts.split_first() else {
        return;
    };
    let mut wb = ignore::WalkBuilder::new(first);
    for s in rest {
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
                    let rel = rel_path(root, e.path());
                    match e.file_type() {
                        Some(t) if t.is_file() => {
                            let wanted = visitors.iter().any(|v| v.wants(&rel));
                            if wanted {
                                let size = e.metadata().map_or(0, |m| m.len());
                                dispatch(
                                    &WalkFile::new(rel, e.path().to_path_buf(), size),
                                    visitors,
                                );
                            }
                        }
                        // A path given on the command line that is not a file or
                        // directory is reported, never silently passed.
                        Some(t) if e.depth() == 0 && !t.is_dir() => {
                            problem(&rel, kind(&t), visitors);
                        }
                        _ => {}
                    }
                }
                Err(err) => {
                    let path = walk_error_path(&err)
                        .map_or_else(|| "<walk>".to_string(), |p| rel_path(root, &p));
                    problem(&path, &err.to_string(), visitors);
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

fn walk_list(root: &Path, files: &[String], visitors: &[&dyn Visitor], blobs: &BlobReader) {
    let next = AtomicUsize::new(0);
    let missing = std::sync::Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..threads() {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(rel) = files.get(i) else { break };
                    if !visitors.iter().any(|v| v.wants(rel)) {
                        continue;
                    }
                    let abs = root.join(rel);
                    match std::fs::symlink_metadata(&abs) {
                        Ok(m) if m.is_file() => {
                            dispatch(&WalkFile::new(rel.clone(), abs, m.len()), visitors);
                        }
                        // A tracked symlink is a link, not content: nothing to scan.
                        Ok(m) if m.file_type().is_symlink() => {}
                        Ok(m) => problem(rel, kind(&m.file_type()), visitors),
                        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                            if let Ok(mut v) = missing.lock() {
                                v.push(rel.clone());
                            }
                        }
                        Err(e) => problem(rel, &e.to_string(), visitors),
                    }
                }
            });
        }
    });
    let missing = missing.into_inner().unwrap_or_default();
    if missing.is_empty() {
        return;
    }
    // Deleted from the work tree but tracked: the committed (index) content ships.
    let specs: Vec<String> = missing.iter().map(|p| format!(":{p}")).collect();
    match blobs(&specs) {
        Ok(contents) => {
            for (rel, content) in missing.into_iter().zip(contents) {
                match content {
                    Some(c) => {
                        let abs = root.join(&rel);
                        dispatch(&WalkFile::with_content(rel, abs, c), visitors);
                    }
                    None => problem(
                        &rel,
                        "tracked by git but neither in the work tree nor in the index",
                        visitors,
                    ),
                }
            }
        }
        Err(e) => {
            for rel in &missing {
                problem(
                    rel,
                    &format!("missing from the work tree and git could not read it: {e}"),
                    visitors,
                );
            }
        }
    }
}

/// Decides whether a walked file's content is kept (path, content).
pub type Capture = fn(&str, &[u8]) -> bool;

/// A file's path and content, as the walk read it.
pub type Kept = (String, Arc<Vec<u8>>);

/// A visitor that lists paths (every file the walk sees outside
/// `node_modules/`), for the stages that need the repository's file list,
/// and keeps the content of the files `capture` picks (already read for the
/// scan, so the stages after the walk need not read them again).
#[derive(Default)]
pub struct PathList {
    files: std::sync::Mutex<Vec<String>>,
    capture: Option<Capture>,
    captured: std::sync::Mutex<Vec<Kept>>,
}

impl Visitor for PathList {
    fn wants(&self, rel: &str) -> bool {
        !rel.split('/').any(|s| s == "node_modules")
    }

    fn visit(&self, file: &WalkFile) {
        if let Ok(mut f) = self.files.lock() {
            f.push(file.rel.clone());
        }
        if let Some(keep) = self.capture
            && let Ok(bytes) = file.bytes()
            && keep(&file.rel, &bytes)
            && let Ok(mut c) = self.captured.lock()
        {
            c.push((file.rel.clone(), bytes));
        }
    }

    fn problem(&self, _: &str, _: &str) {}
}

impl PathList {
    /// A list that also keeps the content of the files `capture` picks.
    pub fn capturing(capture: Capture) -> Self {
        PathList {
            capture: Some(capture),
            ..PathList::default()
        }
    }

    /// The paths seen (sorted) and the captured contents (sorted by path;
    /// `None` without a capture).
    pub fn into_parts(self) -> (Vec<String>, Option<Vec<Kept>>) {
        let mut f = self.files.into_inner().unwrap_or_default();
        f.sort();
        let captured = self.capture.map(|_| {
            let mut c = self.captured.into_inner().unwrap_or_default();
            c.sort_by(|a, b| a.0.cmp(&b.0));
            c
        });
        (f, captured)
    }

    /// The paths seen, sorted.
    pub fn into_files(self) -> Vec<String> {
        self.into_parts().0
    }
}
