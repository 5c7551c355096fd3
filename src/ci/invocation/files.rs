//! Interpreters (`node`, `tsx`, `bash`, `python3`, …) and direct execution (`./x.sh`) running a
//! relative file.

use super::super::shell::Word;
use super::Invocation;
use super::flags::split_flag;

/// A `RunFile` invocation of `w` by `interp`.
pub(super) fn file_inv(interp: &str, w: &Word) -> Invocation {
    Invocation::RunFile {
        interpreter: interp.to_string(),
        path: w.text.clone(),
        line: w.line,
        column: w.column,
    }
}

/// Interpreters `run_file` understands.
pub(super) fn is_interpreter(c: &str) -> bool {
    matches!(
        c,
        "node"
            | "nodejs"
            | "tsx"
            | "ts-node"
            | "ts-node-esm"
            | "ts-node-dev"
            | "tsnd"
            | "babel-node"
            | "nodemon"
            | "node-dev"
            | "esno"
            | "esr"
            | "vite-node"
            | "jiti"
            | "bash"
            | "sh"
            | "zsh"
            | "dash"
            | "python"
            | "python3"
            | "deno"
            | "bun"
    )
}

/// How an interpreter's command line is read.
struct InterpreterFlags {
    /// Flags that take a value (the next word).
    value: &'static [&'static str],
    /// Flags after which no file is run (`-e`, `--version`, …).
    stop: &'static [&'static str],
    /// Sub-commands skipped before the file (`tsx watch`, `bun run`).
    subs: &'static [&'static str],
}

/// `node` / `nodejs`.
const NODE: InterpreterFlags = InterpreterFlags {
    value: &[
        "-r",
        "--require",
        "--loader",
        "--experimental-loader",
        "--import",
        "--env-file",
        "--env-file-if-exists",
        "--conditions",
        "-C",
        "--inspect-port",
        "--title",
        "--input-type",
        "--watch-path",
        "--stack-size",
        "--max-old-space-size",
    ],
    stop: &[
        "-e",
        "--eval",
        "-p",
        "--print",
        "--test",
        "--run",
        "-v",
        "--version",
        "-h",
        "--help",
        "-i",
        "--interactive",
    ],
    subs: &[],
};

/// `tsx` and its look-alikes (`esno`, `esr`, `vite-node`, `jiti`).
const TSX: InterpreterFlags = InterpreterFlags {
    value: &[
        "--tsconfig",
        "--env-file",
        "--import",
        "--require",
        "-r",
        "--include",
        "--exclude",
        "--ignore",
    ],
    stop: &[
        "-e",
        "--eval",
        "-p",
        "--print",
        "--test",
        "-v",
        "--version",
        "-h",
        "--help",
    ],
    subs: &["watch"],
};

/// `ts-node` and friends, `babel-node`, `node-dev`.
const TS_NODE: InterpreterFlags = InterpreterFlags {
    value: &[
        "-P",
        "--project",
        "-r",
        "--require",
        "-O",
        "--compiler-options",
        "-C",
        "--compiler",
        "--cwd",
        "--dir",
        "-I",
        "--ignore",
        "--scope-dir",
        "--config-file",
        "--presets",
        "--plugins",
        "--extensions",
        "--respawn-delay",
        "--watch",
        "--ignore-watch",
    ],
    stop: &[
        "-e",
        "--eval",
        "-p",
        "--print",
        "-v",
        "--version",
        "-h",
        "--help",
    ],
    subs: &[],
};

/// `nodemon`.
const NODEMON: InterpreterFlags = InterpreterFlags {
    value: &[
        "-w", "--watch", "-e", "--ext", "-x", "--exec", "-i", "--ignore", "-d", "--delay",
        "--config", "--signal", "--spawn",
    ],
    stop: &["-v", "--version", "-h", "--help"],
    subs: &[],
};

/// `bun [run] file`.
const BUN: InterpreterFlags = InterpreterFlags {
    value: &[
        "--cwd",
        "--env-file",
        "--config",
        "-c",
        "--preload",
        "-r",
        "--tsconfig-override",
    ],
    stop: &["-e", "--eval", "-p", "--print"],
    subs: &["run"],
};

/// `deno run file`.
const DENO: InterpreterFlags = InterpreterFlags {
    value: &[
        "--config",
        "-c",
        "--import-map",
        "--lock",
        "--cert",
        "--location",
        "--seed",
        "--reload",
        "-r",
    ],
    stop: &[],
    subs: &["run"],
};

/// `bash` / `sh` / `zsh` / `dash`.
const SHELL: InterpreterFlags = InterpreterFlags {
    value: &["-o", "+o", "-O", "+O"],
    stop: &["-c", "-s", "-i", "--version", "--help"],
    subs: &[],
};

/// `python` / `python3`.
const PYTHON: InterpreterFlags = InterpreterFlags {
    value: &["-W", "-X"],
    stop: &["-c", "-m", "-V", "--version", "-h"],
    subs: &[],
};

/// The flag table of interpreter `name`, if it is one `run_file` reads.
fn interpreter_flags(name: &str) -> Option<&'static InterpreterFlags> {
    Some(match name {
        "node" | "nodejs" => &NODE,
        "tsx" | "esno" | "esr" | "vite-node" | "jiti" => &TSX,
        "ts-node" | "ts-node-esm" | "ts-node-dev" | "tsnd" | "babel-node" | "node-dev" => &TS_NODE,
        "nodemon" => &NODEMON,
        "bun" => &BUN,
        "deno" => &DENO,
        "bash" | "sh" | "zsh" | "dash" => &SHELL,
        "python" | "python3" => &PYTHON,
        _ => return None,
    })
}

/// Interpreter or direct execution of a relative file.
pub(super) fn run_file(head: &Word, rest: &[Word]) -> Option<Invocation> {
    let name = head.text.as_str();
    let Some(flags) = interpreter_flags(name) else {
        return direct_execution(head);
    };
    if name == "deno" && rest.first().map(|w| w.text.as_str()) != Some("run") {
        return None;
    }
    let mut it = rest.iter();
    let mut first_positional = true;
    while let Some(w) = it.next() {
        let t = w.text.as_str();
        if t == "--" {
            return it.next().map(|w| file_inv(name, w));
        }
        if (t.starts_with('-') || t.starts_with('+')) && t.len() > 1 {
            let (n, inline) = split_flag(t);
            if flags.stop.contains(&n) {
                return None;
            }
            if flags.value.contains(&n) && inline.is_none() {
                it.next();
            }
            continue;
        }
        if first_positional && flags.subs.contains(&t) {
            first_positional = false;
            continue;
        }
        return Some(file_inv(name, w));
    }
    None
}

/// Direct execution: a command word containing `/`.
fn direct_execution(head: &Word) -> Option<Invocation> {
    let t = head.text.as_str();
    if t.contains('/') && !t.starts_with('/') && !t.contains("node_modules/") && head.is_literal() {
        return Some(file_inv("exec", head));
    }
    None
}
