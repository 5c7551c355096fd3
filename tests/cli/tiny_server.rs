//! A minimal HTTP/1.1 server on 127.0.0.1 whose answers a test scripts by
//! path and by time since start: lying health bodies, slow starts with
//! `Retry-After`, servers that never answer.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// An answer: status, headers, body. Status 0 closes without answering;
/// status 1 keeps the connection open without a byte (a server that hangs).
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(status: u16, body: &str) -> Answer {
        Answer {
            status,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.as_bytes().to_vec(),
        }
    }
    pub fn with(mut self, k: &str, v: &str) -> Answer {
        self.headers.push((k.into(), v.into()));
        self
    }
}

pub struct Tiny {
    pub base: String,
}

type Handler = dyn Fn(&str, Duration) -> Answer + Send + Sync;

/// Starts a server; `handler(path_and_query, since_start)` decides every answer.
pub fn serve(handler: impl Fn(&str, Duration) -> Answer + Send + Sync + 'static) -> Tiny {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let handler: Arc<Handler> = Arc::new(handler);
    let started = Instant::now();
    std::thread::spawn(move || {
        for conn in listener.incoming() {
            let Ok(conn) = conn else { continue };
            let handler = handler.clone();
            std::thread::spawn(move || {
                let _ = conn.set_read_timeout(Some(Duration::from_secs(5)));
                let mut writer = conn.try_clone().unwrap();
                let mut reader = BufReader::new(conn);
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 {
                    return;
                }
                let target = line.split_whitespace().nth(1).unwrap_or("/").to_string();
                loop {
                    let mut h = String::new();
                    if reader.read_line(&mut h).unwrap_or(0) == 0 || h.trim().is_empty() {
                        break;
                    }
                }
                let a = handler(&target, started.elapsed());
                match a.status {
                    0 => return,
                    1 => {
                        std::thread::sleep(Duration::from_secs(30));
                        return;
                    }
                    _ => {}
                }
                let mut head = format!(
                    "HTTP/1.1 {} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                    a.status,
                    a.body.len()
                );
                for (k, v) in &a.headers {
                    head.push_str(&format!("{k}: {v}\r\n"));
                }
                head.push_str("\r\n");
                let _ = writer.write_all(head.as_bytes());
                let _ = writer.write_all(&a.body);
            });
        }
    });
    Tiny { base }
}
