//! `shipgate rules list|explain|test`: every rule any stage emits — the rule
//! packs' and the registry's (env, smoke, protect, commands, release, …).

use super::{Ctx, ListFormat, RulesCommand};
use crate::error::{Error, Exit, Result};
use crate::rules::{self, Ruleset};

/// Dispatches `shipgate rules …`.
pub fn run(ctx: &Ctx, cmd: &RulesCommand) -> Result<Exit> {
    if let RulesCommand::Test { packs } = cmd
        && !packs.is_empty()
    {
        let files: Vec<_> = packs.iter().map(|p| ctx.path(p)).collect();
        let specs = rules::load_pack_files(&files, &|p| crate::gate::display_path(&ctx.cwd, p))?;
        let scopes = crate::gate::scope_globs(&crate::config::Config::defaults());
        let ruleset =
            Ruleset::compile(specs, &scopes, &rules::NoOverrides).map_err(Error::Usage)?;
        return Ok(test_rules(&ruleset));
    }
    let setup = super::gate::setup(ctx, &ctx.root())?;
    match cmd {
        RulesCommand::List { format } => {
            let ruleset = setup.compile()?;
            print!("{}", list(&ruleset, *format));
            Ok(Exit::Pass)
        }
        RulesCommand::Explain { id, all } => {
            if *all {
                print!("{}", rules::builtin_reference(&setup.rules));
                return Ok(Exit::Pass);
            }
            let id = id.as_deref().unwrap_or_default();
            if let Some(r) = setup.rules.iter().find(|r| r.id == id) {
                print!("{}", rules::explain(r));
            } else if let Some(m) = crate::registry::get(id) {
                print!("{}", rules::explain_meta(m));
            } else {
                return Err(Error::usage(format!(
                    "unknown rule `{id}` (see `shipgate rules list`)"
                )));
            }
            Ok(Exit::Pass)
        }
        RulesCommand::Test { .. } => {
            let ruleset = Ruleset::compile(
                setup.rules.clone(),
                &crate::gate::scope_globs(&setup.config),
                &rules::NoOverrides,
            )
            .map_err(Error::Usage)?;
            Ok(test_rules(&ruleset))
        }
    }
}

fn list(ruleset: &Ruleset, format: ListFormat) -> String {
    let stage_rules: Vec<(&str, &crate::model::RuleMeta)> = crate::registry::by_stage().collect();
    if format == ListFormat::Json {
        let mut list: Vec<serde_json::Value> = ruleset
            .rules
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.spec.id, "title": r.spec.title, "severity": r.severity,
                    "stage": "scan", "scope": r.spec.scope.as_str(), "secret": r.spec.secret,
                    "pattern": r.spec.pattern, "keywords": r.spec.keywords,
                    "origin": r.spec.origin,
                })
            })
            .collect();
        list.extend(stage_rules.iter().map(|(stage, m)| {
            serde_json::json!({
                "id": m.id, "title": m.title, "severity": m.severity,
                "stage": stage, "security": m.security, "origin": "built-in",
            })
        }));
        let mut out = serde_json::to_string_pretty(&list).unwrap_or_default();
        out.push('\n');
        return out;
    }
    let w = ruleset
        .rules
        .iter()
        .map(|r| r.spec.id.len())
        .chain(stage_rules.iter().map(|(_, m)| m.id.len()))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for r in &ruleset.rules {
        out.push_str(&format!(
            "{:w$}  {:7}  {:10}  {}\n",
            r.spec.id,
            r.severity.as_str(),
            r.spec.scope.as_str(),
            r.spec.title
        ));
    }
    for (stage, m) in &stage_rules {
        out.push_str(&format!(
            "{:w$}  {:7}  {:10}  {}\n",
            m.id,
            m.severity.as_str(),
            format!("[{stage}]"),
            m.title
        ));
    }
    out
}

fn test_rules(ruleset: &Ruleset) -> Exit {
    let (run, failures) = rules::test_examples(ruleset);
    for f in &failures {
        let expect = if f.kind == "match" {
            "expected a match, found none"
        } else {
            "expected no match, found one"
        };
        let path = f
            .path
            .as_deref()
            .map(|p| format!(" (path {p})"))
            .unwrap_or_default();
        println!(
            "FAIL {} {} examples.{}[{}]{path}: {expect}",
            f.origin, f.rule, f.kind, f.index
        );
    }
    println!(
        "{} rules, {} examples: {} passed, {} failed",
        ruleset.rules.len(),
        run,
        run - failures.len(),
        failures.len()
    );
    if failures.is_empty() {
        Exit::Pass
    } else {
        Exit::Fail
    }
}
