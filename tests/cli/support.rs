//! Helpers: fixture trees in temp dirs, running the binary, real git.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_shipgate"))
}

/// Runs shipgate in `dir` with a clean environment for config discovery.
pub fn shipgate(dir: &Path, args: &[&str]) -> Run {
    let out = Command::new(bin())
        .current_dir(dir)
        .args(args)
        .env_remove("SHIPGATE_CONFIG")
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A temporary tree of files.
pub struct Tree {
    pub dir: tempfile::TempDir,
}

impl Tree {
    pub fn new(files: &[(&str, &str)]) -> Tree {
        let t = Tree {
            dir: tempfile::tempdir().unwrap(),
        };
        // A .git marker stops config discovery from walking above the fixture.
        std::fs::create_dir_all(t.path().join(".git")).unwrap();
        for (p, c) in files {
            t.write(p, c);
        }
        t
    }

    /// A tree that is a real git repository.
    pub fn git(files: &[(&str, &str)]) -> Tree {
        let t = Tree {
            dir: tempfile::tempdir().unwrap(),
        };
        git(t.path(), &["init", "-q", "-b", "main"]);
        git(t.path(), &["config", "user.email", "t@example.test"]);
        git(t.path(), &["config", "user.name", "t"]);
        git(t.path(), &["config", "commit.gpgsign", "false"]);
        for (p, c) in files {
            t.write(p, c);
        }
        t
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, p: &str, c: &str) {
        let full = self.path().join(p);
        std::fs::create_dir_all(full.parent().unwrap()).unwrap();
        std::fs::write(full, c).unwrap();
    }

    pub fn run(&self, args: &[&str]) -> Run {
        shipgate(self.path(), args)
    }

    /// `scan --format json` plus extra args; returns (exit code, report).
    pub fn scan_json(&self, extra: &[&str]) -> (i32, Value) {
        let mut args = vec!["scan", "--format", "json"];
        args.extend_from_slice(extra);
        let r = self.run(&args);
        assert!(r.code != 2, "usage error: {}", r.stderr);
        (r.code, r.json())
    }

    pub fn commit_all(&self, msg: &str) {
        git(self.path(), &["add", "-A"]);
        git(self.path(), &["commit", "-q", "-m", msg]);
    }
}

pub fn git(dir: &Path, args: &[&str]) -> String {
    let out = Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// All findings of a report: (rule, "path:line:col", suppressed?).
pub fn findings(report: &Value) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    for s in report["stages"].as_array().unwrap() {
        for f in s["findings"].as_array().unwrap() {
            let loc = &f["location"];
            let mut at = loc["path"].as_str().unwrap_or("").to_string();
            if let Some(l) = loc["line"].as_u64() {
                at.push_str(&format!(":{l}:{}", loc["column"].as_u64().unwrap()));
            }
            out.push((
                f["rule"].as_str().unwrap().to_string(),
                at,
                !f["suppressed"].is_null(),
            ));
        }
    }
    out
}

/// Unsuppressed findings as "rule@path:line:col".
pub fn active(report: &Value) -> Vec<String> {
    findings(report)
        .into_iter()
        .filter(|(_, _, s)| !s)
        .map(|(r, a, _)| format!("{r}@{a}"))
        .collect()
}

/// Fake secrets assembled at run time so this source never contains one.
pub mod fake {
    pub fn github() -> String {
        format!("ghp_{}", "Zq7Lm2Xw9Rt4".repeat(3))
    }
    pub fn stripe_live() -> String {
        format!("sk_{}_{}", "live", "Hx4Kd9Qp2Zm7Lw3Rt8Yv6Bn1".repeat(2))
    }
    pub fn aws() -> String {
        format!("AKIA{}", "Q7RZ2M5XK3WT6PLN")
    }
    pub fn openai() -> String {
        format!(
            "sk-proj-{}{}{}",
            "aB3dE5gH7jK9mN1pQ3sT", "T3Blbk", "FJuV5wX7yZ9bC1dE3fG5hJ7"
        )
    }
    pub fn slack() -> String {
        format!(
            "xoxb-{}-{}-{}",
            "123456789012", "1234567890123", "AbCdEfGhIjKlMnOpQrStUvWx"
        )
    }
}

/// Runs shipgate in `dir` as an unprivileged user (when the tests run as
/// root, through setpriv) so that mode-000 files are really unreadable.
/// `None` when that is not possible here (then the caller skips, saying why).
pub fn run_unprivileged(dir: &Path, args: &[&str]) -> Option<Run> {
    use std::os::unix::fs::PermissionsExt;
    let as_root = Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false);
    // `nobody` must be able to enter the tree.
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o755));
    let mut cmd = if as_root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
        c.arg(bin());
        c
    } else {
        Command::new(bin())
    };
    cmd.current_dir(dir)
        .args(args)
        .env_remove("SHIPGATE_CONFIG")
        .env("NO_COLOR", "1");
    let out = match cmd.output() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("skipping: setpriv unavailable ({e})");
            return None;
        }
    };
    if as_root
        && out.stdout.is_empty()
        && String::from_utf8_lossy(&out.stderr).contains("Permission denied")
    {
        eprintln!("skipping: {}", String::from_utf8_lossy(&out.stderr));
        return None;
    }
    Some(Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

/// Sets a file's mode.
pub fn chmod(p: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
}
