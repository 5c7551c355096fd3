//! Which package manager the commands stage runs scripts with. `commands =
//! "auto"` runs the lockfile's manager; `init` writes it only when that
//! manager is on PATH, else explicit `npm run` commands (with a note), else
//! nothing (the stage is skipped, and the config says why).

use super::packages::Package;
use std::path::Path;

/// Lockfiles in the order `commands = "auto"` looks for them.
const LOCKFILES: &[(&str, &str)] = &[
    ("pnpm-lock.yaml", "pnpm"),
    ("yarn.lock", "yarn"),
    ("bun.lockb", "bun"),
    ("bun.lock", "bun"),
];

/// The manager a directory's lockfile names: `(manager, lockfile)`.
pub fn from_lockfile(dir: &Path) -> Option<(&'static str, &'static str)> {
    LOCKFILES
        .iter()
        .find(|(file, _)| dir.join(file).is_file())
        .map(|(file, m)| (*m, *file))
}

/// One explicit `[[gate.commands]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cmd {
    /// Check name.
    pub name: String,
    /// Shell command.
    pub run: String,
    /// Working directory (`None` = the root).
    pub dir: Option<String>,
}

/// What `init` writes for the commands stage.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum CommandsPlan {
    /// No package.json scripts to run.
    #[default]
    Nothing,
    /// `commands = "auto"`: the root's scripts, with the lockfile's manager.
    Auto {
        /// Scripts found among build/typecheck/lint/test.
        found: Vec<String>,
    },
    /// Explicit commands (a monorepo's packages, or a manager fallback).
    List(Vec<Cmd>),
    /// Scripts exist but no package manager to run them is on PATH.
    Skipped(String),
}

/// The commands plan and the notes explaining any fallback.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// What to write.
    pub commands: CommandsPlan,
    /// One line per decision the user should know about.
    pub notes: Vec<String>,
}

/// The manager to run a package's scripts with, given what is on PATH;
/// `Err` says why none can.
fn choose(
    root: &Path,
    pkg: &Package,
    available: &dyn Fn(&str) -> bool,
    notes: &mut Vec<String>,
) -> Result<&'static str, String> {
    let lock = from_lockfile(&root.join(&pkg.dir)).or_else(|| from_lockfile(root));
    let (want, lockfile) = lock.unwrap_or(("npm", ""));
    if available(want) {
        return Ok(want);
    }
    let at = if pkg.dir.is_empty() || lock.is_none() {
        lockfile.to_string()
    } else {
        format!("{lockfile} for {}", pkg.label())
    };
    if want != "npm" && available("npm") {
        notes.push(format!(
            "{at} names {want}, which is not on PATH: the commands use npm instead (install {want} and switch back)"
        ));
        return Ok("npm");
    }
    Err(if want == "npm" {
        "npm is not on PATH".to_string()
    } else {
        format!("{at} names {want}, and neither {want} nor npm is on PATH")
    })
}

/// Plans the commands stage for `packages` (the root first, when it has a package.json).
pub fn plan(root: &Path, packages: &[Package], available: &dyn Fn(&str) -> bool) -> Plan {
    let mut notes = Vec::new();
    if let Some(r) = packages
        .iter()
        .find(|p| p.dir.is_empty() && !p.scripts.is_empty())
    {
        let commands = match choose(root, r, available, &mut notes) {
            Ok(m) if Some(m) == from_lockfile(root).map(|l| l.0).or(Some("npm")) => {
                CommandsPlan::Auto {
                    found: r.scripts.clone(),
                }
            }
            Ok(m) => CommandsPlan::List(cmds(r, m, false)),
            Err(why) => {
                notes.push(format!("commands stage skipped: {why}"));
                CommandsPlan::Skipped(why)
            }
        };
        return Plan { commands, notes };
    }
    let mut list = Vec::new();
    let mut skipped = Vec::new();
    for p in packages.iter().filter(|p| !p.scripts.is_empty()) {
        match choose(root, p, available, &mut notes) {
            Ok(m) => list.extend(cmds(p, m, true)),
            Err(why) => skipped.push(format!("{}: {why}", p.label())),
        }
    }
    let commands = if !list.is_empty() {
        CommandsPlan::List(list)
    } else if !skipped.is_empty() {
        CommandsPlan::Skipped(skipped.join("; "))
    } else {
        CommandsPlan::Nothing
    };
    for s in &skipped {
        notes.push(format!("commands skipped for {s}"));
    }
    Plan { commands, notes }
}

/// `<manager> run <script>` for each script of a package.
fn cmds(p: &Package, manager: &str, named: bool) -> Vec<Cmd> {
    p.scripts
        .iter()
        .map(|s| Cmd {
            name: if named {
                format!("{} {s}", p.dir)
            } else {
                s.clone()
            },
            run: format!("{manager} run {s}"),
            dir: (!p.dir.is_empty()).then(|| p.dir.clone()),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkg(dir: &str, scripts: &[&str]) -> Package {
        Package {
            dir: dir.into(),
            scripts: scripts.iter().map(|s| s.to_string()).collect(),
            ..Package::default()
        }
    }

    #[test]
    fn lockfile_manager_only_when_on_path() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("bun.lockb"), "").unwrap();
        let root = [pkg("", &["build", "test"])];
        let all = |_: &str| true;
        assert_eq!(
            plan(d.path(), &root, &all).commands,
            CommandsPlan::Auto {
                found: vec!["build".into(), "test".into()]
            }
        );
        let npm_only = |m: &str| m == "npm";
        let p = plan(d.path(), &root, &npm_only);
        let CommandsPlan::List(l) = &p.commands else {
            panic!("{p:?}")
        };
        assert_eq!(l[0].run, "npm run build");
        assert!(p.notes[0].contains("bun.lockb names bun"), "{:?}", p.notes);
        let none = |_: &str| false;
        let p = plan(d.path(), &root, &none);
        assert!(
            matches!(&p.commands, CommandsPlan::Skipped(w) if w.contains("neither bun nor npm")),
            "{p:?}"
        );
    }

    #[test]
    fn monorepo_packages_get_their_own_commands() {
        let d = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(d.path().join("web")).unwrap();
        std::fs::write(d.path().join("web/pnpm-lock.yaml"), "").unwrap();
        let ps = [pkg("", &[]), pkg("api", &["build"]), pkg("web", &["lint"])];
        let p = plan(d.path(), &ps, &|m: &str| m != "bun");
        let CommandsPlan::List(l) = &p.commands else {
            panic!("{p:?}")
        };
        let got: Vec<(&str, &str, Option<&str>)> = l
            .iter()
            .map(|c| (c.name.as_str(), c.run.as_str(), c.dir.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("api build", "npm run build", Some("api")),
                ("web lint", "pnpm run lint", Some("web"))
            ]
        );
    }
}
