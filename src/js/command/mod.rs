//! Shell commands (package scripts, Dockerfile `CMD`, Procfile lines, platform start
//! commands) → what they run: files, package scripts, framework CLIs.
//!
//! - `words`: shell word splitting into simple commands.
//! - `runners`: package managers and node-like runners (`npm run`, `node`, `pm2`, …).
//! - `tools`: framework CLIs and bundler inputs.

mod runners;
mod tools;
mod words;

#[cfg(test)]
mod tests;

use self::runners::{NODE_LIKE, concurrently, deno, node_like, package_manager};
use self::tools::{bundler_inputs, framework};
use self::words::split_commands;

/// A framework whose CLI implies entrypoints by convention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Framework {
    /// Next.js (`app/`, `pages/`, `middleware.*`).
    Next,
    /// NestJS (`nest-cli.json`, default `src/main.ts`).
    Nest,
    /// Vite (`index.html`).
    Vite,
    /// Create React App (`src/index.*`).
    Cra,
    /// Nuxt (`pages/`, `server/`, auto-imported dirs).
    Nuxt,
    /// SvelteKit (`src/routes/`, hooks).
    SvelteKit,
    /// Remix (`app/root.*`, `app/routes/`).
    Remix,
    /// Astro (`src/pages/`).
    Astro,
    /// Expo (`expo-router` `app/`, `App.*`).
    Expo,
}

/// Something a command runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Target {
    /// A file, relative to `cwd`. `run` is true when a runtime executes it (`node x`),
    /// false when a bundler takes it as input (`esbuild src/x.ts`).
    File {
        cwd: String,
        path: String,
        run: bool,
    },
    /// A package script (`npm run x`); `workspace` names another package; `name` may hold `*`.
    Script {
        cwd: String,
        workspace: Option<String>,
        name: String,
    },
    /// A framework CLI.
    Framework { cwd: String, fw: Framework },
}

/// What `cmd` runs. Never fails; unknown programs yield nothing.
pub(super) fn parse(cmd: &str) -> Vec<Target> {
    let mut out = Vec::new();
    parse_into(cmd, "", 0, &mut out);
    out
}

fn parse_into(cmd: &str, cwd: &str, depth: u8, out: &mut Vec<Target>) {
    if depth > 4 {
        return;
    }
    let mut cwd = cwd.to_string();
    for words in split_commands(cmd) {
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        simple(&words, &mut cwd, depth, out);
    }
}

fn basename(w: &str) -> &str {
    w.rsplit('/').next().unwrap_or(w)
}

fn is_assignment(w: &str) -> bool {
    match w.split_once('=') {
        Some((k, _)) => {
            !k.is_empty()
                && k.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !k.starts_with(|c: char| c.is_ascii_digit())
        }
        None => false,
    }
}

fn looks_like_file(w: &str) -> bool {
    let ext = w.rsplit_once('.').map(|(_, e)| e).unwrap_or("");
    w.starts_with("./")
        || w.starts_with("../")
        || w.starts_with('/')
        || matches!(
            ext,
            "js" | "mjs" | "cjs" | "ts" | "mts" | "cts" | "tsx" | "jsx" | "sh"
        )
        || (w.contains('/') && !w.starts_with('@'))
}

/// Strip env assignments and wrapper programs; returns the remaining words.
fn unwrap<'w>(mut w: &'w [&'w str]) -> &'w [&'w str] {
    for _ in 0..8 {
        while let Some((first, rest)) = w.split_first() {
            if is_assignment(first) {
                w = rest;
            } else {
                break;
            }
        }
        let Some((first, rest)) = w.split_first() else {
            return w;
        };
        match basename(first) {
            "cross-env" | "env" | "exec" | "nohup" | "time" | "sudo" | "npx" | "pnpx" | "bunx"
            | "dotenv" | "dotenvx" | "doppler" | "infisical" | "op" | "with-env" | "env-cmd"
            | "tini" | "dumb-init" => {
                if let Some(i) = rest.iter().position(|x| *x == "--") {
                    w = rest.get(i + 1..).unwrap_or(&[]);
                    continue;
                }
                let mut r = rest;
                // `dotenv -e .env`, `env-cmd -f .env`, `npx -p pkg`, `doppler run`
                while let Some((f, more)) = r.split_first() {
                    if matches!(*f, "run")
                        && matches!(basename(first), "doppler" | "infisical" | "op" | "dotenvx")
                    {
                        r = more;
                    } else if f.starts_with('-') {
                        let takes = matches!(
                            *f,
                            "-e" | "-f"
                                | "-p"
                                | "--package"
                                | "-c"
                                | "--env-file"
                                | "--file"
                                | "-s"
                        );
                        r = if takes {
                            more.get(1..).unwrap_or(&[])
                        } else {
                            more
                        };
                    } else if is_assignment(f) {
                        r = more;
                    } else {
                        break;
                    }
                }
                w = r;
            }
            _ => return w,
        }
    }
    w
}

fn simple(words: &[&str], cwd: &mut String, depth: u8, out: &mut Vec<Target>) {
    if depth > 8 {
        return;
    }
    let w = unwrap(words);
    let Some((prog, args)) = w.split_first() else {
        return;
    };
    let name = basename(prog);
    match name {
        "cd" => {
            if let Some(d) = args.first() {
                *cwd = if cwd.is_empty() {
                    (*d).to_string()
                } else {
                    format!("{cwd}/{d}")
                };
            }
        }
        "sh" | "bash" | "zsh" | "dash" => {
            if let Some(i) = args.iter().position(|a| *a == "-c") {
                if let Some(c) = args.get(i + 1) {
                    parse_into(c, cwd, depth + 1, out);
                }
            } else if let Some(f) = args.iter().find(|a| !a.starts_with('-')) {
                out.push(Target::File {
                    cwd: cwd.clone(),
                    path: (*f).to_string(),
                    run: true,
                });
            }
        }
        "npm" | "yarn" | "pnpm" | "bun" => package_manager(name, args, cwd, depth, out),
        "deno" => deno(args, cwd, out),
        "concurrently" => concurrently(args, cwd, depth, out),
        "npm-run-all" | "npm-run-all2" | "run-p" | "run-s" => {
            for a in args.iter().filter(|a| !a.starts_with('-')) {
                out.push(Target::Script {
                    cwd: cwd.clone(),
                    workspace: None,
                    name: (*a).to_string(),
                });
            }
        }
        _ if NODE_LIKE.contains(&name) => node_like(name, args, cwd, depth, out),
        _ => {
            if let Some(fw) = framework(name, args) {
                out.push(Target::Framework {
                    cwd: cwd.clone(),
                    fw,
                });
            } else if let Some(files) = bundler_inputs(name, args) {
                out.extend(files.into_iter().map(|f| Target::File {
                    cwd: cwd.clone(),
                    path: f,
                    run: false,
                }));
            } else if looks_like_file(prog)
                && !prog.starts_with("node_modules/")
                && !prog.contains("/node_modules/")
            {
                out.push(Target::File {
                    cwd: cwd.clone(),
                    path: (*prog).to_string(),
                    run: true,
                });
            }
        }
    }
}
