//! Repo-relative path arithmetic for `cd` targets and `working-directory` values.

/// Join a repo-relative directory and a relative path, normalising `.` and `..`.
/// Returns `None` for absolute paths or paths escaping the repository.
pub fn join_path(dir: &str, rel: &str) -> Option<String> {
    if rel.starts_with('/') || rel.starts_with('~') {
        return None;
    }
    let mut parts: Vec<&str> = dir
        .split('/')
        .filter(|p| !p.is_empty() && *p != ".")
        .collect();
    for p in rel.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            other => parts.push(other),
        }
    }
    Some(parts.join("/"))
}

/// Resolve a directory word (`cd` target, `working-directory`) against `cwd`.
/// `$GITHUB_WORKSPACE`/`${{ github.workspace }}` prefixes mean the repository root.
pub fn resolve_dir(cwd: Option<&str>, target: &str) -> Option<String> {
    let t = target.trim();
    for root in [
        "${{ github.workspace }}",
        "${{github.workspace}}",
        "$GITHUB_WORKSPACE",
        "${GITHUB_WORKSPACE}",
    ] {
        if let Some(rest) = t.strip_prefix(root)
            && (rest.is_empty() || rest.starts_with('/'))
        {
            return join_path("", rest.trim_start_matches('/'));
        }
    }
    if t.is_empty()
        || t.contains('$')
        || t.contains('`')
        || t.contains('*')
        || t.contains('?')
        || t == "-"
    {
        return None;
    }
    join_path(cwd?, t)
}
