//! `curl [opts] URL` command lines: the target URL and the HTTP method.

use super::endpoints::{Found, push_found};

/// curl options that take a separate value argument.
const WITH_VALUE: &[&str] = &[
    "-X",
    "--request",
    "-H",
    "--header",
    "-d",
    "--data",
    "--data-raw",
    "--data-binary",
    "--data-urlencode",
    "-o",
    "--output",
    "-u",
    "--user",
    "-w",
    "--write-out",
    "-m",
    "--max-time",
    "--connect-timeout",
    "-A",
    "--user-agent",
    "-e",
    "--referer",
    "-F",
    "--form",
    "-b",
    "--cookie",
    "-c",
    "--cookie-jar",
    "--retry",
    "--retry-delay",
    "--retry-max-time",
    "-x",
    "--proxy",
    "--resolve",
    "--cacert",
    "--cert",
    "--key",
    "-T",
    "--upload-file",
    "-K",
    "--config",
    "--json",
];

/// `curl [opts] URL`: the first non-option argument, with `-X`/`--request`/`-I` as method.
pub(super) fn curl_endpoints(line: &str, found: &mut Vec<Found>) {
    let mut search = 0;
    while let Some(p) = line.get(search..).and_then(|r| r.find("curl")) {
        let start = search + p;
        search = start + 4;
        let ok_before = line[..start]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() && c != '-' && c != '_');
        if !ok_before || !line[search..].starts_with([' ', '\t']) {
            continue;
        }
        let end = line[search..]
            .find(['`', '|', ';', '&'])
            .map_or(line.len(), |e| search + e);
        let (mut method, mut expect_value, mut is_method) = (None, false, false);
        for (off, tok) in tokens(&line[search..end]) {
            let tok_start = search + off;
            if expect_value {
                if is_method {
                    method = Some(tok.trim_matches(['"', '\'']).to_ascii_uppercase());
                }
                expect_value = false;
                continue;
            }
            if tok.starts_with('-') {
                let name = tok.split('=').next().unwrap_or(tok);
                if name == "-I" || name == "--head" {
                    method = Some("HEAD".to_string());
                }
                is_method = name == "-X" || name == "--request";
                expect_value = WITH_VALUE.contains(&name) && !tok.contains('=');
                if let Some(m) = tok
                    .strip_prefix("-X")
                    .filter(|m| !m.is_empty() && !tok.starts_with("--"))
                {
                    method = Some(m.to_ascii_uppercase());
                    expect_value = false;
                }
                continue;
            }
            if tok.contains('/') || tok.contains(':') || tok.starts_with("localhost") {
                let q = usize::from(tok.starts_with(['"', '\'']));
                push_found(
                    found,
                    tok_start + q,
                    method.clone(),
                    tok.trim_matches(['"', '\'']),
                );
            }
            break;
        }
    }
}

/// Whitespace-separated tokens with byte offsets (quotes kept; quoted spaces respected).
fn tokens(s: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut quote: Option<char> = None;
    for (i, c) in s.char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => {
                quote = Some(c);
                start.get_or_insert(i);
            }
            (None, c) if c.is_whitespace() => {
                if let Some(st) = start.take() {
                    out.push((st, &s[st..i]));
                }
            }
            _ => {
                start.get_or_insert(i);
            }
        }
    }
    if let Some(st) = start {
        out.push((st, &s[st..]));
    }
    out
}
