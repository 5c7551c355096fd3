//! Wrapper commands (`sudo`, `env`, `npx`, `dotenv --`, `c8`, …) in front of the real one.

use super::super::shell::Word;
use super::flags::{skip_assignments, skip_env, skip_flags, skip_positional};

/// Strip wrappers (`sudo`, `env`, `cross-env`, `dotenv --`, `npx`, `pnpm exec`, `c8`, …) and
/// return the words of the real command.
pub fn strip_wrappers(words: &[Word]) -> &[Word] {
    let mut w = words;
    for _ in 0..8 {
        let Some(head) = w.first() else { return w };
        let rest = w.get(1..).unwrap_or(&[]);
        let next = match head.text.as_str() {
            "sudo" => skip_flags(rest, &["-u", "-g", "-C", "-D", "-h", "-p", "-U"]),
            "env" => skip_env(rest),
            "cross-env" => skip_assignments(rest),
            "nohup" | "exec" | "command" | "builtin" | "time" | "unbuffer" => rest,
            "nice" => skip_flags(rest, &["-n"]),
            "timeout" => {
                skip_positional(skip_flags(rest, &["-s", "-k", "--signal", "--kill-after"]))
            }
            "xvfb-run" => skip_flags(rest, &["-n", "-s", "-e", "-f", "-p", "--server-args"]),
            "dotenv" | "dotenvx" => {
                let r = if rest.first().is_some_and(|x| x.text == "run") {
                    rest.get(1..).unwrap_or(&[])
                } else {
                    rest
                };
                skip_flags(r, &["-e", "-c", "-v", "-f", "--env-file"])
            }
            "c8" | "nyc" => skip_flags(
                rest,
                &["-r", "--reporter", "-x", "-n", "--include", "--exclude"],
            ),
            "npx" | "pnpx" | "bunx" => skip_flags(rest, &["-p", "--package"]),
            "npm"
                if rest
                    .first()
                    .is_some_and(|x| x.text == "exec" || x.text == "x") =>
            {
                skip_flags(
                    rest.get(1..).unwrap_or(&[]),
                    &["-p", "--package", "-w", "--workspace"],
                )
            }
            "pnpm" | "yarn"
                if rest
                    .first()
                    .is_some_and(|x| matches!(x.text.as_str(), "exec" | "dlx")) =>
            {
                skip_flags(rest.get(1..).unwrap_or(&[]), &["-p", "--package"])
            }
            _ => return w,
        };
        if next.len() == w.len() {
            return w;
        }
        w = next;
    }
    w
}
