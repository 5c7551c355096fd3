//! How a script is run: errexit/pipefail/POSIX defaults for GitHub `run:` steps (with or
//! without `shell:`) and for package.json scripts.

/// How the script is run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShellOptions {
    /// Initial working directory (repo-relative, "" = root); `None` = unknown.
    pub cwd: Option<String>,
    /// `-e` is on at start (GitHub's default `bash -e {0}`).
    pub errexit: bool,
    /// `-o pipefail` is on at start (`shell: bash`).
    pub pipefail: bool,
    /// The shell is POSIX-like; when false (pwsh, cmd) only explicit `||` fallbacks count.
    pub posix: bool,
}

impl ShellOptions {
    /// GitHub Actions `run:` without `shell:` on Linux/macOS: `bash -e {0}`.
    pub fn github_default(cwd: Option<String>) -> Self {
        Self {
            cwd,
            errexit: true,
            pipefail: false,
            posix: true,
        }
    }

    /// Options for a GitHub `shell:` value (`bash`, `sh`, `pwsh`, `bash {0}`, …).
    pub fn github_shell(shell: Option<&str>, windows: bool, cwd: Option<String>) -> Self {
        let Some(sh) = shell.map(str::trim).filter(|s| !s.is_empty()) else {
            return if windows {
                Self {
                    cwd,
                    errexit: true,
                    pipefail: true,
                    posix: false,
                }
            } else {
                Self::github_default(cwd)
            };
        };
        let mut words = sh.split_whitespace();
        let prog = words.next().unwrap_or("");
        let prog = prog.rsplit('/').next().unwrap_or(prog);
        let posix = matches!(prog, "bash" | "sh" | "dash" | "zsh" | "ksh");
        if !sh.contains("{0}") {
            return match prog {
                "bash" => Self {
                    cwd,
                    errexit: true,
                    pipefail: true,
                    posix,
                },
                _ => Self {
                    cwd,
                    errexit: true,
                    pipefail: !posix,
                    posix,
                },
            };
        }
        let args: Vec<&str> = words.collect();
        let mut errexit = false;
        let mut pipefail = false;
        let mut it = args.iter().peekable();
        while let Some(a) = it.next() {
            if *a == "-o" {
                match it.next() {
                    Some(&"pipefail") => pipefail = true,
                    Some(&"errexit") => errexit = true,
                    _ => {}
                }
            } else if let Some(flags) = a.strip_prefix('-').filter(|f| !f.starts_with('-')) {
                errexit |= flags.contains('e');
                if flags.ends_with('o') && it.peek() == Some(&&"pipefail") {
                    pipefail = true;
                    it.next();
                }
            }
        }
        Self {
            cwd,
            errexit: errexit || !posix,
            pipefail: pipefail || !posix,
            posix,
        }
    }

    /// `sh -c` as npm/pnpm/yarn run package.json scripts: no errexit, no pipefail.
    pub fn package_script(cwd: Option<String>) -> Self {
        Self {
            cwd,
            errexit: false,
            pipefail: false,
            posix: true,
        }
    }
}
