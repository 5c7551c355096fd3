//! Manual harnesses (`#[ignore]`): spec-example dumps, runs over a directory, perf loops.

use super::perf::{best_of, synthetic_repo};
use super::*;

/// Differential harness (manual): dumps links/spans/slugs for /tmp/spec/*.md
/// (CommonMark spec examples) to compare with a reference implementation.
#[test]
#[ignore]
fn dump_spec_examples() {
    let Ok(rd) = std::fs::read_dir("/tmp/spec") else {
        return;
    };
    for f in rd {
        let p = f.unwrap().path();
        if p.extension().is_none_or(|e| e != "md") {
            continue;
        }
        let text = std::fs::read_to_string(&p).unwrap();
        let doc = parse(&text);
        let mut out = String::new();
        for l in &doc.links {
            if l.kind == LinkKind::Html {
                continue;
            }
            out.push_str(&format!(
                "{}\t{}\n",
                if l.image { "I" } else { "L" },
                l.dest
            ));
        }
        for c in &doc.code_spans {
            out.push_str(&format!("C\t{}\n", c.text));
        }
        for h in &doc.headings {
            out.push_str(&format!("H\t{}\n", h.slug));
        }
        std::fs::write(p.with_extension("out"), out).unwrap();
    }
}

fn load_dir(root: &str) -> (Vec<String>, HashMap<String, Vec<u8>>) {
    let mut files = Vec::new();
    let mut stack = vec![std::path::PathBuf::from(root)];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                files.push(
                    p.strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    files.sort();
    let map = files
        .iter()
        .filter_map(|f| {
            Some((
                f.clone(),
                std::fs::read(std::path::Path::new(root).join(f)).ok()?,
            ))
        })
        .collect();
    (files, map)
}

/// Manual: runs `analyze` over the directory tree in $DOCS_DIR and prints the results.
#[test]
#[ignore]
fn run_on_dir() {
    let Ok(root) = std::env::var("DOCS_DIR") else {
        return;
    };
    let (files, map) = load_dir(&root);
    let read = |p: &str| map.get(p).cloned();
    let (t, a) = best_of(3, || analyze(&files, &read));
    let md: usize = map
        .iter()
        .filter(|(k, _)| is_markdown_path(k))
        .map(|(_, v)| v.len())
        .sum();
    eprintln!("analyze took {t:?} (best of 3) for {md} bytes of Markdown");
    for i in &a.issues {
        println!(
            "ISSUE {:?} {} {}:{}:{} {}",
            i.severity, i.rule, i.path, i.line, i.column, i.message
        );
    }
    if std::env::var("DOCS_ALL").is_ok() {
        for s in &a.snippets {
            println!(
                "SNIP {}:{}:{} {:?} {}",
                s.path, s.line, s.column, s.lang, s.text
            );
        }
        for e in &a.env_vars {
            println!("ENV {}:{}:{} {}", e.path, e.line, e.column, e.name);
        }
        for e in &a.endpoints {
            println!(
                "EP {}:{}:{} {:?} {}",
                e.path, e.line, e.column, e.method, e.url_or_path
            );
        }
    }
}

/// Manual: `perf stat -e task-clock <test-bin> perf_loop --ignored` (PHASE=parse|rules|env|endpoints|snippets|all).
#[test]
#[ignore]
fn perf_loop() {
    let (files, map) = match std::env::var("DOCS_DIR") {
        Ok(root) => load_dir(&root),
        Err(_) => synthetic_repo(),
    };
    let read = |p: &str| map.get(p).cloned();
    let phase = std::env::var("PHASE").unwrap_or_default();
    let sources = super::super::doc::load_sources(&files, &read);
    let set = super::super::doc::DocSet::new(&sources);
    let repo = super::super::repo::RepoIndex::new(&files, &read);
    for _ in 0..10 {
        match phase.as_str() {
            "parse" => drop(
                super::super::doc::DocSet::new(&super::super::doc::load_sources(&files, &read))
                    .iter()
                    .count(),
            ),
            "rules" => drop(super::super::rules::check_all(&set, &repo)),
            "env" => drop(set.iter().map(super::super::extract::env_vars).count()),
            "endpoints" => drop(set.iter().map(super::super::extract::endpoints).count()),
            "snippets" => drop(set.iter().map(super::super::extract::snippets).count()),
            "none" => {}
            _ => drop(analyze(&files, &read)),
        }
    }
}
