//! Content fingerprints: stable across edits above a finding.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;

/// A hash of rule id + path + the normalized matched text (+ an ordinal when the
/// same text occurs several times in one file). Never includes a line number.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Fingerprint(pub String);

impl Fingerprint {
    /// Computes the fingerprint; whitespace runs in `text` are folded to one space.
    pub fn compute(rule: &str, path: &str, text: &str, ordinal: usize) -> Self {
        let mut h = Sha256::new();
        h.update(rule.as_bytes());
        h.update([0]);
        h.update(path.as_bytes());
        h.update([0]);
        let mut first = true;
        for word in text.split_whitespace() {
            if !first {
                h.update(b" ");
            }
            first = false;
            h.update(word.as_bytes());
        }
        h.update([0]);
        h.update(ordinal.to_le_bytes());
        let digest = h.finalize();
        let mut s = String::with_capacity(32);
        for b in &digest[..16] {
            s.push_str(&format!("{b:02x}"));
        }
        Fingerprint(s)
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_and_whitespace_insensitive() {
        let a = Fingerprint::compute("r/x", "src/a.ts", "https://api.example.test", 0);
        let b = Fingerprint::compute("r/x", "src/a.ts", "  https://api.example.test ", 0);
        assert_eq!(a, b);
        assert_eq!(a.0.len(), 32);
        assert_ne!(
            a,
            Fingerprint::compute("r/x", "src/b.ts", "https://api.example.test", 0)
        );
        assert_ne!(
            a,
            Fingerprint::compute("r/x", "src/a.ts", "https://api.example.test", 1)
        );
    }
}
