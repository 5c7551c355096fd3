#![allow(clippy::unwrap_used)]
//! Throughput of `parse_module` on synthetic but realistic TS source.
//! Run with `cargo test --release perf -- --nocapture` for a meaningful figure.

use std::time::Instant;

use super::super::module::parse_module;

/// A few MB of TS shaped like application code (imports, JSX-free TS, strings, templates,
/// comments, regexes, object literals).
pub(super) fn synthetic_source(target_bytes: usize) -> (String, usize) {
    let mut s = String::new();
    let mut imports = 0;
    let mut i = 0usize;
    while s.len() < target_bytes {
        s.push_str(&format!(
            "import {{ Service{i}, helper{i} as h{i} }} from \"../services/service{i}\";\n\
             import type {{ Dto{i} }} from './dto/dto{i}';\n\
             const legacy{i} = require(\"./legacy/legacy{i}\");\n"
        ));
        imports += 3;
        s.push_str(&format!(
            "/**\n * Handles the {i}th resource.\n * @param req the request\n */\n\
             export async function handle{i}(req: Request, res: Response): Promise<void> {{\n\
             \x20   // validate the input first\n\
             \x20   const id = Number(req.params.id ?? '0') / 2;\n\
             \x20   if (!/^[a-z0-9-]+$/i.test(req.params.slug)) {{\n\
             \x20       return res.status(400).json({{ error: `bad slug ${{req.params.slug}} for ${{id}}` }});\n\
             \x20   }}\n\
             \x20   const rows = await db.query(\"SELECT * FROM items WHERE id = $1 AND owner = $2\", [id, req.user.id]);\n\
             \x20   const total = rows.reduce((acc, r) => acc + r.price * r.quantity, 0);\n\
             \x20   logger.info(`handled ${{rows.length}} rows, total=${{total.toFixed(2)}}`);\n\
             \x20   res.json({{ items: rows.map((r) => ({{ ...r, url: `/items/${{r.id}}` }})), total }});\n\
             }}\n\n"
        ));
        i += 1;
    }
    (s, imports)
}

/// CPU seconds (user + system) this thread has used, from `/proc/thread-self/stat`
/// (10 ms ticks); unlike wall time, not inflated by other processes competing for the cores.
fn thread_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

#[test]
fn perf_parse_throughput() {
    let (src, imports) = synthetic_source(4 << 20);
    let cpu0 = thread_cpu_secs();
    let start = Instant::now();
    let mut found = 0;
    let rounds = 25;
    for _ in 0..rounds {
        let m = parse_module("big.ts", src.as_bytes());
        found = m.imports.len();
    }
    let secs = start.elapsed().as_secs_f64();
    let bytes = (src.len() * rounds) as f64;
    let cpu = match (cpu0, thread_cpu_secs()) {
        (Some(a), Some(b)) if b > a => {
            format!(", {:.0} MB/s per CPU-second", bytes / (b - a) / 1e6)
        }
        _ => String::new(),
    };
    println!(
        "parse_module throughput: {:.0} MB/s wall{cpu} over {} bytes x{rounds}",
        bytes / secs / 1e6,
        src.len()
    );
    assert_eq!(found, imports);
}

#[test]
fn perf_lex_only() {
    use super::super::lexer::{Kind, Lexer};
    let (src, _) = synthetic_source(4 << 20);
    let start = Instant::now();
    let mut n = 0;
    for _ in 0..3 {
        let mut lx = Lexer::new(src.as_bytes(), 0, src.len());
        loop {
            let t = lx.next_tok();
            if t.kind == Kind::Eof {
                break;
            }
            n += 1;
        }
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "lex only: {:.0} MB/s, {} tokens/round",
        (src.len() * 3) as f64 / secs / 1e6,
        n / 3
    );
}

/// A 40k-file monorepo: 40 workspace packages of 1000 files (a binary import tree over the
/// first 900 modules of each, the rest unreachable), apps importing packages by name, and
/// loose root scripts.
pub(super) fn big_monorepo() -> (Vec<String>, std::collections::HashMap<String, Vec<u8>>) {
    // unoptimized test builds get a smaller repository (same shape) to keep `cargo test` quick
    let packages = if cfg!(debug_assertions) { 8 } else { 40 };
    let mut m: std::collections::HashMap<String, Vec<u8>> = std::collections::HashMap::new();
    let mut add = |p: String, c: String| {
        m.insert(p, c.into_bytes());
    };
    add(
        "package.json".into(),
        r#"{ "name": "big", "private": true, "workspaces": ["packages/*"] }"#.into(),
    );
    for i in 0..20 {
        add(
            format!("scripts-{i}.js"),
            format!("const API = 'http://localhost:{i}';\nrequire('node-fetch')(API);\n"),
        );
    }
    for p in 0..packages {
        let dir = format!("packages/p{p}");
        let dep = if p > 0 {
            format!(
                ", \"dependencies\": {{ \"@big/p{}\": \"workspace:*\" }}",
                p - 1
            )
        } else {
            String::new()
        };
        add(
            format!("{dir}/package.json"),
            format!(
                "{{ \"name\": \"@big/p{p}\", \"main\": \"dist/index.js\", \"scripts\": {{ \"build\": \"tsc\" }}{dep} }}"
            ),
        );
        add(
            format!("{dir}/tsconfig.json"),
            "{ \"compilerOptions\": { \"outDir\": \"dist\", \"rootDir\": \"src\" } }".into(),
        );
        let prev = if p > 0 {
            format!("import {{ m0 }} from '@big/p{}';\n", p - 1)
        } else {
            String::new()
        };
        add(
            format!("{dir}/src/index.ts"),
            format!("{prev}export * from './m0';\n"),
        );
        for k in 0..997 {
            let mut body = String::from("import { helper } from 'lodash';\n");
            for c in [2 * k + 1, 2 * k + 2] {
                if c < 900 {
                    body.push_str(&format!("import {{ m{c} }} from './m{c}';\n"));
                }
            }
            body.push_str(&format!("export const m{k} = () => helper({k});\n"));
            body.push_str(&"// filler line to give the module a realistic size ................................\n".repeat(20));
            add(format!("{dir}/src/m{k}.ts"), body);
        }
    }
    let mut files: Vec<String> = m.keys().cloned().collect();
    files.sort();
    (files, m)
}

/// Ten queries for [`big_monorepo`]: shallow and deep tree modules, unreachable modules,
/// package entries, loose root scripts and the root manifest.
pub(super) fn diff_queries() -> Vec<String> {
    // keep package numbers inside the (smaller) debug-build repository
    let n = if cfg!(debug_assertions) { 8 } else { 40 };
    [
        "packages/p7/src/m3.ts",
        "packages/p7/src/m700.ts",
        "packages/p12/src/m15.ts",
        "packages/p30/src/index.ts",
        "packages/p30/src/m950.ts",
        "scripts-3.js",
        "scripts-11.js",
        "package.json",
        "packages/p1/src/m64.ts",
        "packages/p39/src/m1.ts",
    ]
    .iter()
    .map(
        |s| match s.strip_prefix("packages/p").and_then(|r| r.split_once('/')) {
            Some((num, rest)) => {
                format!("packages/p{}/{rest}", num.parse::<usize>().unwrap_or(0) % n)
            }
            None => s.to_string(),
        },
    )
    .collect()
}

/// One line per answer: `path: shipped`, `path: undecided (budget)`, ….
fn summary(got: &[(String, super::super::Decision)]) -> String {
    use super::super::{Decision, UndecidedReason};
    let lines: Vec<String> = got
        .iter()
        .map(|(q, d)| {
            let k = match d {
                Decision::Shipped(_) => "shipped",
                Decision::NotShipped { .. } => "not shipped",
                Decision::Undecided {
                    reason: UndecidedReason::Budget,
                    ..
                } => "undecided (budget)",
                Decision::Undecided { .. } => "undecided",
            };
            format!("{q}: {k}")
        })
        .collect();
    lines.join("\n  ")
}

#[test]
fn perf_diff_mode_40k_files() {
    use super::super::{Budget, ships_subset, ships_subset_with};
    let (files, content) = big_monorepo();
    assert!(
        files.len()
            > if cfg!(debug_assertions) {
                8_000
            } else {
                40_000
            }
    );
    let reads = std::cell::Cell::new(0usize);
    let read = |p: &str| {
        reads.set(reads.get() + 1);
        content.get(p).cloned()
    };
    let queries = diff_queries();
    // warm-up (page in the synthetic data), then measure
    let _ = ships_subset(&queries, &files, &read, &[]);
    // CPU cost per call (wall time on a shared machine mostly measures the neighbours);
    // a generous budget so every call does the same work
    let rounds = 20;
    let fixed = Budget {
        max_files: 800,
        max_time: std::time::Duration::from_secs(5),
        trust_package_boundaries: false,
    };
    let cpu0 = thread_cpu_secs();
    let t = Instant::now();
    for _ in 0..rounds {
        let _ = ships_subset_with(&queries, &files, &read, &[], fixed);
    }
    let wall = t.elapsed().as_secs_f64() * 1000.0 / rounds as f64;
    if let (Some(a), Some(b)) = (cpu0, thread_cpu_secs()) {
        println!(
            "ships_subset with an 800-file search budget: {:.1} ms CPU per call ({wall:.1} ms wall)",
            (b - a) * 1000.0 / rounds as f64
        );
    }
    for trust in [false, true] {
        reads.set(0);
        let mut budget = Budget {
            trust_package_boundaries: trust,
            ..Budget::default()
        };
        if cfg!(debug_assertions) {
            // unoptimized builds are ~10x slower: keep the outcome, not the timing
            budget.max_time = std::time::Duration::from_secs(10);
        }
        let t = Instant::now();
        let got = ships_subset_with(&queries, &files, &read, &[], budget);
        let ms = t.elapsed().as_secs_f64() * 1000.0;
        println!(
            "ships_subset, 10 queries, {} files, trust_package_boundaries={trust}: {ms:.1} ms, {} reads\n  {}",
            files.len(),
            reads.get(),
            summary(&got)
        );
        assert!(got[0].1.is_shipped() && got[3].1.is_shipped());
        assert!(!got[1].1.is_not_shipped() && !got[4].1.is_shipped());
        if trust {
            assert!(
                got[5].1.is_not_shipped(),
                "root script with trusted boundaries: {:?}",
                got[5].1
            );
        }
    }
}

#[test]
fn perf_phases_40k() {
    use super::super::{entry, project::Project};
    let (files, content) = big_monorepo();
    let read = |p: &str| content.get(p).cloned();
    for _ in 0..2 {
        let t = Instant::now();
        let p = Project::new(&files, &read);
        let t1 = t.elapsed();
        let e = entry::collect(&p, &[]);
        let t2 = t.elapsed();
        println!(
            "index {:?}, entries {:?} ({} entries, {} reads)",
            t1,
            t2 - t1,
            e.len(),
            p.reads()
        );
    }
}

#[test]
fn perf_full_mode_40k_files() {
    use super::super::ships;
    let (files, content) = big_monorepo();
    let read = |p: &str| content.get(p).cloned();
    let t = Instant::now();
    let s = ships(&files, &read, &[]).unwrap();
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    println!(
        "ships() over {} files: {ms:.0} ms, {} shipped",
        files.len(),
        s.shipped_count()
    );
    // index.ts + 900 tree modules per package
    let packages = if cfg!(debug_assertions) { 8 } else { 40 };
    assert_eq!(s.shipped_count(), packages * 901);
    assert!(s.decision("packages/p3/src/m950.ts").is_not_shipped());
    assert!(s.decision("scripts-1.js").is_not_shipped());
}
