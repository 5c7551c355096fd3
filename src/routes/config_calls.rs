//! Routes declared in option objects rather than router calls: `@godaddy/terminus`
//! `createTerminus(server, { healthChecks: { "/healthz": … } })` and Swagger UI
//! `SwaggerModule.setup("docs", …)`.
//! A small tokenizer (comments dropped, plain strings cooked) is enough for both.

/// A token kind.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Tok {
    Ident(String),
    Str(String),
    Punct(u8),
    Other,
}

/// A token and its byte offset.
#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    at: usize,
}

/// A health path found in the code, or a construct that may declare one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// The path (`None`: could not be decided; `reason` says why).
    pub path: Option<String>,
    /// 1-based line.
    pub line: usize,
    /// Why a path could not be decided.
    pub reason: String,
}

fn skip_string(b: &[u8], mut i: usize, q: u8) -> (usize, Option<String>) {
    let start = i + 1;
    i += 1;
    let mut plain = true;
    let mut depth = 0usize;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' {
            plain = false;
            i += 2;
            continue;
        }
        if q == b'`' && c == b'$' && b.get(i + 1) == Some(&b'{') {
            plain = false;
            depth += 1;
            i += 2;
            continue;
        }
        if depth > 0 && c == b'}' {
            depth -= 1;
        } else if depth == 0 && c == q {
            let text = std::str::from_utf8(&b[start..i]).ok().map(str::to_string);
            return (i + 1, text.filter(|_| plain));
        } else if c == b'\n' && q != b'`' {
            return (i, None);
        }
        i += 1;
    }
    (i, None)
}

fn tokens(text: &str) -> Vec<Token> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'/' && b.get(i + 1) == Some(&b'/') {
            i = memchr::memchr(b'\n', &b[i..]).map_or(b.len(), |k| i + k);
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            i = memchr::memmem::find(&b[i + 2..], b"*/").map_or(b.len(), |k| i + 2 + k + 2);
        } else if matches!(c, b'"' | b'\'' | b'`') {
            let (end, s) = skip_string(b, i, c);
            out.push(Token {
                tok: s.map_or(Tok::Other, Tok::Str),
                at: i,
            });
            i = end.max(i + 1);
        } else if c.is_ascii_alphabetic() || c == b'_' || c == b'$' {
            let start = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'$') {
                i += 1;
            }
            let word = String::from_utf8_lossy(&b[start..i]).into_owned();
            out.push(Token {
                tok: Tok::Ident(word),
                at: start,
            });
        } else if c.is_ascii_punctuation() {
            out.push(Token {
                tok: Tok::Punct(c),
                at: i,
            });
            i += 1;
        } else {
            if !out.last().is_some_and(|t| t.tok == Tok::Other) {
                out.push(Token {
                    tok: Tok::Other,
                    at: i,
                });
            }
            i += 1;
        }
    }
    out
}

fn line_of(text: &str, at: usize) -> usize {
    text.as_bytes()
        .get(..at)
        .map_or(1, |b| memchr::memchr_iter(b'\n', b).count() + 1)
}

fn is(t: Option<&Token>, p: u8) -> bool {
    t.is_some_and(|t| t.tok == Tok::Punct(p))
}

/// Index just past the bracket closing the one opened at `open`.
fn close(toks: &[Token], open: usize) -> usize {
    let mut depth = 0usize;
    for (k, t) in toks.iter().enumerate().skip(open) {
        match t.tok {
            Tok::Punct(b'(' | b'{' | b'[') => depth += 1,
            Tok::Punct(b')' | b'}' | b']') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return k + 1;
                }
            }
            _ => {}
        }
    }
    toks.len()
}

/// The `{` of the object literal an identifier is assigned (`name = {`).
fn assigned_object(toks: &[Token], name: &str) -> Option<usize> {
    toks.windows(3)
        .position(|w| {
            w[0].tok == Tok::Ident(name.to_string())
                && w[1].tok == Tok::Punct(b'=')
                && w[2].tok == Tok::Punct(b'{')
        })
        .map(|k| k + 2)
}

/// The `{` an expression starting at `at` stands for (a literal or a variable).
fn object_at(toks: &[Token], at: usize) -> Option<usize> {
    match &toks.get(at)?.tok {
        Tok::Punct(b'{') => Some(at),
        Tok::Ident(name) => assigned_object(toks, name),
        _ => None,
    }
}

/// Top-level `(key token index, key)` pairs of the object opened at `open`.
fn keys(toks: &[Token], open: usize) -> Vec<(usize, Tok)> {
    let end = close(toks, open);
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut expect_key = true;
    for (k, t) in toks
        .iter()
        .enumerate()
        .take(end.saturating_sub(1))
        .skip(open + 1)
    {
        match t.tok {
            Tok::Punct(b'(' | b'{' | b'[') if depth > 0 || !expect_key => depth += 1,
            Tok::Punct(b')' | b'}' | b']') if depth > 0 => depth -= 1,
            Tok::Punct(b',') if depth == 0 => expect_key = true,
            _ if depth == 0 && expect_key => {
                out.push((k, t.tok.clone()));
                expect_key = false;
                if matches!(t.tok, Tok::Punct(b'(' | b'{' | b'[')) {
                    depth += 1;
                }
            }
            _ => {}
        }
    }
    out
}

/// Index of the second argument of the call whose `(` is at `open`.
fn second_arg(toks: &[Token], open: usize, end: usize) -> Option<usize> {
    let mut depth = 0usize;
    for (k, t) in toks.iter().enumerate().take(end).skip(open + 1) {
        match t.tok {
            Tok::Punct(b'(' | b'{' | b'[') => depth += 1,
            Tok::Punct(b')' | b'}' | b']') => depth = depth.checked_sub(1)?,
            Tok::Punct(b',') if depth == 0 => return Some(k + 1),
            _ => {}
        }
    }
    None
}

/// Health paths of `createTerminus(…, { healthChecks })` calls in a file that
/// uses `@godaddy/terminus`.
pub fn terminus(text: &str) -> Vec<Found> {
    if !text.contains("createTerminus") || !text.contains("@godaddy/terminus") {
        return Vec::new();
    }
    let toks = tokens(text);
    let mut out = Vec::new();
    for (k, t) in toks.iter().enumerate() {
        if t.tok != Tok::Ident("createTerminus".into()) || !is(toks.get(k + 1), b'(') {
            continue;
        }
        let line = line_of(text, t.at);
        let undecided = |reason: &str| Found {
            path: None,
            line,
            reason: reason.to_string(),
        };
        let call_end = close(&toks, k + 1);
        let options = second_arg(&toks, k + 1, call_end).and_then(|j| object_at(&toks, j));
        let Some(options) = options else {
            out.push(undecided(
                "createTerminus options are not an object literal",
            ));
            continue;
        };
        let checks = keys(&toks, options)
            .into_iter()
            .find(|(_, key)| *key == Tok::Ident("healthChecks".into()));
        let Some((at, _)) = checks else {
            continue;
        };
        let value = if is(toks.get(at + 1), b':') {
            object_at(&toks, at + 2)
        } else {
            assigned_object(&toks, "healthChecks")
        };
        let Some(value) = value else {
            out.push(undecided("Terminus healthChecks are not an object literal"));
            continue;
        };
        for (kat, key) in keys(&toks, value) {
            let kline = line_of(text, toks[kat].at);
            match key {
                Tok::Str(s) if s.starts_with('/') => out.push(Found {
                    path: Some(s),
                    line: kline,
                    reason: String::new(),
                }),
                Tok::Punct(b'[') | Tok::Punct(b'.') => out.push(Found {
                    path: None,
                    line: kline,
                    reason: "Terminus health check path is computed".into(),
                }),
                _ => {}
            }
        }
    }
    out
}

/// Paths `SwaggerModule.setup("…", …)` serves (NestJS Swagger UI).
pub fn swagger(text: &str) -> Vec<Found> {
    if !text.contains("SwaggerModule") {
        return Vec::new();
    }
    let toks = tokens(text);
    toks.windows(5)
        .filter_map(|w| {
            let hit = w[0].tok == Tok::Ident("SwaggerModule".into())
                && w[1].tok == Tok::Punct(b'.')
                && w[2].tok == Tok::Ident("setup".into())
                && w[3].tok == Tok::Punct(b'(');
            match (&w[4].tok, hit) {
                (Tok::Str(s), true) => Some(Found {
                    path: Some(format!("/{}", s.trim_matches('/'))),
                    line: line_of(text, w[0].at),
                    reason: String::new(),
                }),
                _ => None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminus_literal_variable_and_computed_keys() {
        let src = "import { createTerminus } from '@godaddy/terminus';\n\
            // createTerminus(x, { healthChecks: { '/commented': f } })\n\
            createTerminus(server, {\n  signal: 'SIGINT',\n  healthChecks: {\n    '/healthz': () => db.ping({ a: 1 }),\n    \"/readyz\": async () => {},\n    [PATH]: f,\n    verbatim: true,\n  },\n});\n";
        let f = terminus(src);
        let paths: Vec<_> = f.iter().map(|x| (x.path.clone(), x.line)).collect();
        assert_eq!(
            paths,
            vec![
                (Some("/healthz".to_string()), 6),
                (Some("/readyz".to_string()), 7),
                (None, 8)
            ]
        );
        let src = "const { createTerminus } = require('@godaddy/terminus');\nconst healthChecks = { '/live': live };\nconst options = { healthChecks, timeout: 1000 };\ncreateTerminus(server, options);\n";
        let f = terminus(src);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].path.as_deref(), Some("/live"));
        assert_eq!(f[0].line, 2);
        assert!(terminus("createTerminus(server, opts)").is_empty());
    }

    #[test]
    fn swagger_setup_path() {
        let f = swagger("const d = x;\nSwaggerModule.setup('api/docs', app, d);\n");
        assert_eq!(f[0].path.as_deref(), Some("/api/docs"));
        assert_eq!(f[0].line, 2);
        assert!(swagger("SwaggerModule.setup(path, app, d)").is_empty());
    }
}
