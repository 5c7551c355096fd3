//! Human-readable answers for `shipgate scan --explain-scope PATH`.

use super::ships::{Decision, PackageRef, UndecidedReason};

fn package_label(p: &PackageRef) -> String {
    let name = match &p.name {
        Some(n) => format!("package \"{n}\""),
        None if p.dir.is_empty() => "the repository root".to_string(),
        None => format!("the package at {}/", p.dir),
    };
    match &p.manifest {
        Some(m) => format!("{name} ({m})"),
        None => name,
    }
}

/// A few lines explaining `decision` for `path`, e.g.
/// `src/lib/api.ts is production: reached from package.json:5 (main) → src/index.ts → src/lib/api.ts`.
pub fn explain_text(path: &str, decision: &Decision) -> String {
    match decision {
        Decision::Shipped(x) => {
            let e = &x.entrypoint;
            let mut s = if e.is_root() {
                format!(
                    "{path} is production: {} ships everything under {}",
                    e.origin, e.file
                )
            } else if x.chain.len() <= 1 {
                format!("{path} is production: it is an entrypoint ({})", e.origin)
            } else {
                format!(
                    "{path} is production: reached from {} → {}",
                    e.origin,
                    x.chain.join(" → ")
                )
            };
            s.push_str(&format!("\n  entrypoint: {} — {}", e.file, e.why));
            if x.chain.len() > 1 {
                let hops: Vec<String> = x
                    .chain
                    .iter()
                    .zip(&x.lines)
                    .map(|(f, l)| format!("{f}:{l}"))
                    .collect();
                s.push_str(&format!("\n  imports at: {}", hops.join(", ")));
            }
            s
        }
        Decision::NotShipped {
            package,
            entrypoints,
        } => {
            let mut s = format!(
                "{path} is not production: no entrypoint of {} imports it",
                package_label(package)
            );
            if entrypoints.is_empty() {
                s.push_str("\n  that package ships nothing itself; its workspace packages have the entrypoints");
            } else {
                s.push_str("\n  entrypoints considered:");
                for e in entrypoints.iter().take(5) {
                    s.push_str(&format!("\n    {} ({})", e.file, e.origin));
                }
                if entrypoints.len() > 5 {
                    s.push_str(&format!("\n    … and {} more", entrypoints.len() - 5));
                }
            }
            s.push_str("\n  if it does ship, add it to [scan.production] entrypoints");
            s
        }
        Decision::Undecided { package, reason } => {
            let why = match reason {
                UndecidedReason::NoEntrypoint => match package {
                    Some(p) => format!("{} has no entrypoint shipgate can find", package_label(p)),
                    None => "no entrypoint found".to_string(),
                },
                UndecidedReason::NotSource => {
                    "it is not a JS/TS source file and no import reaches it".to_string()
                }
                UndecidedReason::Budget => {
                    "the import search stopped at its budget before reaching it".to_string()
                }
                UndecidedReason::UnknownFile => "it is not a tracked file".to_string(),
            };
            format!("{path}: production scope undecided: {why}; the [scan.production] globs decide")
        }
    }
}
