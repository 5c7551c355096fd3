//! package.json: name, dependencies, bins and the `scripts` object with the file position of
//! every key and of every character of every command.

use serde_json::Value;

use super::super::pos::PosMap;
use super::parent_dir;

/// One entry of a package.json `scripts` object.
#[derive(Debug, Clone, PartialEq)]
pub struct ScriptEntry {
    /// Script name (the key).
    pub name: String,
    /// Script command (the decoded value).
    pub command: String,
    /// Line of the key's opening quote.
    pub key_line: usize,
    /// Column of the key's opening quote.
    pub key_column: usize,
    /// Line of the value's opening quote.
    pub value_line: usize,
    /// Column of the value's opening quote.
    pub value_column: usize,
    /// Maps offsets of `command` to file positions.
    pub map: PosMap,
}

/// A parsed package.json.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PackageJson {
    /// Repo-relative path of the file.
    pub path: String,
    /// Directory of the file ("" = root).
    pub dir: String,
    /// `name`.
    pub name: Option<String>,
    /// `scripts` in file order (a later duplicate key replaces an earlier one).
    pub scripts: Vec<ScriptEntry>,
    /// Names from `dependencies`, `devDependencies`, `optionalDependencies`, `peerDependencies`.
    pub deps: Vec<String>,
    /// Binary names from `bin`.
    pub bins: Vec<String>,
    /// Set when the file is not valid JSON (scripts are then empty).
    pub parse_error: Option<String>,
}

impl PackageJson {
    /// The script named `name`.
    pub fn script(&self, name: &str) -> Option<&ScriptEntry> {
        self.scripts.iter().find(|s| s.name == name)
    }

    /// True when `name` could be a binary installed by a dependency (or the package's own bin).
    pub fn may_provide_bin(&self, name: &str) -> bool {
        self.bins.iter().any(|b| b == name)
            || self.deps.iter().any(|d| {
                d == name || d.rsplit('/').next() == Some(name) || bin_of_package(d) == Some(name)
            })
    }
}

/// Binaries whose name differs from their package's.
fn bin_of_package(pkg: &str) -> Option<&'static str> {
    Some(match pkg {
        "typescript" => "tsc",
        "@angular/cli" => "ng",
        "@nestjs/cli" => "nest",
        "@vue/cli-service" => "vue-cli-service",
        "@playwright/test" => "playwright",
        "@biomejs/biome" => "biome",
        "@storybook/cli" | "storybook" => "sb",
        "npm-run-all" | "npm-run-all2" => "run-s",
        "@swc/cli" => "swc",
        "@babel/cli" => "babel",
        "@sveltejs/kit" => "svelte-kit",
        "@remix-run/dev" => "remix",
        "@vercel/ncc" => "ncc",
        "@redocly/cli" => "redocly",
        "@commitlint/cli" => "commitlint",
        "@changesets/cli" => "changeset",
        "dotenv-cli" => "dotenv",
        "ts-node-dev" => "tsnd",
        "@microsoft/api-extractor" => "api-extractor",
        "supabase" => "supabase",
        "prisma" => "prisma",
        _ => return None,
    })
}

/// Parse package.json text (path is repo-relative).
pub fn parse_package_json(path: &str, text: &str) -> PackageJson {
    let dir = parent_dir(path);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut pkg = PackageJson {
        path: path.to_string(),
        dir,
        ..PackageJson::default()
    };
    let v: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            pkg.parse_error = Some(e.to_string());
            return pkg;
        }
    };
    pkg.name = v.get("name").and_then(Value::as_str).map(str::to_string);
    for key in [
        "dependencies",
        "devDependencies",
        "optionalDependencies",
        "peerDependencies",
    ] {
        if let Some(Value::Object(o)) = v.get(key) {
            pkg.deps.extend(o.keys().cloned());
        }
    }
    match v.get("bin") {
        Some(Value::Object(o)) => pkg.bins.extend(o.keys().cloned()),
        Some(Value::String(_)) => {
            if let Some(n) = &pkg.name {
                pkg.bins.push(n.rsplit('/').next().unwrap_or(n).to_string());
            }
        }
        _ => {}
    }
    pkg.scripts = scan_scripts(text).unwrap_or_else(|| fallback_scripts(&v));
    pkg
}

/// Scripts from serde_json when the position scan failed (positions then 1:1).
fn fallback_scripts(v: &Value) -> Vec<ScriptEntry> {
    let Some(Value::Object(o)) = v.get("scripts") else {
        return Vec::new();
    };
    o.iter()
        .filter_map(|(k, v)| {
            Some(ScriptEntry {
                name: k.clone(),
                command: v.as_str()?.to_string(),
                key_line: 1,
                key_column: 1,
                value_line: 1,
                value_column: 1,
                map: PosMap::default(),
            })
        })
        .collect()
}

/// A position-tracking JSON scanner over chars.
struct Json<'a> {
    c: &'a [char],
    i: usize,
    line: usize,
    col: usize,
}

impl Json<'_> {
    fn peek(&self) -> Option<char> {
        self.c.get(self.i).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let ch = self.peek()?;
        self.i += 1;
        if ch == '\n' {
            self.line += 1;
            self.col = 1;
        } else {
            self.col += 1;
        }
        Some(ch)
    }

    fn ws(&mut self) {
        while self.peek().is_some_and(|c| c.is_whitespace()) {
            self.bump();
        }
    }

    fn eat(&mut self, ch: char) -> Option<()> {
        self.ws();
        (self.bump()? == ch).then_some(())
    }

    /// A string at the cursor: (decoded, map, line, col of the opening quote).
    fn string(&mut self) -> Option<(String, PosMap, usize, usize)> {
        self.ws();
        let (ql, qc) = (self.line, self.col);
        if self.bump()? != '"' {
            return None;
        }
        let mut out = String::new();
        let mut n = 0usize;
        let mut map = PosMap::at(self.line, self.col);
        loop {
            let (l, c) = (self.line, self.col);
            let ch = self.bump()?;
            let decoded = match ch {
                '"' => return Some((out, map, ql, qc)),
                '\\' => self.escape()?,
                other => other,
            };
            map.push(n, l, c);
            out.push(decoded);
            n += 1;
        }
    }

    fn escape(&mut self) -> Option<char> {
        Some(match self.bump()? {
            'n' => '\n',
            't' => '\t',
            'r' => '\r',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'u' => {
                let hi = self.hex4()?;
                if (0xD800..0xDC00).contains(&hi) && self.peek() == Some('\\') {
                    self.bump();
                    self.bump();
                    let lo = self.hex4()?;
                    let cp = 0x10000 + ((hi - 0xD800) << 10) + (lo.wrapping_sub(0xDC00) & 0x3FF);
                    char::from_u32(cp).unwrap_or('\u{fffd}')
                } else {
                    char::from_u32(hi).unwrap_or('\u{fffd}')
                }
            }
            other => other,
        })
    }

    fn hex4(&mut self) -> Option<u32> {
        let mut v = 0u32;
        for _ in 0..4 {
            v = v * 16 + self.bump()?.to_digit(16)?;
        }
        Some(v)
    }

    /// Skip any JSON value (iteratively for nested containers).
    fn skip_value(&mut self) -> Option<()> {
        self.ws();
        let mut depth = 0usize;
        loop {
            self.ws();
            match self.peek()? {
                '"' => {
                    self.string()?;
                }
                '{' | '[' => {
                    self.bump();
                    depth += 1;
                    continue;
                }
                '}' | ']' => {
                    self.bump();
                    depth = depth.checked_sub(1)?;
                }
                ',' | ':' => {
                    self.bump();
                    continue;
                }
                _ => {
                    while self
                        .peek()
                        .is_some_and(|c| !matches!(c, ',' | '}' | ']') && !c.is_whitespace())
                    {
                        self.bump();
                    }
                }
            }
            if depth == 0 {
                return Some(());
            }
        }
    }
}

/// Scan the top-level `"scripts"` object keeping positions. `None` if the shape is unexpected.
fn scan_scripts(text: &str) -> Option<Vec<ScriptEntry>> {
    let chars: Vec<char> = text.chars().collect();
    let mut j = Json {
        c: &chars,
        i: 0,
        line: 1,
        col: 1,
    };
    j.eat('{')?;
    let mut found: Option<Vec<ScriptEntry>> = None;
    loop {
        j.ws();
        if j.peek()? == '}' {
            break;
        }
        let (key, ..) = j.string()?;
        j.eat(':')?;
        j.ws();
        if key == "scripts" && j.peek()? == '{' {
            found = Some(scan_script_object(&mut j)?);
        } else {
            j.skip_value()?;
        }
        j.ws();
        match j.bump()? {
            ',' => continue,
            '}' => break,
            _ => return None,
        }
    }
    Some(found.unwrap_or_default())
}

/// The entries of the `scripts` object at the cursor (a later duplicate key wins).
fn scan_script_object(j: &mut Json) -> Option<Vec<ScriptEntry>> {
    j.eat('{')?;
    let mut out: Vec<ScriptEntry> = Vec::new();
    loop {
        j.ws();
        if j.peek()? == '}' {
            j.bump();
            return Some(out);
        }
        let (name, _, key_line, key_column) = j.string()?;
        j.eat(':')?;
        j.ws();
        if j.peek()? == '"' {
            let (command, map, value_line, value_column) = j.string()?;
            out.retain(|s| s.name != name);
            out.push(ScriptEntry {
                name,
                command,
                key_line,
                key_column,
                value_line,
                value_column,
                map,
            });
        } else {
            j.skip_value()?;
        }
        j.ws();
        match j.bump()? {
            ',' => continue,
            '}' => return Some(out),
            _ => return None,
        }
    }
}
