//! WebSocket and Socket.IO checks.

use super::request::{build_req, expand, expand_json, shown_url, snippet};
use super::socketio::{Connect, connect_packet, engine_error, find_answer, open_sid};
use super::{Checked, Ctx, Done, Problem, http, problem};
use crate::smoke::config::CheckSpec;
use futures_util::{SinkExt, StreamExt};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

fn ws_url(http_url: &str) -> String {
    if let Some(r) = http_url.strip_prefix("https://") {
        format!("wss://{r}")
    } else if let Some(r) = http_url.strip_prefix("http://") {
        format!("ws://{r}")
    } else {
        http_url.to_string()
    }
}

type Socket =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn connect(url: &str, ctx: &Ctx, headers: &[(String, String)]) -> Result<Socket, String> {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = url
        .into_client_request()
        .map_err(|e| format!("bad WebSocket URL: {e}"))?;
    for (k, v) in headers {
        if let (Ok(name), Ok(value)) = (
            tokio_tungstenite::tungstenite::http::HeaderName::from_bytes(k.as_bytes()),
            tokio_tungstenite::tungstenite::http::HeaderValue::from_str(v),
        ) {
            request.headers_mut().insert(name, value);
        }
    }
    let connector = tokio_tungstenite::Connector::Rustls(ctx.tls.clone());
    let fut =
        tokio_tungstenite::connect_async_tls_with_config(request, None, false, Some(connector));
    match tokio::time::timeout(ctx.timeout, fut).await {
        Err(_) => Err(format!(
            "no WebSocket handshake within {}s",
            ctx.timeout.as_secs()
        )),
        Ok(Err(tokio_tungstenite::tungstenite::Error::Http(resp))) => Err(format!(
            "the upgrade was refused with HTTP {}",
            resp.status().as_u16()
        )),
        Ok(Err(e)) => Err(format!("WebSocket connect failed: {e}")),
        Ok(Ok((s, _))) => Ok(s),
    }
}

async fn next_text(s: &mut Socket, within: Duration) -> Result<Option<String>, String> {
    loop {
        match tokio::time::timeout(within, s.next()).await {
            Err(_) => return Ok(None),
            Ok(None) => return Err("the server closed the connection".into()),
            Ok(Some(Err(e))) => return Err(format!("WebSocket error: {e}")),
            Ok(Some(Ok(Message::Text(t)))) => return Ok(Some(t.to_string())),
            Ok(Some(Ok(Message::Binary(b)))) => {
                return Ok(Some(String::from_utf8_lossy(&b).into_owned()));
            }
            Ok(Some(Ok(Message::Close(f)))) => {
                return Err(format!(
                    "the server closed the connection{}",
                    f.map(|f| format!(" ({} {})", u16::from(f.code), f.reason))
                        .unwrap_or_default()
                ));
            }
            Ok(Some(Ok(_))) => continue,
        }
    }
}

pub async fn websocket_check(spec: &CheckSpec, ctx: &Ctx) -> Checked {
    let req = build_req(spec, ctx, "GET", "/").map_err(|e| problem("smoke/websocket", e))?;
    let url = ws_url(&req.url);
    let shown = shown_url(&url);
    let mut sock = connect(&url, ctx, &req.headers)
        .await
        .map_err(|e| problem("smoke/websocket", format!("{shown}: {e}")))?;
    let mut p = Vec::new();
    if let Some(msg) = &spec.send {
        let msg = expand(msg, ctx).map_err(|e| problem("smoke/websocket", e))?;
        if let Err(e) = sock.send(Message::text(msg)).await {
            p.push(problem(
                "smoke/websocket",
                format!("{shown}: could not send: {e}"),
            ));
        }
    }
    if let Some(want) = &spec.expect_message {
        let deadline = tokio::time::Instant::now() + ctx.timeout;
        let mut seen = None;
        loop {
            let left = deadline.saturating_duration_since(tokio::time::Instant::now());
            match next_text(&mut sock, left).await {
                Ok(Some(t)) if t.contains(want.as_str()) => break,
                Ok(Some(t)) => seen = Some(t),
                Ok(None) => {
                    p.push(problem(
                        "smoke/websocket",
                        format!(
                            "{shown}: no message containing `{want}` within {}s{}",
                            ctx.timeout.as_secs(),
                            seen.map(|s| format!(" (last: {})", snippet(&s)))
                                .unwrap_or_default()
                        ),
                    ));
                    break;
                }
                Err(e) => {
                    p.push(problem(
                        "smoke/websocket",
                        format!("{shown}: {e} before a message containing `{want}` arrived"),
                    ));
                    break;
                }
            }
        }
    }
    let _ = sock.close(None).await;
    Ok(Done::new(p, 0, None))
}

fn socketio_problem(shown: &str, ns: &str, c: Connect) -> Option<Problem> {
    match c {
        Connect::Connected => None,
        Connect::Refused(m) => Some(problem(
            "smoke/socketio",
            format!("{shown}: namespace `{ns}` refused the connection (44): {m}"),
        )),
        Connect::Disconnected => Some(problem(
            "smoke/socketio",
            format!("{shown}: namespace `{ns}` disconnected right after connecting (41)"),
        )),
    }
}

/// Engine.IO v4 handshake and namespace connect, over polling or websocket.
pub async fn socketio_check(spec: &CheckSpec, ctx: &Ctx) -> Checked {
    let ns = spec.namespace.clone().unwrap_or_else(|| "/".into());
    let path = spec.path.clone().unwrap_or_else(|| "/socket.io/".into());
    let base_spec = CheckSpec {
        path: Some(path),
        query: Default::default(),
        json: None,
        body: None,
        ..spec.clone()
    };
    let req = build_req(&base_spec, ctx, "GET", "/socket.io/")
        .map_err(|e| problem("smoke/socketio", e))?;
    let auth = spec
        .auth
        .as_ref()
        .map(|a| expand_json(a, ctx))
        .transpose()
        .map_err(|e| problem("smoke/socketio", e))?;
    let packet = connect_packet(&ns, auth.as_ref());
    let sep = if req.url.contains('?') { '&' } else { '?' };
    let transport = spec.transport.clone().unwrap_or_else(|| "polling".into());
    if transport == "websocket" {
        socketio_websocket(ctx, &req, &ns, &packet, sep).await
    } else {
        socketio_polling(ctx, &req, &ns, packet, sep).await
    }
}

/// Socket.IO over a WebSocket from the start.
async fn socketio_websocket(
    ctx: &Ctx,
    req: &http::Req,
    ns: &str,
    packet: &str,
    sep: char,
) -> Checked {
    let ns = ns.to_string();
    let url = ws_url(&format!("{}{sep}EIO=4&transport=websocket", req.url));
    let shown = shown_url(&url);
    let mut sock = connect(&url, ctx, &req.headers)
        .await
        .map_err(|e| problem("smoke/socketio", format!("{shown}: {e}")))?;
    let open = next_text(&mut sock, ctx.timeout)
        .await
        .map_err(|e| problem("smoke/socketio", format!("{shown}: {e}")))?;
    if open.as_deref().and_then(open_sid).is_none() {
        return Err(problem(
            "smoke/socketio",
            format!("{shown}: no Engine.IO open packet (is this an Engine.IO v4 server?)"),
        ));
    }
    sock.send(Message::text(packet.to_string()))
        .await
        .map_err(|e| problem("smoke/socketio", format!("{shown}: {e}")))?;
    let deadline = tokio::time::Instant::now() + ctx.timeout;
    let mut connected = false;
    loop {
        let left = deadline.saturating_duration_since(tokio::time::Instant::now());
        // After the connect ack, wait briefly for an immediate disconnect (41).
        let within = if connected {
            Duration::from_millis(300).min(left)
        } else {
            left
        };
        match next_text(&mut sock, within).await {
            Ok(Some(t)) if t == "2" => {
                let _ = sock.send(Message::text("3")).await;
            }
            Ok(Some(t)) => match find_answer(&t, &ns) {
                Some(Connect::Connected) => connected = true,
                Some(other) => {
                    let _ = sock.close(None).await;
                    return Ok(Done::new(
                        socketio_problem(&shown, &ns, other).into_iter().collect(),
                        0,
                        None,
                    ));
                }
                None => {}
            },
            Ok(None) if connected => break,
            Ok(None) => {
                return Ok(Done::new(
                    vec![problem(
                        "smoke/socketio",
                        format!(
                            "{shown}: no answer to the connect of namespace `{ns}` within {}s",
                            ctx.timeout.as_secs()
                        ),
                    )],
                    0,
                    None,
                ));
            }
            Err(_) if connected => {
                return Ok(Done::new(
                    vec![problem(
                        "smoke/socketio",
                        format!(
                            "{shown}: namespace `{ns}` disconnected right after connecting (the socket closed)"
                        ),
                    )],
                    0,
                    None,
                ));
            }
            Err(e) => {
                return Ok(Done::new(
                    vec![problem("smoke/socketio", format!("{shown}: {e}"))],
                    0,
                    None,
                ));
            }
        }
    }
    let _ = sock.close(None).await;
    Ok(Done::new(Vec::new(), 0, None))
}

/// Socket.IO over HTTP long-polling.
async fn socketio_polling(
    ctx: &Ctx,
    req: &http::Req,
    ns: &str,
    packet: String,
    sep: char,
) -> Checked {
    let ns = ns.to_string();
    let base = format!("{}{sep}EIO=4&transport=polling", req.url);
    let shown = shown_url(&base);
    let get = |url: String| {
        let r = http::Req {
            method: reqwest::Method::GET,
            url,
            headers: req.headers.clone(),
            body: None,
        };
        async move { http::send_once(&ctx.client, &r).await }
    };
    let engine = |r: &http::Resp| -> Problem {
        match engine_error(&r.text()) {
            Some(e) => problem("smoke/socketio", format!("{shown}: {e}")),
            None => problem("smoke/socketio", format!("{shown}: HTTP {}", r.status)),
        }
    };
    let open = get(base.clone())
        .await
        .map_err(|e| problem("smoke/unreachable", format!("{shown}: {e}")))?;
    if open.status != 200 {
        return Err(engine(&open));
    }
    let sid = open_sid(&open.text()).ok_or_else(|| {
        problem(
            "smoke/socketio",
            format!("{shown}: the handshake answer is not an Engine.IO v4 open packet"),
        )
    })?;
    let with_sid = format!("{base}&sid={sid}");
    let post = http::Req {
        method: reqwest::Method::POST,
        url: with_sid.clone(),
        headers: {
            let mut h = req.headers.clone();
            h.push(("content-type".into(), "text/plain;charset=UTF-8".into()));
            h
        },
        body: Some(packet.into_bytes()),
    };
    let r = http::send_once(&ctx.client, &post)
        .await
        .map_err(|e| problem("smoke/unreachable", format!("{shown}: {e}")))?;
    if r.status != 200 {
        return Err(engine(&r));
    }
    for _ in 0..3 {
        let r = get(with_sid.clone())
            .await
            .map_err(|e| problem("smoke/unreachable", format!("{shown}: {e}")))?;
        if r.status != 200 {
            return Err(engine(&r));
        }
        if let Some(answer) = find_answer(&r.text(), &ns) {
            return Ok(Done::new(
                socketio_problem(&shown, &ns, answer).into_iter().collect(),
                0,
                None,
            ));
        }
    }
    Ok(Done::new(
        vec![problem(
            "smoke/socketio",
            format!("{shown}: no answer to the connect of namespace `{ns}`"),
        )],
        0,
        None,
    ))
}
