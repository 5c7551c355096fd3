//! The few git plumbing calls the scanner needs, through the `git` binary.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Runs git in `dir`; returns stdout, or stderr's first line as the error.
pub fn git(dir: &Path, args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "core.quotePath=false"])
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        Err(format!("git {} failed: {}", args.join(" "), first.trim()))
    }
}

/// The top level of the work tree containing `dir`, if any.
pub fn toplevel(dir: &Path) -> Option<PathBuf> {
    let out = git(dir, &["rev-parse", "--show-toplevel"]).ok()?;
    let s = String::from_utf8(out).ok()?;
    let s = s.trim_end_matches(['\n', '\r']);
    (!s.is_empty()).then(|| PathBuf::from(s))
}

/// The commit HEAD points at, if any.
pub fn head(dir: &Path) -> Option<String> {
    let out = git(dir, &["rev-parse", "--verify", "-q", "HEAD"]).ok()?;
    let s = String::from_utf8(out).ok()?;
    let s = s.trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// Paths git tracks (index entries), repo-relative, limited to `pathspecs`.
pub fn tracked_files(root: &Path, pathspecs: &[String]) -> Result<Vec<String>, String> {
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

/// Reads blobs (`<rev>:<path>` or `:<path>` for the index) with one `git cat-file --batch`.
/// Each result is `None` when the object does not exist.
pub fn read_blobs(root: &Path, specs: &[String]) -> Result<Vec<Option<Vec<u8>>>, String> {
    if specs.is_empty() {
        return Ok(Vec::new());
    }
    let mut child = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(["cat-file", "--batch"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot run git: {e}"))?;
    let mut stdin = child.stdin.take().ok_or("git cat-file: no stdin")?;
    let input: String = specs.iter().map(|s| format!("{s}\n")).collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let stdout = child.stdout.take().ok_or("git cat-file: no stdout")?;
    let mut r = BufReader::new(stdout);
    let mut out = Vec::with_capacity(specs.len());
    for spec in specs {
        let mut header = String::new();
        r.read_line(&mut header)
            .map_err(|e| format!("git cat-file: {e}"))?;
        let header = header.trim_end();
        if header.ends_with(" missing") || header.ends_with(" ambiguous") {
            out.push(None);
            continue;
        }
        let size: usize = header
            .rsplit(' ')
            .next()
            .and_then(|s| s.parse().ok())
            .ok_or_else(|| format!("git cat-file: unexpected answer for {spec}: {header}"))?;
        let mut buf = vec![0; size + 1];
        r.read_exact(&mut buf)
            .map_err(|e| format!("git cat-file: {e}"))?;
        buf.pop();
        out.push(Some(buf));
    }
    let _ = writer.join();
    let _ = child.wait();
    Ok(out)
}
