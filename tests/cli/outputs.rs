//! Output plumbing: --output files, JSON layout, color, quiet/verbose.

use crate::support::Tree;

#[test]
fn outputs_are_written_and_json_is_versioned() {
    let t = Tree::new(&[("src/a.ts", "export const A = \"http://localhost:3000\";\n")]);
    let r = t.run(&[
        "scan",
        "--output",
        "json=out/r.json",
        "--output",
        "text=out/r.txt",
        "--color",
        "always",
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("\x1b[1;31merror"),
        "--color always colors stdout"
    );
    let txt = std::fs::read_to_string(t.path().join("out/r.txt")).unwrap();
    assert!(!txt.contains('\x1b'), "files are never colored");
    assert!(txt.contains("localhost/hardcoded-url"));
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(t.path().join("out/r.json")).unwrap())
            .unwrap();
    assert_eq!(j["schema_version"], 1);
    assert_eq!(j["tool"]["name"], "shipgate");
    assert_eq!(j["fail_on"], "error");
    let f = &j["stages"][0]["findings"][0];
    for key in [
        "rule",
        "title",
        "severity",
        "message",
        "help",
        "location",
        "snippet",
        "fingerprint",
    ] {
        assert!(!f[key].is_null(), "finding has `{key}`: {f:#}");
    }
    assert_eq!(f["location"]["kind"], "file");
    assert_eq!(f["location"]["end_column"], 40);
    assert_eq!(f["snippet"]["highlight_start"], 19);
    let r = t.run(&["scan", "--output", "html=x.html"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("unknown format `html`"), "{}", r.stderr);
}

#[test]
fn json_output_is_deterministic() {
    let files: Vec<(String, String)> = (0..40)
        .map(|i| {
            (
                format!("src/m{i}/a.ts"),
                format!("export const A{i} = \"http://localhost:{}\";\n", 3000 + i),
            )
        })
        .collect();
    let refs: Vec<(&str, &str)> = files
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let t = Tree::new(&refs);
    let strip = |mut v: serde_json::Value| {
        v["duration_ms"] = 0.into();
        v["stages"][0]["duration_ms"] = 0.into();
        v
    };
    let (_, a) = t.scan_json(&[]);
    let (_, b) = t.scan_json(&[]);
    assert_eq!(strip(a.clone()), strip(b));
    let paths: Vec<&str> = a["stages"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["location"]["path"].as_str().unwrap())
        .collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
}

#[test]
fn quiet_and_verbose() {
    let t = Tree::new(&[(
        "src/a.ts",
        "// shipgate:allow localhost/* -- dev only\nexport const A = \"http://localhost:3000\";\nexport const B = \"http://localhost:3001\";\n",
    )]);
    let q = t.run(&["scan", "-q"]);
    assert!(!q.stdout.contains("help:"), "{}", q.stdout);
    assert!(q.stdout.contains("src/a.ts:3:19"));
    let v = t.run(&["scan", "-v"]);
    assert!(
        v.stdout.contains("suppressed (inline): dev only"),
        "{}",
        v.stdout
    );
    assert!(v.stdout.contains("fingerprint:"));
    assert!(v.stdout.contains("files_scanned=1"));
    let n = t.run(&["scan"]);
    assert!(
        !n.stdout.contains("src/a.ts:2:19"),
        "suppressed findings hidden by default"
    );
}

#[test]
fn one_run_writes_every_format_and_the_step_summary() {
    let t = Tree::new(&[("src/a.ts", "export const A = \"http://localhost:3000\";\n")]);
    let summary = t.path().join("summary.md");
    std::fs::write(&summary, "previous step\n").unwrap();
    let out = std::process::Command::new(crate::support::bin())
        .current_dir(t.path())
        .args([
            "gate",
            "--format",
            "github",
            "--output",
            "sarif=o/r.sarif",
            "--output",
            "junit=o/r.xml",
            "--output",
            "markdown=o/r.md",
            "--output",
            "json=o/r.json",
        ])
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("GITHUB_REPOSITORY", "acme/shop")
        .env("GITHUB_SERVER_URL", "https://github.example.com")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.starts_with("::error file=src/a.ts,line=1,"),
        "{stdout}"
    );
    for f in ["o/r.sarif", "o/r.xml", "o/r.md", "o/r.json"] {
        assert!(t.path().join(f).is_file(), "{f} written");
    }
    let s = std::fs::read_to_string(&summary).unwrap();
    assert!(
        s.starts_with("previous step\n## shipgate: ❌ FAIL"),
        "appended: {s}"
    );
    let j: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(t.path().join("o/r.json")).unwrap()).unwrap();
    assert_eq!(j["repository_url"], "https://github.example.com/acme/shop");
    let xml = std::fs::read_to_string(t.path().join("o/r.xml")).unwrap();
    assert!(xml.contains("<testsuite name=\"scan\""));
    assert!(xml.contains("<testsuite name=\"env\""));
    assert!(xml.contains("name=\"localhost/hardcoded-url\""));
}

#[test]
fn github_actions_logs_get_one_group_per_stage() {
    let t = Tree::new(&[("src/a.ts", "export const A = 1;\n")]);
    let out = std::process::Command::new(crate::support::bin())
        .current_dir(t.path())
        .args(["gate", "--publish", "none"])
        .env("GITHUB_ACTIONS", "true")
        .env_remove("GITHUB_STEP_SUMMARY")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("::group::shipgate scan passed"), "{stderr}");
    assert!(stderr.contains("::group::shipgate env passed"), "{stderr}");
    assert_eq!(
        stderr.matches("::group::").count(),
        stderr.matches("::endgroup::").count()
    );
    let quiet = std::process::Command::new(crate::support::bin())
        .current_dir(t.path())
        .args(["gate", "-q", "--publish", "none"])
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&quiet.stderr).contains("::group::"));
}
