//! Which client prefixes a bundler inlines into browser code, decided per
//! package from its package.json: `VITE_` only where Vite builds the code,
//! `NEXT_PUBLIC_` only in a Next.js app, and so on. A prefix exposes nothing
//! in a package whose framework does not inline it (an Express API's
//! `PUBLIC_TOKEN` stays on the server).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Dependency → the prefixes its bundler inlines, and whether it loads the
/// committed `.env` and `.env.production` into production builds.
const FRAMEWORKS: &[(&str, &[&str], bool)] = &[
    ("vite", &["VITE_"], true),
    ("@sveltejs/kit", &["PUBLIC_", "VITE_"], true),
    ("astro", &["PUBLIC_"], true),
    ("next", &["NEXT_PUBLIC_"], true),
    ("expo", &["EXPO_PUBLIC_"], true),
    ("react-scripts", &["REACT_APP_"], true),
    ("nuxt", &["NUXT_PUBLIC_"], true),
    ("gatsby", &["GATSBY_"], true),
];

/// What a package's bundler does with env variables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bundler {
    /// Prefixes inlined into client code.
    pub prefixes: Vec<&'static str>,
    /// Loads `.env` / `.env.production` into production builds.
    pub loads_env_files: bool,
    /// The framework names found (for messages).
    pub names: Vec<&'static str>,
}

/// The package.json files of a repository and what their bundlers inline.
pub struct Frameworks {
    root: PathBuf,
    by_dir: Mutex<HashMap<String, Option<Bundler>>>,
}

fn parent(dir: &str) -> Option<&str> {
    if dir.is_empty() {
        None
    } else {
        Some(dir.rfind('/').map_or("", |i| &dir[..i]))
    }
}

impl Frameworks {
    /// Looks package.json files up under `root` (read lazily, cached per directory).
    pub fn new(root: &Path) -> Self {
        Frameworks {
            root: root.to_path_buf(),
            by_dir: Mutex::new(HashMap::new()),
        }
    }

    /// The directory of the package (nearest `package.json`) holding `path`;
    /// `None` outside any package.
    pub fn package_dir(&self, path: &str) -> Option<String> {
        let mut dir = parent(path);
        while let Some(d) = dir {
            let manifest = if d.is_empty() {
                self.root.join("package.json")
            } else {
                self.root.join(d).join("package.json")
            };
            if manifest.is_file() {
                return Some(d.to_string());
            }
            dir = parent(d);
        }
        None
    }

    /// The bundler of the package.json in `dir`, if there is one.
    fn package(&self, dir: &str) -> Option<Bundler> {
        if let Some(b) = self.by_dir.lock().ok().and_then(|m| m.get(dir).cloned()) {
            return b;
        }
        let file = if dir.is_empty() {
            self.root.join("package.json")
        } else {
            self.root.join(dir).join("package.json")
        };
        let b = std::fs::read_to_string(file)
            .ok()
            .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            .map(|pkg| {
                let has = |name: &str| {
                    ["dependencies", "devDependencies", "peerDependencies"]
                        .iter()
                        .any(|k| pkg[*k].get(name).is_some())
                };
                let mut b = Bundler::default();
                for (dep, prefixes, loads) in FRAMEWORKS {
                    if has(dep) {
                        b.names.push(dep);
                        b.loads_env_files |= loads;
                        for p in *prefixes {
                            if !b.prefixes.contains(p) {
                                b.prefixes.push(p);
                            }
                        }
                    }
                }
                b
            });
        if let Ok(mut m) = self.by_dir.lock() {
            m.insert(dir.to_string(), b.clone());
        }
        b
    }

    /// The bundler of the package that covers `path` (the nearest package.json
    /// at or above its directory); default (nothing inlined) when none does.
    pub fn covering(&self, path: &str) -> Bundler {
        let mut dir = parent(path);
        while let Some(d) = dir {
            if let Some(b) = self.package(d) {
                return b;
            }
            dir = parent(d);
        }
        Bundler::default()
    }

    /// The client prefix of `name` that the package covering `path` inlines.
    pub fn exposing_prefix(&self, path: &str, name: &str) -> Option<&'static str> {
        self.covering(path)
            .prefixes
            .into_iter()
            .find(|p| name.starts_with(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_follow_the_covering_package() {
        let t = tempfile::tempdir().unwrap();
        let w = |p: &str, c: &str| {
            let f = t.path().join(p);
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, c).unwrap();
        };
        w("package.json", r#"{"dependencies":{"express":"4"}}"#);
        w("web/package.json", r#"{"devDependencies":{"vite":"5"}}"#);
        w("site/package.json", r#"{"dependencies":{"next":"14"}}"#);
        let f = Frameworks::new(t.path());
        assert_eq!(f.exposing_prefix("server/index.ts", "PUBLIC_TOKEN"), None);
        assert_eq!(f.exposing_prefix("server/index.ts", "VITE_X"), None);
        assert_eq!(f.exposing_prefix("web/src/a.ts", "VITE_X"), Some("VITE_"));
        assert_eq!(f.exposing_prefix("web/src/a.ts", "NEXT_PUBLIC_X"), None);
        assert_eq!(
            f.exposing_prefix("site/app/page.tsx", "NEXT_PUBLIC_X"),
            Some("NEXT_PUBLIC_")
        );
        assert!(f.covering("web/.env.production").loads_env_files);
        assert!(!f.covering(".env").loads_env_files);
    }
}
