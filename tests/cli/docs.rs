//! Docs generated from the rule packs stay in sync.

use crate::support::Tree;

#[test]
fn docs_rules_md_matches_rules_explain_all() {
    let t = Tree::new(&[]);
    let r = t.run(&["rules", "explain", "--all"]);
    assert_eq!(r.code, 0);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        committed == r.stdout,
        "docs/rules.md is stale: run `cargo run -q -- rules explain --all > docs/rules.md`"
    );
}

#[test]
fn readme_documents_the_two_commands_and_exit_codes() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let first_screen: String = readme.lines().take(40).collect::<Vec<_>>().join("\n");
    assert!(
        first_screen.contains("shipgate gate"),
        "README's first screen must show `shipgate gate`"
    );
    assert!(
        first_screen.contains("cargo test"),
        "README's first screen must show the test command"
    );
    for code in ["`0`", "`1`", "`2`", "`3`"] {
        assert!(
            readme.contains(code),
            "README must document exit code {code}"
        );
    }
    let ci = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/.ci/run")).unwrap();
    assert!(
        ci.contains("cargo test --locked"),
        ".ci/run must run the README's test command"
    );
}

/// The long flags `shipgate ARGS --help` lists.
fn help_flags(args: &[&str]) -> Vec<String> {
    let mut a = args.to_vec();
    a.push("--help");
    let r = Tree::new(&[]).run(&a);
    assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
    let mut out = Vec::new();
    for line in r.stdout.lines() {
        let t = line.trim_start();
        let t = t
            .strip_prefix('-')
            .filter(|rest| rest.chars().nth(1) == Some(','))
            .map_or(t, |rest| rest[2..].trim_start());
        if let Some(flag) = t.strip_prefix("--") {
            let name: String = flag
                .chars()
                .take_while(|c| c.is_ascii_lowercase() || *c == '-')
                .collect();
            let name = format!("--{name}");
            if !out.contains(&name) {
                out.push(name);
            }
        }
    }
    out
}

#[test]
fn the_flag_table_in_the_docs_matches_help() {
    const EVERY: &[&str] = &[
        "--config",
        "--color",
        "--quiet",
        "--verbose",
        "--directory",
        "--help",
        "--version",
    ];
    const REPORT: &[&str] = &[
        "--format",
        "--output",
        "--fail-on",
        "--exit-zero",
        "--baseline",
    ];
    let doc = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/docs/configuration.md"
    ))
    .unwrap();
    let table = doc.split("## Command-line flags").nth(1).unwrap();
    let mut documented = Vec::new();
    for row in table.lines().filter(|l| l.starts_with("| `shipgate ")) {
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let command = cells[1]
            .trim_matches('`')
            .strip_prefix("shipgate ")
            .unwrap();
        let args: Vec<&str> = command.split(' ').collect();
        let mut want: Vec<String> = cells[2]
            .split(", ")
            .filter(|c| c.starts_with('`'))
            .map(|c| c.trim_matches('`').to_string())
            .collect();
        if cells[2].contains("report flags") {
            want.extend(REPORT.iter().map(|s| s.to_string()));
        }
        let mut have: Vec<String> = help_flags(&args)
            .into_iter()
            .filter(|f| !EVERY.contains(&f.as_str()))
            .collect();
        want.sort();
        have.sort();
        assert_eq!(
            have, want,
            "`shipgate {command}`: --help and docs/configuration.md disagree"
        );
        for f in &have {
            assert!(
                REPORT.contains(&f.as_str()) || cells[2].contains(&format!("`{f}`")),
                "{command} {f}"
            );
        }
        documented.push(args[0].to_string());
    }
    // Every command of `shipgate --help` has a row.
    let top = Tree::new(&[]).run(&["--help"]).stdout;
    let commands = top
        .split("Commands:")
        .nth(1)
        .unwrap()
        .split("Options:")
        .next()
        .unwrap();
    for line in commands.lines() {
        let Some(name) = line.split_whitespace().next() else {
            continue;
        };
        if name != "help" {
            assert!(
                documented.iter().any(|d| d == name),
                "`shipgate {name}` is not in the flag table"
            );
        }
    }
}

#[test]
fn format_help_lists_every_format() {
    for cmd in [
        &["scan"][..],
        &["env"],
        &["integrity"],
        &["smoke"],
        &["gate"],
        &["release", "check"],
        &["protect", "check"],
    ] {
        let mut a = cmd.to_vec();
        a.push("--help");
        let out = Tree::new(&[]).run(&a).stdout;
        assert!(
            out.contains("text, json, sarif, junit, markdown or github"),
            "{cmd:?}: {out}"
        );
    }
}

/// Replaces every `in N.NNs` timing with `in T`.
fn without_timings(s: &str) -> String {
    let mut out = String::new();
    for line in s.lines() {
        let mut l = line.to_string();
        if let Some(at) = l.rfind(" in ")
            && l[at + 4..].ends_with('s')
            && l[at + 4..l.len() - 1]
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.')
        {
            l.truncate(at);
            l.push_str(" in T");
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

#[test]
fn the_readme_example_is_real_output() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let block = readme
        .split("<!-- example-output:begin -->\n```text\n")
        .nth(1)
        .and_then(|b| b.split("```\n<!-- example-output:end -->").next())
        .expect("README has the example-output block");
    let t = Tree::new(&[
        (
            "package.json",
            r#"{ "name": "orders-api", "main": "src/server.ts", "scripts": { "start": "tsx src/server.ts", "test": "vitest run" } }
"#,
        ),
        (
            "src/server.ts",
            "import express from \"express\";\nimport { stripe } from \"./billing\";\nconst app = express();\napp.get(\"/health\", (_req, res) => res.json({ status: \"ok\" }));\napp.listen(Number(process.env.PORT ?? 3000));\nexport { stripe };\n",
        ),
        (
            "src/billing.ts",
            "export const stripe = { key: process.env.STRIPE_SECRET_KEY, hooks: \"http://localhost:4242/webhooks\" };\n",
        ),
        (".env.example", "PORT=3000\n"),
        (
            ".github/workflows/ci.yml",
            "name: CI\non: [pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: npm ci\n      - run: npm run typecheck --if-present\n      - run: npm test\n",
        ),
    ]);
    let r = t.run(&["gate"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        without_timings(block),
        without_timings(&r.stdout),
        "the README's example output is stale: paste the new output of `shipgate gate` on this fixture"
    );
}
