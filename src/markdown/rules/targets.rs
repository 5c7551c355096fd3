//! Link destinations: what a destination points at, and placeholder/template detection.

use super::super::repo::percent_decode;

/// What a link destination points at.
pub(super) enum Target {
    Skip,
    Fragment(String),
    Path { path: String, frag: Option<String> },
}

/// `scheme:` prefix (`https:`, `mailto:`, `vscode:`, …).
fn has_scheme(s: &str) -> bool {
    let b = s.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_alphabetic) {
        return false;
    }
    let n = b
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'+' | b'.' | b'-'))
        .count();
    b.get(n) == Some(&b':')
}

/// Classifies a link destination (skip external/placeholder, fragment, or repo path).
pub(super) fn classify_dest(dest: &str) -> Target {
    let dest = dest.trim();
    if dest.is_empty() || dest.starts_with("//") || has_scheme(dest) || is_placeholder(dest) {
        return Target::Skip;
    }
    if let Some(frag) = dest.strip_prefix('#') {
        return if frag.is_empty() {
            Target::Skip
        } else {
            Target::Fragment(frag.to_string())
        };
    }
    let (before_frag, frag) = match dest.split_once('#') {
        Some((a, f)) => (a, (!f.is_empty()).then(|| f.to_string())),
        None => (dest, None),
    };
    let path = before_frag.split('?').next().unwrap_or("");
    if path.is_empty() {
        return Target::Skip;
    }
    let decoded = percent_decode(path);
    if is_placeholder(&decoded) {
        return Target::Skip;
    }
    Target::Path {
        path: decoded,
        frag,
    }
}

/// Template and example text that is not meant to exist.
pub(super) fn is_placeholder(s: &str) -> bool {
    let b = s.as_bytes();
    // One pass: template syntax, ellipses, and bytes that can start a placeholder word.
    for (i, &c) in b.iter().enumerate() {
        let rest = &b[i..];
        let hit = match c {
            b'{' | b'}' | b'$' | b'<' | b'>' | b'*' => true,
            b'.' => rest.starts_with(b"..."),
            0xE2 => rest.starts_with("…".as_bytes()),
            b'p' | b'P' => starts_ci(rest, b"path/to"),
            b'x' | b'X' => starts_ci(rest, b"xxx"),
            b'y' | b'Y' => {
                starts_ci(rest, b"your-")
                    || starts_ci(rest, b"your_")
                    || starts_ci(rest, b"yourname")
            }
            _ => false,
        };
        if hit {
            return true;
        }
    }
    let base = memchr::memrchr(b'/', b).map_or(b, |k| &b[k + 1..]);
    starts_ci(base, b"example.") || starts_ci(base, b"my-file") || starts_ci(base, b"foo.")
}

/// ASCII case-insensitive `starts_with`.
pub(super) fn starts_ci(hay: &[u8], prefix: &[u8]) -> bool {
    hay.get(..prefix.len())
        .is_some_and(|p| p.eq_ignore_ascii_case(prefix))
}
