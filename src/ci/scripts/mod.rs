//! Script tables: package.json `scripts` (with positions), Makefile targets, justfile recipes,
//! plus the small readers the rules need (.gitignore, tsconfig `outDir`).

mod gitignore;
mod just;
mod make;
mod package_json;
mod tsconfig;

pub use self::gitignore::{GitIgnore, glob, parse_gitignore};
pub use self::just::just_recipes;
pub use self::make::{MakeTargets, make_targets};
pub use self::package_json::{PackageJson, ScriptEntry, parse_package_json};
pub use self::tsconfig::{strip_jsonc, tsconfig_fields};

/// Directory part of a repo-relative path ("" for top-level files).
pub fn parent_dir(path: &str) -> String {
    path.rsplit_once('/')
        .map(|(d, _)| d.to_string())
        .unwrap_or_default()
}
