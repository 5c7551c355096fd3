//! The `commands` stage: build/typecheck/lint/test commands, each with a
//! timeout; a failure carries the tail of its output (secrets masked).

use crate::model::{CheckResult, CheckStatus, Finding, Location, RuleMeta, Severity, StageOutcome};
use crate::toml_doc::Doc;
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use toml_span::value::ValueInner;

/// Scripts `commands = "auto"` runs, in order, when package.json has them.
pub const AUTO_SCRIPTS: &[&str] = &["build", "typecheck", "lint", "test"];
/// Package managers `commands = "auto"` may run scripts with.
pub const MANAGERS: &[&str] = &["pnpm", "yarn", "bun", "npm"];
/// Lines of output kept for a failed command.
pub const TAIL_LINES: usize = 40;

/// One `[[gate.commands]]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandSpec {
    /// Name (one JUnit testcase).
    pub name: String,
    /// Shell command.
    pub run: String,
    /// Kill it after this long.
    pub timeout: Duration,
    /// Working directory, relative to the repository root.
    pub dir: Option<String>,
    /// Line in the config (0 for `auto`).
    pub line: usize,
}

/// `[gate] commands`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Commands {
    /// No command stage.
    #[default]
    None,
    /// `build`, `typecheck`, `lint`, `test` from package.json scripts, where they exist.
    Auto,
    /// Explicit commands.
    List(Vec<CommandSpec>),
}

/// Parses `[gate] commands`: `"auto"` or a list of `[[gate.commands]]` tables.
pub fn parse_commands(doc: &mut Doc, mut v: toml_span::Value<'_>) -> Commands {
    let span = v.span;
    match v.take() {
        ValueInner::String(s) if s == "auto" => Commands::Auto,
        ValueInner::Array(items) => {
            let mut list = Vec::new();
            for item in items {
                let Some(mut c) = doc.table(item, "each `[[gate.commands]]` entry") else {
                    continue;
                };
                let line = doc.line_of(c.span);
                let name = c.required_string(doc, "name");
                let run = c.required_string(doc, "run");
                let timeout = match c.string(doc, "timeout") {
                    Some(s) => crate::toml_doc::parse_duration(&s.value).unwrap_or_else(|| {
                        doc.error(s.span, "`timeout` must be a duration such as \"10m\"");
                        Duration::from_secs(600)
                    }),
                    None => Duration::from_secs(600),
                };
                let dir = c.string(doc, "dir").map(|s| s.value);
                c.finish(doc, "[[gate.commands]]");
                if let (Some(name), Some(run)) = (name, run) {
                    list.push(CommandSpec {
                        name: name.value,
                        run: run.value,
                        timeout,
                        dir,
                        line,
                    });
                }
            }
            Commands::List(list)
        }
        _ => {
            doc.error(
                span,
                "`commands` must be \"auto\" or a list of `[[gate.commands]]` tables",
            );
            Commands::None
        }
    }
}

/// A note that the stage ran with another package manager than the lockfile names.
pub const MANAGER_FALLBACK: RuleMeta = RuleMeta {
    id: "commands/manager-not-found",
    title: "Lockfile's package manager is not installed",
    severity: Severity::Note,
    help: "The lockfile names a package manager that is not on PATH, so the scripts ran with npm. Install it in the job (e.g. `oven-sh/setup-bun`, `pnpm/action-setup`), or list the commands explicitly in `[[gate.commands]]`.",
    security: false,
};

/// The package manager the lockfile names.
fn lockfile_manager(root: &Path) -> Option<(&'static str, &'static str)> {
    if root.join("pnpm-lock.yaml").exists() {
        Some(("pnpm", "pnpm-lock.yaml"))
    } else if root.join("yarn.lock").exists() {
        Some(("yarn", "yarn.lock"))
    } else if root.join("bun.lockb").exists() {
        Some(("bun", "bun.lockb"))
    } else if root.join("bun.lock").exists() {
        Some(("bun", "bun.lock"))
    } else {
        None
    }
}

/// How `auto` runs scripts: the lockfile's manager when it is on PATH, else
/// npm (with a note why); `Err` (the stage is skipped) when neither is.
fn runner(root: &Path, available: &[String]) -> Result<(String, Option<String>), String> {
    let has = |m: &str| available.iter().any(|a| a == m);
    match lockfile_manager(root) {
        Some((m, _)) if has(m) => Ok((format!("{m} run"), None)),
        Some((m, lock)) if has("npm") => Ok((
            "npm run".into(),
            Some(format!(
                "{lock} names {m}, which is not on PATH: the scripts ran with npm"
            )),
        )),
        Some((m, lock)) => Err(format!(
            "{lock} names {m}, and neither {m} nor npm is on PATH"
        )),
        None if has("npm") => Ok(("npm run".into(), None)),
        None => Err("npm is not on PATH".into()),
    }
}

/// What the stage runs.
struct Resolved {
    /// Commands to run.
    cmds: Vec<CommandSpec>,
    /// Auto scripts package.json does not have.
    absent: Vec<String>,
    /// Why another package manager than the lockfile's runs the scripts.
    fallback: Option<String>,
}

/// How a configuration fails to resolve.
enum Unresolved {
    /// The stage cannot run here (a skip, never a pass).
    Skip(String),
    /// The configuration is broken (the stage is incomplete).
    Broken(String),
}

/// Commands to run, and the auto scripts that were absent.
fn resolve(root: &Path, commands: &Commands, available: &[String]) -> Result<Resolved, Unresolved> {
    let list = |cmds: Vec<CommandSpec>| Resolved {
        cmds,
        absent: Vec::new(),
        fallback: None,
    };
    match commands {
        Commands::None => Ok(list(Vec::new())),
        Commands::List(l) => Ok(list(l.clone())),
        Commands::Auto => {
            let path = root.join("package.json");
            let text = std::fs::read_to_string(&path).map_err(|e| {
                Unresolved::Broken(format!("commands = \"auto\" needs package.json: {e}"))
            })?;
            let pkg: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
                Unresolved::Broken(format!("package.json:{}:{}: {e}", e.line(), e.column()))
            })?;
            let scripts = pkg["scripts"].as_object().cloned().unwrap_or_default();
            let (run, fallback) = runner(root, available).map_err(Unresolved::Skip)?;
            let mut cmds = Vec::new();
            let mut absent = Vec::new();
            for s in AUTO_SCRIPTS {
                if scripts.contains_key(*s) {
                    cmds.push(CommandSpec {
                        name: s.to_string(),
                        run: format!("{run} {s}"),
                        timeout: Duration::from_secs(1800),
                        dir: None,
                        line: 0,
                    });
                } else {
                    absent.push(s.to_string());
                }
            }
            Ok(Resolved {
                cmds,
                absent,
                fallback,
            })
        }
    }
}

/// The last [`TAIL_LINES`] lines of a command's output. Secrets in it are
/// masked by the gate's redaction pass like every other text in the report.
fn tail(output: &[u8]) -> String {
    let text = String::from_utf8_lossy(output);
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(TAIL_LINES);
    lines[start..].join("\n")
}

enum Ran {
    Exited(i32, Vec<u8>, Duration),
    TimedOut(Vec<u8>, Duration),
    Failed(String),
}

fn run_one(root: &Path, c: &CommandSpec) -> Ran {
    let started = Instant::now();
    let dir = c
        .dir
        .as_ref()
        .map_or_else(|| root.to_path_buf(), |d| root.join(d));
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("exec 2>&1; {}", c.run))
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    let mut child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => return Ran::Failed(format!("cannot start `sh`: {e}")),
    };
    let mut stdout = child.stdout.take();
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(s) = stdout.as_mut() {
            let _ = s.read_to_end(&mut buf);
        }
        buf
    });
    loop {
        match child.try_wait() {
            Ok(Some(status)) => {
                let out = reader.join().unwrap_or_default();
                return Ran::Exited(status.code().unwrap_or(-1), out, started.elapsed());
            }
            Ok(None) if started.elapsed() >= c.timeout => {
                // Kill the whole process group (npm → node → workers).
                // `kill` is a shell builtin on minimal systems: go through sh.
                let _ = Command::new("sh")
                    .arg("-c")
                    .arg(format!("kill -KILL -{} 2>/dev/null", child.id()))
                    .status();
                let _ = child.kill();
                let _ = child.wait();
                let out = reader.join().unwrap_or_default();
                return Ran::TimedOut(out, started.elapsed());
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(50)),
            Err(e) => return Ran::Failed(e.to_string()),
        }
    }
}

/// A command exited non-zero or could not start.
pub const FAILED: RuleMeta = RuleMeta {
    id: "commands/failed",
    title: "Command failed",
    severity: Severity::Error,
    help: "Run the command locally, fix what it reports, and push again.",
    security: false,
};
/// A command ran past its timeout and was killed.
pub const TIMEOUT: RuleMeta = RuleMeta {
    id: "commands/timeout",
    title: "Command timed out",
    severity: Severity::Error,
    help: "Make the command faster, or raise its `timeout` in `[[gate.commands]]`.",
    security: false,
};
/// The rules of the commands stage.
pub const RULES: &[RuleMeta] = &[FAILED, TIMEOUT, MANAGER_FALLBACK];

/// Runs the stage; skipped when no commands are configured. `config_file`
/// names the config in findings.
pub fn run(
    root: &Path,
    commands: &Commands,
    config_file: &str,
    available: &[String],
) -> StageOutcome {
    let started = Instant::now();
    let Resolved {
        cmds,
        absent,
        fallback,
    } = match resolve(root, commands, available) {
        Ok(r) => r,
        Err(Unresolved::Broken(e)) => return StageOutcome::new("commands", Vec::new(), Some(e), 0),
        Err(Unresolved::Skip(why)) => return StageOutcome::skipped("commands", why),
    };
    if cmds.is_empty() && absent.is_empty() {
        return StageOutcome::skipped(
            "commands",
            "no commands configured ([[gate.commands]] or commands = \"auto\")",
        );
    }
    let mut findings = Vec::new();
    if let Some(why) = fallback {
        findings.push(Finding::of(
            &MANAGER_FALLBACK,
            why,
            Location::file("package.json"),
            "manager",
        ));
    }
    let mut checks = Vec::new();
    for c in &cmds {
        let location = if c.line > 0 {
            Location::span(config_file, (c.line, 1), (c.line, 1))
        } else {
            Location::file("package.json")
        };
        let (status, took, message) = match run_one(root, c) {
            Ran::Exited(0, _, took) => (CheckStatus::Passed, took, None),
            Ran::Exited(code, out, took) => {
                let m = format!(
                    "`{}` exited with {code}; last lines:\n{}",
                    c.run,
                    tail(&out)
                );
                findings.push(Finding::of(&FAILED, m, location, &c.name));
                (
                    CheckStatus::Failed,
                    took,
                    Some(format!("exited with {code}")),
                )
            }
            Ran::TimedOut(out, took) => {
                let m = format!(
                    "`{}` did not finish within {}s and was killed; last lines:\n{}",
                    c.run,
                    c.timeout.as_secs(),
                    tail(&out)
                );
                findings.push(Finding::of(&TIMEOUT, m, location, &c.name));
                (CheckStatus::Failed, took, Some("timed out".into()))
            }
            Ran::Failed(e) => {
                let m = format!("`{}` could not start: {e}", c.run);
                findings.push(Finding::of(&FAILED, m, location, &c.name));
                (CheckStatus::Failed, Duration::ZERO, Some(e))
            }
        };
        checks.push(CheckResult {
            name: c.name.clone(),
            status,
            duration_ms: took.as_millis() as u64,
            message,
        });
    }
    for a in &absent {
        checks.push(CheckResult::new(
            a.clone(),
            CheckStatus::Skipped,
            Some(format!("no `{a}` script in package.json")),
        ));
    }
    StageOutcome::new(
        "commands",
        findings,
        None,
        started.elapsed().as_millis() as u64,
    )
    .with_checks(checks)
}
