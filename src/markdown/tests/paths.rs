//! `integrity/missing-path`: which code spans are paths, severities, silences.

use super::*;

#[test]
fn missing_path_recognises_only_clear_paths() {
    let md = "# Ops\n\n\
              Run `scripts/backup.sh` nightly; see `docs/ops/restore.md` and `config/`.\n\
              Not paths: `*.md`, `src/**/*.ts`, `https://x.io/a.md`, `npm run build`, `DATABASE_URL`,\n\
              `PORT=3000`, `<file>.md`, `path/to/file.md`, `your-app.json`, `example.env`, `${HOME}/x.sh`,\n\
              `{a,b}.json`, `.env`, `.env.local`, `Node.js`, `res.json`, `.md`, `v1.2.3`, `@scope/pkg`,\n\
              `backend/prisma/dev.db`, `app.log`, `GET /health`, `process.env.PORT`, `ensure*()`.\n\
              Create `config/local.json` from the template. The old `legacy/thing.ts` was removed.\n\
              Required: `.env.example`, `package.json`, `src/index.ts:12`, `./src/`, `../README.md`.\n";
    let repo = Repo::new(&[
        ("docs/RUNBOOK.md", md),
        ("README.md", "# Readme\n"),
        (".env.example", ""),
        ("package.json", "{}"),
        ("src/index.ts", ""),
        ("config/default.json", "{}"),
    ]);
    let issues = repo.issues();
    assert_eq!(
        brief(&issues),
        [
            (
                RULE_MISSING_PATH,
                Severity::Warning,
                "docs/RUNBOOK.md".into(),
                3,
                6
            ),
            (
                RULE_MISSING_PATH,
                Severity::Warning,
                "docs/RUNBOOK.md".into(),
                3,
                39
            ),
        ]
    );
    assert!(issues[0].message.contains("`scripts/backup.sh`"));
    assert!(
        issues[0]
            .message
            .contains("in `docs/` or the repository root"),
        "{}",
        issues[0].message
    );
}

#[test]
fn missing_path_weak_cases_are_notes() {
    let md = "# Notes\n\n\
              Routes: `/api/health` is served by the API.\n\
              See `runbooks/deploy` for the procedure.\n\
              Update `package.json` in the backend.\n\
              The `docs/ops` folder and `docs/ops.md`.\n";
    let repo = Repo::new(&[
        ("README.md", md),
        ("api/index.ts", ""),
        ("backend/package.json", "{}"),
        ("docs/guide.md", ""),
    ]);
    let issues = repo.issues();
    let got: Vec<(Severity, usize, usize)> = issues
        .iter()
        .map(|i| (i.severity, i.line, i.column))
        .collect();
    assert_eq!(
        got,
        [
            (Severity::Note, 3, 10),
            (Severity::Note, 4, 6),
            // `package.json` exists as `backend/package.json`: a plausible shorthand, so silent.
            (Severity::Warning, 6, 6),
            (Severity::Warning, 6, 28),
        ]
    );
    assert!(
        issues[0].message.contains("URL route"),
        "{}",
        issues[0].message
    );
    assert!(
        issues[1].message.contains("loose mention"),
        "{}",
        issues[1].message
    );
}

#[test]
fn bare_names_elsewhere_and_link_text_spans_stay_silent() {
    let md = "# Dev\n\n\
              Parsing lives in `firstpass.rs`; see [`contributing.md`][health] and [`esm.sh`][esm].\n\
              Tune `daemon.json` on the host.\n\n\
              [health]: https://github.com/org/.github/blob/main/contributing.md\n\
              [esm]: https://esm.sh\n";
    let repo = Repo::new(&[("docs/dev.md", md), ("src/firstpass.rs", "")]);
    let issues = repo.issues();
    assert_eq!(
        brief(&issues),
        [(
            RULE_MISSING_PATH,
            Severity::Note,
            "docs/dev.md".into(),
            4,
            7
        )]
    );
    assert!(
        issues[0].message.contains("outside this repository"),
        "{}",
        issues[0].message
    );
    let doc = parse(md);
    let in_link: Vec<(&str, bool)> = doc
        .code_spans
        .iter()
        .map(|s| (s.text.as_ref(), s.in_link))
        .collect();
    assert_eq!(
        in_link,
        [
            ("firstpass.rs", false),
            ("contributing.md", true),
            ("esm.sh", true),
            ("daemon.json", false)
        ]
    );
}

#[test]
fn changelogs_and_linked_spans_are_not_double_reported() {
    let log = "# Changelog\n\n- Renamed `src/old.ts` to `src/new.ts`.\n- Dropped `lib/gone.js`.\n";
    let md = "See [`docs/missing.md`](docs/missing.md).\n";
    let repo = Repo::new(&[
        ("CHANGELOG.md", log),
        ("README.md", md),
        ("src/new.ts", ""),
        ("docs/a.md", ""),
    ]);
    let issues = repo.issues();
    assert_eq!(
        brief(&issues),
        [(
            RULE_BROKEN_LINK,
            Severity::Warning,
            "README.md".into(),
            1,
            25
        )]
    );
}
