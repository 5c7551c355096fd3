//! The one redaction policy. Every text that leaves the process (messages,
//! snippets, command output tails, quoted HTTP bodies, check-run bodies, error
//! lines) goes through a [`Redactor`]: known secret values, the secret rules'
//! matches, URL userinfo passwords, `password=`-style assignments, bearer
//! tokens and private key blocks are masked.

use regex::bytes::{Regex, RegexBuilder};
use std::borrow::Cow;
use std::ops::Range;
use std::sync::{OnceLock, RwLock};

/// Masks a secret: the first four characters stay, the rest become `*`.
pub fn mask(secret: &str) -> String {
    let keep: String = secret.chars().take(4).collect();
    let hidden = secret.chars().count().saturating_sub(4).clamp(4, 12);
    format!("{keep}{}", "*".repeat(hidden))
}

/// A mask that keeps nothing of the secret.
fn mask_all(secret: &str) -> String {
    "*".repeat(secret.chars().count().clamp(8, 16))
}

/// A variable name that says it holds a secret (and does not say it is public).
pub fn looks_secret(name: &str) -> bool {
    let n = name.to_ascii_uppercase();
    let public = [
        "PUBLIC_KEY",
        "PUBLISHABLE",
        "ANON",
        "MAPBOX_TOKEN",
        "_PUBLIC_TOKEN",
    ]
    .iter()
    .any(|p| n.contains(p));
    if public {
        return false;
    }
    [
        "SECRET",
        "SERVICE_ROLE",
        "PRIVATE_KEY",
        "PASSWORD",
        "PASSWD",
        "CLIENT_SECRET",
    ]
    .iter()
    .any(|p| n.contains(p))
        || n.ends_with("_TOKEN")
        || n == "TOKEN"
        || n.ends_with("_API_KEY") && !n.starts_with("VITE_FIREBASE") && !n.contains("GOOGLE_MAPS")
}

/// Structural secret shapes every redactor knows: (pattern, masks the group `m`).
fn structural() -> &'static [Regex] {
    static PATTERNS: OnceLock<Vec<Regex>> = OnceLock::new();
    PATTERNS.get_or_init(|| {
        [
            // URL userinfo password: scheme://user:PASSWORD@host
            r"(?i)\b[a-z][a-z0-9+.-]{1,20}://[^/\s:@]{0,128}:(?P<m>[^/\s@]{1,256})@",
            // password=…, token: "…", api_key='…' (not env reads or templates; checked after)
            r#"(?i)\b(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|secret[_-]?key|client[_-]?secret|auth[_-]?token)\b["']?\s*[:=]\s*(?:"(?P<m>[^"\s]{4,256})"|'(?P<m2>[^'\s]{4,256})'|(?P<m3>[^\s"'&,;)}\]]{4,256}))"#,
            // Authorization: Bearer …
            r"(?i)\bbearer\s+(?P<m>[A-Za-z0-9._~+/=-]{8,})",
            // PEM private key blocks (a block cut off by a tail masks to the end)
            r"(?s)-----BEGIN [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----(?P<m>.*?(?:-----END [A-Z0-9 ]{0,40}PRIVATE KEY(?: BLOCK)?-----|\z))",
        ]
        .iter()
        .filter_map(|p| RegexBuilder::new(p).unicode(false).build().ok())
        .collect()
    })
}

/// Whether a matched assignment value is code or a reference, not a secret.
fn is_reference(v: &[u8]) -> bool {
    let s = String::from_utf8_lossy(v);
    s.chars().all(|c| c == '*')
        || [
            "process.", "import.", "os.", "env.", "${", "{{", "$(", "<", "Deno.", "ENV[",
            "config.", "req.", "this.",
        ]
        .iter()
        .any(|p| s.starts_with(p))
        || s.contains('(')
        || matches!(
            s.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "none" | "undefined" | "required" | "string"
        )
}

/// Masks secrets in text. Cheap to share between threads; values learnt
/// during a run (captured tokens, env values) are added with [`Redactor::add`].
#[derive(Debug, Default)]
pub struct Redactor {
    literals: RwLock<Vec<String>>,
    patterns: Vec<Regex>,
}

impl Redactor {
    /// A redactor with the structural patterns plus `patterns` (the secret
    /// rules' regexes; a group named `m` marks the secret part).
    pub fn new(patterns: Vec<Regex>) -> Self {
        Redactor {
            literals: RwLock::new(Vec::new()),
            patterns,
        }
    }

    /// Learns a secret value; values shorter than 4 characters are ignored
    /// (masking them everywhere would destroy the text and hide nothing).
    pub fn add(&self, value: &str) {
        let v = value.trim();
        if v.chars().count() < 4 || v.chars().all(|c| c == '*') {
            return;
        }
        if let Ok(mut l) = self.literals.write()
            && !l.iter().any(|x| x == v)
        {
            l.push(v.to_string());
            l.sort_by_key(|x| std::cmp::Reverse(x.len()));
        }
    }

    /// Learns the values of secret-looking variables from `vars`.
    pub fn add_env<'a>(&self, vars: impl IntoIterator<Item = (&'a str, &'a str)>) {
        for (k, v) in vars {
            if looks_secret(k) && v.chars().count() >= 6 {
                self.add(v);
            }
        }
    }

    /// Whether `text` holds a match of a secret rule (a real credential
    /// format: `sk_live_…`, `AKIA…`, `ghp_…`, a private key, …).
    pub fn matches_rule(&self, text: &str) -> bool {
        self.patterns.iter().any(|p| p.is_match(text.as_bytes()))
    }

    /// Byte ranges of `text` that hold secrets, merged and sorted.
    pub fn ranges(&self, text: &[u8]) -> Vec<Range<usize>> {
        let mut out: Vec<Range<usize>> = Vec::new();
        if let Ok(lits) = self.literals.read() {
            for l in lits.iter() {
                let finder = memchr::memmem::Finder::new(l.as_bytes());
                for at in finder.find_iter(text) {
                    out.push(at..at + l.len());
                }
            }
        }
        for re in structural().iter().chain(&self.patterns) {
            for caps in re.captures_iter(text) {
                let m = ["m", "m2", "m3"]
                    .iter()
                    .find_map(|g| caps.name(g))
                    .or_else(|| caps.get(0));
                if let Some(m) = m
                    && !m.range().is_empty()
                    && !is_reference(m.as_bytes())
                {
                    out.push(m.range());
                }
            }
        }
        merge(out)
    }

    /// `text` with every secret masked.
    pub fn redact<'t>(&self, text: &'t str) -> Cow<'t, str> {
        let ranges = self.ranges(text.as_bytes());
        if ranges.is_empty() {
            return Cow::Borrowed(text);
        }
        // The masks keep a secret's first characters; where that rebuilds a
        // learnt value (a value that itself ends in `****`, or a mask's stars
        // running into the text after it), mask everything, then drop the text.
        for masker in [mask, mask_all] {
            let out = Self::render(text, &ranges, masker);
            if !self.holds_literal(&out) {
                return Cow::Owned(out);
            }
        }
        Cow::Owned(Self::render(text, &ranges, |_| "[redacted]".to_string()))
    }

    fn render(text: &str, ranges: &[Range<usize>], masker: fn(&str) -> String) -> String {
        let mut out = String::with_capacity(text.len());
        let mut at = 0;
        for r in ranges {
            // Ranges come from byte regexes: snap them to char boundaries.
            let (s, e) = (floor_char(text, r.start), ceil_char(text, r.end));
            if s < at {
                continue;
            }
            out.push_str(&text[at..s]);
            out.push_str(&masker(&text[s..e]));
            at = e;
        }
        out.push_str(&text[at..]);
        out
    }

    /// Whether a learnt value occurs in `text`.
    fn holds_literal(&self, text: &str) -> bool {
        self.literals
            .read()
            .is_ok_and(|l| l.iter().any(|v| text.contains(v.as_str())))
    }

    /// Redacts a `String` in place.
    pub fn redact_in_place(&self, s: &mut String) {
        if let Cow::Owned(o) = self.redact(s) {
            *s = o;
        }
    }
}

fn merge(mut v: Vec<Range<usize>>) -> Vec<Range<usize>> {
    v.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
    let mut out: Vec<Range<usize>> = Vec::with_capacity(v.len());
    for r in v {
        match out.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => out.push(r),
        }
    }
    out
}

fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_keep_four_chars() {
        assert_eq!(mask("ghp_abcdefghijklmnop"), "ghp_************");
        assert_eq!(mask("abc"), "abc****");
        assert!(!mask("sk_live_secretsecret").contains("secret"));
    }

    #[test]
    fn classifies_names() {
        assert!(looks_secret("SESSION_SECRET"));
        assert!(looks_secret("SUPABASE_SERVICE_ROLE_KEY"));
        assert!(looks_secret("GITHUB_TOKEN"));
        assert!(looks_secret("OPENAI_API_KEY"));
        assert!(!looks_secret("VITE_SUPABASE_ANON_KEY"));
        assert!(!looks_secret("VITE_MAPBOX_TOKEN"));
        assert!(!looks_secret("STRIPE_PUBLISHABLE_KEY"));
        assert!(!looks_secret("DATABASE_URL"));
    }

    #[test]
    fn structural_secrets_are_masked() {
        let r = Redactor::default();
        let pw = "hunter2hunter2";
        let text = format!(
            "connect https://svc:{pw}@db.internal:5432/x then password={pw}x; Authorization: Bearer abcdefghijklmnop; token: \"tok_{pw}\""
        );
        let out = r.redact(&text);
        assert!(!out.contains(pw), "{out}");
        assert!(out.contains("https://svc:"), "{out}");
        assert!(out.contains("db.internal"), "{out}");
        let key =
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEabcdefSECRET\n-----END RSA PRIVATE KEY-----";
        assert!(!r.redact(key).contains("SECRET"));
        let cut = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktSECRET";
        assert!(!r.redact(cut).contains("SECRET"));
    }

    #[test]
    fn references_and_plain_text_are_left_alone() {
        let r = Redactor::default();
        for t in [
            "const token = process.env.GITHUB_TOKEN;",
            "password: ${DB_PASSWORD}",
            "`SESSION_SECRET` is required but not set",
            "GET https://api.example.test/health answered 200",
            "secret = true",
        ] {
            assert_eq!(r.redact(t), t);
        }
    }

    #[test]
    fn learnt_values_and_rule_patterns_are_masked() {
        let r = Redactor::new(vec![Regex::new(r"AKIA[0-9A-Z]{16}").unwrap()]);
        r.add("s3cr3t-value");
        r.add("ab");
        r.add_env([("API_KEY_SECRET", "longvalue123"), ("PORT", "3000000")]);
        // Assembled at run time so this source holds no key-shaped literal.
        let key = format!("AKIA{}", "Q7RZ2M5XK3WT6PLN");
        let input = format!("x s3cr3t-value {key} longvalue123 3000000 ab");
        let out = r.redact(&input);
        assert!(!out.contains("s3cr3t-value"));
        assert!(!out.contains("Q7RZ2M5XK3WT6PLN"));
        assert!(!out.contains("longvalue123"));
        assert!(out.contains("3000000") && out.ends_with(" ab"), "{out}");
        // Multi-byte text around a secret stays valid.
        assert!(r.redact("é s3cr3t-value é").starts_with("é s3cr"));
    }
}
