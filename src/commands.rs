//! The `commands` stage: build/typecheck/lint/test commands, each with a
//! timeout; a failure carries the tail of its output (secrets masked).

use crate::config::{CommandSpec, Commands, Config};
use crate::model::{CheckResult, FailOn, Finding, Location, Severity, StageOutcome};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Scripts `commands = "auto"` runs, in order, when package.json has them.
pub const AUTO_SCRIPTS: &[&str] = &["build", "typecheck", "lint", "test"];
/// Lines of output kept for a failed command.
pub const TAIL_LINES: usize = 40;

/// The package manager a lockfile names.
fn runner(root: &Path) -> &'static str {
    if root.join("pnpm-lock.yaml").exists() {
        "pnpm run"
    } else if root.join("yarn.lock").exists() {
        "yarn run"
    } else if root.join("bun.lockb").exists() || root.join("bun.lock").exists() {
        "bun run"
    } else {
        "npm run"
    }
}

/// Commands to run, and the auto scripts that were absent.
fn resolve(root: &Path, config: &Config) -> Result<(Vec<CommandSpec>, Vec<String>), String> {
    match &config.gate.commands {
        Commands::None => Ok((Vec::new(), Vec::new())),
        Commands::List(l) => Ok((l.clone(), Vec::new())),
        Commands::Auto => {
            let path = root.join("package.json");
            let text = std::fs::read_to_string(&path)
                .map_err(|e| format!("commands = \"auto\" needs package.json: {e}"))?;
            let pkg: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| format!("package.json:{}:{}: {e}", e.line(), e.column()))?;
            let scripts = pkg["scripts"].as_object().cloned().unwrap_or_default();
            let run = runner(root);
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
            Ok((cmds, absent))
        }
    }
}

/// Masks the values of secret-looking environment variables in `s`.
fn mask_env(s: &str) -> String {
    let mut out = s.to_string();
    for (k, v) in std::env::vars() {
        if v.len() >= 6 && crate::env::names::looks_secret(&k) {
            out = out.replace(&v, "****");
        }
    }
    out
}

fn tail(output: &[u8]) -> String {
    let text = String::from_utf8_lossy(output);
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.len().saturating_sub(TAIL_LINES);
    mask_env(&lines[start..].join("\n"))
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

/// Runs the stage; skipped when no commands are configured.
pub fn run_commands(root: &Path, config: &Config, fail_on: FailOn) -> StageOutcome {
    let started = Instant::now();
    let (cmds, absent) = match resolve(root, config) {
        Ok(r) => r,
        Err(e) => return StageOutcome::completed("commands", Vec::new(), Some(e), fail_on, 0),
    };
    if cmds.is_empty() && absent.is_empty() {
        return StageOutcome::skipped(
            "commands",
            "no commands configured ([[gate.commands]] or commands = \"auto\")",
        );
    }
    let config_path = config.path.as_ref().map_or_else(
        || config.display.clone(),
        |p| {
            p.strip_prefix(root)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned()
        },
    );
    let mut findings = Vec::new();
    let mut checks = Vec::new();
    for c in &cmds {
        let location = if c.line > 0 {
            Location::span(config_path.clone(), (c.line, 1), (c.line, 1))
        } else {
            Location::file("package.json")
        };
        let mut finding = |rule: &str, title: &str, message: String| {
            findings.push(Finding::new(
                rule,
                title,
                Severity::Error,
                message,
                "Run the command locally, fix what it reports, and push again.",
                location.clone(),
                &c.name,
            ));
        };
        let (status, took, message) = match run_one(root, c) {
            Ran::Exited(0, _, took) => ("passed", took, None),
            Ran::Exited(code, out, took) => {
                let m = format!(
                    "`{}` exited with {code}; last lines:\n{}",
                    c.run,
                    tail(&out)
                );
                finding("commands/failed", "Command failed", m.clone());
                ("failed", took, Some(format!("exited with {code}")))
            }
            Ran::TimedOut(out, took) => {
                let m = format!(
                    "`{}` did not finish within {}s and was killed; last lines:\n{}",
                    c.run,
                    c.timeout.as_secs(),
                    tail(&out)
                );
                finding("commands/timeout", "Command timed out", m);
                ("failed", took, Some("timed out".into()))
            }
            Ran::Failed(e) => {
                finding(
                    "commands/failed",
                    "Command could not start",
                    format!("`{}`: {e}", c.run),
                );
                ("failed", Duration::ZERO, Some(e))
            }
        };
        checks.push(CheckResult {
            name: c.name.clone(),
            status: status.into(),
            duration_ms: took.as_millis() as u64,
            message,
        });
    }
    for a in &absent {
        checks.push(CheckResult {
            name: a.clone(),
            status: "skipped".into(),
            duration_ms: 0,
            message: Some(format!("no `{a}` script in package.json")),
        });
    }
    StageOutcome::completed(
        "commands",
        findings,
        None,
        fail_on,
        started.elapsed().as_millis() as u64,
    )
    .with_checks(checks)
}
