//! Which sets of values the env stage checks (profile files, `--env-file`,
//! the live process environment), and value validation.

use super::config::{VarDecl, VarType};
use super::dotenv::{self, EnvFile};
use super::names::{production_like, truthiness};
use super::{EnvInputs, EnvRequest, Sink, Template, read_env_file, rules, usage};
use crate::error::Result;
use crate::model::Location;

/// A set of values to check (a profile file, or the process environment).
pub struct ProfileSource {
    /// Profile name (`production`, …).
    pub profile: String,
    /// Repo-relative path, or `<process environment>`.
    pub name: String,
    /// The values.
    pub file: EnvFile,
    /// The live environment (no lines to point at).
    pub is_process: bool,
}

/// Reads a profile file into `out`; an unreadable one makes the stage incomplete.
fn push_file(
    out: &mut Vec<ProfileSource>,
    sink: &mut Sink,
    inputs: &EnvInputs,
    profile: &str,
    path: &str,
) -> bool {
    match read_env_file(&inputs.root.join(path)) {
        Ok(Some(file)) => {
            out.push(ProfileSource {
                profile: profile.to_string(),
                name: path.to_string(),
                file,
                is_process: false,
            });
            true
        }
        Ok(None) => false,
        Err(e) => {
            sink.unreadable(path, &e);
            true
        }
    }
}

/// Every source the request names, or by default every production-like
/// profile file next to the templates.
pub fn sources(
    inputs: &EnvInputs,
    templates: &[Template],
    req: &EnvRequest,
    sink: &mut Sink,
) -> Result<Vec<ProfileSource>> {
    let mut out: Vec<ProfileSource> = Vec::new();
    let mut dirs: Vec<String> = vec![String::new()];
    dirs.extend(
        templates
            .iter()
            .map(|t| t.dir.clone())
            .filter(|d| !d.is_empty()),
    );
    dirs.dedup();
    if let Some(p) = &req.profile
        && req.env_files.is_empty()
    {
        named_profile(inputs, req, p, &dirs, sink, &mut out)?;
    }
    for (abs, shown) in &req.env_files {
        env_file(req, abs, shown, sink, &mut out)?;
    }
    if let Some(vars) = &req.process {
        let mut file = EnvFile::default();
        for (k, v) in vars {
            file.entries.push(dotenv::Entry {
                key: k.clone(),
                value: v.clone(),
                line: 0,
                column: 0,
                annotations: Vec::new(),
            });
        }
        out.push(ProfileSource {
            profile: req.profile.clone().unwrap_or_else(|| "process".into()),
            name: "<process environment>".into(),
            file,
            is_process: true,
        });
    }
    if req.profile.is_none() && req.env_files.is_empty() && req.process.is_none() {
        production_files(inputs, &dirs, sink, &mut out);
    }
    Ok(out)
}

fn join(d: &str, n: &str) -> String {
    if d.is_empty() {
        n.to_string()
    } else {
        format!("{d}/{n}")
    }
}

/// `--profile NAME`: `.env.NAME` at the root and next to each template.
fn named_profile(
    inputs: &EnvInputs,
    req: &EnvRequest,
    p: &str,
    dirs: &[String],
    sink: &mut Sink,
    out: &mut Vec<ProfileSource>,
) -> Result<()> {
    let mut found = false;
    for d in dirs {
        found |= push_file(out, sink, inputs, p, &join(d, &format!(".env.{p}")));
    }
    if found || req.process.is_some() {
        return Ok(());
    }
    if !req.profile_optional {
        return Err(usage(format!(
            "--profile {p}: no .env.{p} found in the repository root or next to a template"
        )));
    }
    sink.push(
        &rules::PROFILE_NOT_CHECKED,
        format!("No .env.{p} in the repository, so the `{p}` profile was not checked here; check the live environment at deploy time with `shipgate env --from-process`"),
        Location::file(format!(".env.{p}")),
        p,
    );
    Ok(())
}

/// `--env-file PATH`: missing is a usage error, unreadable makes the stage incomplete.
fn env_file(
    req: &EnvRequest,
    abs: &std::path::Path,
    shown: &str,
    sink: &mut Sink,
    out: &mut Vec<ProfileSource>,
) -> Result<()> {
    let file = match std::fs::read(abs) {
        Ok(b) => dotenv::parse(&b),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(usage(format!("--env-file {shown}: no such file")));
        }
        Err(e) => {
            sink.unreadable(shown, &e.to_string());
            return Ok(());
        }
    };
    let derived = abs
        .file_name()
        .and_then(|n| n.to_str())
        .and_then(|n| n.strip_prefix(".env."))
        .map(str::to_string);
    out.push(ProfileSource {
        profile: req
            .profile
            .clone()
            .or(derived)
            .unwrap_or_else(|| "production".into()),
        name: shown.to_string(),
        file,
        is_process: false,
    });
    Ok(())
}

/// Default: every production-like profile file present next to the templates.
fn production_files(
    inputs: &EnvInputs,
    dirs: &[String],
    sink: &mut Sink,
    out: &mut Vec<ProfileSource>,
) {
    for d in dirs {
        let Ok(entries) = std::fs::read_dir(inputs.root.join(d)) else {
            continue;
        };
        let mut found: Vec<String> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().to_str().map(str::to_string))
            .filter(|n| n.strip_prefix(".env.").is_some_and(production_like))
            .collect();
        found.sort();
        for n in found {
            let profile = n.trim_start_matches(".env.").to_string();
            push_file(out, sink, inputs, &profile, &join(d, &n));
        }
    }
}

/// A value shortened for a message.
pub fn shorten(v: &str) -> String {
    if v.chars().count() > 40 {
        format!("{}…", v.chars().take(40).collect::<String>())
    } else {
        v.to_string()
    }
}

/// Why `v` does not satisfy `d`, or `None` when it does.
pub fn invalid(d: &VarDecl, v: &str) -> Option<String> {
    if let Some(min) = d.min_length
        && v.chars().count() < min
    {
        return Some(format!(
            "is {} characters; at least {min} required",
            v.chars().count()
        ));
    }
    if let Some(ty) = &d.ty {
        let ok = match ty {
            VarType::String => true,
            VarType::Int => v.parse::<i64>().is_ok(),
            VarType::Port => v.parse::<u16>().is_ok_and(|p| p > 0),
            VarType::Bool => truthiness(v).is_some(),
            VarType::Url => v.split_once("://").is_some_and(|(s, rest)| {
                !s.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
                    && !rest.is_empty()
            }),
            VarType::Email => v
                .split_once('@')
                .is_some_and(|(a, b)| !a.is_empty() && b.contains('.') && !v.contains(' ')),
            VarType::Enum => d.values.iter().any(|x| x == v),
            VarType::Hex => v.bytes().all(|b| b.is_ascii_hexdigit()),
            VarType::Base64 => v
                .trim_end_matches('=')
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/-_".contains(&b)),
        };
        if !ok {
            let extra = if *ty == VarType::Enum {
                format!(" ({})", d.values.join(", "))
            } else {
                String::new()
            };
            return Some(format!("is not a valid {}{extra}", ty.as_str()));
        }
    }
    if let Some(p) = &d.pattern
        && !p.is_match(v)
    {
        return Some(format!("does not match the pattern `{}`", d.pattern_text()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn validate(d: &VarDecl, v: &str) -> std::result::Result<(), String> {
        invalid(d, v).map_or(Ok(()), Err)
    }

    #[test]
    fn validates_declarations() {
        let d = VarDecl {
            name: "SESSION_SECRET".into(),
            ty: Some(VarType::Hex),
            min_length: Some(64),
            ..VarDecl::default()
        };
        assert!(validate(&d, &"ab".repeat(32)).is_ok());
        assert!(
            validate(&d, &"ab".repeat(16))
                .unwrap_err()
                .contains("at least 64")
        );
        assert!(
            validate(&d, &"zz".repeat(32))
                .unwrap_err()
                .contains("not a valid hex")
        );
        let port = VarDecl {
            ty: Some(VarType::Port),
            ..VarDecl::default()
        };
        assert!(validate(&port, "3000").is_ok());
        assert!(validate(&port, "0").is_err());
        assert!(validate(&port, "70000").is_err());
        let url = VarDecl {
            ty: Some(VarType::Url),
            ..VarDecl::default()
        };
        assert!(validate(&url, "https://api.example.com").is_ok());
        assert!(validate(&url, "api.example.com").is_err());
        let e = VarDecl {
            ty: Some(VarType::Enum),
            values: vec!["a".into(), "b".into()],
            ..VarDecl::default()
        };
        assert!(validate(&e, "c").unwrap_err().contains("(a, b)"));
        let b = VarDecl {
            ty: Some(VarType::Bool),
            ..VarDecl::default()
        };
        assert!(validate(&b, "maybe").is_err());
        let mut p = VarDecl::default();
        p.set_pattern("sk_(live|test)_[0-9a-zA-Z]+").unwrap();
        assert!(validate(&p, "sk_live_abc").is_ok());
        assert!(validate(&p, "pk_live_abc").is_err());
    }
}
