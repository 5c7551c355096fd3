//! Environment variable references in code, defined as data (`rules/env-refs.toml`).

use crate::diag::{LineIndex, SourceError};
use crate::glob::glob_set;
use crate::toml_doc::Doc;
use globset::GlobSet;
use regex::bytes::{Regex, RegexBuilder};

/// The built-in reference definitions.
pub const BUILTIN_REFS: &str = include_str!("../../rules/env-refs.toml");

/// One way code reads the environment.
#[derive(Debug)]
pub struct RefDef {
    /// Definition id.
    pub id: String,
    paths: GlobSet,
    keywords: Vec<String>,
    regex: Regex,
    dynamic: bool,
}

/// A place where code reads a variable.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ref {
    /// Variable name; empty for dynamic access.
    pub name: String,
    /// Repo-relative path.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column.
    pub column: usize,
    /// `process.env[expr]`: the name cannot be known.
    pub dynamic: bool,
}

/// Parses reference definitions; errors are located in `file`.
pub fn parse_defs(file: &str, text: &str) -> Result<Vec<RefDef>, Vec<SourceError>> {
    let (mut doc, root) = Doc::parse(file, text).map_err(|e| vec![e])?;
    let mut defs = Vec::new();
    if let Some(mut root) = doc.table(root, "reference definitions") {
        let tables = root.tables(&mut doc, "refs");
        root.finish(&mut doc, "reference definitions");
        for mut t in tables {
            let id = t.required_string(&mut doc, "id");
            let paths = t.strings(&mut doc, "paths");
            let keywords = t.strings(&mut doc, "keywords");
            let pattern = t.required_string(&mut doc, "pattern");
            let dynamic = t.boolean(&mut doc, "dynamic").unwrap_or(false);
            t.finish(&mut doc, "a reference definition");
            let (Some(id), Some(pattern)) = (id, pattern) else {
                continue;
            };
            let regex = match RegexBuilder::new(&pattern.value).unicode(false).build() {
                Ok(r) => r,
                Err(e) => {
                    let msg = e.to_string();
                    let last = msg.lines().last().unwrap_or(&msg).trim().to_string();
                    doc.error(pattern.span, format!("invalid regex: {last}"));
                    continue;
                }
            };
            let has_name = regex
                .capture_names()
                .flatten()
                .any(|n| n.starts_with("name"));
            if !dynamic && !has_name {
                doc.error(
                    pattern.span,
                    "the pattern needs a group `name`, `names` or `dynamic = true`",
                );
                continue;
            }
            let globs: Vec<String> = paths.iter().map(|p| p.value.clone()).collect();
            let paths = match glob_set(&globs) {
                Ok(g) => g,
                Err(e) => {
                    doc.error(t_span(&paths), format!("invalid glob: {e}"));
                    continue;
                }
            };
            defs.push(RefDef {
                id: id.value,
                paths,
                keywords: keywords.into_iter().map(|k| k.value).collect(),
                regex,
                dynamic,
            });
        }
    }
    if doc.errors.is_empty() {
        Ok(defs)
    } else {
        Err(doc.errors)
    }
}

fn t_span(paths: &[toml_span::Spanned<String>]) -> toml_span::Span {
    paths.first().map_or(toml_span::Span::new(0, 0), |p| p.span)
}

/// Whether any definition looks at `path`.
pub fn wanted(defs: &[RefDef], path: &str) -> bool {
    defs.iter().any(|d| d.paths.is_match(path))
}

/// Finds the references in one file.
pub fn find_refs(defs: &[RefDef], path: &str, text: &[u8]) -> Vec<Ref> {
    let mut out = Vec::new();
    let mut index: Option<LineIndex> = None;
    for d in defs {
        if !d.paths.is_match(path) {
            continue;
        }
        if !d.keywords.is_empty()
            && !d
                .keywords
                .iter()
                .any(|k| memchr::memmem::find(text, k.as_bytes()).is_some())
        {
            continue;
        }
        for caps in d.regex.captures_iter(text) {
            let idx = index.get_or_insert_with(|| LineIndex::new(text));
            let whole = caps.get(0).map_or(0..0, |m| m.range());
            if d.dynamic {
                let (line, column) = idx.locate(text, whole.start);
                out.push(Ref {
                    name: String::new(),
                    path: path.to_string(),
                    line,
                    column,
                    dynamic: true,
                });
                continue;
            }
            for group in ["name", "name2", "name3"] {
                if let Some(m) = caps.name(group) {
                    let (line, column) = idx.locate(text, m.start());
                    out.push(Ref {
                        name: String::from_utf8_lossy(m.as_bytes()).into_owned(),
                        path: path.to_string(),
                        line,
                        column,
                        dynamic: false,
                    });
                }
            }
            if let Some(m) = caps.name("names") {
                let list = String::from_utf8_lossy(m.as_bytes()).into_owned();
                let mut offset = m.start();
                for part in list.split(',') {
                    let name = part.split([':', '=']).next().unwrap_or("").trim();
                    let lead = part.len() - part.trim_start().len();
                    if !name.is_empty()
                        && !name.starts_with("...")
                        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
                    {
                        let (line, column) = idx.locate(text, offset + lead);
                        out.push(Ref {
                            name: name.to_string(),
                            path: path.to_string(),
                            line,
                            column,
                            dynamic: false,
                        });
                    }
                    offset += part.len() + 1;
                }
            }
        }
    }
    out.sort_by(|a, b| (a.line, a.column, &a.name).cmp(&(b.line, b.column, &b.name)));
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(path: &str, code: &str) -> Vec<String> {
        let defs = parse_defs("env-refs.toml", BUILTIN_REFS).unwrap();
        find_refs(&defs, path, code.as_bytes())
            .into_iter()
            .map(|r| {
                if r.dynamic {
                    "<dynamic>".into()
                } else {
                    r.name
                }
            })
            .collect()
    }

    #[test]
    fn finds_every_documented_shape() {
        assert_eq!(
            names(
                "src/a.ts",
                "const a = process.env.API_URL;\nconst b = process.env['DB_URL'];\nconst { SECRET, PORT: p = '3000', ...rest } = process.env;\nprocess.env[key];"
            ),
            vec!["API_URL", "DB_URL", "SECRET", "PORT", "<dynamic>"]
        );
        assert_eq!(
            names("src/a.tsx", "import.meta.env.VITE_API_URL"),
            vec!["VITE_API_URL"]
        );
        assert_eq!(
            names(
                "supabase/functions/x/index.ts",
                "Deno.env.get(\"STRIPE_SECRET_KEY\")"
            ),
            vec!["STRIPE_SECRET_KEY"]
        );
        assert_eq!(names("src/a.ts", "Bun.env.TOKEN"), vec!["TOKEN"]);
        assert_eq!(
            names(
                "src/app.module.ts",
                "this.configService.get<string>('JWT_SECRET'); configService.getOrThrow(\"MONGO_URI\")"
            ),
            vec!["JWT_SECRET", "MONGO_URI"]
        );
        assert_eq!(
            names(
                "src/env.ts",
                "export const env = z.object({\n  DATABASE_URL: z.string().url(),\n  PORT: z.coerce.number(),\n});"
            ),
            vec!["DATABASE_URL", "PORT"]
        );
        assert_eq!(
            names(
                "app/settings.py",
                "os.environ[\"A\"]; os.environ.get('B'); os.getenv(\"C\", \"x\")"
            ),
            vec!["A", "B", "C"]
        );
        assert_eq!(
            names("main.go", "os.Getenv(\"A\"); os.LookupEnv(\"B\")"),
            vec!["A", "B"]
        );
        assert_eq!(
            names(
                "src/main.rs",
                "std::env::var(\"A\"); env!(\"B\"); option_env!(\"C\")"
            ),
            vec!["A", "B", "C"]
        );
        assert_eq!(
            names("config/app.rb", "ENV[\"A\"]; ENV.fetch('B')"),
            vec!["A", "B"]
        );
        assert_eq!(
            names(
                "docker-compose.yml",
                "environment:\n  - DB=${DATABASE_URL}\n  - P=${PORT:-3000}"
            ),
            vec!["DATABASE_URL", "PORT"]
        );
        assert!(names("README.md", "process.env.NOPE").is_empty());
    }
}
