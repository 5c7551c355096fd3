//! HTTP request tools: `curl`, `wget`, HTTPie (`http`/`https`) and `xh`, with the method
//! they send and the URL.

use super::super::shell::Word;
use super::Invocation;
use super::flags::split_flag;

/// curl long flags that take a value.
const CURL_VALUE: &[&str] = &[
    "--data",
    "--data-raw",
    "--data-binary",
    "--data-urlencode",
    "--data-ascii",
    "--json",
    "--form",
    "--form-string",
    "--header",
    "--output",
    "--user",
    "--user-agent",
    "--referer",
    "--cookie",
    "--cookie-jar",
    "--write-out",
    "--max-time",
    "--connect-timeout",
    "--retry",
    "--retry-delay",
    "--retry-max-time",
    "--request",
    "--url",
    "--upload-file",
    "--cacert",
    "--cert",
    "--key",
    "--proxy",
    "--resolve",
    "--config",
    "--output-dir",
    "--oauth2-bearer",
    "--max-filesize",
    "--limit-rate",
    "--interface",
    "--dns-servers",
    "--range",
    "--continue-at",
    "--trace",
    "--trace-ascii",
    "--stderr",
    "--variable",
    "--url-query",
    "--proxy-user",
    "--connect-to",
    "--aws-sigv4",
    "--capath",
    "--cert-type",
    "--key-type",
    "--pass",
    "--unix-socket",
    "--abstract-unix-socket",
    "--expect100-timeout",
    "--keepalive-time",
    "--max-redirs",
    "--speed-limit",
    "--speed-time",
    "--netrc-file",
    "--proto",
    "--proto-redir",
];
/// curl short flags that take a value.
const CURL_SHORT_VALUE: &str = "dDEFHKTXYAbceCmoPQrtuUwxyz";

/// Read a `curl …` command line.
pub(super) fn curl(rest: &[Word]) -> Invocation {
    let mut explicit: Option<String> = None;
    let mut implied: Option<&str> = None;
    let mut urls: Vec<&Word> = Vec::new();
    let mut it = rest.iter();
    let mut url_flag: Option<&Word> = None;
    while let Some(w) = it.next() {
        let t = w.text.as_str();
        if let Some(long) = t.strip_prefix("--") {
            if long.is_empty() {
                continue;
            }
            let (n, inline) = split_flag(t);
            let takes = CURL_VALUE.contains(&n);
            let value = match (takes, inline) {
                (_, Some(v)) => Some((v.to_string(), w)),
                (true, None) => it.next().map(|v| (v.text.clone(), v)),
                _ => None,
            };
            match n {
                "--request" => explicit = value.map(|(v, _)| v),
                "--head" => implied = Some("HEAD"),
                "--get" => implied = Some("GET"),
                "--upload-file" => implied = implied.or(Some("PUT")),
                "--url" => url_flag = value.map(|(_, w)| w),
                n if (n.starts_with("--data") || n == "--json" || n.starts_with("--form"))
                    && implied != Some("GET") =>
                {
                    implied = Some("POST");
                }
                _ => {}
            }
            continue;
        }
        if let Some(cluster) = t.strip_prefix('-').filter(|c| !c.is_empty()) {
            for (k, ch) in cluster.char_indices() {
                if CURL_SHORT_VALUE.contains(ch) {
                    let inline = cluster.get(k + ch.len_utf8()..).unwrap_or("");
                    let v = if inline.is_empty() {
                        it.next().map(|v| v.text.clone())
                    } else {
                        Some(inline.to_string())
                    };
                    match ch {
                        'X' => explicit = v,
                        'd' | 'F' if implied != Some("GET") => implied = Some("POST"),
                        'T' => implied = implied.or(Some("PUT")),
                        _ => {}
                    }
                    break;
                }
                match ch {
                    'I' => implied = Some("HEAD"),
                    'G' => implied = Some("GET"),
                    _ => {}
                }
            }
            continue;
        }
        urls.push(w);
    }
    let url = url_flag.or_else(|| {
        urls.iter()
            .find(|w| {
                w.text.contains("://") || w.text.starts_with('$') || w.text.starts_with("localhost")
            })
            .or(urls.first())
            .copied()
    });
    http_inv(
        "curl",
        explicit.as_deref().or(implied).unwrap_or("GET"),
        url,
    )
}

/// An `Http` invocation, or `Other` without a URL.
fn http_inv(tool: &str, method: &str, url: Option<&Word>) -> Invocation {
    match url {
        Some(u) => Invocation::Http {
            tool: tool.to_string(),
            method: method.to_ascii_uppercase(),
            url: u.text.clone(),
            line: u.line,
            column: u.column,
        },
        None => Invocation::Other,
    }
}

/// Read a `wget …` command line.
pub(super) fn wget(rest: &[Word]) -> Invocation {
    const VALUE: &[&str] = &[
        "-O",
        "-o",
        "-a",
        "-t",
        "-T",
        "-P",
        "-U",
        "-e",
        "-i",
        "-w",
        "--header",
        "--user",
        "--password",
        "--output-document",
        "--tries",
        "--timeout",
        "--wait",
        "--user-agent",
        "--load-cookies",
        "--save-cookies",
        "--method",
        "--post-data",
        "--post-file",
        "--body-data",
        "--body-file",
        "--directory-prefix",
        "--output-file",
    ];
    let mut method: Option<String> = None;
    let mut post = false;
    let mut url = None;
    let mut it = rest.iter();
    while let Some(w) = it.next() {
        let t = w.text.as_str();
        if t.starts_with('-') && t.len() > 1 {
            let (n, inline) = split_flag(t);
            let v = if VALUE.contains(&n) && inline.is_none() {
                it.next().map(|v| v.text.clone())
            } else {
                inline.map(str::to_string)
            };
            match n {
                "--method" => method = v,
                "--post-data" | "--post-file" => post = true,
                _ => {}
            }
            continue;
        }
        if url.is_none() {
            url = Some(w);
        }
    }
    let m = method.unwrap_or_else(|| if post { "POST".into() } else { "GET".into() });
    http_inv("wget", &m, url)
}

/// Read an HTTPie / xh command line.
pub(super) fn httpie(tool: &str, rest: &[Word]) -> Invocation {
    const VALUE: &[&str] = &[
        "-a",
        "--auth",
        "--auth-type",
        "-A",
        "--session",
        "--session-read-only",
        "--verify",
        "--timeout",
        "-o",
        "--output",
        "-p",
        "--print",
        "--pretty",
        "-s",
        "--style",
        "--cert",
        "--cert-key",
        "--proxy",
        "--max-redirects",
        "--boundary",
        "--format-options",
    ];
    let mut it = rest.iter();
    let mut positional: Vec<&Word> = Vec::new();
    let mut form = false;
    while let Some(w) = it.next() {
        let t = w.text.as_str();
        if t.starts_with('-') && t.len() > 1 {
            let (n, inline) = split_flag(t);
            if VALUE.contains(&n) && inline.is_none() {
                it.next();
            }
            form |= n == "-f" || n == "--form";
            continue;
        }
        positional.push(w);
    }
    let mut p = positional.into_iter();
    let Some(first) = p.next() else {
        return Invocation::Other;
    };
    let is_method = first.text.len() >= 3 && first.text.chars().all(|c| c.is_ascii_uppercase());
    let (method, url, items): (Option<String>, Option<&Word>, Vec<&Word>) = if is_method {
        (Some(first.text.clone()), p.next(), p.collect())
    } else {
        (None, Some(first), p.collect())
    };
    let has_data = form
        || items.iter().any(|w| {
            let t = w.text.as_str();
            t.contains(":=") || (t.contains('=') && !t.contains("==")) || t.contains('@')
        });
    let m = method.unwrap_or_else(|| {
        if has_data {
            "POST".into()
        } else {
            "GET".into()
        }
    });
    http_inv(tool, &m, url)
}
