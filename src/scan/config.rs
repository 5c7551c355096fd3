//! `[scan]`: which files, which rules, what counts as production source.

use crate::model::Severity;
use crate::suppress::{Ignore, parse_ignores};
use crate::toml_doc::{Doc, Located, Tbl, parse_size};
use toml_span::Spanned;

/// Default globs of production source (`[scan.production] include`).
pub const DEFAULT_PRODUCTION_INCLUDE: &[&str] =
    &["*.{js,jsx,ts,tsx,mjs,cjs,mts,cts,vue,svelte,py,go,rb,rs,java,kt,php}"];

/// Default test, dev-only and vendored paths excluded from production source.
pub const DEFAULT_PRODUCTION_EXCLUDE: &[&str] = &[
    // tests and their helpers
    "test/",
    "tests/",
    "__tests__/",
    "spec/",
    "specs/",
    "e2e/",
    "cypress/",
    "playwright/",
    "__mocks__/",
    "mocks/",
    "mock/",
    "fixtures/",
    "__fixtures__/",
    "testdata/",
    "*.{test,spec,e2e,cy,mock,stories,story}.*",
    "*_test.go",
    "tests.rs",
    "test_*.py",
    "*_test.py",
    "conftest.py",
    "*_spec.rb",
    "setupTests.*",
    "jest.setup.*",
    // stories, docs and examples
    "stories/",
    ".storybook/",
    "storybook/",
    "docs/",
    "examples/",
    "example/",
    // dev tooling and dev-only config
    "scripts/",
    "vite.config.*",
    "vitest.config.*",
    "jest.config.*",
    "playwright.config.*",
    "cypress.config.*",
    "karma.conf.*",
    "webpack.dev.*",
    "setupProxy.*",
    "nodemon.*",
    // vendored and generated
    "node_modules/",
    "vendor/",
    "dist/",
    "build/",
    "coverage/",
    ".next/",
    ".nuxt/",
    ".svelte-kit/",
    "*.min.js",
];

/// Default test file globs (`[scan.tests] include`).
pub const DEFAULT_TESTS: &[&str] = &[
    "*.{test,spec,e2e,cy}.*",
    "tests.rs",
    "__tests__/",
    "test/",
    "tests/",
    "spec/",
    "e2e/",
    "cypress/",
];

/// Default size above which a file is scanned in windows instead of whole.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// `[scan]`.
#[derive(Debug, Clone)]
pub struct ScanConfig {
    /// Only scan files matching these globs (empty: all).
    pub include: Vec<String>,
    /// Never scan files matching these globs.
    pub exclude: Vec<String>,
    /// Extra rule pack directories, relative to the repository root.
    pub rule_dirs: Vec<Located<String>>,
    /// Disabled rules.
    pub disable: Vec<Located<String>>,
    /// Severity overrides.
    pub severity: Vec<(Located<String>, Severity)>,
    /// Production source include globs.
    pub production_include: Vec<String>,
    /// Production source exclude globs.
    pub production_exclude: Vec<String>,
    /// `[scan.production] entrypoints`: globs of files that ship besides the
    /// entrypoints found in package.json, Dockerfiles and platform configs.
    pub production_entrypoints: Vec<String>,
    /// Test file globs.
    pub tests: Vec<String>,
    /// Files larger than this are read in overlapping windows.
    pub max_file_size: u64,
}

impl Default for ScanConfig {
    fn default() -> Self {
        let own = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
        ScanConfig {
            include: Vec::new(),
            exclude: Vec::new(),
            rule_dirs: Vec::new(),
            disable: Vec::new(),
            severity: Vec::new(),
            production_include: own(DEFAULT_PRODUCTION_INCLUDE),
            production_exclude: own(DEFAULT_PRODUCTION_EXCLUDE),
            production_entrypoints: Vec::new(),
            tests: own(DEFAULT_TESTS),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
        }
    }
}

impl crate::rules::RuleOverrides for ScanConfig {
    fn disabled(&self, id: &str) -> bool {
        self.disable
            .iter()
            .any(|d| crate::model::rule_matches(&d.value, id))
    }
    fn severity(&self, id: &str) -> Option<Severity> {
        self.severity
            .iter()
            .find(|(r, _)| r.value == id)
            .map(|(_, s)| *s)
    }
}

/// A rule reference must be `pack/name` or `pack/*`.
pub fn check_rule_ref(doc: &mut Doc, s: &Spanned<String>) {
    let v = &s.value;
    let ok = v.split_once('/').is_some_and(|(a, b)| {
        !a.is_empty() && !b.is_empty() && !b.contains('/') && (b == "*" || !b.contains('*'))
    });
    if !ok {
        doc.error(
            s.span,
            format!("`{v}` is not a rule id; expected `pack/name` or `pack/*`"),
        );
    }
}

fn parse_max_size(doc: &mut Doc, t: &mut Tbl) -> Option<u64> {
    let v = t.take("max_file_size")?;
    let size = match (v.as_integer(), v.as_str()) {
        (Some(i), _) if i > 0 => Some(i as u64),
        (_, Some(s)) => parse_size(s),
        _ => None,
    };
    if size.is_none() {
        doc.error(
            v.span,
            "`max_file_size` must be a positive number of bytes or a size such as \"10MB\"",
        );
    }
    size
}

/// Parses `[scan]`; its `[[scan.ignore]]` entries are returned apart.
pub fn parse_scan(doc: &mut Doc, mut t: Tbl) -> (ScanConfig, Vec<Ignore>) {
    let mut scan = ScanConfig::default();
    if let Some(v) = doc.globs(&mut t, "include") {
        scan.include = v;
    }
    if let Some(v) = doc.globs(&mut t, "exclude") {
        scan.exclude = v;
    }
    scan.rule_dirs = t
        .strings(doc, "rule_dirs")
        .into_iter()
        .map(|s| doc.spot(s))
        .collect();
    let disable = t.strings(doc, "disable");
    for d in &disable {
        check_rule_ref(doc, d);
    }
    scan.disable = disable.into_iter().map(|s| doc.spot(s)).collect();
    if let Some(mut sev) = t.table(doc, "severity") {
        for (key, mut value) in sev.drain() {
            check_rule_ref(doc, &key);
            let span = value.span;
            match value.take() {
                toml_span::value::ValueInner::String(s) => match s.parse::<Severity>() {
                    Ok(level) => scan.severity.push((doc.spot(key), level)),
                    Err(e) => doc.error(span, e),
                },
                other => doc.error(
                    span,
                    format!("severity must be a string, found {}", other.type_str()),
                ),
            }
        }
        sev.finish(doc, "[scan.severity]");
    }
    if let Some(size) = parse_max_size(doc, &mut t) {
        scan.max_file_size = size;
    }
    if let Some(mut p) = t.table(doc, "production") {
        if let Some(v) = doc.globs(&mut p, "include") {
            scan.production_include = v;
        }
        if let Some(v) = doc.globs(&mut p, "exclude") {
            scan.production_exclude = v;
        }
        if let Some(v) = doc.globs(&mut p, "extra_exclude") {
            scan.production_exclude.extend(v);
        }
        if let Some(v) = doc.globs(&mut p, "entrypoints") {
            scan.production_entrypoints = v;
        }
        p.finish(doc, "[scan.production]");
    }
    if let Some(mut p) = t.table(doc, "tests") {
        if let Some(v) = doc.globs(&mut p, "include") {
            scan.tests = v;
        }
        p.finish(doc, "[scan.tests]");
    }
    let ignores = parse_ignores(doc, &mut t, "[[scan.ignore]]");
    t.finish(doc, "[scan]");
    (scan, ignores)
}
