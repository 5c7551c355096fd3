//! Resolving a script run (`npm run X`, `yarn X`, …) to the package.json it targets.

use std::rc::Rc;

use super::super::invocation::{Manager, ScriptDir};
use super::super::scripts::PackageJson;
use super::super::shell::resolve_dir;
use super::super::{RepoIndex, in_dir};

/// Binaries commonly run as `yarn X` / `pnpm X` whose package is often a transitive dependency.
const KNOWN_BINS: &[&str] = &[
    "tsc",
    "eslint",
    "prettier",
    "jest",
    "vitest",
    "mocha",
    "playwright",
    "cypress",
    "next",
    "vite",
    "nest",
    "tsx",
    "ts-node",
    "nodemon",
    "webpack",
    "rollup",
    "tsup",
    "esbuild",
    "turbo",
    "nx",
    "lerna",
    "rimraf",
    "cross-env",
    "concurrently",
    "husky",
    "lint-staged",
    "prisma",
    "drizzle-kit",
    "supabase",
    "wrangler",
    "vercel",
    "netlify",
    "firebase",
    "serve",
    "ng",
    "react-scripts",
    "storybook",
    "changeset",
    "biome",
    "knip",
    "node",
    "npx",
    "stylelint",
];

/// How a script reference resolves.
#[derive(Debug, Clone)]
pub enum Resolution {
    /// The package has the script.
    Found(Rc<PackageJson>),
    /// Not a script, but the manager will run a binary / `server.js` of that name.
    Fallback(Rc<PackageJson>),
    /// The package does not have it.
    Missing(Rc<PackageJson>),
    /// The package cannot be chosen statically, but no package.json in the repository has it.
    MissingEverywhere(String),
    /// No package.json at or above this directory.
    NoPackage(String),
    /// Cannot decide (the reason).
    Undecided(String),
}

/// Resolve a script run against the repository.
pub fn resolve_script(
    idx: &RepoIndex,
    manager: Manager,
    script: &str,
    dir: &ScriptDir,
    bin_fallback: bool,
    cwd: Option<&str>,
) -> Resolution {
    let target = match dir {
        ScriptDir::Cwd => cwd
            .map(str::to_string)
            .ok_or_else(|| "the working directory is not known".to_string()),
        ScriptDir::Dir(d) => {
            resolve_dir(cwd, d).ok_or_else(|| format!("the directory `{d}` cannot be resolved"))
        }
        ScriptDir::Workspace(n) => resolve_dir(cwd, n)
            .filter(|d| idx.is_file(&in_dir(d, "package.json")))
            .or_else(|| idx.package_dir_by_name(n))
            .ok_or_else(|| format!("workspace `{n}` was not found")),
        ScriptDir::Undecided(r) => Err(format!("`{r}` selects packages at run time")),
    };
    let d = match target {
        Ok(d) => d,
        Err(reason) => {
            let pkgs = idx.packages();
            return if pkgs.is_empty() || pkgs.iter().any(|p| p.script(script).is_some()) {
                Resolution::Undecided(reason)
            } else {
                Resolution::MissingEverywhere(reason)
            };
        }
    };
    let Some(pkg) = idx.package_at(&d) else {
        return Resolution::NoPackage(d);
    };
    if let Some(e) = &pkg.parse_error {
        return Resolution::Undecided(format!("{} is not valid JSON ({e})", pkg.path));
    }
    if pkg.script(script).is_some() {
        return Resolution::Found(pkg);
    }
    if bin_fallback && fallback_exists(idx, manager, script, &pkg) {
        return Resolution::Fallback(pkg);
    }
    Resolution::Missing(pkg)
}

/// Whether the manager would run something else for a missing script: a dependency binary,
/// or `node server.js` for `npm start`.
fn fallback_exists(idx: &RepoIndex, manager: Manager, script: &str, pkg: &PackageJson) -> bool {
    if script == "start" && matches!(manager, Manager::Npm | Manager::Pnpm) {
        // npm and pnpm run `node server.js` when there is no start script.
        return idx.is_file(&in_dir(&pkg.dir, "server.js"));
    }
    KNOWN_BINS.contains(&script)
        || pkg.may_provide_bin(script)
        || idx
            .package_at("")
            .is_some_and(|root| root.may_provide_bin(script))
}
