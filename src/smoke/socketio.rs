//! Engine.IO v4 / Socket.IO v5 client: handshake and namespace connect over
//! HTTP long-polling or WebSocket, with the failure modes named.

use serde_json::Value;

/// Outcome of a namespace connect.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Connect {
    /// `40<ns>,{sid}`: connected.
    Connected,
    /// `44<ns>,{message}`: the server refused the namespace (middleware or auth).
    Refused(String),
    /// `41<ns>`: disconnected right after connecting.
    Disconnected,
}

/// The namespace prefix used in packets: empty for `/`, else `/ns,`.
pub fn ns_prefix(ns: &str) -> String {
    if ns.is_empty() || ns == "/" {
        String::new()
    } else {
        format!("{ns},")
    }
}

/// The CONNECT packet (`40`) for a namespace with an optional auth payload.
pub fn connect_packet(ns: &str, auth: Option<&Value>) -> String {
    let mut p = format!("40{}", ns_prefix(ns));
    if let Some(a) = auth {
        p.push_str(&a.to_string());
    }
    p
}

/// Parses the Engine.IO OPEN packet (`0{"sid":…}`) and returns the sid.
pub fn open_sid(packet: &str) -> Option<String> {
    let json: Value = serde_json::from_str(packet.strip_prefix('0')?).ok()?;
    json["sid"].as_str().map(str::to_string)
}

/// Looks through Engine.IO packets (polling payloads are `\x1e`-separated) for
/// the server's answer to our CONNECT.
pub fn find_answer(payload: &str, ns: &str) -> Option<Connect> {
    let prefix = ns_prefix(ns);
    let mut connected = false;
    for packet in payload.split('\u{1e}') {
        let Some(sio) = packet.strip_prefix('4') else {
            continue;
        };
        let mut chars = sio.chars();
        let kind = chars.next().map(String::from).unwrap_or_default();
        let rest = chars.as_str();
        let rest = match rest.strip_prefix(prefix.as_str()) {
            Some(r) => r,
            None if prefix.is_empty() => rest,
            None => continue,
        };
        match kind.as_str() {
            "0" => connected = true,
            "4" => {
                let msg = serde_json::from_str::<Value>(rest)
                    .ok()
                    .and_then(|v| v["message"].as_str().map(str::to_string))
                    .unwrap_or_else(|| rest.to_string());
                return Some(Connect::Refused(msg));
            }
            "1" if connected => return Some(Connect::Disconnected),
            "1" => return Some(Connect::Disconnected),
            _ => {}
        }
    }
    connected.then_some(Connect::Connected)
}

/// Names an Engine.IO HTTP error body (`{"code":0,"message":"Transport unknown"}`).
pub fn engine_error(body: &str) -> Option<String> {
    let v: Value = serde_json::from_str(body).ok()?;
    let code = v["code"].as_i64()?;
    let what = match code {
        0 => "transport unknown (the server does not offer this transport)",
        1 => {
            "session ID unknown (requests of one session reached different instances: enable sticky sessions or use the websocket transport only)"
        }
        2 => "bad handshake method",
        3 => "bad request",
        4 => "forbidden",
        5 => "unsupported protocol version (the server is not Engine.IO v4)",
        _ => "engine error",
    };
    Some(format!(
        "{what} [code {code}: {}]",
        v["message"].as_str().unwrap_or("")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn packets() {
        assert_eq!(
            connect_packet("/events", Some(&json!({"token": "t"}))),
            "40/events,{\"token\":\"t\"}"
        );
        assert_eq!(connect_packet("/", None), "40");
        assert_eq!(
            open_sid("0{\"sid\":\"abc\",\"upgrades\":[]}").as_deref(),
            Some("abc")
        );
        assert_eq!(
            find_answer("40/events,{\"sid\":\"x\"}", "/events"),
            Some(Connect::Connected)
        );
        assert_eq!(
            find_answer("44/events,{\"message\":\"not authorized\"}", "/events"),
            Some(Connect::Refused("not authorized".into()))
        );
        assert_eq!(
            find_answer("40/events,{}\u{1e}41/events,", "/events"),
            Some(Connect::Disconnected)
        );
        assert_eq!(find_answer("2", "/events"), None);
        assert_eq!(
            find_answer("40{\"sid\":\"x\"}", "/"),
            Some(Connect::Connected)
        );
        assert!(
            engine_error("{\"code\":1,\"message\":\"Session ID unknown\"}")
                .unwrap()
                .contains("sticky")
        );
    }
}
