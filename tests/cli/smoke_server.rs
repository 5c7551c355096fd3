//! A real HTTP + WebSocket + Socket.IO server on 127.0.0.1 for the smoke tests,
//! with routes for every behaviour the checks must tell apart.

use axum::Router;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use socketioxide::SocketIo;
use socketioxide::extract::{SocketRef, TryData};
use socketioxide::handler::ConnectHandler;
use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const WEBHOOK_SECRET: &str = "whsec_test_secret_value_1234";
pub const USER: &str = "master";
pub const PASSWORD: &str = "s3cret-pass-word";
pub const TOKEN: &str = "tok_eyJhbGciOiJIUzI1NiJ9.access.9f8e7d6c5b4a";
pub const RELEASE: &str = "0123456789abcdef0123456789abcdef01234567";

#[derive(Clone)]
struct AppState {
    started: Instant,
    seen_events: Arc<Mutex<HashSet<String>>>,
    ready_after: Duration,
}

pub struct TestServer {
    pub base: String,
    pub closing: String,
}

fn json_response(status: StatusCode, v: Value) -> Response {
    (
        status,
        [("content-type", "application/json")],
        v.to_string(),
    )
        .into_response()
}

async fn ready(State(s): State<AppState>) -> Response {
    if s.started.elapsed() < s.ready_after {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            [("retry-after", "1")],
            "starting",
        )
            .into_response()
    } else {
        json_response(
            StatusCode::OK,
            json!({"status": "ok", "info": {"db": {"status": "up"}}, "error": {}, "details": {"db": {"status": "up"}}}),
        )
    }
}

async fn login(body: axum::body::Bytes) -> Response {
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    if v["username"] == USER && v["password"] == PASSWORD {
        json_response(
            StatusCode::CREATED,
            json!({"accessToken": TOKEN, "refreshToken": "ref_token_abcdefgh"}),
        )
    } else {
        json_response(
            StatusCode::UNAUTHORIZED,
            json!({"message": "bad credentials"}),
        )
    }
}

async fn refresh(body: axum::body::Bytes) -> Response {
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    if v["refreshToken"] == "ref_token_abcdefgh" {
        json_response(StatusCode::OK, json!({"accessToken": TOKEN}))
    } else {
        json_response(
            StatusCode::UNAUTHORIZED,
            json!({"message": "bad refresh token"}),
        )
    }
}

async fn me(headers: HeaderMap) -> Response {
    if headers.get("authorization").and_then(|v| v.to_str().ok())
        == Some(&format!("Bearer {TOKEN}"))
    {
        json_response(
            StatusCode::OK,
            json!({"user": {"name": USER, "role": "manager"}}),
        )
    } else {
        json_response(StatusCode::UNAUTHORIZED, json!({"message": "unauthorized"}))
    }
}

fn stripe_ok(headers: &HeaderMap, body: &[u8]) -> bool {
    let Some(sig) = headers
        .get("stripe-signature")
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let mut t = None;
    let mut v1 = None;
    for part in sig.split(',') {
        match part.split_once('=') {
            Some(("t", x)) => t = x.parse::<i64>().ok(),
            Some(("v1", x)) => v1 = Some(x.to_string()),
            _ => {}
        }
    }
    let (Some(t), Some(v1)) = (t, v1) else {
        return false;
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    if (now - t).abs() > 300 {
        return false;
    }
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(WEBHOOK_SECRET.as_bytes()).unwrap();
    mac.update(format!("{t}.").as_bytes());
    mac.update(body);
    let expected: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    expected == v1
}

async fn stripe_webhook(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if !stripe_ok(&headers, &body) {
        return json_response(StatusCode::BAD_REQUEST, json!({"error": "bad signature"}));
    }
    let v: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let id = v["id"].as_str().unwrap_or("").to_string();
    let dup = !s.seen_events.lock().unwrap().insert(id);
    json_response(StatusCode::OK, json!({"received": true, "duplicate": dup}))
}

async fn ws_echo(ws: WebSocketUpgrade) -> Response {
    ws.on_upgrade(|mut socket: WebSocket| async move {
        let _ = socket.send(Message::Text("hello".into())).await;
        while let Some(Ok(msg)) = socket.recv().await {
            if let Message::Text(t) = msg {
                let _ = socket.send(Message::Text(format!("echo:{t}").into())).await;
            }
        }
    })
}

async fn slow() -> Response {
    tokio::time::sleep(Duration::from_millis(200)).await;
    json_response(StatusCode::OK, json!({"status": "ok"}))
}

#[derive(Debug)]
struct Unauthorized;
impl std::fmt::Display for Unauthorized {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not authorized")
    }
}

async fn admin_auth(TryData(auth): TryData<Value>) -> Result<(), Unauthorized> {
    match auth {
        Ok(a) if a["token"] == TOKEN => Ok(()),
        _ => Err(Unauthorized),
    }
}

impl TestServer {
    /// Starts the server; `ready_after` delays /api/readyz.
    pub fn start(ready_after: Duration) -> TestServer {
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .unwrap();
            rt.block_on(async move {
                let (layer, io) = SocketIo::new_layer();
                io.ns("/events", async |_s: SocketRef| {});
                io.ns("/admin", (async |_s: SocketRef| {}).with(admin_auth));
                io.ns("/kicked", async |s: SocketRef| {
                    s.disconnect().ok();
                });
                let state = AppState { started: Instant::now(), seen_events: Arc::default(), ready_after };
                let app = Router::new()
                    .route("/health", get(|| async { json_response(StatusCode::OK, json!({"status": "ok"})) }))
                    .route("/api/healthz", get(|| async { json_response(StatusCode::OK, json!({"status": "pass"})) }))
                    .route("/api/readyz", get(ready))
                    .route("/never-ready", get(|| async { (StatusCode::SERVICE_UNAVAILABLE, "no") }))
                    .route("/down", get(|| async { json_response(StatusCode::OK, json!({"status": "error", "error": {"redis": {"status": "down"}}, "details": {"redis": {"status": "down"}, "db": {"status": "up"}}})) }))
                    .route("/malformed", get(|| async { (StatusCode::OK, [("content-type", "application/json")], "{\"status\": \"ok\",") }))
                    .route("/api/docs", get(|| async { (StatusCode::OK, [("content-type", "text/html")], "<html><title>Swagger UI</title></html>") }))
                    .route("/api/admin/users", get(|| async { json_response(StatusCode::UNAUTHORIZED, json!({"message": "Unauthorized"})) }))
                    .route("/api/open/users", get(|| async { json_response(StatusCode::OK, json!([{"id": 1}])) }))
                    .route("/api/auth/login", post(login))
                    .route("/api/auth/refresh", post(refresh))
                    .route("/api/me", get(me))
                    .route("/webhooks/stripe", post(stripe_webhook))
                    .route("/webhooks/insecure", post(|| async { json_response(StatusCode::OK, json!({"ok": true})) }))
                    .route("/version", get(|| async { ([("x-release", RELEASE)], "{}") }))
                    .route("/ws", get(ws_echo))
                    .route("/slow", get(slow))
                    .with_state(state)
                    .layer(layer);
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
                let addr = listener.local_addr().unwrap();
                // A port that accepts connections and closes them at once.
                let closing = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
                let closing_addr = closing.local_addr().unwrap();
                std::thread::spawn(move || {
                    for c in closing.incoming().take(10_000) {
                        drop(c);
                    }
                });
                tx.send((format!("http://{addr}"), format!("http://{closing_addr}"))).unwrap();
                axum::serve(listener, app).await.unwrap();
            });
        });
        let (base, closing) = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        TestServer { base, closing }
    }
}
