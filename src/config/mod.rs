//! `shipgate.toml`: discovery, parsing with spans and the validated [`Config`].

mod date;
mod discover;
mod env;
mod gate;
mod parse;
mod protect;
mod schema;
mod smoke;

pub use date::{Date, today};
pub use discover::{CONFIG_NAMES, discover};
pub use env::{EnvConfig, Required, VarDecl, VarType, apply_annotations};
pub use gate::{CommandSpec, Commands, GateConfig, Profile, STAGES, ScanMode, builtin_profiles};
pub use parse::parse_config;
pub use protect::{BRANCH_KEYS, BranchSpec, ProtectConfig};
pub use schema::{schema, schema_json};
pub use smoke::{CheckKind, CheckSpec, SmokeConfig, StatusSpec, parse_duration};

use crate::model::Severity;
use std::path::PathBuf;

/// A value with the place in the config it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// 1-based line in the config file.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
}

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
    "__tests__/",
    "test/",
    "tests/",
    "spec/",
    "e2e/",
    "cypress/",
];

/// Default size cap: larger files are skipped and counted.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

/// An `[[scan.ignore]]` entry.
#[derive(Debug, Clone)]
pub struct IgnoreEntry {
    /// Rule id, or `pack/*`.
    pub rule: Option<String>,
    /// Path glob.
    pub path: Option<String>,
    /// Exact fingerprint.
    pub fingerprint: Option<String>,
    /// Required reason.
    pub reason: String,
    /// Stops suppressing after this day.
    pub expires: Option<Date>,
    /// Where the entry starts in the config.
    pub line: usize,
}

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
    /// Test file globs.
    pub tests: Vec<String>,
    /// Files larger than this are skipped and counted.
    pub max_file_size: u64,
    /// Ignore entries.
    pub ignore: Vec<IgnoreEntry>,
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
            tests: own(DEFAULT_TESTS),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            ignore: Vec::new(),
        }
    }
}

/// The whole configuration (defaults when there is no file).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// File it was read from.
    pub path: Option<PathBuf>,
    /// Name used in messages and finding locations (repo-relative when possible).
    pub display: String,
    /// `[gate]`.
    pub gate: GateConfig,
    /// `[scan]`.
    pub scan: ScanConfig,
    /// `[env]`.
    pub env: EnvConfig,
    /// `[smoke]`.
    pub smoke: SmokeConfig,
    /// `[protect]`.
    pub protect: ProtectConfig,
}

impl crate::rules::RuleOverrides for Config {
    fn disabled(&self, id: &str) -> bool {
        self.scan
            .disable
            .iter()
            .any(|d| rule_pattern_matches(&d.value, id))
    }
    fn severity(&self, id: &str) -> Option<Severity> {
        self.scan
            .severity
            .iter()
            .find(|(r, _)| r.value == id)
            .map(|(_, s)| *s)
    }
}

/// Whether `pattern` (`pack/name` or `pack/*`) names rule `id`.
pub fn rule_pattern_matches(pattern: &str, id: &str) -> bool {
    match pattern.strip_suffix("/*") {
        Some(pack) => id.split('/').next() == Some(pack),
        None => pattern == id,
    }
}
