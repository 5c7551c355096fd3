//! The git pre-push hook: install/uninstall where git looks for hooks, and the
//! ranges a push sends (from git's stdin lines).

use crate::error::{Error, Result};
use crate::git;
use std::path::{Path, PathBuf};

/// Marks a hook file as ours.
pub const SENTINEL: &str = "# shipgate-managed-hook";
/// Name a foreign hook is moved to by `--chain`.
pub const CHAINED: &str = "pre-push.shipgate-chained";
/// git's empty tree: the base of a push into an empty remote.
pub const EMPTY_TREE: &str = "4b825dc642cb6eb9a060e54bf8d69288fbee4904";
const ZERO: &str = "0000000000000000000000000000000000000000";

/// Where git runs hooks from (`core.hooksPath` and worktrees honoured).
pub fn hooks_dir(repo: &Path) -> Result<PathBuf> {
    let out = git::git(repo, &["rev-parse", "--git-path", "hooks"])?;
    let p = String::from_utf8_lossy(&out).trim().to_string();
    let p = PathBuf::from(p);
    Ok(if p.is_absolute() { p } else { repo.join(p) })
}

fn script(binary: &Path, chained: bool) -> String {
    let bin = binary.display().to_string().replace('\'', "'\\''");
    let mut s = format!(
        "#!/bin/sh\n{SENTINEL}\n# Installed by `shipgate hook install`; remove with `shipgate hook uninstall`.\n# Bypass once: SHIPGATE_SKIP=1 git push, or git push --no-verify.\n[ \"$SHIPGATE_SKIP\" = \"1\" ] && exit 0\nSHIPGATE='{bin}'\n[ -x \"$SHIPGATE\" ] || SHIPGATE=shipgate\n"
    );
    if chained {
        s.push_str(&format!(
            "input=$(cat)\nhere=$(dirname \"$0\")\nprintf '%s\\n' \"$input\" | \"$here/{CHAINED}\" \"$@\" || exit $?\nprintf '%s\\n' \"$input\" | \"$SHIPGATE\" hook run pre-push \"$@\"\n"
        ));
    } else {
        s.push_str("exec \"$SHIPGATE\" hook run pre-push \"$@\"\n");
    }
    s
}

/// What `install` did.
#[derive(Debug, PartialEq, Eq)]
pub enum Installed {
    /// Wrote a new hook.
    New(PathBuf),
    /// Replaced our own earlier hook.
    Updated(PathBuf),
    /// Replaced a foreign hook (`--force`).
    Replaced(PathBuf),
    /// Moved a foreign hook aside and runs it first (`--chain`).
    Chained(PathBuf),
}

/// Installs the pre-push hook.
pub fn install(repo: &Path, binary: &Path, force: bool, chain: bool) -> Result<Installed> {
    let dir = hooks_dir(repo)?;
    std::fs::create_dir_all(&dir)
        .map_err(|e| Error::incomplete(format!("cannot create {}: {e}", dir.display())))?;
    let hook = dir.join("pre-push");
    let existing = std::fs::read_to_string(&hook).ok();
    let ours = existing.as_deref().is_some_and(|t| t.contains(SENTINEL));
    let result = match (&existing, ours) {
        (None, _) => Installed::New(hook.clone()),
        (Some(_), true) => Installed::Updated(hook.clone()),
        (Some(_), false) if chain => {
            let aside = dir.join(CHAINED);
            if aside.exists() {
                return Err(Error::usage(format!(
                    "{} already exists; remove it or install with --force",
                    aside.display()
                )));
            }
            std::fs::rename(&hook, &aside).map_err(|e| {
                Error::incomplete(format!("cannot move the existing hook aside: {e}"))
            })?;
            Installed::Chained(hook.clone())
        }
        (Some(_), false) if force => Installed::Replaced(hook.clone()),
        (Some(_), false) => {
            return Err(Error::usage(format!(
                "{} exists and is not shipgate's; rerun with --chain to run it before shipgate, or --force to replace it",
                hook.display()
            )));
        }
    };
    let chained = matches!(result, Installed::Chained(_)) || (ours && dir.join(CHAINED).exists());
    std::fs::write(&hook, script(binary, chained))
        .map_err(|e| Error::incomplete(format!("cannot write {}: {e}", hook.display())))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).map_err(|e| {
            Error::incomplete(format!("cannot make {} executable: {e}", hook.display()))
        })?;
    }
    Ok(result)
}

/// Removes our hook only (restoring a chained one). Returns whether anything was removed.
pub fn uninstall(repo: &Path) -> Result<bool> {
    let dir = hooks_dir(repo)?;
    let hook = dir.join("pre-push");
    match std::fs::read_to_string(&hook) {
        Ok(t) if t.contains(SENTINEL) => {
            std::fs::remove_file(&hook)
                .map_err(|e| Error::incomplete(format!("cannot remove {}: {e}", hook.display())))?;
            let aside = dir.join(CHAINED);
            if aside.exists() {
                std::fs::rename(&aside, &hook).map_err(|e| {
                    Error::incomplete(format!("cannot restore the chained hook: {e}"))
                })?;
            }
            Ok(true)
        }
        Ok(_) => Err(Error::usage(format!(
            "{} is not shipgate's hook; leaving it alone",
            hook.display()
        ))),
        Err(_) => Ok(false),
    }
}

/// One pushed ref: scan `base..tip`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PushRange {
    /// Remote ref being updated.
    pub remote_ref: String,
    /// Base revision (remote's old value, a merge-base, or the empty tree).
    pub base: String,
    /// Commit being pushed.
    pub tip: String,
}

/// Turns git's pre-push stdin into ranges: deletions skipped; a new branch is
/// scanned from its merge-base with the remote's default branch.
pub fn ranges(repo: &Path, remote: &str, stdin: &str) -> Result<Vec<PushRange>> {
    let mut out = Vec::new();
    for line in stdin.lines() {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let [_, local_sha, remote_ref, remote_sha] = parts[..] else {
            continue;
        };
        let hex = |s: &str| s.len() >= 4 && s.bytes().all(|b| b.is_ascii_hexdigit());
        if !hex(local_sha) || !hex(remote_sha) {
            return Err(Error::usage(format!(
                "unexpected pre-push input `{}`: expected `<local ref> <sha> <remote ref> <sha>`",
                line.escape_debug()
            )));
        }
        if local_sha == ZERO {
            continue; // deleting a remote branch
        }
        let base = if remote_sha != ZERO
            && git::git(
                repo,
                &["cat-file", "-e", &format!("{remote_sha}^{{commit}}")],
            )
            .is_ok()
        {
            remote_sha.to_string()
        } else {
            new_branch_base(repo, remote, local_sha)
        };
        out.push(PushRange {
            remote_ref: remote_ref.to_string(),
            base,
            tip: local_sha.to_string(),
        });
    }
    Ok(out)
}

fn new_branch_base(repo: &Path, remote: &str, tip: &str) -> String {
    let mut candidates = Vec::new();
    if let Ok(h) = git::git(
        repo,
        &["symbolic-ref", "-q", &format!("refs/remotes/{remote}/HEAD")],
    ) {
        candidates.push(String::from_utf8_lossy(&h).trim().to_string());
    }
    for b in ["main", "master", "trunk", "develop"] {
        candidates.push(format!("refs/remotes/{remote}/{b}"));
    }
    for c in candidates {
        if let Ok(mb) = git::git(repo, &["merge-base", tip, &c]) {
            let mb = String::from_utf8_lossy(&mb).trim().to_string();
            if !mb.is_empty() {
                return mb;
            }
        }
    }
    // Nothing on the remote yet: everything in the pushed commits is new.
    EMPTY_TREE.to_string()
}
