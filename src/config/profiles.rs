//! `[gate]`: the threshold and the profiles (which stages run, and how); the
//! command stage's entries are parsed by the stage itself.

use crate::commands::Commands;
use crate::model::Severity;
use crate::toml_doc::{Doc, Tbl};
use toml_span::value::ValueInner;

/// Stages a profile can name.
pub const STAGES: &[&str] = &["scan", "env", "integrity", "protect", "smoke", "commands"];

/// How a profile scans.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanMode {
    /// The work tree, .gitignore honoured.
    Tree,
    /// Exactly the tracked files.
    Tracked,
    /// Only lines added since the base.
    Diff,
}

/// A gate profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    /// Name (`pr`, `pre-push`, `release`, or the user's).
    pub name: String,
    /// Stages in order.
    pub stages: Vec<String>,
    /// Scan mode.
    pub scan: ScanMode,
    /// Base for diff scans (default: the PR base branch, else origin's default branch).
    pub diff_base: Option<String>,
    /// Env profile to check (`.env.<name>`).
    pub env_profile: Option<String>,
    /// Threshold override.
    pub fail_on: Option<Severity>,
    /// Severity overrides for this profile (`rule/id` or `pack/*`).
    pub severity: Vec<(String, Severity)>,
}

impl Profile {
    fn new(name: &str, stages: &[&str], scan: ScanMode, env_profile: Option<&str>) -> Self {
        Profile {
            name: name.into(),
            stages: stages.iter().map(|s| s.to_string()).collect(),
            scan,
            diff_base: None,
            env_profile: env_profile.map(str::to_string),
            fail_on: None,
            severity: Vec::new(),
        }
    }

    /// Whether the profile runs `stage`.
    pub fn runs(&self, stage: &str) -> bool {
        self.stages.iter().any(|s| s == stage)
    }
}

/// The built-in profiles; `[gate.profiles.NAME]` replaces one of the same name.
pub fn builtin_profiles() -> Vec<Profile> {
    vec![
        Profile::new(
            "default",
            &["scan", "env", "integrity", "smoke"],
            ScanMode::Tree,
            None,
        ),
        Profile::new(
            "pr",
            &["scan", "env", "integrity", "protect", "smoke", "commands"],
            ScanMode::Diff,
            None,
        ),
        Profile::new("pre-push", &["scan", "env"], ScanMode::Diff, None),
        Profile {
            // A file the release scan could not read as text is not a pass.
            severity: vec![("scan/not-scanned".into(), Severity::Error)],
            ..Profile::new(
                "release",
                &["scan", "env", "integrity", "protect", "smoke", "commands"],
                ScanMode::Tracked,
                Some("production"),
            )
        },
    ]
}

/// `[gate]`.
#[derive(Debug, Clone, Default)]
pub struct GateConfig {
    /// `fail_on`.
    pub fail_on: Option<Severity>,
    /// User profiles (they replace built-ins of the same name).
    pub profiles: Vec<Profile>,
    /// The command stage.
    pub commands: Commands,
}

impl GateConfig {
    /// Looks a profile up: the user's first, then the built-ins.
    pub fn profile(&self, name: &str) -> Option<Profile> {
        self.profiles
            .iter()
            .find(|p| p.name == name)
            .cloned()
            .or_else(|| builtin_profiles().into_iter().find(|p| p.name == name))
    }

    /// Every profile name known.
    pub fn profile_names(&self) -> Vec<String> {
        let mut names: Vec<String> = builtin_profiles().into_iter().map(|p| p.name).collect();
        for p in &self.profiles {
            if !names.contains(&p.name) {
                names.push(p.name.clone());
            }
        }
        names
    }
}

/// Parses `[gate]`.
pub fn parse(doc: &mut Doc, mut t: Tbl) -> GateConfig {
    let mut g = GateConfig::default();
    if let Some(s) = t.string(doc, "fail_on") {
        match s.value.parse::<Severity>() {
            Ok(v) => g.fail_on = Some(v),
            Err(e) => doc.error(s.span, e),
        }
    }
    if let Some(mut profiles) = t.table(doc, "profiles") {
        for (name, value) in profiles.drain() {
            let Some(mut p) = doc.table(value, &format!("`gate.profiles.{}`", name.value)) else {
                continue;
            };
            let base = builtin_profiles()
                .into_iter()
                .find(|b| b.name == name.value);
            let mut prof = base.unwrap_or_else(|| {
                Profile::new(&name.value, &["scan", "env"], ScanMode::Tree, None)
            });
            if p.contains("stages") {
                let stages = p.strings(doc, "stages");
                for s in &stages {
                    if !STAGES.contains(&s.value.as_str()) {
                        doc.error(
                            s.span,
                            format!(
                                "unknown stage `{}`; expected one of: {}",
                                s.value,
                                STAGES.join(", ")
                            ),
                        );
                    }
                }
                prof.stages = stages.into_iter().map(|s| s.value).collect();
            }
            if let Some(s) = p.string(doc, "scan") {
                prof.scan = match s.value.as_str() {
                    "tree" => ScanMode::Tree,
                    "tracked" => ScanMode::Tracked,
                    "diff" => ScanMode::Diff,
                    other => {
                        doc.error(
                            s.span,
                            format!("unknown scan mode `{other}`; expected tree, tracked or diff"),
                        );
                        prof.scan
                    }
                };
            }
            if let Some(s) = p.string(doc, "diff_base") {
                prof.diff_base = Some(s.value);
            }
            if let Some(s) = p.string(doc, "env_profile") {
                prof.env_profile = Some(s.value);
            }
            if let Some(s) = p.string(doc, "fail_on") {
                match s.value.parse::<Severity>() {
                    Ok(v) => prof.fail_on = Some(v),
                    Err(e) => doc.error(s.span, e),
                }
            }
            if let Some(mut sev) = p.table(doc, "severity") {
                for (key, mut value) in sev.drain() {
                    crate::scan::config::check_rule_ref(doc, &key);
                    let span = value.span;
                    match value.take() {
                        ValueInner::String(v) => match v.parse::<Severity>() {
                            Ok(level) => prof.severity.push((key.value, level)),
                            Err(e) => doc.error(span, e),
                        },
                        other => doc.error(
                            span,
                            format!("severity must be a string, found {}", other.type_str()),
                        ),
                    }
                }
                sev.finish(doc, &format!("[gate.profiles.{}.severity]", name.value));
            }
            p.finish(doc, &format!("[gate.profiles.{}]", name.value));
            g.profiles.push(prof);
        }
        profiles.finish(doc, "[gate.profiles]");
    }
    if let Some(v) = t.take("commands") {
        g.commands = crate::commands::parse_commands(doc, v);
    }
    t.finish(doc, "[gate]");
    g
}
