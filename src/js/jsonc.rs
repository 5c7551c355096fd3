//! Tolerant JSON-with-comments: strips `//` and `/* */` comments and trailing commas
//! (replacing them with spaces so byte offsets and line numbers are kept), then parses
//! with serde_json; plus a tiny walker that finds the line of a key path.

use serde_json::Value;

/// Replace comments and trailing commas by spaces (newlines are kept). Linear.
pub(super) fn strip(text: &str) -> String {
    let src = text.as_bytes();
    let mut out = src.to_vec();
    let mut i = 0;
    let mut pending_comma: Option<usize> = None;
    while let Some(&c) = src.get(i) {
        match c {
            b'"' => {
                pending_comma = None;
                i += 1;
                while let Some(&d) = src.get(i) {
                    i += 1;
                    if d == b'\\' {
                        i += 1;
                    } else if d == b'"' || d == b'\n' {
                        break;
                    }
                }
            }
            b'/' if src.get(i + 1) == Some(&b'/') => {
                while let Some(&d) = src.get(i) {
                    if d == b'\n' {
                        break;
                    }
                    blank(&mut out, i);
                    i += 1;
                }
            }
            b'/' if src.get(i + 1) == Some(&b'*') => {
                blank(&mut out, i);
                blank(&mut out, i + 1);
                i += 2;
                while i < src.len() {
                    if src.get(i) == Some(&b'*') && src.get(i + 1) == Some(&b'/') {
                        blank(&mut out, i);
                        blank(&mut out, i + 1);
                        i += 2;
                        break;
                    }
                    if src.get(i) != Some(&b'\n') {
                        blank(&mut out, i);
                    }
                    i += 1;
                }
            }
            b' ' | b'\t' | b'\r' | b'\n' => i += 1,
            b',' => {
                pending_comma = Some(i);
                i += 1;
            }
            b'}' | b']' => {
                if let Some(p) = pending_comma.take() {
                    blank(&mut out, p);
                }
                i += 1;
            }
            _ => {
                pending_comma = None;
                i += 1;
            }
        }
    }
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

fn blank(out: &mut [u8], i: usize) {
    if let Some(b) = out.get_mut(i) {
        *b = b' ';
    }
}

/// A parsed JSONC document: the cleaned text (same lines as the original) and its value.
pub(super) struct Doc {
    /// Comment-free text, line-for-line identical to the original.
    pub clean: String,
    /// The parsed value.
    pub value: Value,
}

/// Parse JSON with comments and trailing commas; `None` if it still is not JSON.
pub(super) fn parse(bytes: &[u8]) -> Option<Doc> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    // Plain JSON (most manifests) has nothing to strip: `strip` would return it unchanged.
    if let Ok(value) = serde_json::from_str(text) {
        return Some(Doc {
            clean: text.to_string(),
            value,
        });
    }
    let clean = strip(text);
    let value = serde_json::from_str(&clean).ok()?;
    Some(Doc { clean, value })
}

/// 1-based line of the object key at `path` (e.g. `["scripts", "start"]`), if present.
pub(super) fn key_line(clean: &str, path: &[&str]) -> Option<usize> {
    if path.is_empty() {
        return None;
    }
    let b = clean.as_bytes();
    // (is_object, current key range)
    let mut frames: Vec<(bool, Option<(usize, usize)>)> = Vec::new();
    let mut expect_key = false;
    let mut line = 1;
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        match c {
            b'\n' => line += 1,
            b'"' => {
                let start = i + 1;
                i += 1;
                while let Some(&d) = b.get(i) {
                    if d == b'\\' {
                        i += 1;
                    } else if d == b'"' || d == b'\n' {
                        break;
                    }
                    i += 1;
                }
                let end = i.min(b.len());
                if let Some(top) = frames.last_mut().filter(|f| f.0 && expect_key) {
                    top.1 = Some((start, end));
                    expect_key = false;
                    if frames.len() == path.len() && frames_match(b, &frames, path) {
                        return Some(line);
                    }
                }
                if b.get(i) == Some(&b'\n') {
                    line += 1;
                }
            }
            b'{' => {
                frames.push((true, None));
                expect_key = true;
            }
            b'[' => frames.push((false, None)),
            b'}' | b']' => {
                frames.pop();
                expect_key = false;
            }
            b',' => expect_key = frames.last().is_some_and(|f| f.0),
            _ => {}
        }
        i += 1;
    }
    None
}

fn frames_match(b: &[u8], frames: &[(bool, Option<(usize, usize)>)], path: &[&str]) -> bool {
    frames.iter().zip(path).all(|(f, want)| {
        f.0 && f
            .1
            .and_then(|(s, e)| b.get(s..e))
            .is_some_and(|k| k == want.as_bytes())
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn tsconfig_with_comments_and_trailing_commas_parses() {
        let text = r#"{
  // Vite template
  "compilerOptions": {
    /* Bundler mode */
    "baseUrl": ".",
    "paths": { "@/*": ["./src/*",], },
    "url": "http://x//y", // not a comment inside the string
  },
}"#;
        let d = parse(text.as_bytes()).unwrap();
        assert_eq!(d.value["compilerOptions"]["baseUrl"], ".");
        assert_eq!(d.value["compilerOptions"]["paths"]["@/*"][0], "./src/*");
        assert_eq!(d.value["compilerOptions"]["url"], "http://x//y");
        assert_eq!(key_line(&d.clean, &["compilerOptions", "paths"]), Some(6));
        assert_eq!(key_line(&d.clean, &["compilerOptions", "nope"]), None);
    }

    #[test]
    fn key_line_follows_nesting_not_first_occurrence() {
        let text =
            "{\n  \"name\": \"x\",\n  \"config\": {\"main\": 1},\n  \"main\": \"server.js\"\n}";
        let d = parse(text.as_bytes()).unwrap();
        assert_eq!(key_line(&d.clean, &["main"]), Some(4));
        assert_eq!(key_line(&d.clean, &["config", "main"]), Some(3));
    }

    #[test]
    fn plain_json_is_kept_as_is() {
        let text = "\u{feff}{\n  \"name\": \"x\",\n  \"url\": \"http://a//b\",\n  \"main\": \"server.js\"\n}";
        let d = parse(text.as_bytes()).unwrap();
        assert_eq!(d.clean, text.trim_start_matches('\u{feff}'));
        assert_eq!(d.clean, strip(&d.clean));
        assert_eq!(d.value["url"], "http://a//b");
        assert_eq!(key_line(&d.clean, &["main"]), Some(4));
    }

    #[test]
    fn garbage_is_none_not_panic() {
        assert!(parse(b"{\"a\": /* unterminated").is_none());
        assert!(parse(&[0xff, 0xfe, b'{']).is_none());
        let _ = key_line("\"\\", &["a"]);
    }
}
