//! Package managers (`npm`/`yarn`/`pnpm`/`bun`), `deno`, `concurrently` and node-like
//! runners (`node`, `tsx`, `ts-node`, `nodemon`, `pm2`, …).

use super::{Target, framework, looks_like_file, parse_into, simple};

/// Runners that execute the first file named on their command line.
pub(super) const NODE_LIKE: &[&str] = &[
    "node",
    "nodejs",
    "tsx",
    "ts-node",
    "ts-node-dev",
    "ts-node-esm",
    "tsnd",
    "node-dev",
    "babel-node",
    "esno",
    "esr",
    "vite-node",
    "sucrase-node",
    "swc-node",
    "jiti",
    "nodemon",
    "forever",
    "pm2",
    "pm2-runtime",
    "supervisor",
];

/// Flags (of the node-like runners) that take a separate value.
const VALUE_FLAGS: &[&str] = &[
    "-r",
    "--require",
    "--import",
    "--loader",
    "--experimental-loader",
    "--env-file",
    "--env-file-if-exists",
    "--watch-path",
    "-C",
    "--conditions",
    "--title",
    "--inspect-port",
    "--tsconfig",
    "-P",
    "--project",
    "-O",
    "--compiler-options",
    "--compiler",
    "--cwd",
    "-w",
    "--watch",
    "--ext",
    "-i",
    "--ignore",
    "--delay",
    "--signal",
    "--config",
    "--ignore-watch",
    "--name",
    "-n",
    "--instances",
    "--max-memory-restart",
    "--interpreter",
    "-l",
    "--log",
    "-o",
    "--output",
    "--error",
    "--exec-mode",
    "--node-args",
    "--cron",
];

/// Options of a package-manager invocation: where it runs, which workspace it targets, and
/// the remaining words (subcommand first).
struct PmArgs<'w> {
    cwd: String,
    workspace: Option<String>,
    rest: Vec<&'w str>,
}

/// `cwd` with `sub` appended (`--prefix`, `--dir`, `--cwd`).
fn push_dir(cwd: &str, sub: &str) -> String {
    if cwd.is_empty() {
        sub.to_string()
    } else {
        format!("{cwd}/{sub}")
    }
}

/// Read the package manager's own options; everything else is kept in order.
fn pm_args<'w>(args: &[&'w str], cwd: &str) -> PmArgs<'w> {
    let mut cwd = cwd.to_string();
    let mut workspace = None;
    let mut rest: Vec<&'w str> = Vec::new();
    let mut i = 0;
    while let Some(&a) = args.get(i) {
        let val = args.get(i + 1).copied();
        match a {
            "--prefix" | "-C" | "--dir" | "--cwd" => {
                if let Some(v) = val {
                    cwd = push_dir(&cwd, v);
                }
                i += 2;
                continue;
            }
            "-w" | "--workspace" | "--filter" | "-F" => {
                workspace = val.map(str::to_string);
                i += 2;
                continue;
            }
            _ => {}
        }
        if let Some(v) = a
            .strip_prefix("--prefix=")
            .or_else(|| a.strip_prefix("--dir="))
            .or_else(|| a.strip_prefix("--cwd="))
        {
            cwd = push_dir(&cwd, v);
        } else if let Some(v) = a
            .strip_prefix("--workspace=")
            .or_else(|| a.strip_prefix("--filter="))
        {
            workspace = Some(v.to_string());
        } else if a == "--" {
            rest.extend(args.get(i + 1..).unwrap_or(&[]));
            break;
        } else if !a.starts_with('-') {
            rest.push(a);
        }
        i += 1;
    }
    PmArgs {
        cwd,
        workspace,
        rest,
    }
}

/// `npm`/`yarn`/`pnpm`/`bun` (`pm`) run with `args` in `cwd`.
pub(super) fn package_manager(
    pm: &str,
    args: &[&str],
    cwd: &str,
    depth: u8,
    out: &mut Vec<Target>,
) {
    let PmArgs {
        mut cwd,
        workspace,
        rest,
    } = pm_args(args, cwd);
    let Some((&sub, more)) = rest.split_first() else {
        return;
    };
    let script = |name: &str| Target::Script {
        cwd: cwd.clone(),
        workspace: workspace.clone(),
        name: name.to_string(),
    };
    match sub {
        "start" | "test" | "stop" | "restart" => out.push(script(sub)),
        "run" | "run-script" => {
            if let Some(first) = more.first() {
                if pm == "bun" && looks_like_file(first) {
                    out.push(Target::File {
                        cwd: cwd.clone(),
                        path: (*first).to_string(),
                        run: true,
                    });
                } else {
                    out.push(script(first));
                }
            }
        }
        "workspace" if pm == "yarn" => {
            if let (Some(ws), Some(s)) = (more.first(), more.get(1)) {
                let s = if *s == "run" {
                    more.get(2).copied().unwrap_or("")
                } else {
                    s
                };
                out.push(Target::Script {
                    cwd: cwd.clone(),
                    workspace: Some((*ws).to_string()),
                    name: s.to_string(),
                });
            }
        }
        "exec" | "dlx" | "x" => simple(more, &mut cwd, depth + 1, out),
        "build" if pm == "bun" => {
            out.extend(
                more.iter()
                    .filter(|m| looks_like_file(m))
                    .map(|m| Target::File {
                        cwd: cwd.clone(),
                        path: (*m).to_string(),
                        run: false,
                    }),
            );
        }
        "install" | "i" | "ci" | "add" | "remove" | "publish" | "pack" | "link" => {}
        _ if pm == "bun" && looks_like_file(sub) => out.push(Target::File {
            cwd: cwd.clone(),
            path: sub.to_string(),
            run: true,
        }),
        _ if pm != "npm" && (NODE_LIKE.contains(&sub) || framework(sub, more).is_some()) => {
            let mut words = vec![sub];
            words.extend_from_slice(more);
            simple(&words, &mut cwd, depth + 1, out);
        }
        _ if pm != "npm" => out.push(script(sub)),
        _ => {}
    }
}

pub(super) fn deno(args: &[&str], cwd: &str, out: &mut Vec<Target>) {
    let Some((sub, rest)) = args.split_first() else {
        return;
    };
    if !matches!(*sub, "run" | "serve") {
        return;
    }
    if let Some(f) = rest.iter().find(|a| !a.starts_with('-')) {
        out.push(Target::File {
            cwd: cwd.to_string(),
            path: (*f).to_string(),
            run: true,
        });
    }
}

pub(super) fn concurrently(args: &[&str], cwd: &str, depth: u8, out: &mut Vec<Target>) {
    let mut i = 0;
    while let Some(a) = args.get(i) {
        if matches!(
            *a,
            "-n" | "--names"
                | "-c"
                | "--prefix-colors"
                | "-p"
                | "--prefix"
                | "-s"
                | "--success"
                | "--restart-tries"
                | "--restart-after"
                | "-t"
                | "--timestamp-format"
                | "--max-processes"
                | "-m"
        ) {
            i += 2;
            continue;
        }
        if !a.starts_with('-') {
            if let Some(s) = a
                .strip_prefix("npm:")
                .or_else(|| a.strip_prefix("yarn:"))
                .or_else(|| a.strip_prefix("pnpm:"))
            {
                out.push(Target::Script {
                    cwd: cwd.to_string(),
                    workspace: None,
                    name: s.to_string(),
                });
            } else {
                parse_into(a, cwd, depth + 1, out);
            }
        }
        i += 1;
    }
}

pub(super) fn node_like(name: &str, args: &[&str], cwd: &str, depth: u8, out: &mut Vec<Target>) {
    let mut i = 0;
    let mut skip_sub = matches!(name, "pm2" | "pm2-runtime" | "forever");
    while let Some(a) = args.get(i) {
        let val = args.get(i + 1).copied();
        if matches!(*a, "-e" | "--eval" | "-p" | "--print") && name != "pm2" {
            return;
        }
        if matches!(*a, "-x" | "--exec") && name == "nodemon" {
            if let Some(v) = val {
                parse_into(v, cwd, depth + 1, out);
            }
            return;
        }
        if matches!(*a, "-r" | "--require" | "--import")
            && let Some(v) = val.filter(|v| v.starts_with('.') || v.starts_with('/'))
        {
            out.push(Target::File {
                cwd: cwd.to_string(),
                path: v.to_string(),
                run: true,
            });
        }
        if a.starts_with('-') {
            i += if VALUE_FLAGS.contains(a) { 2 } else { 1 };
            continue;
        }
        if skip_sub && matches!(*a, "start" | "restart" | "reload") {
            skip_sub = false;
            i += 1;
            continue;
        }
        out.push(Target::File {
            cwd: cwd.to_string(),
            path: (*a).to_string(),
            run: true,
        });
        return;
    }
}
