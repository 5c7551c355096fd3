//! Port of github-slugger 2.0.0 (`index.js` + generated `regex.js`).

use std::collections::{HashMap, HashSet};

use super::slug_table::REMOVE;

/// True when github-slugger's regex removes `c` from a heading slug.
pub fn is_removed(c: char) -> bool {
    if c.is_ascii() {
        // The table's ASCII part: everything but letters, digits, `-`, `_` and space.
        return !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ' '));
    }
    let cp = u32::from(c);
    REMOVE
        .binary_search_by(|&(lo, hi)| {
            if hi < cp {
                std::cmp::Ordering::Less
            } else if lo > cp {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Slug of `value` without duplicate tracking (github-slugger's `slug()`):
/// lowercase, drop punctuation/symbols/controls per its Unicode 13 table, spaces → `-`.
pub fn slug(value: &str) -> String {
    if value.is_ascii() {
        let mut v = Vec::with_capacity(value.len());
        for &b in value.as_bytes() {
            match b.to_ascii_lowercase() {
                b' ' => v.push(b'-'),
                c if c.is_ascii_alphanumeric() || c == b'-' || c == b'_' => v.push(c),
                _ => {}
            }
        }
        return String::from_utf8(v).unwrap_or_default();
    }
    let mut out = String::with_capacity(value.len());
    let mut push = |c: char| {
        if c == ' ' {
            out.push('-');
        } else if !is_removed(c) {
            out.push(c);
        }
    };
    if value.contains('Σ') {
        // Final-sigma rules need the whole-string lowercase (as JS `toLowerCase`).
        value.to_lowercase().chars().for_each(&mut push);
    } else {
        for c in value.chars() {
            if c.is_ascii() {
                push(c.to_ascii_lowercase());
            } else {
                c.to_lowercase().for_each(&mut push);
            }
        }
    }
    out
}

/// Per-document slug generator with github-slugger's duplicate counter
/// (`foo`, `foo-1`, `foo-2`, …, including its interaction with literal `foo-1` headings).
#[derive(Debug, Default, Clone)]
pub struct Slugger {
    /// Every slug handed out.
    seen: HashSet<String>,
    /// github-slugger's `occurrences[original]` counters, kept only for slugs that repeated.
    counters: HashMap<String, u64>,
}

impl Slugger {
    /// A fresh slugger (no slugs seen yet).
    pub fn new() -> Self {
        Self::default()
    }

    /// A fresh slugger with room for `n` slugs.
    pub fn with_capacity(n: usize) -> Self {
        Slugger {
            seen: HashSet::with_capacity(n),
            counters: HashMap::new(),
        }
    }

    /// Every slug handed out so far.
    pub fn into_slugs(self) -> HashSet<String> {
        self.seen
    }

    /// Unique slug for `value`, remembering it for later calls.
    pub fn slug(&mut self, value: &str) -> String {
        let original = slug(value);
        if !self.seen.contains(&original) {
            self.seen.insert(original.clone());
            return original;
        }
        // Each iteration bumps the counter, so this ends after at most (slugs seen) + 1 rounds.
        if !self.counters.contains_key(&original) {
            self.counters.insert(original.clone(), 0);
        }
        let Some(n) = self.counters.get_mut(&original) else {
            return original;
        };
        let result = loop {
            *n += 1;
            let candidate = format!("{original}-{n}");
            if !self.seen.contains(&candidate) {
                break candidate;
            }
        };
        self.seen.insert(result.clone());
        result
    }
}
