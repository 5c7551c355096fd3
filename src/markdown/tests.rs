//! Unit tests with fixtures shaped like real repositories (seed runbooks in `testdata/`).
//!
//! Split by topic: `slugs` (GitHub anchors), `blocks` (block and inline parsing), `links`
//! and `paths` (the three rules), `seeds` (whole runbooks), `extraction` (snippets, env
//! vars, endpoints), `fuzz` and `perf` (robustness, linearity, timing), `manual` (ignored
//! harnesses run by hand).

mod blocks;
mod extraction;
mod fuzz;
mod links;
mod manual;
mod paths;
mod perf;
mod seeds;
mod slugs;

use std::collections::HashMap;

use super::*;

const SEED_000: &str = include_str!("testdata/seed_000.md");
const SEED_001: &str = include_str!("testdata/seed_001.md");
const SEED_002: &str = include_str!("testdata/seed_002.md");
const SEED_003: &str = include_str!("testdata/seed_003.md");
const SEED_004: &str = include_str!("testdata/seed_004.md");

/// An in-memory repository: (file list, contents).
struct Repo {
    files: Vec<String>,
    map: HashMap<String, Vec<u8>>,
}

impl Repo {
    fn new(files: &[(&str, &str)]) -> Self {
        Repo {
            files: files.iter().map(|(p, _)| p.to_string()).collect(),
            map: files
                .iter()
                .map(|(p, c)| (p.to_string(), c.as_bytes().to_vec()))
                .collect(),
        }
    }
    fn read(&self) -> impl Fn(&str) -> Option<Vec<u8>> + '_ {
        |p| self.map.get(p).cloned()
    }
    fn issues(&self) -> Vec<Issue> {
        check(&self.files, &self.read())
    }
}

fn brief(issues: &[Issue]) -> Vec<(&'static str, Severity, String, usize, usize)> {
    issues
        .iter()
        .map(|i| (i.rule, i.severity, i.path.clone(), i.line, i.column))
        .collect()
}
