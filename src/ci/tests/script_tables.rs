//! The script tables: package.json positions and escapes, Makefile targets, justfile recipes,
//! .gitignore matching, nearest package.json.

use super::*;

#[test]
fn package_json_positions_and_escapes() {
    let text = "{\n  \"name\": \"x\",\n  \"scripts\": {\n    \"a\": \"echo \\\"hi\\\" && node s\\u00e9.js\",\n    \"b\": \"x\", \"a\": \"node last.js\"\n  },\n  \"dependencies\": {\"typescript\": \"5\"}\n}";
    let p = scripts::parse_package_json("pkg/package.json", text);
    assert_eq!(p.dir, "pkg");
    assert_eq!(p.scripts.len(), 2);
    let b = p.script("b").unwrap();
    assert_eq!(
        (b.key_line, b.key_column, b.value_line, b.value_column),
        (5, 5, 5, 10)
    );
    assert_eq!(p.script("a").unwrap().command, "node last.js");
    assert!(p.may_provide_bin("tsc"));
    let q = scripts::parse_package_json(
        "package.json",
        "{\"scripts\": {\"a\": \"echo \\\"hi\\\" && node s\\u00e9.js\"}}",
    );
    let a = q.script("a").unwrap();
    assert_eq!(a.command, "echo \"hi\" && node sé.js");
    let cs = shell::parse(
        &a.command,
        &a.map,
        &ShellOptions::package_script(Some(String::new())),
    );
    // `node` sits after two escaped quotes: source column accounts for the backslashes.
    assert_eq!((cs[1].line, cs[1].column), (1, 35));
    let bad = scripts::parse_package_json("package.json", "{\"scripts\": {");
    assert!(bad.parse_error.is_some() && bad.scripts.is_empty());
}

#[test]
fn makefile_and_justfile_tables() {
    let mk = "include common.mk\n-include missing.mk\nVERSION := 1.0\nCC ?= gcc\n.PHONY: all test lint\nall: build\n\nbuild test: deps\n\t@echo $(VERSION)\n\tnpm test\n%.o: %.c\n\tcc -c $<\ndefine BODY\nfake: target\nendef\n";
    let t = scripts::make_targets(mk, "", &|p| {
        (p == "common.mk").then(|| "lint:\n\teslint .\n".to_string())
    });
    assert_eq!(t.has("build"), Some(true));
    assert_eq!(t.has("test"), Some(true));
    assert_eq!(t.has("lint"), Some(true));
    assert_eq!(t.has("main.o"), Some(true));
    assert_eq!(t.has("fake"), Some(false));
    assert_eq!(t.has("VERSION"), Some(false));
    assert_eq!(t.has("deploy"), Some(false));
    let dynamic = scripts::make_targets("$(TARGETS):\n\techo\n", "", &|_| None);
    assert_eq!(dynamic.has("x"), None);
    let j = scripts::just_recipes(
        "set shell := [\"bash\", \"-c\"]\nversion := \"1\"\n# test\ndefault:\n  just --list\n@lint *args:\n  eslint .\ntest target=\"a:b\": lint\n  vitest\nalias t := test\n[private]\nhelper:\n  true\n",
    );
    assert_eq!(j.has("lint"), Some(true));
    assert_eq!(j.has("test"), Some(true));
    assert_eq!(j.has("t"), Some(true));
    assert_eq!(j.has("helper"), Some(true));
    assert_eq!(j.has("version"), Some(false));
    assert_eq!(j.has("shell"), Some(false));
}

#[test]
fn gitignore_matching() {
    let g = scripts::parse_gitignore(
        ".gitignore",
        "# c\n/dist\nbuild/\n*.log\n!keep.log\napps/*/out\n",
    );
    assert!(g.ignores("dist/main.js"));
    assert!(!g.ignores("api/dist/main.js"));
    assert!(g.ignores("api/build/x.js"));
    assert!(!g.ignores("build"));
    assert!(g.ignores("a/b.log"));
    assert!(!g.ignores("keep.log"));
    assert!(g.ignores("apps/web/out/r.js"));
    let sub = scripts::parse_gitignore("api/.gitignore", "dist\n");
    assert!(sub.ignores("api/dist/main.js"));
    assert!(!sub.ignores("dist/main.js"));
}

#[test]
fn package_at_walks_up() {
    let files: Vec<String> = ["package.json", "apps/web/package.json", "apps/web/src/x.ts"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        package_at(&files, "apps/web/src").as_deref(),
        Some("apps/web/package.json")
    );
    assert_eq!(
        package_at(&files, "apps/api").as_deref(),
        Some("package.json")
    );
    assert_eq!(package_at(&files[1..], "lib"), None);
}
