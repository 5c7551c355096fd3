//! Benchmark: 50 independent smoke checks against a local server that answers
//! each request after 200 ms must finish in about one request's time, not 50×.
//! Run: `cargo bench --bench smoke_concurrency` (builds the release binary first).

use axum::Router;
use axum::routing::get;
use std::process::Command;
use std::time::{Duration, Instant};

fn start_server() -> String {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("runtime");
        rt.block_on(async move {
            let app = Router::new().route(
                "/slow/{n}",
                get(|| async {
                    tokio::time::sleep(Duration::from_millis(200)).await;
                    "{\"status\":\"ok\"}"
                }),
            );
            let l = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind");
            tx.send(format!("http://{}", l.local_addr().expect("addr")))
                .expect("send");
            axum::serve(l, app).await.expect("serve");
        });
    });
    rx.recv_timeout(Duration::from_secs(10))
        .expect("server start")
}

fn config(base: &str, n: usize) -> String {
    let mut c = format!("[smoke]\nbase_url = \"{base}\"\n");
    for i in 0..n {
        c.push_str(&format!(
            "\n[[smoke.checks]]\nname = \"check {i}\"\npath = \"/slow/{i}\"\n"
        ));
    }
    c
}

fn run(bin: &str, dir: &std::path::Path) -> Duration {
    let started = Instant::now();
    let out = Command::new(bin)
        .current_dir(dir)
        .args(["smoke", "-q"])
        .output()
        .expect("run shipgate");
    let took = started.elapsed();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    took
}

fn main() {
    let status = Command::new("cargo")
        .args(["build", "--release", "--quiet"])
        .status()
        .expect("cargo build");
    assert!(status.success());
    let bin = concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/shipgate");
    let base = start_server();
    let dir = std::env::temp_dir().join(format!("shipgate-smoke-bench-{}", std::process::id()));
    let one = dir.join("one");
    let fifty = dir.join("fifty");
    for (d, n) in [(&one, 1), (&fifty, 50)] {
        std::fs::create_dir_all(d).expect("mkdir");
        std::fs::write(d.join("shipgate.toml"), config(&base, n)).expect("write");
    }
    let best = |d: &std::path::Path| (0..5).map(|_| run(bin, d)).min().expect("runs");
    let t1 = best(&one);
    let t50 = best(&fifty);
    let ratio = t50.as_secs_f64() / t1.as_secs_f64();
    println!(
        "1 check:   {:>6.0} ms (best of 5, whole process)",
        t1.as_secs_f64() * 1000.0
    );
    println!(
        "50 checks: {:>6.0} ms (best of 5, whole process)",
        t50.as_secs_f64() * 1000.0
    );
    println!("ratio:     {ratio:.2}x (goal <= 1.5x)");
    let _ = std::fs::remove_dir_all(&dir);
}
