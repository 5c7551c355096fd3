//! package.json scripts: missing files (and build outputs that make them exist), nested
//! commands, references to other scripts.

use super::*;

#[test]
fn missing_script_file_warns_at_the_value_position() {
    let r = run(&[("package.json", VITE_PACKAGE), ("scripts/ops/other.sh", "")]);
    let m = of(&r, MISSING_SCRIPT_FILE);
    assert_eq!(m.len(), 2, "{m:#?}");
    let audit = m
        .iter()
        .find(|i| i.message.contains("security_posture_audit"))
        .unwrap();
    assert_eq!(audit.severity, Severity::Warning);
    assert_eq!((audit.line, audit.column), (9, 23));
    let harden = m
        .iter()
        .find(|i| i.message.contains("harden-local-edge-runtime"))
        .unwrap();
    assert_eq!((harden.line, harden.column), (10, 24));
}

#[test]
fn existing_script_file_is_fine() {
    let r = run(&[
        ("package.json", VITE_PACKAGE),
        ("scripts/security_posture_audit.mjs", "console.log(1)"),
        ("scripts/ops/harden-local-edge-runtime.sh", "#!/bin/sh"),
    ]);
    assert!(of(&r, MISSING_SCRIPT_FILE).is_empty(), "{:#?}", r.issues);
}

#[test]
fn node_dist_main_built_by_tsc_is_fine() {
    let pkg =
        r#"{"scripts":{"build":"tsc -p tsconfig.build.json","start:prod":"node dist/main.js"}}"#;
    let tsconfig = "{\n  // JSONC\n  \"extends\": \"./tsconfig.json\",\n}";
    let base =
        "{ \"compilerOptions\": { \"outDir\": \"./dist\", /* c */ \"target\": \"es2021\", }, }";
    let r = run(&[
        ("api/package.json", pkg),
        ("api/tsconfig.build.json", tsconfig),
        ("api/tsconfig.json", base),
        ("api/src/main.ts", ""),
    ]);
    assert!(of(&r, MISSING_SCRIPT_FILE).is_empty(), "{:#?}", r.issues);
    // The plain `"build": "tsc"` reading tsconfig.json.
    let r = run(&[
        (
            "package.json",
            r#"{"scripts":{"build":"tsc","start":"node dist/main.js"}}"#,
        ),
        (
            "tsconfig.json",
            "{\n  \"compilerOptions\": {\n    \"outDir\": \"dist\", // emitted JS\n  }\n}",
        ),
        ("src/main.ts", ""),
    ]);
    assert!(of(&r, MISSING_SCRIPT_FILE).is_empty(), "{:#?}", r.issues);
    // Without the build script the same start script is a finding.
    let r = run(&[
        (
            "api/package.json",
            r#"{"scripts":{"start:prod":"node dist/main.js"}}"#,
        ),
        ("api/src/main.ts", ""),
    ]);
    let m = of(&r, MISSING_SCRIPT_FILE);
    assert_eq!(m.len(), 1);
    assert!(m[0].message.contains("api/dist/main.js"));
}

#[test]
fn build_output_variants() {
    // nest build with default dist, gitignored out/ without a build, esbuild --outfile.
    let pkg = r#"{"scripts":{
      "build":"nest build", "start":"node dist/main",
      "bundle":"esbuild src/cli.ts --bundle --outfile=bin/cli.cjs", "cli":"node bin/cli.cjs",
      "report":"node out/report.js",
      "gen":"node generated/run.js"}}"#;
    let r = run(&[
        ("package.json", pkg),
        (".gitignore", "node_modules\n/out/\ngenerated\n"),
        ("src/main.ts", ""),
    ]);
    let m = of(&r, MISSING_SCRIPT_FILE);
    assert_eq!(m.len(), 1, "{m:#?}");
    // generated/ is ignored but not a build dir: a note, not a warning.
    assert_eq!(m[0].severity, Severity::Note);
    assert!(m[0].message.contains("generated/run.js"));
}

#[test]
fn tsc_without_out_dir_emits_in_place() {
    let pkg = r#"{"scripts":{"build":"tsc","start":"node server.js"}}"#;
    let r = run(&[
        ("package.json", pkg),
        ("server.ts", ""),
        ("tsconfig.json", "{}"),
    ]);
    assert!(of(&r, MISSING_SCRIPT_FILE).is_empty(), "{:#?}", r.issues);
}

#[test]
fn concurrently_and_sh_c_are_followed() {
    let pkg = r#"{"scripts":{"dev":"concurrently -n api,web \"node api/server.js\" \"npm:web\"","web":"vite","boot":"sh -c 'cd tools && node gen.js'"}}"#;
    let r = run(&[("package.json", pkg), ("tools/other.js", "")]);
    let m = of(&r, MISSING_SCRIPT_FILE);
    let msgs: Vec<&str> = m.iter().map(|i| i.message.as_str()).collect();
    assert_eq!(m.len(), 2, "{msgs:#?}");
    assert!(msgs.iter().any(|x| x.contains("api/server.js")));
    assert!(msgs.iter().any(|x| x.contains("tools/gen.js")));
}

#[test]
fn script_references_inside_package_json() {
    let pkg = r#"{"scripts":{
      "ci": "npm run lint && npm run typecheck",
      "lint": "eslint .",
      "all": "run-s lint build:* test --print-label",
      "opt": "npm run docs --if-present",
      "sub": "cd web && npm run build"}}"#;
    let r = run(&[
        ("package.json", pkg),
        ("web/package.json", r#"{"scripts":{"build":"vite build"}}"#),
    ]);
    let u = of(&r, UNKNOWN_COMMAND);
    let msgs: Vec<&str> = u.iter().map(|i| i.message.as_str()).collect();
    assert_eq!(u.len(), 2, "{msgs:#?}");
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("script `ci`") && m.contains("`typecheck`"))
    );
    assert!(
        msgs.iter()
            .any(|m| m.starts_with("script `all`") && m.contains("`test`"))
    );
    assert_eq!((u[0].line, u[0].column), (2, 13));
    let ip = of(&r, IF_PRESENT_MISSING);
    assert_eq!(ip.len(), 1);
    assert_eq!(ip[0].severity, Severity::Warning);
}
