//! File selection: .gitignore, --tracked, binary and large files, symlinks,
//! unreadable files, path arguments.

use crate::support::{Tree, active, bin, git};
use std::process::Command;

const URL_LINE: &str = "export const API = \"http://localhost:3000\";\n";

#[test]
fn tree_honours_gitignore_and_tracked_scans_exactly_the_tracked_files() {
    let t = Tree::git(&[
        (".gitignore", "generated/\n"),
        ("src/a.ts", URL_LINE),
        ("generated/b.ts", URL_LINE),
        ("src/untracked.ts", URL_LINE),
    ]);
    git(t.path(), &["add", ".gitignore", "src/a.ts"]);
    git(t.path(), &["add", "-f", "generated/b.ts"]);
    git(t.path(), &["commit", "-qm", "init"]);
    let (_, report) = t.scan_json(&[]);
    let mut got = active(&report);
    got.sort();
    assert_eq!(
        got,
        vec![
            "localhost/hardcoded-url@src/a.ts:1:21",
            "localhost/hardcoded-url@src/untracked.ts:1:21"
        ]
    );
    let (_, report) = t.scan_json(&["--tracked"]);
    let mut got = active(&report);
    got.sort();
    assert_eq!(
        got,
        vec![
            "localhost/hardcoded-url@generated/b.ts:1:21",
            "localhost/hardcoded-url@src/a.ts:1:21"
        ],
        "tracked files are scanned even when ignored; untracked ones are not"
    );
    // A tracked file deleted from the work tree is scanned from the index:
    // the committed content is what ships, and it must not pass unscanned.
    std::fs::remove_file(t.path().join("src/a.ts")).unwrap();
    let (code, report) = t.scan_json(&["--tracked"]);
    assert_eq!(code, 1);
    let mut got = active(&report);
    got.sort();
    assert_eq!(
        got,
        vec![
            "localhost/hardcoded-url@generated/b.ts:1:21",
            "localhost/hardcoded-url@src/a.ts:1:21"
        ]
    );
}

#[test]
fn large_files_and_stray_nuls_are_scanned_binaries_are_skipped() {
    let t = Tree::new(&[
        ("src/a.ts", URL_LINE),
        ("shipgate.toml", "[scan]\nmax_file_size = \"1KB\"\n"),
    ]);
    // A text file with one stray NUL byte is text: it is scanned.
    let mut stray = b"\x00\x01not binary\n".to_vec();
    stray.extend_from_slice(URL_LINE.as_bytes());
    std::fs::write(t.path().join("src/blob.js"), stray).unwrap();
    // A real binary (PNG magic, NUL bytes) is skipped and counted.
    let mut png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR".to_vec();
    png.extend_from_slice(URL_LINE.as_bytes());
    std::fs::write(t.path().join("src/logo.js"), png).unwrap();
    // A file over max_file_size is scanned in windows, every line of it.
    let big = URL_LINE.repeat(100);
    t.write("src/big.ts", &big);
    let (_, report) = t.scan_json(&[]);
    let got = active(&report);
    assert!(got.contains(&"localhost/hardcoded-url@src/a.ts:1:21".to_string()));
    assert!(
        got.contains(&"localhost/hardcoded-url@src/blob.js:2:21".to_string()),
        "{got:?}"
    );
    for line in 1..=100 {
        assert!(
            got.contains(&format!("localhost/hardcoded-url@src/big.ts:{line}:21")),
            "line {line} of the large file: {got:?}"
        );
    }
    assert_eq!(got.len(), 102, "{got:?}");
    let stats = &report["stages"][0]["stats"];
    assert_eq!(stats["files_skipped_binary"], 1);
    assert_eq!(stats["files_large_windowed"], 1);
}

#[test]
fn non_utf8_files_are_read_lossily() {
    let t = Tree::new(&[]);
    let mut content = b"const a = '\xff\xfe caf\xe9';\n".to_vec();
    content.extend_from_slice(URL_LINE.as_bytes());
    std::fs::create_dir_all(t.path().join("src")).unwrap();
    std::fs::write(t.path().join("src/latin1.ts"), content).unwrap();
    let (_, report) = t.scan_json(&[]);
    assert_eq!(
        active(&report),
        vec!["localhost/hardcoded-url@src/latin1.ts:2:21"]
    );
}

#[cfg(unix)]
#[test]
fn symlinks_are_not_followed_out_of_the_repo() {
    let outside = Tree::new(&[("secret/a.ts", URL_LINE)]);
    let t = Tree::new(&[("src/ok.ts", "export const A = 1;\n")]);
    std::os::unix::fs::symlink(outside.path().join("secret"), t.path().join("src/linked")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("secret/a.ts"),
        t.path().join("src/file.ts"),
    )
    .unwrap();
    let (code, report) = t.scan_json(&[]);
    assert_eq!(code, 0, "{report:#}");
    assert!(active(&report).is_empty());
}

#[test]
fn path_arguments_limit_the_scan() {
    let t = Tree::new(&[("src/a.ts", URL_LINE), ("lib/b.ts", URL_LINE)]);
    let (_, report) = t.scan_json(&["lib"]);
    assert_eq!(
        active(&report),
        vec!["localhost/hardcoded-url@lib/b.ts:1:21"]
    );
    let r = t.run(&["scan", "nope"]);
    assert_eq!(r.code, 2);
}

#[test]
fn a_path_in_another_repository_is_scanned_with_that_root() {
    let here = Tree::git(&[("src/ok.ts", "export const A = 1;\n")]);
    let other = Tree::git(&[("lib/b.ts", URL_LINE)]);
    let plain = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(plain.path().join("x")).unwrap();
    std::fs::write(plain.path().join("x/c.ts"), URL_LINE).unwrap();
    let r = here.run(&["scan", "--format", "json", other.path().to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        active(&r.json()),
        vec!["localhost/hardcoded-url@lib/b.ts:1:21"]
    );
    let r = here.run(&[
        "scan",
        "--format",
        "json",
        other.path().join("lib").to_str().unwrap(),
    ]);
    assert_eq!(
        active(&r.json()),
        vec!["localhost/hardcoded-url@lib/b.ts:1:21"]
    );
    // A path in no repository scans as a plain tree rooted at it.
    let r = here.run(&["scan", "--format", "json", plain.path().to_str().unwrap()]);
    assert_eq!(
        active(&r.json()),
        vec!["localhost/hardcoded-url@x/c.ts:1:21"]
    );
}

/// Root can read a mode-000 file, so the binary runs as `nobody` via setpriv.
#[cfg(unix)]
#[test]
fn unreadable_file_makes_the_scan_incomplete() {
    use std::os::unix::fs::PermissionsExt;
    let t = Tree::new(&[
        ("src/a.ts", "export const A = 1;\n"),
        ("src/locked.ts", URL_LINE),
    ]);
    let perm = |p: &std::path::Path, m: u32| {
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap()
    };
    perm(t.path(), 0o755);
    for d in ["src", ".git"] {
        perm(&t.path().join(d), 0o755);
    }
    perm(&t.path().join("src/a.ts"), 0o644);
    perm(&t.path().join("src/locked.ts"), 0o000);
    let as_root = is_root();
    let mut cmd = if as_root {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups", "--"]);
        c.arg(bin());
        c
    } else {
        Command::new(bin())
    };
    cmd.current_dir(t.path())
        .args(["scan", "--format", "json"])
        .env("NO_COLOR", "1");
    let out = match cmd.output() {
        Ok(o) => o,
        Err(e) if as_root => {
            eprintln!("skipping: setpriv unavailable ({e})");
            return;
        }
        Err(e) => panic!("{e}"),
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    if as_root && stdout.is_empty() {
        // the binary itself is not reachable by `nobody` (e.g. a 0700 target dir)
        eprintln!("skipping: {}", String::from_utf8_lossy(&out.stderr));
        return;
    }
    assert_eq!(out.status.code(), Some(3), "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["verdict"], "incomplete");
    assert_eq!(report["stages"][0]["status"], "errored");
    assert!(
        report["stages"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("src/locked.ts")
    );
    assert_eq!(
        report["stages"][0]["findings"][0]["rule"],
        "scan/unreadable-file"
    );
    perm(&t.path().join("src/locked.ts"), 0o644);
}

fn is_root() -> bool {
    // `id -u` instead of libc to keep the tests free of unsafe code
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}
