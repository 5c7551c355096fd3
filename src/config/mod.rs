//! `shipgate.toml`: discovery, and the composition of every section. Each
//! stage parses its own section (`scan::config`, `env::config`, …); this
//! module drives them over one document so that every error of the file is
//! collected in one pass.

mod discover;
mod profiles;
mod schema;

pub use discover::{CONFIG_NAMES, discover};
pub use profiles::{GateConfig, Profile, STAGES, ScanMode, builtin_profiles};
pub use schema::{schema, schema_json};

use crate::diag::{SourceError, SourceErrors};
use crate::env::config::EnvConfig;
use crate::error::{Error, Result};
use crate::integrity::config::IntegrityConfig;
use crate::protect::config::ProtectConfig;
use crate::scan::config::ScanConfig;
use crate::smoke::config::SmokeConfig;
use crate::suppress::Ignore;
use crate::toml_doc::Doc;
use std::path::{Path, PathBuf};

/// The whole configuration (defaults when there is no file).
#[derive(Debug, Clone, Default)]
pub struct Config {
    /// File it was read from.
    pub path: Option<PathBuf>,
    /// The file as findings and messages name it (repo-relative when possible).
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
    /// `[integrity]`.
    pub integrity: IntegrityConfig,
    /// `[[ignore]]` and `[[scan.ignore]]`, in file order.
    pub ignores: Vec<Ignore>,
}

impl Config {
    /// Defaults, as when no config file exists.
    pub fn defaults() -> Self {
        Config {
            display: "<defaults>".into(),
            ..Config::default()
        }
    }

    /// Loads `path` (`display` names it in errors). A missing file, a
    /// directory, or any located error is a usage/config error.
    pub fn load(path: &Path, display: &str) -> Result<Config> {
        if path.is_dir() {
            return Err(Error::Config(SourceErrors(vec![SourceError {
                file: display.to_string(),
                line: 1,
                column: 1,
                message: "is a directory, not a config file".into(),
            }])));
        }
        let text = std::fs::read_to_string(path).map_err(|e| {
            Error::Config(SourceErrors(vec![SourceError {
                file: display.to_string(),
                line: 1,
                column: 1,
                message: format!("cannot read config: {e}"),
            }]))
        })?;
        parse_config(display, Some(path.to_path_buf()), &text)
            .map_err(|e| Error::Config(SourceErrors(e)))
    }
}

/// Parses config text; `display` names the file in errors.
pub fn parse_config(
    display: &str,
    path: Option<PathBuf>,
    text: &str,
) -> std::result::Result<Config, Vec<SourceError>> {
    let (mut doc, root) = Doc::parse(display, text).map_err(|e| vec![e])?;
    let mut config = Config {
        path,
        display: display.to_string(),
        ..Config::default()
    };
    let mut scan_ignores = Vec::new();
    if let Some(mut root) = doc.table(root, "the config") {
        if let Some(t) = root.table(&mut doc, "gate") {
            config.gate = profiles::parse(&mut doc, t);
        }
        if let Some(t) = root.table(&mut doc, "scan") {
            (config.scan, scan_ignores) = crate::scan::config::parse_scan(&mut doc, t);
        }
        if let Some(t) = root.table(&mut doc, "env") {
            config.env = crate::env::config::parse(&mut doc, t);
        }
        if let Some(t) = root.table(&mut doc, "protect") {
            config.protect = crate::protect::config::parse(&mut doc, t);
        }
        if let Some(t) = root.table(&mut doc, "smoke") {
            config.smoke = crate::smoke::config::parse(&mut doc, t);
        }
        if let Some(t) = root.table(&mut doc, "integrity") {
            config.integrity = crate::integrity::config::parse(&mut doc, t);
        }
        let mut ignores = crate::suppress::parse_ignores(&mut doc, &mut root, "[[ignore]]");
        ignores.append(&mut scan_ignores);
        ignores.sort_by_key(|i| i.line);
        config.ignores = ignores;
        root.finish(&mut doc, "the config");
    }
    if doc.errors.is_empty() {
        Ok(config)
    } else {
        Err(doc.errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Severity;

    #[test]
    fn parses_a_full_config() {
        let text = r#"
[gate]
fail_on = "warning"

[scan]
exclude = ["legacy/"]
disable = ["hygiene/*"]
max_file_size = "2MB"
[scan.severity]
"migrations/destructive-statement" = "error"
[scan.production]
extra_exclude = ["tools/"]

[[scan.ignore]]
rule = "localhost/hardcoded-url"
path = "src/dev/*.ts"
reason = "dev-only helpers"
expires = "2030-01-01"

[[ignore]]
rule = "env/unused"
reason = "read by the platform"
"#;
        let c = parse_config("shipgate.toml", None, text).unwrap();
        assert_eq!(c.gate.fail_on, Some(Severity::Warning));
        assert_eq!(c.scan.exclude, vec!["legacy/"]);
        assert_eq!(c.scan.max_file_size, 2 << 20);
        assert_eq!(c.scan.severity[0].1, Severity::Error);
        assert!(c.scan.production_exclude.contains(&"tools/".to_string()));
        assert_eq!(c.ignores.len(), 2);
        assert_eq!(c.ignores[0].line, 14);
        assert_eq!(c.ignores[1].rule.as_deref(), Some("env/unused"));
        use crate::rules::RuleOverrides;
        assert!(c.scan.disabled("hygiene/debugger"));
        assert!(!c.scan.disabled("secrets/github-token"));
    }

    #[test]
    fn collects_every_error_with_its_position() {
        let text = "[gate]\nfail_on = \"fatal\"\n\n[scan]\nexclud = []\nmax_file_size = -1\n\n[[scan.ignore]]\nrule = \"x/y\"\nexpires = \"tomorrow\"\n\n[[ignore]]\nreason = \"\"\n";
        let errs = parse_config("shipgate.toml", None, text).unwrap_err();
        let msgs: Vec<String> = errs.iter().map(|e| e.to_string()).collect();
        for want in [
            "shipgate.toml:2:12: unknown severity `fatal`",
            "shipgate.toml:5:1: unknown key `exclud`",
            "shipgate.toml:6:17: `max_file_size`",
            "missing required key `reason`",
            "shipgate.toml:10:12: `expires`",
            "an ignore needs at least one of",
            "`reason` must say why",
        ] {
            assert!(msgs.iter().any(|m| m.contains(want)), "{want}: {msgs:#?}");
        }
    }

    #[test]
    fn a_directory_is_not_a_config() {
        let t = tempfile::tempdir().unwrap();
        let err = Config::load(t.path(), "shipgate.toml").unwrap_err();
        assert!(err.to_string().contains("is a directory"), "{err}");
        assert_eq!(err.exit().code(), 2);
    }
}
