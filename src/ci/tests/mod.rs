//! Fixture tests shaped like the real cases (PR workflows with `--if-present`, masked
//! `supabase db lint`, missing script files, build output, block scalars, matrices).
#![allow(clippy::unwrap_used)]

use std::collections::HashMap;

use super::invocation::{self, CheckKind, Invocation, Manager, ScriptDir};
use super::pos::PosMap;
use super::rules::{
    IF_PRESENT_MISSING, MASKED_FAILURE, MISSING_SCRIPT_FILE, UNKNOWN_COMMAND, WORKFLOW_PARSE,
};
use super::scripts;
use super::shell::{self, Guard, Op, ShellOptions};
use super::workflow;
use super::*;

mod docs;
mod fuzz;
mod invocations;
mod noop_jobs;
mod package_scripts;
mod script_tables;
mod shell_parser;
mod workflow_parse;
mod workflow_rules;

fn run(files: &[(&str, &str)]) -> Report {
    let list: Vec<String> = files.iter().map(|(p, _)| p.to_string()).collect();
    let map: HashMap<String, Vec<u8>> = files
        .iter()
        .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
        .collect();
    let read = move |p: &str| map.get(p).cloned();
    check(&Repo {
        files: &list,
        read: &read,
    })
}

fn of<'a>(r: &'a Report, rule: &str) -> Vec<&'a Issue> {
    r.issues.iter().filter(|i| i.rule == rule).collect()
}

fn sh(text: &str) -> Vec<shell::Command> {
    shell::parse(
        text,
        &PosMap::verbatim(text, 1, 1, 1),
        &ShellOptions::github_default(Some(String::new())),
    )
}

fn sh_pkg(text: &str) -> Vec<shell::Command> {
    shell::parse(
        text,
        &PosMap::verbatim(text, 1, 1, 1),
        &ShellOptions::package_script(Some(String::new())),
    )
}

fn words(c: &shell::Command) -> Vec<&str> {
    c.words.iter().map(|w| w.text.as_str()).collect()
}

const PR_WORKFLOW: &str = "name: PR checks
on:
  pull_request:
    branches: [main]
  push:
    branches: [main]
jobs:
  verify:
    name: Verify
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-node@v4
        with:
          node-version: 20
          cache: npm
      - run: npm ci
      - name: Typecheck
        run: npm run typecheck --if-present
      - name: Lint
        run: npm run lint --if-present
      - name: E2E
        run: npm run test:e2e --if-present
      - name: Build
        run: npm run build
      - name: Supabase lint
        run: npx supabase db lint || echo \"supabase db lint skipped or unavailable\"
";

const VITE_PACKAGE: &str = r#"{
  "name": "pet-huddle",
  "private": true,
  "scripts": {
    "dev": "vite",
    "build": "vite build",
    "lint": "eslint .",
    "preview": "vite preview",
    "audit:security": "node scripts/security_posture_audit.mjs",
    "ops:edge:harden": "bash scripts/ops/harden-local-edge-runtime.sh"
  },
  "devDependencies": { "vite": "^5.0.0", "eslint": "^9.0.0" }
}
"#;
