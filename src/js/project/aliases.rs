//! Bundler aliases: Vite `resolve.alias` read from `vite.config.*` (regex-level), and the
//! built-in aliases of SvelteKit (`$lib`) and Nuxt (`~`, `@`, `~~`).

use std::rc::Rc;
use std::sync::OnceLock;

use regex::Regex;

use super::super::files;
use super::Project;

/// A bundler alias: `key` (exact, or `key/…`) → repository directory or file.
#[derive(Clone)]
pub struct Alias {
    pub key: String,
    pub target: String,
}

impl Project<'_> {
    /// Bundler aliases for files of package `pkg_dir`: Vite `resolve.alias` in
    /// `vite.config.*`, and framework built-ins (SvelteKit `$lib`, Nuxt `~`/`@`).
    pub fn aliases(&self, pkg_dir: &str) -> Rc<Vec<Alias>> {
        if let Some(a) = self
            .aliases
            .try_borrow()
            .ok()
            .and_then(|c| c.get(pkg_dir).cloned())
        {
            return a;
        }
        let mut out = Vec::new();
        for name in [
            "vite.config.ts",
            "vite.config.js",
            "vite.config.mts",
            "vite.config.mjs",
            "vite.config.cjs",
            "vitest.config.ts",
        ] {
            let p = files::child(pkg_dir, name);
            if self.is_file(&p) {
                if let Some(text) = self.read(&p) {
                    out.extend(vite_aliases(&String::from_utf8_lossy(&text), pkg_dir));
                }
                break;
            }
        }
        if let Some(m) = self.manifest(pkg_dir) {
            if m.dep_field("@sveltejs/kit").is_some() {
                out.push(Alias {
                    key: "$lib".into(),
                    target: files::child(pkg_dir, "src/lib"),
                });
            }
            if m.dep_field("nuxt").is_some() {
                let src = if self.files.is_dir(&files::child(pkg_dir, "app/pages")) {
                    files::child(pkg_dir, "app")
                } else {
                    pkg_dir.to_string()
                };
                out.push(Alias {
                    key: "~".into(),
                    target: src.clone(),
                });
                out.push(Alias {
                    key: "@".into(),
                    target: src,
                });
                out.push(Alias {
                    key: "~~".into(),
                    target: pkg_dir.to_string(),
                });
            }
        }
        let rc = Rc::new(out);
        if let Ok(mut c) = self.aliases.try_borrow_mut() {
            c.insert(pkg_dir.to_string(), rc.clone());
        }
        rc
    }
}

fn alias_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        let target = r#"(?:[\w.]*(?:resolve|join)\(\s*(?:__dirname|process\.cwd\(\)|import\.meta\.dirname)\s*,\s*["'`]([^"'`]+)["'`]|fileURLToPath\(\s*new\s+URL\(\s*["'`]([^"'`]+)["'`]|["'`](\.{0,2}/[^"'`]*)["'`])"#;
        Regex::new(&format!(
            r#"(?:["'`]([^"'`\s]+)["'`]|([A-Za-z_$][\w$]*))\s*:\s*{target}|find\s*:\s*["'`]([^"'`]+)["'`]\s*,\s*replacement\s*:\s*{target}"#
        ))
        .ok()
    })
    .as_ref()
}

/// Aliases from a `vite.config.*` text (regex-level; covers `'@': path.resolve(__dirname, './src')`,
/// `fileURLToPath(new URL('./src', import.meta.url))`, `'@': '/src'` and `{ find, replacement }`).
pub fn vite_aliases(text: &str, pkg_dir: &str) -> Vec<Alias> {
    let Some(re) = alias_re() else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for c in re.captures_iter(text) {
        let key = c.get(1).or(c.get(2)).or(c.get(6)).map(|m| m.as_str());
        let target = [3, 4, 5, 7, 8, 9]
            .iter()
            .find_map(|&i| c.get(i))
            .map(|m| m.as_str());
        let (Some(key), Some(target)) = (key, target) else {
            continue;
        };
        if matches!(
            key,
            "target" | "find" | "replacement" | "input" | "outDir" | "root" | "base" | "publicDir"
        ) {
            continue;
        }
        if let Some(t) = files::join(pkg_dir, target.trim_start_matches('/')) {
            out.push(Alias {
                key: key.to_string(),
                target: t,
            });
        }
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn vite_alias_forms() {
        let text = r##"
import { fileURLToPath, URL } from 'node:url'
export default defineConfig({
  resolve: {
    alias: {
      '@': path.resolve(__dirname, './src'),
      '~components': fileURLToPath(new URL('./src/components', import.meta.url)),
      "#root": "/src",
    },
  },
  build: { outDir: 'dist' },
})
const more = [{ find: '@lib', replacement: path.resolve(__dirname, 'src/lib') }]
"##;
        let a = vite_aliases(text, "apps/web");
        let pairs: Vec<(&str, &str)> = a
            .iter()
            .map(|a| (a.key.as_str(), a.target.as_str()))
            .collect();
        assert!(pairs.contains(&("@", "apps/web/src")), "{pairs:?}");
        assert!(
            pairs.contains(&("~components", "apps/web/src/components")),
            "{pairs:?}"
        );
        assert!(pairs.contains(&("#root", "apps/web/src")), "{pairs:?}");
        assert!(pairs.contains(&("@lib", "apps/web/src/lib")), "{pairs:?}");
        assert!(!pairs.iter().any(|p| p.0 == "outDir"));
    }
}
