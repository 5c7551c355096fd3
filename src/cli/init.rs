//! `shipgate init` and `shipgate config schema`.

use super::Ctx;
use crate::error::{Error, Exit, Result};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Whether `name` is an executable file in one of the `PATH` directories.
fn on_path(dirs: &[PathBuf], name: &str) -> bool {
    dirs.iter().any(|d| executable(&d.join(name)))
}

fn executable(p: &Path) -> bool {
    let Ok(m) = std::fs::metadata(p) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        m.is_file() && m.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        m.is_file()
    }
}

/// `shipgate init [--force]`.
pub fn init(ctx: &Ctx, force: bool) -> Result<Exit> {
    let root = ctx.root();
    let dirs: Vec<PathBuf> = ctx
        .env
        .get("PATH")
        .map(|p| std::env::split_paths(p).collect())
        .unwrap_or_default();
    let available = |name: &str| {
        on_path(&dirs, name) || (cfg!(windows) && on_path(&dirs, &format!("{name}.cmd")))
    };
    let stack = crate::init::detect(&root, &available);
    let files = crate::init::write(&root, &stack, force)?;
    let mut text = String::new();
    for line in stack.summary() {
        text.push_str(&format!("shipgate: {line}\n"));
    }
    for f in files {
        text.push_str(&format!("shipgate: wrote {f}\n"));
    }
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::incomplete(format!("cannot write to standard output: {e}")))?;
    Ok(Exit::Pass)
}

/// `shipgate config schema`.
pub fn schema() -> Result<Exit> {
    print!("{}", crate::config::schema_json());
    Ok(Exit::Pass)
}
