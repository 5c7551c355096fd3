#![allow(clippy::unwrap_used)]
//! The budget's edges: a deadline that passes before the entrypoints are known, and a file
//! too big to parse before the deadline.

use std::collections::HashMap;
use std::time::Duration;

use super::{Budget, Decision, UndecidedReason, ships_subset_with};

fn repo(list: &[(&str, String)]) -> (Vec<String>, HashMap<String, Vec<u8>>) {
    let mut files: Vec<String> = list.iter().map(|(p, _)| p.to_string()).collect();
    files.sort();
    let content = list
        .iter()
        .map(|(p, c)| (p.to_string(), c.clone().into_bytes()))
        .collect();
    (files, content)
}

fn reason(d: &Decision) -> Option<UndecidedReason> {
    match d {
        Decision::Undecided { reason, .. } => Some(*reason),
        _ => None,
    }
}

/// An app whose entry imports a 2 MB generated module, which imports `deep.ts`.
fn app_with_generated_module() -> (Vec<String>, HashMap<String, Vec<u8>>) {
    let generated = format!(
        "import {{ d }} from './deep';\n{}",
        "export const TypeName_0123456789 = 'a generated constant';\n".repeat(36_000)
    );
    assert!(generated.len() > 2_000_000);
    repo(&[
        (
            "package.json",
            r#"{ "name": "app", "main": "src/index.ts" }"#.into(),
        ),
        ("src/index.ts", "import { x } from './generated';\n".into()),
        ("src/generated.ts", generated),
        ("src/deep.ts", "export const d = 1;\n".into()),
        ("src/orphan.ts", "export const o = 1;\n".into()),
        ("README.md", "# app\n".into()),
    ])
}

#[test]
fn a_deadline_before_the_entrypoints_are_known_leaves_all_but_unknown_files_to_the_budget() {
    let (files, content) = app_with_generated_module();
    let read = |p: &str| content.get(p).cloned();
    let queries: Vec<String> = ["src/deep.ts", "README.md", "src/gone.ts", "src/index.ts"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let none = Budget {
        max_time: Duration::ZERO,
        ..Budget::default()
    };
    let got = ships_subset_with(&queries, &files, &read, &[], none);
    let reasons: Vec<_> = got.iter().map(|(_, d)| reason(d)).collect();
    assert_eq!(
        reasons,
        vec![
            Some(UndecidedReason::Budget),
            Some(UndecidedReason::Budget), // could be under a shipped root
            Some(UndecidedReason::UnknownFile),
            Some(UndecidedReason::Budget), // an entry file, but nothing was read
        ]
    );
    for (_, d) in &got {
        let Decision::Undecided { package, .. } = d else {
            unreachable!()
        };
        assert_eq!(package.as_ref().unwrap().name.as_deref(), Some("app"));
    }
    // with time, the same queries are decided
    let generous = Budget {
        max_time: Duration::from_secs(600),
        ..Budget::default()
    };
    let got = ships_subset_with(&queries, &files, &read, &[], generous);
    assert!(got[0].1.is_shipped() && got[3].1.is_shipped());
    assert_eq!(reason(&got[1].1), Some(UndecidedReason::NotSource));
}

#[test]
fn a_file_too_big_to_parse_before_the_deadline_is_skipped_and_nothing_is_called_unshipped() {
    let (files, content) = app_with_generated_module();
    let read = |p: &str| content.get(p).cloned();
    let queries: Vec<String> = ["src/deep.ts", "src/orphan.ts"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    // 2 MB at the assumed 20 ns/byte needs 40 ms: more than a 30 ms budget can have left
    let tight = Budget {
        max_time: Duration::from_millis(30),
        ..Budget::default()
    };
    let got = ships_subset_with(&queries, &files, &read, &[], tight);
    assert_eq!(reason(&got[0].1), Some(UndecidedReason::Budget));
    assert_eq!(
        reason(&got[1].1),
        Some(UndecidedReason::Budget),
        "the queue ran dry, but a skipped file may import it: not provably unshipped"
    );
    let generous = Budget {
        max_time: Duration::from_secs(600),
        ..Budget::default()
    };
    let got = ships_subset_with(&queries, &files, &read, &[], generous);
    let Decision::Shipped(x) = &got[0].1 else {
        panic!("{:?}", got[0].1)
    };
    assert_eq!(x.chain, ["src/index.ts", "src/generated.ts", "src/deep.ts"]);
    assert!(got[1].1.is_not_shipped());
}
