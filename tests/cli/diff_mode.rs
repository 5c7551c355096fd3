//! Diff mode in real git repositories: only added lines are reported.

use crate::support::{Tree, active, git};

const OLD: &str = "export const OLD = \"http://localhost:3000\";\n";
const NEW: &str = "export const NEW = \"http://localhost:4000\";\n";

fn repo() -> Tree {
    let t = Tree::git(&[
        ("src/a.ts", OLD),
        ("src/keep.ts", OLD),
        ("src/gone.ts", OLD),
    ]);
    t.commit_all("base");
    git(t.path(), &["branch", "base"]);
    t
}

#[test]
fn diff_since_base_reports_only_added_lines() {
    let t = repo();
    t.write("src/a.ts", &format!("{OLD}{NEW}"));
    t.write("src/b.ts", NEW);
    std::fs::remove_file(t.path().join("src/gone.ts")).unwrap();
    t.commit_all("change");
    let (code, report) = t.scan_json(&["--diff", "base"]);
    assert_eq!(code, 1);
    let mut got = active(&report);
    got.sort();
    assert_eq!(
        got,
        vec![
            "localhost/hardcoded-url@src/a.ts:2:21",
            "localhost/hardcoded-url@src/b.ts:1:21",
        ],
        "the untouched old URL on line 1 and in keep.ts are not reported"
    );
    assert_eq!(report["stages"][0]["stats"]["files_changed"], 2);
    // explicit ranges
    let (_, report) = t.scan_json(&["--diff", "base..HEAD"]);
    assert_eq!(active(&report).len(), 2);
    let (code, report) = t.scan_json(&["--diff", "HEAD..HEAD"]);
    assert_eq!(code, 0);
    assert!(active(&report).is_empty());
}

#[test]
fn diff_reads_the_committed_content_not_the_work_tree() {
    let t = repo();
    t.write("src/a.ts", &format!("{OLD}{NEW}"));
    t.commit_all("add");
    // an uncommitted fix does not hide the committed problem being pushed
    t.write("src/a.ts", OLD);
    let (_, report) = t.scan_json(&["--diff", "base"]);
    assert_eq!(
        active(&report),
        vec!["localhost/hardcoded-url@src/a.ts:2:21"]
    );
}

#[test]
fn renames_are_followed_and_unchanged_lines_stay_quiet() {
    let t = repo();
    git(t.path(), &["mv", "src/keep.ts", "src/renamed.ts"]);
    t.commit_all("rename");
    let (code, report) = t.scan_json(&["--diff", "base"]);
    assert_eq!(code, 0, "a pure rename adds no lines: {report:#}");
    let mut body = OLD.to_string();
    body.push_str(NEW);
    t.write("src/renamed.ts", &body);
    t.commit_all("edit renamed");
    let (_, report) = t.scan_json(&["--diff", "base"]);
    assert_eq!(
        active(&report),
        vec!["localhost/hardcoded-url@src/renamed.ts:2:21"]
    );
}

#[test]
fn staged_scans_the_index() {
    let t = repo();
    t.write("src/c.ts", NEW);
    t.write("src/unstaged.ts", NEW);
    git(t.path(), &["add", "src/c.ts"]);
    let (code, report) = t.scan_json(&["--staged"]);
    assert_eq!(code, 1);
    assert_eq!(
        active(&report),
        vec!["localhost/hardcoded-url@src/c.ts:1:21"]
    );
}

#[test]
fn bad_revision_is_incomplete_not_a_pass() {
    let t = repo();
    let (code, report) = t.scan_json(&["--diff", "no-such-branch"]);
    assert_eq!(code, 3);
    assert_eq!(report["verdict"], "incomplete");
    assert!(
        report["stages"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("git diff")
    );
}

#[test]
fn diff_outside_git_is_a_usage_error() {
    let t = Tree::new(&[("src/a.ts", OLD)]);
    std::fs::remove_dir_all(t.path().join(".git")).unwrap();
    let r = t.run(&["scan", "--diff", "main"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr.contains("not inside a git work tree"),
        "{}",
        r.stderr
    );
}
