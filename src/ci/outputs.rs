//! Which paths a package's own build produces (so `node dist/main.js` is not "missing"),
//! and whether a file an interpreter is asked to run exists.

use super::RepoIndex;
use super::invocation::strip_wrappers;
use super::scripts::{self, PackageJson};
use super::shell::{self, Command, ShellOptions, join_path};

/// Output locations of a package's build scripts (repo-relative).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outputs {
    /// Output directories.
    pub dirs: Vec<String>,
    /// Output files.
    pub files: Vec<String>,
    /// A `tsc` without `outDir` emits `.js` next to the `.ts` sources.
    pub ts_inplace: bool,
}

/// Directories conventionally holding build output.
const BUILD_DIRS: &[&str] = &["dist", "build", "out", "lib", ".next", ".output"];

impl Outputs {
    /// Is `path` produced by one of the builds?
    pub fn produces(&self, path: &str, idx: &RepoIndex) -> bool {
        let under = |d: &String| {
            !d.is_empty()
                && (path == d
                    || path
                        .strip_prefix(d.as_str())
                        .is_some_and(|r| r.starts_with('/')))
        };
        if self.dirs.iter().any(under) || self.files.iter().any(|f| f == path) {
            return true;
        }
        if self.ts_inplace {
            for (js, srcs) in [
                (".js", &[".ts", ".tsx"][..]),
                (".mjs", &[".mts"][..]),
                (".cjs", &[".cts"][..]),
                (".jsx", &[".tsx"][..]),
            ] {
                if let Some(stem) = path.strip_suffix(js)
                    && srcs.iter().any(|s| idx.is_file(&format!("{stem}{s}")))
                {
                    return true;
                }
            }
        }
        false
    }
}

/// Is `path` (relative to `pkg_dir`) under a conventional build directory?
pub fn under_build_dir(pkg_dir: &str, path: &str) -> bool {
    let rel = if pkg_dir.is_empty() {
        Some(path)
    } else {
        path.strip_prefix(pkg_dir).and_then(|r| r.strip_prefix('/'))
    };
    rel.and_then(|r| r.split('/').next())
        .is_some_and(|first| BUILD_DIRS.contains(&first))
}

/// Does a file an interpreter would run exist (with Node's extension/index resolution for
/// JavaScript runtimes)?
pub fn runnable_exists(idx: &RepoIndex, path: &str, interpreter: &str) -> bool {
    if idx.is_file(path) || idx.is_dir(path) {
        return true;
    }
    let js = !matches!(
        interpreter,
        "bash" | "sh" | "zsh" | "dash" | "python" | "python3" | "exec"
    );
    js && [
        ".js", ".mjs", ".cjs", ".ts", ".mts", ".cts", ".tsx", ".jsx", ".json", ".node",
    ]
    .iter()
    .any(|e| idx.is_file(&format!("{path}{e}")))
}

/// Value of a flag (`--out-dir d`, `--out-dir=d`, `-d d`), matching names case-insensitively.
fn flag<'a>(args: &'a [shell::Word], names: &[&str]) -> Option<&'a str> {
    let mut it = args.iter();
    while let Some(w) = it.next() {
        let t = w.text.as_str();
        for n in names {
            if t.eq_ignore_ascii_case(n) {
                return it.next().map(|v| v.text.as_str());
            }
            if let Some(v) = t
                .get(..n.len())
                .filter(|p| p.eq_ignore_ascii_case(n))
                .and_then(|_| t.get(n.len()..))
                .and_then(|r| r.strip_prefix('='))
            {
                return Some(v);
            }
        }
    }
    None
}

/// Commands of every script in the package (with nested `sh -c`/`concurrently` strings).
pub fn package_commands(pkg: &PackageJson) -> Vec<(usize, Command)> {
    let mut out = Vec::new();
    for (k, s) in pkg.scripts.iter().enumerate() {
        let opts = ShellOptions::package_script(Some(pkg.dir.clone()));
        for c in shell::parse(&s.command, &s.map, &opts) {
            for n in super::rules::nested_commands(&c) {
                out.push((k, n));
            }
            out.push((k, c));
        }
    }
    out
}

/// Build outputs of a package, from its scripts.
pub fn build_outputs(idx: &RepoIndex, pkg: &PackageJson) -> Outputs {
    let mut o = Outputs::default();
    for (_, c) in package_commands(pkg) {
        let Some(cwd) = c.cwd.clone() else { continue };
        let words = strip_wrappers(&c.words);
        let Some(head) = words.first() else { continue };
        let args = words.get(1..).unwrap_or(&[]);
        let a0 = args.first().map_or("", |w| w.text.as_str());
        let name = head.text.rsplit('/').next().unwrap_or(&head.text);
        let mut dir = |d: Option<&str>, default: &str| {
            if let Some(p) = join_path(&cwd, d.unwrap_or(default)) {
                o.dirs.push(p);
            }
        };
        match name {
            "tsc" | "vue-tsc" => {
                let no_emit = args.iter().any(|a| a.text.eq_ignore_ascii_case("--noEmit"));
                if no_emit {
                    continue;
                }
                if let Some(d) = flag(args, &["--outDir"]) {
                    dir(Some(d), "");
                    continue;
                }
                let proj = flag(args, &["-p", "--project", "-b", "--build"]);
                tsc_outputs(idx, &cwd, proj, None, &mut o);
            }
            "nest" if a0 == "build" => {
                let proj = flag(args, &["-p", "--path"]);
                tsc_outputs(idx, &cwd, proj, Some("dist"), &mut o);
            }
            "vite" if a0 == "build" => dir(flag(args, &["--outDir"]), "dist"),
            "next" if a0 == "build" => {
                dir(None, ".next");
                dir(None, "out");
            }
            "tsup" => dir(flag(args, &["-d", "--out-dir"]), "dist"),
            "ncc" => dir(flag(args, &["-o", "--out"]), "dist"),
            "webpack" | "webpack-cli" => dir(flag(args, &["-o", "--output-path"]), "dist"),
            "parcel" if a0 == "build" => dir(flag(args, &["--dist-dir"]), "dist"),
            "unbuild" | "pkgroll" | "microbundle" => dir(None, "dist"),
            "nuxt" | "nuxi" if a0 == "build" => dir(None, ".output"),
            "astro" | "ng" if a0 == "build" => dir(None, "dist"),
            "remix" | "react-scripts" if a0 == "build" => dir(None, "build"),
            "gatsby" if a0 == "build" => dir(None, "public"),
            "esbuild" | "bun" | "rollup" | "babel" | "swc" => {
                if name == "bun" && a0 != "build" {
                    continue;
                }
                let d = flag(args, &["--outdir", "-d", "--dir", "--out-dir"]);
                let f = flag(args, &["--outfile", "-o", "--file", "--out-file"]);
                if let Some(d) = d {
                    dir(Some(d), "");
                }
                if let Some(f) = f.and_then(|f| join_path(&cwd, f)) {
                    o.files.push(f);
                }
                if name == "rollup" && d.is_none() && f.is_none() {
                    for b in ["dist", "build", "lib", "out"] {
                        dir(None, b);
                    }
                }
            }
            _ => {}
        }
    }
    o
}

/// Outputs of `tsc -p proj` / `nest build`: the tsconfig's `outDir`, else `default`, else
/// in-place emit.
fn tsc_outputs(
    idx: &RepoIndex,
    cwd: &str,
    proj: Option<&str>,
    default: Option<&str>,
    o: &mut Outputs,
) {
    let tsconfig = match proj {
        Some(p) if p.ends_with(".json") => join_path(cwd, p),
        Some(p) => join_path(cwd, p).map(|d| super::in_dir(&d, "tsconfig.json")),
        None => {
            let build = super::in_dir(cwd, "tsconfig.build.json");
            if default.is_some() && idx.is_file(&build) {
                Some(build)
            } else {
                Some(super::in_dir(cwd, "tsconfig.json"))
            }
        }
    };
    let out = tsconfig.and_then(|t| tsconfig_out_dir(idx, &t, 0));
    match (out, default) {
        (Some(d), _) => o.dirs.push(d),
        (None, Some(d)) => {
            if let Some(p) = join_path(cwd, d) {
                o.dirs.push(p);
            }
        }
        (None, None) => o.ts_inplace = true,
    }
}

/// `compilerOptions.outDir` of a tsconfig (following relative `extends`), repo-relative.
pub fn tsconfig_out_dir(idx: &RepoIndex, path: &str, depth: usize) -> Option<String> {
    if depth > 5 {
        return None;
    }
    let text = idx.text(path)?;
    let (out_dir, extends) = scripts::tsconfig_fields(&text);
    let dir = scripts::parent_dir(path);
    if let Some(d) = out_dir {
        return join_path(&dir, &d);
    }
    let ext = extends.filter(|e| e.starts_with('.'))?;
    let mut target = join_path(&dir, &ext)?;
    if !target.ends_with(".json") {
        target.push_str(".json");
    }
    tsconfig_out_dir(idx, &target, depth + 1)
}
