//! Benchmark: `protect check --org` over 500 repositories against the fake
//! GitHub API answering every request after 50 ms. Goal: ≤ 10 s, and never more
//! requests in flight than the configured concurrency.
//! Run: `cargo bench --bench protect_org` (builds the release binary first).

#[allow(dead_code, clippy::unwrap_used)]
#[path = "../tests/cli/fake_github.rs"]
mod fake_github;

use serde_json::json;
use std::process::Command;
use std::time::Instant;

fn main() {
    let status = Command::new("cargo")
        .args(["build", "--release", "--quiet"])
        .status()
        .expect("cargo build");
    assert!(status.success());
    let bin = concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/shipgate");
    let gh = fake_github::FakeGitHub::start();
    {
        let mut s = gh.state();
        s.latency_ms = 50;
        s.org_repos = (0..500)
            .map(|i| json!({ "id": i, "name": format!("svc-{i:03}"), "full_name": format!("acme/svc-{i:03}"), "archived": false, "fork": false }))
            .collect();
    }
    let dir = std::env::temp_dir().join(format!("shipgate-protect-bench-{}", std::process::id()));
    std::fs::create_dir_all(dir.join(".git")).expect("mkdir");
    std::fs::write(
        dir.join("shipgate.toml"),
        "[protect.branches.main]\nenforce_admins = true\n",
    )
    .expect("write");
    for concurrency in [8usize, 16] {
        gh.state().max_in_flight = 0;
        let started = Instant::now();
        let mut cmd = Command::new(bin);
        cmd.current_dir(&dir).args([
            "protect",
            "check",
            "--org",
            "acme",
            "-q",
            "--concurrency",
            &concurrency.to_string(),
        ]);
        for (k, v) in gh.env() {
            cmd.env(k, v);
        }
        let out = cmd.output().expect("run shipgate");
        let took = started.elapsed();
        let max = gh.state().max_in_flight;
        println!(
            "protect check --org, 500 repos, 50 ms latency, concurrency {concurrency}: {:.2} s (exit {:?}), max in flight {max}",
            took.as_secs_f64(),
            out.status.code()
        );
        assert!(
            max <= concurrency,
            "more requests in flight than configured"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
