//! Diff mode: which lines a change adds, from `git diff -U0`.

use crate::error::{Error, Result};
use crate::git;
use std::path::Path;

/// What the diff compares.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DiffSpec {
    /// Commits since `base` (`git diff base...HEAD`); also `A...B`.
    Since {
        /// Merge-base side.
        base: String,
        /// Tip (`HEAD` by default).
        head: String,
    },
    /// `A..B`: `git diff A B`.
    Range {
        /// Old side.
        from: String,
        /// New side.
        to: String,
    },
    /// The index against HEAD (`git diff --cached`).
    Staged,
}

impl DiffSpec {
    /// Parses a `--diff` argument: `BASE`, `A..B` or `A...B`. Each side must
    /// be a revision, never something git could read as an option.
    pub fn parse(arg: &str) -> Result<DiffSpec> {
        let non_empty = |s: &str, what: &str| {
            if s.is_empty() {
                return Err(Error::usage(format!(
                    "`--diff {arg}`: the {what} revision is empty"
                )));
            }
            git::check_revision(s)
                .map_err(|e| Error::usage(format!("`--diff {}`: {e}", arg.escape_debug())))?;
            Ok(s.to_string())
        };
        if let Some((a, b)) = arg.split_once("...") {
            let head = if b.is_empty() { "HEAD" } else { b };
            return Ok(DiffSpec::Since {
                base: non_empty(a, "base")?,
                head: non_empty(head, "head")?,
            });
        }
        if let Some((a, b)) = arg.split_once("..") {
            let to = if b.is_empty() { "HEAD" } else { b };
            return Ok(DiffSpec::Range {
                from: non_empty(a, "base")?,
                to: non_empty(to, "head")?,
            });
        }
        Ok(DiffSpec::Since {
            base: non_empty(arg, "base")?,
            head: "HEAD".into(),
        })
    }

    /// The `git diff` arguments that select this change (revisions after
    /// `--end-of-options`).
    fn range_args(&self) -> Vec<String> {
        match self {
            DiffSpec::Since { base, head } => {
                vec!["--end-of-options".into(), format!("{base}...{head}")]
            }
            DiffSpec::Range { from, to } => {
                vec!["--end-of-options".into(), from.clone(), to.clone()]
            }
            DiffSpec::Staged => vec!["--cached".into()],
        }
    }

    /// The revision the change starts from (`rev:path` reads old contents).
    pub fn old_rev(&self, root: &Path) -> Result<String> {
        match self {
            DiffSpec::Since { base, head } => {
                git::text(root, &["merge-base", "--end-of-options", base, head])
                    .filter(|s| !s.is_empty())
                    .ok_or_else(|| {
                        Error::incomplete(format!("git merge-base {base} {head} failed"))
                    })
            }
            DiffSpec::Range { from, .. } => Ok(from.clone()),
            DiffSpec::Staged => Ok("HEAD".into()),
        }
    }

    /// The revision prefix for reading new file contents (`rev:` or `:` for the index).
    fn content_rev(&self) -> String {
        match self {
            DiffSpec::Since { head, .. } => format!("{head}:"),
            DiffSpec::Range { to, .. } => format!("{to}:"),
            DiffSpec::Staged => ":".into(),
        }
    }
}

/// A file the change touches, its added lines (sorted, 1-based) and its new content.
#[derive(Debug, Clone)]
pub struct ChangedFile {
    /// Repo-relative path after the change (renames followed).
    pub path: String,
    /// Added line numbers.
    pub added: Vec<usize>,
    /// Content after the change; `None` if git could not produce it.
    pub content: Option<Vec<u8>>,
}

/// A path a change touches: git's status letter, the old and the new path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Touched {
    /// `A`, `M`, `D`, `R`, `C`, `T`.
    pub status: char,
    /// Path before (absent when added).
    pub old: Option<String>,
    /// Path after (absent when deleted).
    pub new: Option<String>,
}

/// Every path the change touches, deletions and renames included.
pub fn touched(root: &Path, spec: &DiffSpec) -> Result<Vec<Touched>> {
    let mut args: Vec<String> = [
        "diff",
        "--name-status",
        "-z",
        "--no-color",
        "--find-renames",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(spec.range_args());
    args.push("--".into());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = git::git(root, &argv)?;
    let mut parts = out
        .split(|&b| b == 0)
        .map(|p| String::from_utf8_lossy(p).into_owned());
    let mut list = Vec::new();
    while let Some(st) = parts.next() {
        let Some(status) = st.chars().next() else {
            continue;
        };
        let first = parts.next();
        let (old, new) = match status {
            'R' | 'C' => (first, parts.next()),
            'A' => (None, first),
            'D' => (first, None),
            _ => (first.clone(), first),
        };
        list.push(Touched { status, old, new });
    }
    Ok(list)
}

/// Runs the diff and reads the new content of each changed file.
pub fn changed_files(
    root: &Path,
    spec: &DiffSpec,
    pathspecs: &[String],
) -> Result<Vec<ChangedFile>> {
    let mut args: Vec<String> = [
        "diff",
        "-U0",
        "--no-color",
        "--no-ext-diff",
        "--find-renames",
        "--diff-filter=ACMRT",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    args.extend(spec.range_args());
    args.push("--".into());
    args.extend(pathspecs.iter().cloned());
    let argv: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = git::git(root, &argv)?;
    let mut files = parse_unified_zero(&out);
    let rev = spec.content_rev();
    let specs: Vec<String> = files.iter().map(|f| format!("{rev}{}", f.path)).collect();
    let blobs = git::read_blobs(root, &specs)?;
    for (f, b) in files.iter_mut().zip(blobs) {
        f.content = b;
    }
    Ok(files)
}

/// Parses `git diff -U0` output into files and added line numbers.
pub fn parse_unified_zero(out: &[u8]) -> Vec<ChangedFile> {
    let mut files: Vec<ChangedFile> = Vec::new();
    let mut in_hunk = false;
    // The new-side number of the next `+` line of the current hunk. Lines are
    // counted as they come, never taken from the header's count (a lying
    // header cannot overflow or allocate).
    let mut next: Option<usize> = None;
    for raw in out.split(|&b| b == b'\n') {
        let line = String::from_utf8_lossy(raw);
        if line.starts_with("diff --git ") {
            // The `+++` header names the new path; binary diffs have none.
            in_hunk = false;
            next = None;
            continue;
        }
        if in_hunk && !line.starts_with("@@ ") {
            if raw.first() == Some(&b'+')
                && let (Some(n), Some(f)) = (next.as_mut(), files.last_mut())
            {
                f.added.push(*n);
                *n = n.saturating_add(1);
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("+++ ") {
            let rest = rest.trim_end_matches('\r');
            if rest == "/dev/null" {
                continue;
            }
            let path = unquote(rest);
            let path = path.strip_prefix("b/").unwrap_or(&path).to_string();
            files.push(ChangedFile {
                path,
                added: Vec::new(),
                content: None,
            });
            continue;
        }
        if let Some(rest) = line.strip_prefix("@@ ") {
            in_hunk = true;
            // `+START[,COUNT]`; line numbers are 1-based, so 0 or garbage adds nothing.
            next = rest
                .split(' ')
                .find_map(|p| p.strip_prefix('+'))
                .and_then(|new| new.split(',').next())
                .and_then(|start| start.parse::<usize>().ok())
                .filter(|start| *start >= 1);
        }
    }
    files.retain(|f| !f.added.is_empty());
    files
}

/// Undoes git's C-style quoting of unusual paths (`"a\tb"`).
fn unquote(s: &str) -> String {
    let Some(inner) = s.strip_prefix('"').and_then(|x| x.strip_suffix('"')) else {
        return s.to_string();
    };
    let mut out = Vec::new();
    let mut bytes = inner.bytes().peekable();
    while let Some(b) = bytes.next() {
        if b != b'\\' {
            out.push(b);
            continue;
        }
        match bytes.next() {
            Some(b'n') => out.push(b'\n'),
            Some(b't') => out.push(b'\t'),
            Some(b'"') => out.push(b'"'),
            Some(b'\\') => out.push(b'\\'),
            Some(d @ b'0'..=b'7') => {
                let mut v = u32::from(d - b'0');
                for _ in 0..2 {
                    if let Some(&n @ b'0'..=b'7') = bytes.peek() {
                        v = v * 8 + u32::from(n - b'0');
                        bytes.next();
                    }
                }
                out.push(v as u8);
            }
            Some(other) => out.push(other),
            None => {}
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_specs() {
        assert_eq!(
            DiffSpec::parse("main").unwrap(),
            DiffSpec::Since {
                base: "main".into(),
                head: "HEAD".into()
            }
        );
        assert_eq!(
            DiffSpec::parse("a..b").unwrap(),
            DiffSpec::Range {
                from: "a".into(),
                to: "b".into()
            }
        );
        assert_eq!(
            DiffSpec::parse("origin/main...").unwrap(),
            DiffSpec::Since {
                base: "origin/main".into(),
                head: "HEAD".into()
            }
        );
        assert!(DiffSpec::parse("..b").is_err());
        assert!(DiffSpec::parse("--output=/tmp/x").is_err());
        assert!(DiffSpec::parse("main..--output=x").is_err());
    }

    #[test]
    fn parses_added_lines() {
        let out = b"diff --git a/src/a.ts b/src/a.ts\nindex 1..2 100644\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -3,0 +4,2 @@ fn\n+x\n+y\n@@ -10 +12 @@\n-a\n+b\n@@ -20,3 +23,0 @@\n-gone\ndiff --git a/old.js b/new.js\nsimilarity index 90%\nrename from old.js\nrename to new.js\n--- a/old.js\n+++ b/new.js\n@@ -1 +1 @@\n-a\n+b\ndiff --git a/img.png b/img.png\nBinary files a/img.png and b/img.png differ\ndiff --git a/\"sp ace\\tx.js\" b/\"sp ace\\tx.js\"\n--- /dev/null\n+++ \"b/sp ace\\tx.js\"\n@@ -0,0 +1 @@\n+q\n";
        let files = parse_unified_zero(out);
        assert_eq!(files.len(), 3);
        assert_eq!(files[0].path, "src/a.ts");
        assert_eq!(files[0].added, vec![4, 5, 12]);
        assert_eq!(files[1].path, "new.js");
        assert_eq!(files[2].path, "sp ace\tx.js");
    }
}
