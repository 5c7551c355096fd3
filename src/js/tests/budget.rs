#![allow(clippy::unwrap_used)]
//! Diff-mode budget: what the default [`Budget`] costs on 40k-file repositories, and that
//! its answers agree with the full analysis.
//!
//! Figures: `cargo test --release budget_figures -- --ignored --nocapture --test-threads=1`
//! (each figure is the median of per-call `Instant` timings over many calls).

use std::cell::Cell;
use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::super::entry;
use super::super::files::FileIndex;
use super::super::project::Project;
use super::super::{Budget, Decision, UndecidedReason, ships, ships_subset_with};
use super::acme::{acme, pr_queries};
use super::perf::{big_monorepo, diff_queries};

/// Nanoseconds this thread has run on a CPU (`/proc/thread-self/schedstat`, Linux); unlike
/// wall time, not inflated by other processes competing for the cores. Its resolution can be
/// a scheduler tick, so it is only read around a whole series of calls (mean per call).
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

/// One figure (ms): median and 90th percentile of wall time per call, its maximum, and the
/// mean CPU time per call.
struct Figure {
    median: f64,
    p90: f64,
    max: f64,
    cpu: Option<f64>,
}

impl std::fmt::Display for Figure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "median {:6.2} ms, p90 {:6.2}, max {:5.1}",
            self.median, self.p90, self.max
        )?;
        match self.cpu {
            Some(c) => write!(f, "; CPU {c:6.2} ms/call"),
            None => Ok(()),
        }
    }
}

/// Time `rounds` calls of `f`.
fn time<T>(rounds: usize, mut f: impl FnMut() -> T) -> Figure {
    let mut wall = Vec::with_capacity(rounds);
    let cpu0 = cpu_ns();
    for _ in 0..rounds {
        let t = Instant::now();
        std::hint::black_box(f());
        wall.push(ms(t.elapsed()));
    }
    let cpu = match (cpu0, cpu_ns()) {
        (Some(a), Some(b)) => Some(b.saturating_sub(a) as f64 / 1e6 / rounds.max(1) as f64),
        _ => None,
    };
    wall.sort_by(f64::total_cmp);
    let at = |q: usize| wall.get(wall.len() * q / 100).copied().unwrap_or_default();
    Figure {
        median: at(50),
        p90: at(90),
        max: wall.last().copied().unwrap_or_default(),
        cpu,
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn stopped_by_budget(d: &Decision) -> bool {
    matches!(
        d,
        Decision::Undecided {
            reason: UndecidedReason::Budget,
            ..
        }
    )
}

/// Print the cost breakdown of diff mode for one repository.
fn figures(name: &str, files: &[String], content: &HashMap<String, Vec<u8>>, queries: &[String]) {
    let reads = Cell::new(0usize);
    let read = |p: &str| {
        reads.set(reads.get() + 1);
        content.get(p).cloned()
    };
    let rounds = if cfg!(debug_assertions) { 3 } else { 200 };
    println!(
        "== {name}: {} files, {rounds} calls per figure",
        files.len()
    );
    let setup = Budget {
        max_files: 0,
        ..Budget::default()
    };
    let t = Instant::now();
    std::hint::black_box(ships_subset_with(queries, files, &read, &[], setup));
    println!(
        "  first setup in the process:     {:6.2} ms",
        ms(t.elapsed())
    );
    let f = time(rounds, || FileIndex::new(files).len());
    println!("  file index:                     {f}");
    let f = time(rounds, || Project::new(files, &read).package_dirs.len());
    println!("  index + package discovery:      {f}");
    reads.set(0);
    let f = time(rounds, || {
        let p = Project::new(files, &read);
        entry::collect(&p, &[]).len()
    });
    println!(
        "  ... + entrypoints (configs):    {f}, {} reads",
        reads.get() / rounds
    );
    let f = time(rounds, || {
        ships_subset_with(queries, files, &read, &[], setup)
    });
    println!("  whole setup (search budget 0):  {f}");
    println!(
        "  (default budget: {:?}, {} files)",
        Budget::default().max_time,
        Budget::default().max_files
    );
    for (label, trust, time_limit) in [
        ("default budget", false, Budget::default().max_time),
        (
            "default, trust boundaries",
            true,
            Budget::default().max_time,
        ),
        ("15 ms (the old default)", false, Duration::from_millis(15)),
    ] {
        let budget = Budget {
            max_time: time_limit,
            trust_package_boundaries: trust,
            ..Budget::default()
        };
        reads.set(0);
        let mut decided = 0;
        let f = time(rounds, || {
            let got = ships_subset_with(queries, files, &read, &[], budget);
            decided = got.iter().filter(|(_, d)| !stopped_by_budget(d)).count();
        });
        println!(
            "  {label:30}  {f}, {} reads/call, {decided}/{} answered",
            reads.get() / rounds,
            queries.len()
        );
    }
}

/// The kind of a decision, for comparisons.
fn kind(d: &Decision) -> String {
    match d {
        Decision::Shipped(_) => "shipped".into(),
        Decision::NotShipped { .. } => "not shipped".into(),
        Decision::Undecided { reason, .. } => format!("undecided ({reason:?})"),
    }
}

#[test]
fn diff_mode_agrees_with_the_full_analysis_on_a_realistic_monorepo() {
    let a = acme();
    let read = |p: &str| a.content.get(p).cloned();
    let full = ships(&a.files, &read, &[]).unwrap();
    let queries = pr_queries();
    let want = [
        "shipped",
        "shipped",
        "not shipped",
        "shipped",
        "shipped",
        "shipped",
        "not shipped",
        "undecided (NotSource)",
        "shipped", // exported: `"./package.json": "./package.json"`
        "shipped",
    ];
    for (q, w) in queries.iter().zip(want) {
        assert_eq!(kind(&full.decision(q)), w, "{q} (full analysis)");
    }
    for trust in [false, true] {
        let unlimited = Budget {
            max_files: usize::MAX,
            max_time: Duration::from_secs(3600),
            trust_package_boundaries: trust,
        };
        let got = ships_subset_with(&queries, &a.files, &read, &[], unlimited);
        for ((q, d), w) in got.iter().zip(want) {
            assert_eq!(kind(d), w, "{q} (diff mode, trust={trust})");
            if let Decision::Shipped(x) = d {
                // a real chain: from the entrypoint's file (or a file under its root) to `q`
                let first = x.chain.first().unwrap();
                assert!(first == &x.entrypoint.file || first.starts_with(&x.entrypoint.file));
                assert_eq!(x.chain.last().unwrap(), q);
                assert_eq!(x.lines.len() + 1, x.chain.len());
            }
        }
        // the default budget may stop early, but never says anything else
        let budget = Budget {
            trust_package_boundaries: trust,
            ..Budget::default()
        };
        for ((q, d), w) in ships_subset_with(&queries, &a.files, &read, &[], budget)
            .iter()
            .zip(want)
        {
            assert!(
                kind(d) == w || stopped_by_budget(d),
                "{q}: {} (default budget, trust={trust})",
                kind(d)
            );
        }
    }
}

#[test]
#[ignore = "figures: run in release with --ignored --nocapture"]
fn budget_figures() {
    let a = acme();
    figures("acme monorepo", &a.files, &a.content, &pr_queries());
    let (files, content) = big_monorepo();
    let queries = diff_queries();
    figures("synthetic 40-package tree", &files, &content, &queries);
}
