//! `[env]`: templates, declarations of variables, forbidden flags.

use crate::toml_doc::{Doc, Located, Tbl};
use toml_span::value::ValueInner;

/// A declared variable type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VarType {
    /// Any string.
    String,
    /// A signed integer.
    Int,
    /// 1–65535.
    Port,
    /// Exactly true/1/yes/on or false/0/no/off.
    Bool,
    /// `scheme://host…`.
    Url,
    /// `local@domain`.
    Email,
    /// One of `values`.
    Enum,
    /// Hex digits only.
    Hex,
    /// Standard or URL-safe base64.
    Base64,
}

impl VarType {
    /// Parses a type name.
    pub fn parse(s: &str) -> Option<VarType> {
        Some(match s {
            "string" => VarType::String,
            "int" | "integer" => VarType::Int,
            "port" => VarType::Port,
            "bool" | "boolean" => VarType::Bool,
            "url" => VarType::Url,
            "email" => VarType::Email,
            "enum" => VarType::Enum,
            "hex" => VarType::Hex,
            "base64" => VarType::Base64,
            _ => return None,
        })
    }

    /// Name as written in config.
    pub fn as_str(&self) -> &'static str {
        match self {
            VarType::String => "string",
            VarType::Int => "int",
            VarType::Port => "port",
            VarType::Bool => "bool",
            VarType::Url => "url",
            VarType::Email => "email",
            VarType::Enum => "enum",
            VarType::Hex => "hex",
            VarType::Base64 => "base64",
        }
    }
}

/// In which profiles a variable must be set.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Required {
    /// Optional.
    #[default]
    No,
    /// Every profile.
    All,
    /// These profiles.
    Profiles(Vec<String>),
}

impl Required {
    /// Whether the variable is required in `profile`.
    pub fn applies(&self, profile: &str) -> bool {
        match self {
            Required::No => false,
            Required::All => true,
            Required::Profiles(p) => p.iter().any(|x| x == profile),
        }
    }
}

/// A compiled `pattern` that must match a whole value.
#[derive(Debug, Clone)]
pub struct Pattern {
    text: String,
    re: regex::Regex,
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl Eq for Pattern {}

impl Pattern {
    /// Compiles `text`, anchored at both ends.
    pub fn new(text: &str) -> Result<Self, String> {
        regex::Regex::new(&format!("^(?:{text})$"))
            .map(|re| Pattern {
                text: text.to_string(),
                re,
            })
            .map_err(|e| {
                let msg = e.to_string();
                msg.lines().last().unwrap_or(&msg).trim().to_string()
            })
    }
}

impl VarDecl {
    /// Sets the value pattern.
    pub fn set_pattern(&mut self, text: &str) -> Result<(), String> {
        self.pattern = Some(Pattern::new(text)?);
        Ok(())
    }

    /// The pattern as written.
    pub fn pattern_text(&self) -> &str {
        self.pattern.as_ref().map_or("", |p| p.text.as_str())
    }
}

impl Pattern {
    /// Whether the whole value matches.
    pub fn is_match(&self, v: &str) -> bool {
        self.re.is_match(v)
    }
}

/// A declaration: from `[env.vars.NAME]` or template annotations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VarDecl {
    /// Variable name.
    pub name: String,
    /// Where it must be set.
    pub required: Required,
    /// Type of the value.
    pub ty: Option<VarType>,
    /// Values allowed for `enum`.
    pub values: Vec<String>,
    /// Regex the whole value must match.
    pub pattern: Option<Pattern>,
    /// Minimum length in characters.
    pub min_length: Option<usize>,
    /// Holds a secret (never printed; must not be committed). `None`: decided by its name.
    pub secret: Option<bool>,
    /// Loopback values are fine even in production-like profiles.
    pub allow_loopback: bool,
    /// Free text.
    pub description: Option<String>,
    /// Line of the declaration in its file.
    pub line: usize,
}

/// `[env]`.
#[derive(Debug, Clone, Default)]
pub struct EnvConfig {
    /// Template files (repo-relative); empty: discover `.env.example` & co.
    pub templates: Vec<String>,
    /// More platform-provided names (`*` wildcard).
    pub allow: Vec<String>,
    /// Names that look secret but are public by design.
    pub public: Vec<String>,
    /// Code files to read references from (globs; empty: the defaults).
    pub include: Vec<String>,
    /// Code files to skip, added to the defaults.
    pub exclude: Vec<String>,
    /// Front-end source globs (empty: the defaults).
    pub client_paths: Vec<String>,
    /// Declarations.
    pub vars: Vec<VarDecl>,
    /// Explicitly forbidden names (or `*` patterns) with a reason.
    pub forbid: Vec<(Located<String>, String)>,
}

/// Parses `[env]`.
pub fn parse(doc: &mut Doc, mut t: Tbl) -> EnvConfig {
    let mut env = EnvConfig::default();
    let list = |doc: &mut Doc, t: &mut Tbl, k: &'static str| -> Vec<String> {
        t.strings(doc, k).into_iter().map(|s| s.value).collect()
    };
    env.templates = list(doc, &mut t, "templates");
    env.allow = list(doc, &mut t, "allow");
    env.public = list(doc, &mut t, "public");
    env.include = list(doc, &mut t, "include");
    env.exclude = list(doc, &mut t, "exclude");
    env.client_paths = list(doc, &mut t, "client_paths");
    for g in env
        .include
        .iter()
        .chain(&env.exclude)
        .chain(&env.client_paths)
    {
        if let Err(e) = crate::glob::glob(g) {
            doc.error(t.span, format!("invalid glob `{g}`: {e}"));
        }
    }
    if let Some(mut vars) = t.table(doc, "vars") {
        for (name, value) in vars.drain() {
            let line = doc.line_of(name.span);
            let Some(mut v) = doc.table(value, &format!("`env.vars.{}`", name.value)) else {
                continue;
            };
            let mut decl = VarDecl {
                name: name.value.clone(),
                line,
                ..VarDecl::default()
            };
            if let Some(mut r) = v.take("required") {
                let span = r.span;
                decl.required = match r.take() {
                    ValueInner::Boolean(true) => Required::All,
                    ValueInner::Boolean(false) => Required::No,
                    ValueInner::Array(items) => Required::Profiles(
                        items
                            .iter()
                            .filter_map(|i| i.as_str().map(str::to_string))
                            .collect(),
                    ),
                    _ => {
                        doc.error(span, "`required` must be true, false or a list of profiles");
                        Required::No
                    }
                };
            }
            if let Some(ty) = v.string(doc, "type") {
                match VarType::parse(&ty.value) {
                    Some(t) => decl.ty = Some(t),
                    None => doc.error(
                        ty.span,
                        format!(
                            "unknown type `{}`; expected one of: string, int, port, bool, url, email, enum, hex, base64",
                            ty.value
                        ),
                    ),
                }
            }
            decl.values = v
                .strings(doc, "values")
                .into_iter()
                .map(|s| s.value)
                .collect();
            if decl.ty == Some(VarType::Enum) && decl.values.is_empty() {
                doc.error(
                    name.span,
                    format!("`{}` has type enum but no `values`", name.value),
                );
            }
            if let Some(p) = v.string(doc, "pattern")
                && let Err(e) = decl.set_pattern(&p.value)
            {
                doc.error(p.span, format!("invalid regex: {e}"));
            }
            if let Some(mut m) = v.take("min_length") {
                match m.take() {
                    ValueInner::Integer(i) if i >= 0 => decl.min_length = Some(i as usize),
                    _ => doc.error(m.span, "`min_length` must be a non-negative integer"),
                }
            }
            decl.secret = v.boolean(doc, "secret");
            decl.allow_loopback = v.boolean(doc, "allow_loopback").unwrap_or(false);
            decl.description = v.string(doc, "description").map(|s| s.value);
            v.finish(doc, &format!("[env.vars.{}]", name.value));
            env.vars.push(decl);
        }
        vars.finish(doc, "[env.vars]");
    }
    if let Some(mut forbid) = t.table(doc, "forbid") {
        for (name, mut value) in forbid.drain() {
            let span = value.span;
            let reason = match value.take() {
                ValueInner::String(s) => s.into_owned(),
                _ => {
                    doc.error(span, "each `[env.forbid]` entry is `NAME = \"reason\"`");
                    continue;
                }
            };
            env.forbid.push((doc.spot(name), reason));
        }
        forbid.finish(doc, "[env.forbid]");
    }
    t.finish(doc, "[env]");
    env
}

/// Applies template annotations (`@required`, `@secret`, `@type=url`,
/// `@min_length=64`, `@pattern=…`, `@allow_loopback`, `@values=a|b`) to a declaration.
/// Returns the annotations it did not understand.
pub fn apply_annotations(decl: &mut VarDecl, annotations: &[String]) -> Vec<String> {
    let mut unknown = Vec::new();
    for a in annotations {
        let (k, v) = match a.split_once('=') {
            Some((k, v)) => (k, Some(v)),
            None => (a.as_str(), None),
        };
        match (k, v) {
            ("required", None) => decl.required = Required::All,
            ("required", Some(p)) => {
                decl.required =
                    Required::Profiles(p.split([',', '|']).map(str::to_string).collect())
            }
            ("optional", None) => decl.required = Required::No,
            ("secret", None) => decl.secret = Some(true),
            ("public", None) => decl.secret = Some(false),
            ("allow_loopback", None) => decl.allow_loopback = true,
            ("type", Some(t)) => match VarType::parse(t) {
                Some(t) => decl.ty = Some(t),
                None => unknown.push(a.clone()),
            },
            ("min_length", Some(n)) => match n.parse() {
                Ok(n) => decl.min_length = Some(n),
                Err(_) => unknown.push(a.clone()),
            },
            ("pattern", Some(p)) => {
                if decl.set_pattern(p).is_err() {
                    unknown.push(a.clone());
                }
            }
            ("values", Some(v)) => decl.values = v.split('|').map(str::to_string).collect(),
            _ => unknown.push(a.clone()),
        }
    }
    unknown
}
