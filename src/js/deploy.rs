//! Line-level readers for deploy configuration: Dockerfile instructions, Procfile lines,
//! the few TOML keys (`railway.toml`, `fly.toml`, `netlify.toml`, `nixpacks.toml`) and YAML
//! keys (`render.yaml`, `app.yaml`) that name start commands. No TOML/YAML library: only
//! `key = "…"`/`key = [...]` on one line and `key: value` are read, which is how these
//! files write start commands in practice.

/// Whether a file name is a Dockerfile (`Dockerfile`, `Dockerfile.prod`, `api.Dockerfile`,
/// `Containerfile`).
pub(super) fn is_docker_name(name: &str) -> bool {
    name == "Dockerfile"
        || name.starts_with("Dockerfile.")
        || name.ends_with(".Dockerfile")
        || name.ends_with(".dockerfile")
        || name == "Containerfile"
}

/// Whether a file name is deploy configuration this analysis reads for start commands.
pub(super) fn is_config_name(name: &str) -> bool {
    // Most names (`index.ts`, `README.md`) are out after two byte comparisons.
    let quick = matches!(
        (name.as_bytes().first(), name.as_bytes().last()),
        (Some(b'D'), _) | (_, Some(b'e' | b'n' | b'l'))
    );
    quick
        && (is_docker_name(name)
            || matches!(
                name,
                "Procfile"
                    | "railway.json"
                    | "railway.toml"
                    | "nixpacks.toml"
                    | "fly.toml"
                    | "netlify.toml"
                    | "render.yaml"
                    | "render.yml"
                    | "app.yaml"
                    | "captain-definition"
                    | "vercel.json"
            ))
}

/// One Dockerfile instruction (continuations joined).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Instr {
    /// 1-based line where it starts.
    pub line: usize,
    /// Upper-cased instruction (`CMD`, `COPY`, …).
    pub op: String,
    /// Arguments as written (continuations joined with spaces).
    pub args: String,
}

impl Instr {
    /// Exec-form arguments (`["node", "dist/main.js"]`), if the arguments are a JSON array.
    pub(super) fn exec_form(&self) -> Option<Vec<String>> {
        let a = self.args.trim();
        if !a.starts_with('[') {
            return None;
        }
        serde_json::from_str::<Vec<String>>(a).ok()
    }
}

/// Dockerfile instructions. Comments, blank lines and heredoc bodies are skipped.
pub(super) fn dockerfile(text: &str) -> Vec<Instr> {
    let mut out = Vec::new();
    let mut cur: Option<Instr> = None;
    let mut heredoc: Option<String> = None;
    for (i, raw) in text.lines().enumerate() {
        let line = raw.trim_end_matches('\r');
        if let Some(end) = &heredoc {
            if line.trim() == end {
                heredoc = None;
            }
            continue;
        }
        let trimmed = line.trim_start();
        if trimmed.starts_with('#') || (trimmed.is_empty() && cur.is_none()) {
            continue;
        }
        let (body, cont) = match trimmed.strip_suffix('\\') {
            Some(b) => (b, true),
            None => (trimmed, false),
        };
        match cur.as_mut() {
            Some(c) => {
                c.args.push(' ');
                c.args.push_str(body.trim());
            }
            None => {
                let (op, args) = body.split_once(char::is_whitespace).unwrap_or((body, ""));
                cur = Some(Instr {
                    line: i + 1,
                    op: op.to_ascii_uppercase(),
                    args: args.trim().to_string(),
                });
            }
        }
        if !cont && let Some(c) = cur.take() {
            if let Some(pos) = c.args.find("<<") {
                let tag: String = c.args[pos + 2..]
                    .trim_start_matches(['-', '~'])
                    .trim_matches(['"', '\''])
                    .chars()
                    .take_while(|ch| ch.is_ascii_alphanumeric() || *ch == '_')
                    .collect();
                if !tag.is_empty() && c.op == "RUN" {
                    heredoc = Some(tag);
                }
            }
            out.push(c);
        }
    }
    out.extend(cur);
    out
}

/// Procfile `name: command` lines as (line, name, command).
pub(super) fn procfile(text: &str) -> Vec<(usize, String, String)> {
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim_start().starts_with('#'))
        .filter_map(|(i, l)| {
            let (name, cmd) = l.split_once(':')?;
            let name = name.trim();
            (!name.is_empty()
                && name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
            .then(|| (i + 1, name.to_string(), cmd.trim().to_string()))
        })
        .collect()
}

/// A TOML value as far as these readers care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum TomlVal {
    /// A string.
    Str(String),
    /// A one-line array of strings.
    Arr(Vec<String>),
}

/// `key = value` lines with their line and `[section]` (dotted, as written).
pub(super) fn toml_values(text: &str) -> Vec<(usize, String, String, TomlVal)> {
    let mut out = Vec::new();
    let mut section = String::new();
    for (i, raw) in text.lines().enumerate() {
        let l = raw.trim();
        if l.starts_with('[') {
            section = l.trim_matches(|c| c == '[' || c == ']').trim().to_string();
            continue;
        }
        let Some((k, v)) = l.split_once('=') else {
            continue;
        };
        let key = k.trim().trim_matches('"').to_string();
        let v = v.trim();
        let val = if v.starts_with('[') {
            let inner = v.trim_start_matches('[');
            let inner = inner.rsplit_once(']').map_or(inner, |(a, _)| a);
            TomlVal::Arr(split_toml_array(inner))
        } else if let Some(s) = toml_string(v) {
            TomlVal::Str(s)
        } else {
            continue;
        };
        out.push((i + 1, section.clone(), key, val));
    }
    out
}

fn toml_string(v: &str) -> Option<String> {
    let q = v.chars().next()?;
    if q != '"' && q != '\'' {
        return None;
    }
    let body = &v[1..];
    let end = body.find(q)?;
    Some(body[..end].replace("\\\"", "\""))
}

fn split_toml_array(inner: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = inner.trim();
    while let Some(s) = toml_string(rest) {
        let consumed = s.len() + 2;
        out.push(s);
        rest = rest
            .get(consumed..)
            .unwrap_or("")
            .trim_start()
            .trim_start_matches(',')
            .trim_start();
    }
    out
}

/// `key: value` lines of a YAML file as (line, indent, item start?, key, value), where
/// "item start" marks a `- ` list item line. Values have surrounding quotes removed.
pub(super) fn yaml_keys(text: &str) -> Vec<(usize, usize, bool, String, String)> {
    let mut out = Vec::new();
    for (i, raw) in text.lines().enumerate() {
        let indent = raw.len() - raw.trim_start().len();
        let mut l = raw.trim();
        if l.starts_with('#') {
            continue;
        }
        let item = l.starts_with("- ");
        if item {
            l = l[2..].trim_start();
        }
        let Some((k, v)) = l.split_once(':') else {
            if item {
                out.push((i + 1, indent, true, String::new(), String::new()));
            }
            continue;
        };
        let v = v.trim();
        let v = v
            .strip_prefix('"')
            .and_then(|x| x.strip_suffix('"'))
            .or_else(|| v.strip_prefix('\'').and_then(|x| x.strip_suffix('\'')))
            .unwrap_or(v);
        out.push((i + 1, indent, item, k.trim().to_string(), v.to_string()));
    }
    out
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn config_names_match_the_documented_forms() {
        // the forms the entry collector dispatches on, and nothing else
        for yes in [
            "Dockerfile",
            "Dockerfile.prod",
            "Dockerfile.ts",
            "api.Dockerfile",
            "web.dockerfile",
            "Containerfile",
            "Procfile",
            "railway.json",
            "railway.toml",
            "nixpacks.toml",
            "fly.toml",
            "netlify.toml",
            "render.yaml",
            "render.yml",
            "app.yaml",
            "captain-definition",
            "vercel.json",
        ] {
            assert!(is_config_name(yes), "{yes}");
        }
        for no in [
            "dockerfile",
            "Dockerfile-prod",
            "Procfile.dev",
            "package.json",
            "app.yml",
            "vercel.ts",
            "index.ts",
            "README.md",
            "",
            "e",
            "D",
        ] {
            assert!(!is_config_name(no), "{no}");
        }
    }

    #[test]
    fn dockerfile_instructions() {
        let text = "# syntax=docker/dockerfile:1\nFROM node:20 AS build\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci \\\n  && npm run build\nRUN <<EOF\nnode scripts/x.js\nEOF\ncmd [\"node\", \"dist/main.js\"]\n";
        let ins = dockerfile(text);
        let ops: Vec<&str> = ins.iter().map(|i| i.op.as_str()).collect();
        assert_eq!(ops, vec!["FROM", "WORKDIR", "COPY", "RUN", "RUN", "CMD"]);
        assert_eq!(ins[3].args, "npm ci && npm run build");
        assert_eq!(ins[5].line, 10);
        assert_eq!(ins[5].exec_form().unwrap(), vec!["node", "dist/main.js"]);
    }

    #[test]
    fn procfile_and_toml_and_yaml() {
        let p = procfile(
            "web: node server.js\n# comment\nworker: npm run worker\nrelease: npx prisma migrate deploy\n",
        );
        assert_eq!(p[0], (1, "web".into(), "node server.js".into()));
        assert_eq!(p.len(), 3);
        let t = toml_values(
            "app = 'x'\n[deploy]\nstartCommand = \"node dist/index.js\"\n[processes]\n  web = \"npm start\"\n[experimental]\ncmd = [\"node\", \"build/server.js\"]\n",
        );
        assert!(t.contains(&(
            3,
            "deploy".into(),
            "startCommand".into(),
            TomlVal::Str("node dist/index.js".into())
        )));
        assert!(t.contains(&(
            7,
            "experimental".into(),
            "cmd".into(),
            TomlVal::Arr(vec!["node".into(), "build/server.js".into()])
        )));
        let y = yaml_keys(
            "services:\n  - type: web\n    name: api\n    rootDir: apps/api\n    startCommand: \"node dist/main.js\"\n",
        );
        assert!(
            y.iter()
                .any(|k| k.3 == "startCommand" && k.4 == "node dist/main.js" && k.0 == 5)
        );
        assert!(y.iter().any(|k| k.2 && k.3 == "type"));
    }

    #[test]
    fn garbage_does_not_panic() {
        let _ = dockerfile("\\\n\\\nCMD [\"x\"\nRUN <<");
        let _ = toml_values("[[\n= '\nk = [\"a\", 'b\n");
        let _ = yaml_keys("- \n-\n: x");
        let _ = procfile(":::\n");
    }
}
