//! File contents for inline allows: the work tree, except where a stage
//! scanned other content (a diff scan reads committed blobs).

use crate::suppress::Sources;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// The work tree with overrides.
pub struct WorkTree {
    root: PathBuf,
    overrides: Mutex<HashMap<String, Arc<Vec<u8>>>>,
}

impl WorkTree {
    /// Reads files under `root`.
    pub fn new(root: &Path) -> Self {
        WorkTree {
            root: root.to_path_buf(),
            overrides: Mutex::new(HashMap::new()),
        }
    }

    /// Uses these contents instead of the work tree's.
    pub fn prefer(&self, files: HashMap<String, Arc<Vec<u8>>>) {
        if let Ok(mut o) = self.overrides.lock() {
            o.extend(files);
        }
    }
}

impl Sources for WorkTree {
    fn content(&self, path: &str) -> Option<Arc<Vec<u8>>> {
        if let Some(c) = self
            .overrides
            .lock()
            .ok()
            .and_then(|o| o.get(path).cloned())
        {
            return Some(c);
        }
        // Only regular files under the root (never follow a link out of it).
        let abs = self.root.join(path);
        let meta = std::fs::symlink_metadata(&abs).ok()?;
        if !meta.is_file() || meta.len() > 64 * 1024 * 1024 {
            return None;
        }
        std::fs::read(abs).ok().map(Arc::new)
    }
}
