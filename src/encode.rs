//! Percent-encoding for URLs and URIs built from paths and names.

/// Percent-encodes everything except RFC 3986 unreserved characters, and `/`
/// when `keep_slash` (paths).
pub fn percent(s: &str, keep_slash: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) || (keep_slash && b == b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::percent;

    #[test]
    fn encodes() {
        assert_eq!(percent("release gate", false), "release%20gate");
        assert_eq!(percent("src/ü a.ts", true), "src/%C3%BC%20a.ts");
        assert_eq!(percent("a/b", false), "a%2Fb");
    }
}
