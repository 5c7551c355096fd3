//! `integrity/broken-link` and `integrity/broken-anchor`.

use super::*;

#[test]
fn traceability_section_flags_missing_spec_four_times() {
    let repo = Repo::new(&[
        ("RUNBOOK.md", SEED_004),
        ("package.json", "{}"),
        ("src/main.tsx", ""),
    ]);
    let issues = repo.issues();
    let spec: Vec<(usize, usize)> = issues
        .iter()
        .filter(|i| i.message.contains("APP_MASTER_SPEC.md"))
        .map(|i| {
            assert_eq!((i.rule, i.severity), (RULE_MISSING_PATH, Severity::Warning));
            (i.line, i.column)
        })
        .collect();
    assert_eq!(spec, [(9, 6), (10, 6), (11, 6), (12, 6)]);
    let changelog: Vec<(usize, usize)> = issues
        .iter()
        .filter(|i| i.message.contains("`SPEC_CHANGELOG.md`"))
        .map(|i| (i.line, i.column))
        .collect();
    assert_eq!(changelog, [(117, 39), (195, 43)]);
    assert!(
        issues
            .iter()
            .any(|i| i.line == 7 && i.message.contains("TRACEABILITY_MAP.md"))
    );
    // `.env.local`, `src/`, `dist`, commands, env names: silent.
    assert_eq!(issues.len(), 7, "{issues:#?}");
}

#[test]
fn traceability_is_silent_when_the_spec_exists_but_anchors_are_checked() {
    let spec = "# Spec\n## 3. Environment & Connectivity\n## 11. CI/CD & Deployment\n## 12. Operations & Maintenance\n## 13. Release Verification Gate (all YES required)\n";
    let repo = Repo::new(&[
        ("RUNBOOK.md", SEED_004),
        ("APP_MASTER_SPEC.md", spec),
        ("SPEC_CHANGELOG.md", "# Changes\n"),
        ("TRACEABILITY_MAP.md", "# Map\n"),
        ("src/main.tsx", ""),
    ]);
    assert_eq!(repo.issues(), []);
    let spec_renamed = spec.replace("## 11. CI/CD & Deployment", "## 11. Delivery");
    let repo = Repo::new(&[
        ("RUNBOOK.md", SEED_004),
        ("APP_MASTER_SPEC.md", &spec_renamed),
        ("SPEC_CHANGELOG.md", ""),
        ("TRACEABILITY_MAP.md", ""),
        ("src/main.tsx", ""),
    ]);
    let issues = repo.issues();
    assert_eq!(
        brief(&issues),
        [(
            RULE_BROKEN_ANCHOR,
            Severity::Note,
            "RUNBOOK.md".into(),
            10,
            6
        )]
    );
    assert!(
        issues[0].message.contains("#11-cicd--deployment"),
        "{}",
        issues[0].message
    );
}

#[test]
fn markdown_links_to_missing_spec_are_broken_links_at_exact_positions() {
    let md = "# Runbook\n\n## Traceability\n\
              - [Environment](APP_MASTER_SPEC.md#3-environment)\n\
              - [CI](./APP_MASTER_SPEC.md#11-cicd--deployment)\n\
              - See [ops][spec-ops] and [release][spec-ops].\n\
              - ![diagram](docs/img/arch.png)\n\
              \n[spec-ops]: /APP_MASTER_SPEC.md#12-operations--maintenance\n";
    let repo = Repo::new(&[("docs/RUNBOOK.md", md), ("docs/img/other.png", "")]);
    let issues = repo.issues();
    assert_eq!(
        brief(&issues),
        [
            (
                RULE_BROKEN_LINK,
                Severity::Warning,
                "docs/RUNBOOK.md".into(),
                4,
                17
            ),
            (
                RULE_BROKEN_LINK,
                Severity::Warning,
                "docs/RUNBOOK.md".into(),
                5,
                8
            ),
            (
                RULE_BROKEN_LINK,
                Severity::Warning,
                "docs/RUNBOOK.md".into(),
                7,
                14
            ),
            (
                RULE_BROKEN_LINK,
                Severity::Warning,
                "docs/RUNBOOK.md".into(),
                9,
                13
            ),
        ]
    );
    assert!(
        issues[0]
            .message
            .contains("`docs/APP_MASTER_SPEC.md` does not exist"),
        "{}",
        issues[0].message
    );
    assert!(
        issues[2].message.starts_with("broken image"),
        "{}",
        issues[2].message
    );
    assert!(
        issues[3]
            .message
            .contains("`APP_MASTER_SPEC.md` does not exist"),
        "{}",
        issues[3].message
    );
}

#[test]
fn existing_files_dirs_and_anchors_are_silent() {
    let readme = "# Project\n\n\
                  See [Setup](#setup), [Ops](docs/ops.md#incident-response), [docs](docs/), [dir](docs),\n\
                  [root](/README.md), [self](./README.md#project), [img](assets/logo.svg \"Logo\"),\n\
                  [line](src/app.ts#L10-L20), [q](docs/ops.md?plain=1#L3), [top](#top), [uc](#user-content-setup),\n\
                  [enc](docs/my%20notes.md), [dup](docs/ops.md#faq-1), [html](docs/ops.md#legacy), [ci](#SETUP),\n\
                  [ext](https://example.com/missing.md), [mail](mailto:x@y.z), [tpl]({{ site.url }}/x.md),\n\
                  [ph](<path/to/file.md>), [issues](../../issues), [empty](#).\n\n\
                  ## Setup\n\n```md\n[broken](nope.md)\n```\n\n`[also](nope.md)`\n";
    let ops = "# Ops\n\n## Incident response\n\n## FAQ\n\n## FAQ\n\n<a id=\"legacy\"></a>\n\nBack to [readme](../README.md#setup).\n";
    let repo = Repo::new(&[
        ("README.md", readme),
        ("docs/ops.md", ops),
        ("docs/my notes.md", ""),
        ("assets/logo.svg", ""),
        ("src/app.ts", ""),
    ]);
    assert_eq!(repo.issues(), []);
}

#[test]
fn broken_anchor_notes_suggest_the_closest_slug() {
    let md = "# Guide\n\n## Environment variables\n\n## Health checks\n\nSee [env](#enviroment-variables) and [x](#totally-unrelated-thing).\n";
    let other = "# Other\n\nGo to [guide](guide.md#health-check).\n";
    let repo = Repo::new(&[("docs/guide.md", md), ("docs/other.md", other)]);
    let issues = repo.issues();
    assert_eq!(
        brief(&issues),
        [
            (
                RULE_BROKEN_ANCHOR,
                Severity::Note,
                "docs/guide.md".into(),
                7,
                11
            ),
            (
                RULE_BROKEN_ANCHOR,
                Severity::Note,
                "docs/guide.md".into(),
                7,
                42
            ),
            (
                RULE_BROKEN_ANCHOR,
                Severity::Note,
                "docs/other.md".into(),
                3,
                15
            ),
        ]
    );
    assert!(
        issues[0]
            .message
            .ends_with("did you mean `#environment-variables`?"),
        "{}",
        issues[0].message
    );
    assert!(
        !issues[1].message.contains("did you mean"),
        "{}",
        issues[1].message
    );
    assert!(
        issues[2].message.contains("did you mean `#health-checks`?"),
        "{}",
        issues[2].message
    );
}

#[test]
fn unicode_and_percent_encoded_anchors() {
    let md = "# Документация\n\n## Привет мир\n\n## 😄 emoji\n\n[a](#привет-мир) [b](#%D0%BF%D1%80%D0%B8%D0%B2%D0%B5%D1%82-%D0%BC%D0%B8%D1%80) [c](#-emoji) [d](#emoji)\n";
    let repo = Repo::new(&[("README.md", md)]);
    let issues = repo.issues();
    assert_eq!(
        brief(&issues),
        [(
            RULE_BROKEN_ANCHOR,
            Severity::Note,
            "README.md".into(),
            7,
            97
        )]
    );
    assert!(issues[0].message.contains("did you mean `#-emoji`?"));
}

#[test]
fn broken_link_edge_cases() {
    let md = "[case](Docs/Guide.md) [out](../../../outside.md) [ignored](build/report.html)\n\
              [gh](../../wiki/Home) [scheme](vscode:extension/x) [proto](//cdn.example.com/x.js)\n\
              [q](missing.md?x=1) [moved](guide.md)\n";
    let repo = Repo::new(&[
        ("README.md", md),
        ("docs/guide.md", "# Guide\n"),
        (".gitignore", "# build output\nbuild/\n*.log\n"),
    ]);
    let issues = repo.issues();
    assert_eq!(
        brief(&issues),
        [
            (
                RULE_BROKEN_LINK,
                Severity::Warning,
                "README.md".into(),
                1,
                8
            ),
            (RULE_BROKEN_LINK, Severity::Note, "README.md".into(), 1, 29),
            (
                RULE_BROKEN_LINK,
                Severity::Warning,
                "README.md".into(),
                3,
                5
            ),
            (
                RULE_BROKEN_LINK,
                Severity::Warning,
                "README.md".into(),
                3,
                29
            ),
        ]
    );
    assert!(
        issues[0].message.contains("case differs"),
        "{}",
        issues[0].message
    );
    assert!(
        issues[2].message.contains("`missing.md` does not exist"),
        "{}",
        issues[2].message
    );
    assert!(
        issues[3].message.contains("exists at `docs/guide.md`"),
        "{}",
        issues[3].message
    );
}

#[test]
fn reference_definition_reported_once() {
    let md =
        "Use [a][gone], [b][gone] and [gone].\n\n[gone]: old/place.md\n[unused]: also-gone.md\n";
    let repo = Repo::new(&[("README.md", md)]);
    assert_eq!(
        brief(&repo.issues()),
        [(
            RULE_BROKEN_LINK,
            Severity::Warning,
            "README.md".into(),
            3,
            9
        )]
    );
}
