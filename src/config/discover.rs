//! Finding the config file by walking up from the working directory.

use std::path::{Path, PathBuf};

/// Config file names looked for in each directory, in order.
pub const CONFIG_NAMES: &[&str] = &["shipgate.toml", ".github/shipgate.toml"];

/// Walks up from `start` to the repository root (the first directory holding
/// `.git`) or the filesystem root, returning the first config found.
pub fn discover(start: &Path) -> Option<PathBuf> {
    for dir in start.ancestors() {
        for name in CONFIG_NAMES {
            let p = dir.join(name);
            // A directory with the name is found too: loading it is a config error.
            if p.exists() {
                return Some(p);
            }
        }
        if dir.join(".git").exists() {
            break;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn walks_up_and_stops_at_the_repo_root() {
        let t = tempfile::tempdir().unwrap();
        let outer = t.path();
        std::fs::write(outer.join("shipgate.toml"), "").unwrap();
        let repo = outer.join("repo");
        std::fs::create_dir_all(repo.join(".git")).unwrap();
        std::fs::create_dir_all(repo.join("a/b")).unwrap();
        assert_eq!(discover(&repo.join("a/b")), None);
        std::fs::create_dir_all(repo.join(".github")).unwrap();
        std::fs::write(repo.join(".github/shipgate.toml"), "").unwrap();
        assert_eq!(
            discover(&repo.join("a/b")),
            Some(repo.join(".github/shipgate.toml"))
        );
    }
}
