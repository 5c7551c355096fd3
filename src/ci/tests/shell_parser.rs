//! The shell parser: words and quotes, working-directory tracking, failure guards.

use super::*;

#[test]
fn shell_words_quotes_and_expressions() {
    let cs = sh(
        r#"FOO=1 BAR="a b" npm run "lint" -- --fix 'x y' $'a\tb' "${{ matrix.node }}" $(echo "a b") `date` && echo "d\"q""#,
    );
    assert_eq!(cs.len(), 2);
    assert_eq!(cs[0].env.len(), 2);
    assert_eq!(
        words(&cs[0]),
        vec![
            "npm",
            "run",
            "lint",
            "--",
            "--fix",
            "x y",
            "a\tb",
            "${{ matrix.node }}",
            "$(echo \"a b\")",
            "`date`"
        ]
    );
    assert_eq!(cs[0].op_after, Some(Op::And));
    assert_eq!(words(&cs[1]), vec!["echo", "d\"q"]);
    // Comments, continuations, heredocs.
    let cs = sh(
        "# comment\nnpm \\\n  test # trailing\ncat <<'EOF' > out.txt\nnpm run not-a-command\nEOF\nnpm run after",
    );
    let all: Vec<Vec<&str>> = cs.iter().map(words).collect();
    assert_eq!(
        all,
        vec![
            vec!["npm", "test"],
            vec!["cat"],
            vec!["npm", "run", "after"]
        ]
    );
    assert_eq!((cs[2].line, cs[2].column), (7, 1));
    // `${{ … }}` with spaces and `||` inside stays one word.
    let cs = sh("echo ${{ github.event_name == 'push' || 'x' }} done");
    assert_eq!(cs.len(), 1);
    assert_eq!(cs[0].words.len(), 3);
}

#[test]
fn shell_cwd_tracking() {
    let opts = ShellOptions::github_default(Some("app".into()));
    let cs = shell::parse(
        "cd web && npm test\n(cd ../api; npm test)\nnpm test\npushd tools\nnpm test\npopd\ncd $HOME\nnpm test\ncd \"${{ github.workspace }}/svc\"\nnpm test",
        &PosMap::at(1, 1),
        &opts,
    );
    let cwd: Vec<Option<&str>> = cs
        .iter()
        .filter(|c| c.words[0].text == "npm")
        .map(|c| c.cwd.as_deref())
        .collect();
    assert_eq!(
        cwd,
        vec![
            Some("app/web"),
            Some("app/api"),
            Some("app/web"),
            Some("app/web/tools"),
            None,
            Some("svc")
        ]
    );
}

fn guard_of(cmds: &[shell::Command], head: &str) -> Option<Guard> {
    cmds.iter()
        .find(|c| c.words.iter().any(|w| w.text == head))
        .unwrap()
        .guarded_by
        .clone()
}

#[test]
fn shell_guards() {
    assert_eq!(
        guard_of(&sh("eslint . || true"), "eslint"),
        Some(Guard::OrTrue)
    );
    assert_eq!(
        guard_of(&sh("eslint . || :"), "eslint"),
        Some(Guard::OrTrue)
    );
    assert_eq!(
        guard_of(&sh("eslint . || exit 0"), "eslint"),
        Some(Guard::OrExitZero)
    );
    assert_eq!(guard_of(&sh("eslint . || exit 1"), "eslint"), None);
    assert_eq!(guard_of(&sh("eslint . || exit"), "eslint"), None);
    assert_eq!(
        guard_of(&sh("jest && echo ok || echo failed"), "jest"),
        Some(Guard::OrEcho)
    );
    assert_eq!(guard_of(&sh("jest || echo failed && exit 1"), "jest"), None);
    // Under bash -e: `a; true` still fails at `a`; without errexit it is masked.
    assert_eq!(guard_of(&sh("jest; true"), "jest"), None);
    assert_eq!(
        guard_of(&sh_pkg("jest; true"), "jest"),
        Some(Guard::ThenTrue)
    );
    assert_eq!(
        guard_of(&sh_pkg("tsc; cp -r assets dist"), "tsc"),
        Some(Guard::StatusDiscarded)
    );
    assert_eq!(guard_of(&sh_pkg("cp a b; tsc"), "tsc"), None);
    assert_eq!(
        guard_of(&sh("set +e\njest\necho done"), "jest"),
        Some(Guard::ErrexitOff)
    );
    assert_eq!(guard_of(&sh("set +e\njest"), "jest"), None);
    assert_eq!(
        guard_of(&sh("set +e\njest\nset -e\nnpm run build\necho x"), "build"),
        None
    );
    assert_eq!(
        guard_of(&sh("jest && echo ok\nnpm run build"), "jest"),
        Some(Guard::ShortCircuit)
    );
    assert_eq!(
        guard_of(&sh("jest | tee out.log"), "jest"),
        Some(Guard::PipeNoPipefail)
    );
    let bash = ShellOptions::github_shell(Some("bash"), false, Some(String::new()));
    let cs = shell::parse("jest | tee out.log", &PosMap::at(1, 1), &bash);
    assert_eq!(guard_of(&cs, "jest"), None);
    assert_eq!(
        guard_of(&sh("if npm test; then echo ok; fi"), "npm"),
        Some(Guard::Condition)
    );
    assert_eq!(
        guard_of(&sh("(npm test; echo done) || exit 1"), "npm"),
        Some(Guard::ThenTrue)
    );
    assert_eq!(
        guard_of(&sh("(npm test; npm run build) || exit 1"), "test"),
        Some(Guard::StatusDiscarded)
    );
    assert_eq!(
        guard_of(&sh("(npm test && npm run lint) || true"), "lint"),
        Some(Guard::OrTrue)
    );
    assert_eq!(
        guard_of(&sh("npm test || npm run test:retry"), "npm"),
        Some(Guard::Fallback("npm run test:retry".into()))
    );
    assert_eq!(
        guard_of(&sh_pkg("jest; rc=$?; exit $rc"), "jest"),
        Some(Guard::StatusInspected)
    );
    assert_eq!(
        guard_of(&sh("npm run dev &\nsleep 5"), "dev"),
        Some(Guard::Background)
    );
    let custom = ShellOptions::github_shell(Some("bash {0}"), false, Some(String::new()));
    let cs = shell::parse("jest\nnpm run build", &PosMap::at(1, 1), &custom);
    assert_eq!(guard_of(&cs, "jest"), Some(Guard::StatusDiscarded));
    let cs = shell::parse("jest\necho done", &PosMap::at(1, 1), &custom);
    assert_eq!(guard_of(&cs, "jest"), Some(Guard::ThenTrue));
    let strict =
        ShellOptions::github_shell(Some("bash -eo pipefail {0}"), false, Some(String::new()));
    let cs = shell::parse("jest | tee x\necho done", &PosMap::at(1, 1), &strict);
    assert_eq!(guard_of(&cs, "jest"), None);
}
