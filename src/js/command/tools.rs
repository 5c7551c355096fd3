//! Tools a command can name: framework CLIs (conventions imply entrypoints) and bundlers
//! (their inputs are entry files).

use super::{Framework, looks_like_file};

/// The framework a CLI invocation (`next build`, `vite`, `nest start`) implies.
pub(super) fn framework(name: &str, args: &[&str]) -> Option<Framework> {
    let first = args
        .iter()
        .find(|a| !a.starts_with('-'))
        .copied()
        .unwrap_or("");
    match name {
        "next" if matches!(first, "" | "build" | "start" | "dev") => Some(Framework::Next),
        "nest" if matches!(first, "start" | "build") => Some(Framework::Nest),
        "vite" if matches!(first, "" | "build" | "preview" | "dev" | "serve" | ".") => {
            Some(Framework::Vite)
        }
        "react-scripts" | "craco" | "react-app-rewired" if matches!(first, "start" | "build") => {
            Some(Framework::Cra)
        }
        "nuxt" | "nuxi" if matches!(first, "build" | "start" | "dev" | "generate" | "preview") => {
            Some(Framework::Nuxt)
        }
        "svelte-kit" => Some(Framework::SvelteKit),
        "remix" | "remix-serve" => Some(Framework::Remix),
        "astro" if matches!(first, "build" | "dev" | "preview" | "") => Some(Framework::Astro),
        "expo" if matches!(first, "start" | "export" | "run:android" | "run:ios" | "") => {
            Some(Framework::Expo)
        }
        _ => None,
    }
}

/// Entry files given to a bundler on its command line.
pub(super) fn bundler_inputs(name: &str, args: &[&str]) -> Option<Vec<String>> {
    let positional = |skip: &[&str], value_flags: &[&str]| {
        let mut out = Vec::new();
        let mut i = 0;
        while let Some(a) = args.get(i) {
            if value_flags.contains(a) {
                i += 2;
                continue;
            }
            if !a.starts_with('-') && !skip.contains(a) && looks_like_file(a) {
                out.push((*a).to_string());
            }
            i += 1;
        }
        out
    };
    let flagged = |flags: &[&str]| -> Vec<String> {
        let mut out = Vec::new();
        for (i, a) in args.iter().enumerate() {
            if flags.contains(a) {
                out.extend(args.get(i + 1).map(|v| (*v).to_string()));
            }
            for f in flags.iter().filter(|f| f.starts_with("--")) {
                if let Some(v) = a.strip_prefix(&format!("{f}=")) {
                    out.push(v.to_string());
                }
            }
        }
        out
    };
    match name {
        "esbuild" | "tsup" | "tsdown" | "unbuild" => Some(positional(
            &[],
            &[
                "--outdir",
                "--outfile",
                "-d",
                "--out-dir",
                "--format",
                "--target",
                "--platform",
            ],
        )),
        "ncc" => Some(positional(
            &["build", "run"],
            &["-o", "--out", "-e", "--external"],
        )),
        "parcel" => Some(positional(
            &["build", "serve", "watch"],
            &["--dist-dir", "-d", "--public-url", "--target"],
        )),
        "microbundle" | "rollup" => Some(flagged(&["-i", "--input"])),
        "webpack" | "webpack-cli" => Some(flagged(&["--entry"])),
        _ => None,
    }
}
