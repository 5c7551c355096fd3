//! `shipgate smoke` against real servers on 127.0.0.1.

use crate::smoke_server::{PASSWORD, RELEASE, TOKEN, TestServer, USER, WEBHOOK_SECRET};
use crate::support::{Tree, bin};
use serde_json::Value;
use std::process::Command;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

fn server() -> &'static TestServer {
    static S: OnceLock<TestServer> = OnceLock::new();
    S.get_or_init(|| TestServer::start(Duration::from_secs(2)))
}

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Out {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}\n{}", self.stdout, self.stderr))
    }
}

fn smoke(config: &str, args: &[&str]) -> Out {
    let t = Tree::new(&[("shipgate.toml", config)]);
    let o = Command::new(bin())
        .current_dir(t.path())
        .arg("smoke")
        .args(args)
        .env("NO_COLOR", "1")
        .env("SMOKE_USER", USER)
        .env("SMOKE_PASSWORD", PASSWORD)
        .env("STRIPE_WEBHOOK_SECRET", WEBHOOK_SECRET)
        .env_remove("SHIPGATE_BASE_URL")
        .env_remove("GITHUB_SHA")
        .output()
        .unwrap();
    let out = Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    };
    for secret in [PASSWORD, TOKEN, WEBHOOK_SECRET, "ref_token_abcdefgh"] {
        assert!(
            !out.stdout.contains(secret) && !out.stderr.contains(secret),
            "secret leaked: {}…",
            &secret[..4]
        );
    }
    out
}

fn checks(report: &Value) -> Vec<(String, String)> {
    report["stages"][0]["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["name"].as_str().unwrap().to_string(),
                c["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn status_of(report: &Value, name: &str) -> String {
    checks(report)
        .into_iter()
        .find(|(n, _)| n == name)
        .map(|(_, s)| s)
        .unwrap_or_else(|| panic!("no check {name}"))
}

fn rules(report: &Value) -> Vec<String> {
    report["stages"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect()
}

fn cfg(body: &str) -> String {
    format!(
        "[smoke]\nbase_url = \"{}\"\nwait = \"20s\"\ntimeout = \"5s\"\n\n{body}",
        server().base
    )
}

fn cfg_no_wait(body: &str) -> String {
    format!(
        "[smoke]\nbase_url = \"{}\"\ntimeout = \"5s\"\n\n{body}",
        server().base
    )
}

#[test]
fn the_seed_runbooks_post_deploy_list_passes() {
    let config = cfg(r#"
[[smoke.checks]]
name = "liveness"
kind = "health"
path = "/api/healthz"

[[smoke.checks]]
name = "readiness"
kind = "health"
path = "/api/readyz"
components = ["db"]

[[smoke.checks]]
name = "swagger"
path = "/api/docs"
body_contains = ["Swagger UI"]
content_type = "text/html"

[[smoke.checks]]
name = "login"
kind = "login"
path = "/api/auth/login"
json = { username = "${SMOKE_USER}", password = "${SMOKE_PASSWORD}" }

[[smoke.checks]]
name = "me"
path = "/api/me"
headers = { Authorization = "Bearer ${token}" }
depends_on = ["login"]
json_equals = { "/user/role" = "manager" }
capture = { user_name = "json:/user/name" }

[[smoke.checks]]
name = "refresh"
kind = "refresh"
path = "/api/auth/refresh"
json = { refreshToken = "${refresh_token}" }
depends_on = ["login"]

[[smoke.checks]]
name = "manager route needs auth"
kind = "auth-required"
path = "/api/admin/users"

[[smoke.checks]]
name = "events namespace"
kind = "socketio"
namespace = "/events"

[[smoke.checks]]
name = "events namespace over websocket"
kind = "socketio"
namespace = "/events"
transport = "websocket"

[[smoke.checks]]
name = "admin namespace with token"
kind = "socketio"
namespace = "/admin"
auth = { token = "${token}" }
depends_on = ["login"]

[[smoke.checks]]
name = "ws echo"
kind = "websocket"
path = "/ws"
send = "ping"
expect_message = "echo:ping"

[[smoke.checks]]
name = "stripe webhook"
kind = "webhook"
provider = "stripe"
path = "/webhooks/stripe"
secret = "${STRIPE_WEBHOOK_SECRET}"

[[smoke.checks]]
name = "release"
kind = "version"
path = "/version"
header = "x-release"
"#);
    let r = smoke(
        &config,
        &["--format", "json", "--expect-version", &RELEASE[..12]],
    );
    let report = r.json();
    assert_eq!(
        r.code, 0,
        "{:#?}\n{}",
        report["stages"][0]["findings"], r.stderr
    );
    assert!(
        checks(&report).iter().all(|(_, s)| s == "passed"),
        "{:#?}",
        checks(&report)
    );
    // The 13 configured checks, and the wait for the deploy (with how long it took).
    assert_eq!(checks(&report).len(), 14);
    assert_eq!(checks(&report)[0].0, "wait for the deploy");
    let msg = report["stages"][0]["checks"][0]["message"]
        .as_str()
        .unwrap();
    assert!(msg.starts_with("ready after 1 try in "), "{msg}");
}

#[test]
fn wait_rides_out_a_slow_start() {
    // /api/readyz answers 503 for the server's first 2 seconds
    let started = Instant::now();
    let config =
        cfg("[[smoke.checks]]\nname = \"ready\"\nkind = \"health\"\npath = \"/api/readyz\"\n");
    let r = smoke(&config, &["--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(started.elapsed() < Duration::from_secs(20));
}

#[test]
fn never_ready_gives_up_at_the_deadline_with_exit_3() {
    let config = format!(
        "[smoke]\nbase_url = \"{}\"\n\n[[smoke.checks]]\nname = \"ready\"\nkind = \"health\"\npath = \"/never-ready\"\n",
        server().base
    );
    let started = Instant::now();
    let r = smoke(&config, &["--wait", "2s", "--format", "json"]);
    assert_eq!(r.code, 3, "{}", r.stdout);
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert!(started.elapsed() < Duration::from_secs(10));
    let report = r.json();
    assert_eq!(report["verdict"], "incomplete");
    assert!(
        report["stages"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("not ready after"),
        "{report:#}"
    );
}

#[test]
fn closed_connections_and_malformed_json_fail() {
    let config = format!(
        "[smoke]\nbase_url = \"{}\"\ntimeout = \"2s\"\n\n[[smoke.checks]]\nname = \"closing\"\nurl = \"{}/health\"\n\n[[smoke.checks]]\nname = \"malformed\"\npath = \"/malformed\"\njson_equals = {{ \"/status\" = \"ok\" }}\n",
        server().base,
        server().closing
    );
    let r = smoke(&config, &["--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let report = r.json();
    assert_eq!(status_of(&report, "closing"), "failed");
    assert_eq!(status_of(&report, "malformed"), "failed");
    let msgs: Vec<String> = report["stages"][0]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap().to_string())
        .collect();
    assert!(
        msgs.iter().any(|m| m.contains("not valid JSON")),
        "{msgs:#?}"
    );
    // a failed check points at its line in shipgate.toml
    let f = &report["stages"][0]["findings"][0];
    assert_eq!(f["location"]["path"], "shipgate.toml");
    assert!(f["location"]["line"].as_u64().unwrap() >= 5);
}

#[test]
fn down_body_open_route_and_forged_webhooks_fail() {
    let config = cfg_no_wait(
        r#"
[[smoke.checks]]
name = "health says down"
kind = "health"
path = "/down"

[[smoke.checks]]
name = "open admin route"
kind = "auth-required"
path = "/api/open/users"

[[smoke.checks]]
name = "webhook without verification"
kind = "webhook"
provider = "stripe"
path = "/webhooks/insecure"
secret = "${STRIPE_WEBHOOK_SECRET}"

[[smoke.checks]]
name = "refused namespace"
kind = "socketio"
namespace = "/admin"
auth = { token = "wrong" }

[[smoke.checks]]
name = "kicked namespace"
kind = "socketio"
namespace = "/kicked"
transport = "websocket"

[[smoke.checks]]
name = "wrong release"
kind = "version"
path = "/version"
header = "x-release"
expected = "fedcba9876543210"
"#,
    );
    let r = smoke(&config, &["--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let report = r.json();
    for c in [
        "health says down",
        "open admin route",
        "webhook without verification",
        "refused namespace",
        "kicked namespace",
        "wrong release",
    ] {
        assert_eq!(status_of(&report, c), "failed", "{c}");
    }
    let rules = rules(&report);
    assert!(rules.contains(&"smoke/auth-open".to_string()));
    assert!(rules.contains(&"smoke/webhook-unverified".to_string()));
    let text = smoke(&config, &[]).stdout;
    assert!(
        text.contains("reports the service down (redis down)"),
        "{text}"
    );
    assert!(
        text.contains("refused the connection (44): not authorized"),
        "{text}"
    );
    assert!(
        text.contains("disconnected right after connecting"),
        "{text}"
    );
    assert!(
        text.contains("was accepted (200): anyone can forge webhooks"),
        "{text}"
    );
    assert!(
        text.contains(
            "reports `0123456789abcdef0123456789abcdef01234567`, expected `fedcba9876543210`"
        ),
        "{text}"
    );
}

#[test]
fn no_checks_probes_the_usual_health_endpoints() {
    let config = format!("[smoke]\nbase_url = \"{}\"\n", server().base);
    // waits until liveness passes and every readiness endpoint that exists passes
    let r = smoke(&config, &["--format", "json", "--wait", "20s"]);
    assert_eq!(r.code, 0, "{}", r.stdout);
    let report = r.json();
    let c = checks(&report);
    assert!(
        c.contains(&("GET /health".to_string(), "passed".to_string())),
        "{c:#?}"
    );
    assert!(
        c.contains(&("GET /healthz".to_string(), "skipped".to_string())),
        "{c:#?}"
    );
    // No answer at all is incomplete (3), not a failed check; the reason says why.
    let r = smoke("", &["--base-url", &server().closing, "--format", "json"]);
    assert_eq!(r.code, 3, "{}", r.stdout);
    let reason = r.json()["stages"][0]["reason"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(reason.contains("no answer from"), "{reason}");
    // The transport error is named (closed, reset, or a timeout on a loaded machine).
    let cause = reason.rsplit("): ").next().unwrap_or("");
    assert!(
        ["closed", "reset", "connection", "timed out"]
            .iter()
            .any(|w| cause.contains(w)),
        "{reason}"
    );
}

#[test]
fn mutations_against_production_are_refused() {
    let config = format!(
        "[smoke]\nbase_url = \"{}\"\nproduction = true\n\n[[smoke.checks]]\nname = \"reset\"\nmethod = \"POST\"\npath = \"/api/orders/reset\"\n",
        server().base
    );
    let r = smoke(&config, &["--format", "json"]);
    assert_eq!(r.code, 1);
    let report = r.json();
    assert_eq!(status_of(&report, "reset"), "skipped");
    assert!(rules(&report).contains(&"smoke/mutation-refused".to_string()));
}

#[test]
fn usage_errors() {
    let r = smoke("", &[]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("no base URL"), "{}", r.stderr);
    let r = smoke(
        "[smoke]\nbase_url = \"x\"\n\n[[smoke.checks]]\nname = \"a\"\nkind = \"grpc\"\n",
        &[],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("shipgate.toml:6:9: unknown check kind `grpc`"),
        "{}",
        r.stderr
    );
    let r = smoke(
        "[[smoke.checks]]\nname = \"a\"\ndepends_on = [\"b\"]\n",
        &["--base-url", "http://127.0.0.1:9"],
    );
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("depends on `b`"), "{}", r.stderr);
}

#[test]
fn gate_skips_smoke_without_a_base_url() {
    let t = Tree::new(&[("src/a.ts", "export const a = 1;\n")]);
    let o = Command::new(bin())
        .current_dir(t.path())
        .args(["gate", "--format", "json"])
        .env_remove("SHIPGATE_BASE_URL")
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&o.stdout).unwrap();
    let smoke = report["stages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "smoke")
        .unwrap();
    assert_eq!(smoke["status"], "skipped");
    assert_eq!(o.status.code(), Some(0));
}
