//! The one wrapper around the `git` binary. Every revision a user gives goes
//! through [`check_revision`] and reaches git after `--end-of-options`, so a
//! value such as `--output=F` can never become an option.

use crate::error::{Error, Result};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Runs git in `dir`; returns stdout, or the first line of stderr as the error.
pub fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "core.quotePath=false"])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| Error::incomplete(format!("cannot run git: {e}")))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        Err(Error::incomplete(format!(
            "git {} failed: {}",
            args.join(" "),
            first.trim()
        )))
    }
}

/// `git` output as trimmed text, `None` on any failure.
pub fn text(dir: &Path, args: &[&str]) -> Option<String> {
    git(dir, args)
        .ok()
        .map(|o| String::from_utf8_lossy(&o).trim().to_string())
}

/// Rejects a user-given revision that git could read as an option or that
/// holds characters no ref name can have.
pub fn check_revision(rev: &str) -> Result<()> {
    let bad = rev.is_empty()
        || rev.starts_with('-')
        || rev
            .chars()
            .any(|c| c.is_control() || c == ' ' || c == '\u{7f}');
    if bad {
        return Err(Error::usage(format!(
            "`{}` is not a git revision",
            rev.escape_debug()
        )));
    }
    Ok(())
}

/// The top level of the work tree containing `dir`, if any.
pub fn toplevel(dir: &Path) -> Option<PathBuf> {
    let s = text(dir, &["rev-parse", "--show-toplevel"])?;
    (!s.is_empty()).then(|| PathBuf::from(s))
}

/// The commit HEAD points at, if any.
pub fn head(dir: &Path) -> Option<String> {
    text(dir, &["rev-parse", "--verify", "-q", "HEAD"]).filter(|s| !s.is_empty())
}

/// The branch `origin/HEAD` points at, as `origin/<name>`.
pub fn remote_default(repo: &Path, remote: &str) -> Option<String> {
    text(
        repo,
        &[
            "symbolic-ref",
            "-q",
            "--short",
            &format!("refs/remotes/{remote}/HEAD"),
        ],
    )
    .filter(|s| !s.is_empty())
}

/// The repository's default branch name: what `origin/HEAD` points at, else
/// the first local `main`/`master`, else `main`.
pub fn default_branch(repo: &Path) -> String {
    if let Some(h) = remote_default(repo, "origin")
        && let Some(b) = h.strip_prefix("origin/")
    {
        return b.to_string();
    }
    for b in ["main", "master"] {
        if text(
            repo,
            &["rev-parse", "-q", "--verify", &format!("refs/heads/{b}")],
        )
        .is_some()
        {
            return b.to_string();
        }
    }
    "main".into()
}

/// Paths git tracks (index entries), repo-relative, limited to `pathspecs`.
pub fn tracked_files(root: &Path, pathspecs: &[String]) -> Result<Vec<String>> {
    let mut args = vec!["ls-files", "-z", "--cached", "--"];
    args.extend(pathspecs.iter().map(String::as_str));
    let out = git(root, &args)?;
    let mut files: Vec<String> = out
        .split(|&b| b == 0)
        .filter(|s| !s.is_empty())
        .map(|s| String::from_utf8_lossy(s).into_owned())
        .collect();
    files.dedup();
    Ok(files)
}

/// Reads blobs (`<rev>:<path>`, or `:<path>` for the index) with one
/// `git cat-file --batch`. Each result is `None` when the object does not exist.
pub fn read_blobs(root: &Path, specs: &[String]) -> Result<Vec<Option<Vec<u8>>>> {
    if specs.is_empty() {
        return Ok(Vec::new());
    }
    let fail = |e: &dyn std::fmt::Display| Error::incomplete(format!("git cat-file: {e}"));
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| Error::incomplete(format!("cannot run git: {e}")))?;
    let mut stdin = child.stdin.take().ok_or_else(|| fail(&"no stdin"))?;
    // A newline inside a path would split the request line: such a path cannot be asked for.
    let input: String = specs
        .iter()
        .map(|s| format!("{}\n", s.replace('\n', "\u{0}")))
        .collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let stdout = child.stdout.take().ok_or_else(|| fail(&"no stdout"))?;
    let mut r = BufReader::new(stdout);
    let mut out = Vec::with_capacity(specs.len());
    for spec in specs {
        let mut header = String::new();
        r.read_line(&mut header).map_err(|e| fail(&e))?;
        let header = header.trim_end();
        if header.is_empty() || header.ends_with(" missing") || header.ends_with(" ambiguous") {
            out.push(None);
            continue;
        }
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| fail(&format!("unexpected answer for {spec}: {header}")))?;
        let mut buf = vec![0; size.saturating_add(1)];
        r.read_exact(&mut buf).map_err(|e| fail(&e))?;
        buf.pop();
        out.push(Some(buf));
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn revisions_that_could_be_options_are_refused() {
        assert!(check_revision("--output=/tmp/x").is_err());
        assert!(check_revision("-p").is_err());
        assert!(check_revision("").is_err());
        assert!(check_revision("a b").is_err());
        assert!(check_revision("main\n").is_err());
        assert!(check_revision("origin/main").is_ok());
        assert!(check_revision("HEAD~1").is_ok());
        assert!(check_revision("v1.2.3").is_ok());
    }
}
