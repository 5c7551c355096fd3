//! Invariant checks for shipgate's parsers and renderers, shared by the fuzz
//! targets (`fuzz/fuzz_targets/*.rs`) and the property tests
//! (`tests/props/main.rs` includes this file with `#[path]`). Each public
//! check takes raw input bytes, runs the code under test and panics when an
//! invariant does not hold. Only `shipgate`, `serde_json`, `regex` and
//! `jsonschema` may be used here: the main crate's tests have those.

use serde_json::{Map, Value, json};
use shipgate::model::{
    CheckResult, CheckStatus, FailOn, Finding, Fingerprint, Location, Report, RuleInfo, Severity,
    Snippet, StageOutcome, Suppression, SuppressionKind,
};
use shipgate::render::{Format, TextOptions};
use shipgate::smoke::health::{Health, Reading};
use std::path::PathBuf;
use std::sync::OnceLock;

// ---------------------------------------------------------------------------
// Input decoding
// ---------------------------------------------------------------------------

/// Adversarial fragments mixed into generated strings: escapes of every output
/// format, control characters, multi-byte and non-characters, line breaks.
pub const PIECES: &[&str] = &[
    "%",
    "%25",
    "%0A",
    "%3A",
    "::",
    "::error file=x::",
    "\n",
    "\r\n",
    "\r",
    "<",
    ">",
    "&",
    "&amp;",
    "&#0;",
    "]]>",
    "<!--",
    "<b>x</b>",
    "<script>alert(1)</script>",
    "\"",
    "'",
    "`",
    "|",
    "\\",
    "*",
    "_",
    "#",
    "[l](javascript:x)",
    ",",
    ":",
    "=",
    " ",
    "\t",
    "é",
    "ü",
    "日本",
    "😀",
    "\u{1b}[31m",
    "\u{0}",
    "\u{7}",
    "\u{8}",
    "\u{b}",
    "\u{c}",
    "\u{7f}",
    "\u{85}",
    "\u{2028}",
    "\u{fffd}",
    "\u{fffe}",
    "\u{ffff}",
    "\u{feff}",
    "\u{d7ff}",
    "\u{e000}",
    "\u{10ffff}",
    "${X}",
    "--",
    "a",
    "0",
    "/",
    "../",
    "http://localhost:3000", // shipgate:allow localhost/hardcoded-url -- a fuzz input fragment
    "secrets/x",
];

/// Reads structured choices from fuzz input; past the end every read is 0,
/// so generation always terminates.
pub struct Src<'a> {
    data: &'a [u8],
    pos: usize,
    /// Bytes left for "huge" strings (keeps one input's output bounded).
    huge: usize,
}

impl<'a> Src<'a> {
    /// Reads from `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Src {
            data,
            pos: 0,
            huge: 1 << 14,
        }
    }

    /// One byte (0 past the end).
    pub fn byte(&mut self) -> u8 {
        let b = self.data.get(self.pos).copied().unwrap_or(0);
        self.pos = self.pos.saturating_add(1);
        b
    }

    /// Two bytes, little-endian.
    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes([self.byte(), self.byte()])
    }

    /// Four bytes, little-endian.
    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes([self.byte(), self.byte(), self.byte(), self.byte()])
    }

    /// Eight bytes, little-endian.
    pub fn u64(&mut self) -> u64 {
        u64::from(self.u32()) | (u64::from(self.u32()) << 32)
    }

    /// A number below `n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            0
        } else {
            usize::from(self.u16()) % n
        }
    }

    /// True with probability `p`/256.
    pub fn chance(&mut self, p: u8) -> bool {
        self.byte() < p
    }

    /// Up to `n` raw bytes.
    pub fn bytes(&mut self, n: usize) -> &'a [u8] {
        let start = self.pos.min(self.data.len());
        let end = start.saturating_add(n).min(self.data.len());
        self.pos = self.pos.saturating_add(n);
        &self.data[start..end]
    }

    /// Everything not read yet.
    pub fn rest(&mut self) -> &'a [u8] {
        let start = self.pos.min(self.data.len());
        self.pos = self.data.len();
        &self.data[start..]
    }

    /// One of `items`.
    pub fn pick<'p>(&mut self, items: &[&'p str]) -> &'p str {
        items[self.below(items.len())]
    }

    /// A string built from raw input bytes, adversarial fragments, arbitrary
    /// scalar values, numbers and (rarely) a huge repeated run.
    pub fn text(&mut self) -> String {
        let mut s = String::new();
        for _ in 0..self.below(10) {
            let b = self.byte();
            match b % 8 {
                // One piece in 256 is a huge repeated run (bounded per input).
                _ if b == 0 && self.huge > 0 => {
                    let piece = self.pick(PIECES);
                    let reps = (1 + self.below(8192)).min(self.huge / piece.len());
                    self.huge -= reps * piece.len();
                    s.push_str(&piece.repeat(reps));
                }
                0 | 1 | 6 => {
                    let n = self.below(24);
                    s.push_str(&String::from_utf8_lossy(self.bytes(n)));
                }
                2..=4 => s.push_str(self.pick(PIECES)),
                5 => {
                    if let Some(c) = char::from_u32(self.u32() % 0x11_0000) {
                        s.push(c);
                    }
                }
                _ => s.push_str(&self.u64().to_string()),
            }
        }
        s
    }
}

/// `(line, column)` is a 1-based position inside `text` (lines split on `\n`;
/// a column may point just past the line's last character).
pub fn assert_located(what: &dyn std::fmt::Display, text: &str, line: usize, column: usize) {
    let lines: Vec<&str> = text.split('\n').collect();
    assert!(
        (1..=lines.len()).contains(&line),
        "{what}: line {line} is outside 1..={}",
        lines.len()
    );
    let width = lines[line - 1].chars().count();
    assert!(
        (1..=width + 1).contains(&column),
        "{what}: column {column} is outside 1..={} on line {line}",
        width + 1
    );
}

fn char_windows(s: &str, n: usize) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    chars.windows(n).map(|w| w.iter().collect()).collect()
}

// ---------------------------------------------------------------------------
// dotenv
// ---------------------------------------------------------------------------

fn valid_env_key(k: &str) -> bool {
    let mut chars = k.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.' || c == '-')
}

/// The fixed wording of dotenv problem messages (the key `K` blanked), so that
/// a line which happens to contain that wording is not taken for an echo.
fn dotenv_vocabulary() -> &'static [String] {
    static V: OnceLock<Vec<String>> = OnceLock::new();
    V.get_or_init(|| {
        let samples: [&[u8]; 7] = [
            b"no equals sign",
            b"9=x",
            b"K=\"x",
            b"K='x",
            b"K=`x",
            b"K=\"x\" y",
            b"K=1\nK=2",
        ];
        samples
            .iter()
            .flat_map(|s| shipgate::env::dotenv::parse(s).problems)
            .map(|p| p.message.replace("`K`", "``"))
            .collect()
    })
}

/// `shipgate::env::dotenv::parse`: entries and problems are located on a line
/// of the input (an entry's column points at its key), and a malformed line's
/// text is never echoed in a message: no run of 8+ characters of the left side
/// of a line whose name is invalid (or that has no `=`), nor of the value of a
/// line whose name is valid (names themselves are quoted on purpose).
pub fn dotenv(data: &[u8]) {
    use shipgate::env::dotenv::{ProblemKind, parse};
    let file = parse(data);
    let lossy = String::from_utf8_lossy(data);
    let text = lossy.strip_prefix('\u{feff}').unwrap_or(&lossy);
    let lines: Vec<&str> = text
        .split('\n')
        .map(|l| l.strip_suffix('\r').unwrap_or(l))
        .collect();
    let line_at = |what: &str, line: usize, column: usize| -> &str {
        assert!(
            (1..=lines.len()).contains(&line),
            "{what}: line {line} is outside 1..={}",
            lines.len()
        );
        let l = lines[line - 1];
        let width = l.chars().count();
        assert!(
            (1..=width + 1).contains(&column),
            "{what}: column {column} is outside 1..={} on line {line}",
            width + 1
        );
        l
    };
    for e in &file.entries {
        let l = line_at(&format!("entry `{}`", e.key), e.line, e.column);
        assert!(valid_env_key(&e.key), "invalid key accepted: {:?}", e.key);
        let from: String = l.chars().skip(e.column - 1).collect();
        assert!(
            from.starts_with(&e.key),
            "entry `{}` at {}:{} does not point at its key (line {l:?})",
            e.key,
            e.line,
            e.column
        );
    }
    for p in &file.problems {
        let raw = line_at(&format!("problem {:?}", p.message), p.line, p.column);
        assert!(!p.message.is_empty());
        if p.kind != ProblemKind::Malformed {
            continue;
        }
        let body = raw.trim_start();
        let body = match body.strip_prefix("export") {
            Some(r) if r.starts_with([' ', '\t']) => r.trim_start(),
            _ => body,
        };
        let (secret, message) = match body.split_once('=') {
            Some((left, right)) if valid_env_key(left.trim_end()) => {
                let key = left.trim_end();
                (right, p.message.replace(&format!("`{key}`"), "``"))
            }
            Some((left, _)) => (left, p.message.clone()),
            None => (body, p.message.clone()),
        };
        for w in char_windows(secret, 8) {
            if message.contains(&w) && !dotenv_vocabulary().iter().any(|v| v.contains(&w)) {
                panic!(
                    "the message for malformed line {} echoes its text {w:?}: {:?}",
                    p.line, p.message
                );
            }
        }
    }
}

// ---------------------------------------------------------------------------
// shipgate.toml and rule packs
// ---------------------------------------------------------------------------

/// `shipgate::config::parse_config` on UTF-8 input: every error is located
/// inside the text; an accepted config's located values are too, and its
/// scope globs compile.
pub fn config(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        config_text(text);
    }
}

/// [`config`] on a string.
pub fn config_text(text: &str) {
    match shipgate::config::parse_config("shipgate.toml", None, text) {
        Err(errors) => {
            assert!(!errors.is_empty(), "an error result without errors");
            for e in &errors {
                assert_eq!(e.file, "shipgate.toml");
                assert!(!e.message.is_empty(), "empty message at {e}");
                assert_located(e, text, e.line, e.column);
            }
        }
        Ok(config) => {
            for d in config.scan.disable.iter().chain(&config.scan.rule_dirs) {
                assert_located(&d.value, text, d.line, d.column);
            }
            for (r, _) in &config.scan.severity {
                assert_located(&r.value, text, r.line, r.column);
            }
            for i in &config.ignores {
                assert_located(&i.describe(), text, i.line, 1);
            }
            for name in config.gate.profile_names() {
                assert!(config.gate.profile(&name).is_some(), "profile {name:?}");
            }
            let scopes = shipgate::gate::scope_globs(&config);
            if let Err(e) = shipgate::rules::Ruleset::compile(Vec::new(), &scopes, &config.scan) {
                panic!("an accepted config's scope globs do not compile: {e}");
            }
        }
    }
}

/// `shipgate::rules::parse_pack`: errors and rules are located inside the
/// text; an accepted pack compiles with the default scopes and its examples
/// run.
pub fn rule_pack(data: &[u8]) {
    if let Ok(text) = std::str::from_utf8(data) {
        rule_pack_text(text);
    }
}

/// [`rule_pack`] on a string.
pub fn rule_pack_text(text: &str) {
    use shipgate::rules::{NoOverrides, Ruleset, parse_pack, test_examples};
    match parse_pack("pack.toml", text) {
        Err(errors) => {
            assert!(!errors.is_empty(), "an error result without errors");
            for e in &errors {
                assert_eq!(e.file, "pack.toml");
                assert!(!e.message.is_empty(), "empty message at {e}");
                assert_located(e, text, e.line, e.column);
            }
        }
        Ok(specs) => {
            for r in &specs {
                assert_located(&r.id, text, r.line, 1);
                assert_eq!(r.origin, "pack.toml");
            }
            let examples: usize = specs
                .iter()
                .map(|r| r.examples_match.len() + r.examples_no_match.len())
                .sum();
            let scopes = shipgate::gate::scope_globs(&shipgate::config::Config::defaults());
            let rules = match Ruleset::compile(specs, &scopes, &NoOverrides) {
                Ok(r) => r,
                Err(e) => panic!("an accepted pack does not compile: {e}"),
            };
            let (run, failures) = test_examples(&rules);
            assert_eq!(run, examples, "every example runs once");
            assert!(failures.len() <= run);
        }
    }
}

// ---------------------------------------------------------------------------
// git diff -U0
// ---------------------------------------------------------------------------

/// `shipgate::scan::diff::parse_unified_zero`: every file listed has added
/// lines, all of them 1-based.
pub fn diff(data: &[u8]) {
    for f in shipgate::scan::diff::parse_unified_zero(data) {
        assert!(
            !f.added.is_empty(),
            "{} is listed without added lines",
            f.path
        );
        assert!(f.content.is_none());
        if let Some(bad) = f.added.iter().find(|&&l| l == 0) {
            panic!("{}: added line number {bad} is not 1-based", f.path);
        }
    }
}

// ---------------------------------------------------------------------------
// Health bodies
// ---------------------------------------------------------------------------

const HEALTH_KEYS: &[&str] = &[
    "status",
    "state",
    "health",
    "healthy",
    "ok",
    "data",
    "result",
    "checks",
    "details",
    "info",
    "error",
    "components",
    "dependencies",
    "services",
    "name",
    "component",
    "id",
    "service",
    "componentId",
    "db:responseTime",
    "message",
    "x",
];

const HEALTH_WORDS: &[&str] = &[
    "pass",
    "ok",
    "UP",
    "up",
    "Healthy",
    "ready",
    "green",
    "true",
    "warn",
    "degraded",
    "partial",
    "starting",
    "not ready",
    "warming-up",
    "draining",
    "unknown",
    "fail",
    "error",
    "DOWN",
    "out_of_service",
    "OUT-OF-SERVICE",
    " down ",
    "unhealthy",
    "false",
    "critical",
    "maybe",
    "",
];

/// A JSON value shaped like health documents (keys and words they use).
pub fn health_value(src: &mut Src, depth: usize) -> Value {
    match src.byte() % 10 {
        0 => Value::Null,
        1 => Value::Bool(src.chance(128)),
        2 => json!(i64::from(src.u16() as i16)),
        3 => Value::String(src.text()),
        4 | 5 => Value::String(src.pick(HEALTH_WORDS).to_string()),
        6..=8 if depth < 6 => {
            let mut m = Map::new();
            for _ in 0..src.below(6) {
                let k = if src.chance(220) {
                    src.pick(HEALTH_KEYS).to_string()
                } else {
                    src.text()
                };
                m.insert(k, health_value(src, depth + 1));
            }
            Value::Object(m)
        }
        9 if depth < 6 => Value::Array(
            (0..src.below(5))
                .map(|_| health_value(src, depth + 1))
                .collect(),
        ),
        _ => Value::String(src.pick(HEALTH_WORDS).to_string()),
    }
}

fn check_health(what: &dyn std::fmt::Debug, overall: Health, components: &[(&String, &Health)]) {
    for (name, h) in components {
        assert!(
            overall >= **h,
            "{what:?}: overall {overall:?} but component {name:?} is {h:?}"
        );
    }
    if overall == Health::Up {
        assert!(
            !components.iter().any(|(_, h)| **h == Health::Down),
            "{what:?}: up with a component down"
        );
    }
}

fn check_reading(what: &dyn std::fmt::Debug, r: &Reading) {
    use shipgate::smoke::health::unhealthy;
    if let Reading::Document(h, c) = r {
        let comps: Vec<(&String, &Health)> = c.iter().collect();
        check_health(what, *h, &comps);
    }
    let healthy = matches!(
        r,
        Reading::Document(Health::Up | Health::Warn, _) | Reading::Unrecognised
    );
    assert_eq!(
        unhealthy(r).is_none(),
        healthy,
        "{what:?}: unhealthy() disagrees with {r:?}"
    );
}

/// `shipgate::smoke::health::{read, parse}`: an overall status is never
/// better than a component's (so `Document(Up, …)` never has one down).
pub fn health(data: &[u8]) {
    use shipgate::smoke::health::{parse, read};
    let mut src = Src::new(data);
    let ct_text;
    let ct = match src.byte() % 6 {
        0 => None,
        1 => Some("application/json"),
        2 => Some("application/health+json; charset=utf-8"),
        3 => Some("text/plain"),
        4 => Some("TEXT/HTML"),
        _ => {
            ct_text = src.text();
            Some(ct_text.as_str())
        }
    };
    let body: Vec<u8> = if src.chance(128) {
        src.rest().to_vec()
    } else {
        let v = health_value(&mut src, 0);
        if let Some((h, c)) = parse(&v) {
            let comps: Vec<(&String, &Health)> = c.iter().collect();
            check_health(&v, h, &comps);
        }
        serde_json::to_vec(&v).unwrap_or_default()
    };
    let r = read(ct, &body);
    check_reading(&String::from_utf8_lossy(&body), &r);
    if let Ok(v) = serde_json::from_slice::<Value>(&body) {
        let direct = parse(&v);
        match (&r, direct) {
            (Reading::Document(h, c), Some((h2, c2))) => {
                assert_eq!((h, c), (&h2, &c2), "read and parse disagree")
            }
            (Reading::Unrecognised, None) => {}
            (other, direct) => panic!("read gave {other:?}, parse gave {direct:?}"),
        }
    }
}

// ---------------------------------------------------------------------------
// Socket.IO / Engine.IO packets
// ---------------------------------------------------------------------------

/// `shipgate::smoke::socketio::{open_sid, find_answer, engine_error,
/// connect_packet}` on arbitrary strings, plus round trips: the server's
/// CONNECT answer for a namespace is recognised, a refusal's message is
/// recovered, an OPEN packet's sid and an error body's message are read back.
pub fn socketio(data: &[u8]) {
    use shipgate::smoke::socketio::{
        Connect, connect_packet, engine_error, find_answer, ns_prefix, open_sid,
    };
    let mut src = Src::new(data);
    let ns = if src.chance(128) {
        src.pick(&["", "/", "/events", "/a,b", "/ü"]).to_string()
    } else {
        src.text()
    };
    let msg = src.text();
    let auth = health_value(&mut src, 3);
    let raw = String::from_utf8_lossy(src.rest()).into_owned();

    let _ = open_sid(&raw);
    let _ = engine_error(&raw);
    for n in ["", "/", "/events", ns.as_str()] {
        let _ = find_answer(&raw, n);
    }
    let p = connect_packet(&ns, Some(&auth));
    assert!(p.starts_with("40"), "{p:?}");
    assert!(p.ends_with(&auth.to_string()), "{p:?}");
    assert_eq!(connect_packet(&ns, None), format!("40{}", ns_prefix(&ns)));
    let _ = find_answer(&p, &ns);

    if !ns.contains('\u{1e}') {
        let prefix = ns_prefix(&ns);
        let ok = format!("40{prefix}{{\"sid\":\"x\"}}");
        assert_eq!(
            find_answer(&ok, &ns),
            Some(Connect::Connected),
            "{ok:?} for {ns:?}"
        );
        let refused = format!("44{prefix}{}", json!({ "message": msg }));
        assert_eq!(
            find_answer(&refused, &ns),
            Some(Connect::Refused(msg.clone())),
            "{refused:?} for {ns:?}"
        );
        let gone = format!("{ok}\u{1e}41{prefix}");
        assert_eq!(find_answer(&gone, &ns), Some(Connect::Disconnected));
    }
    let open = format!("0{}", json!({ "sid": msg, "upgrades": [] }));
    assert_eq!(open_sid(&open).as_deref(), Some(msg.as_str()), "{open:?}");
    let code = i64::from(src.byte() % 8);
    let err = engine_error(&json!({ "code": code, "message": msg }).to_string());
    match err {
        Some(e) => assert!(e.ends_with(&format!("[code {code}: {msg}]")), "{e:?}"),
        None => panic!("engine error {code} not recognised"),
    }
}

// ---------------------------------------------------------------------------
// Reports and renderers
// ---------------------------------------------------------------------------

const PACKS: &[&str] = &[
    "secrets",
    "localhost",
    "env",
    "smoke",
    "protect",
    "scan",
    "hygiene",
];
const NAMES: &[&str] = &[
    "github-token",
    "hardcoded-url",
    "undeclared",
    "committed-secret",
    "health",
    "x",
    "a-b-c",
];
const STAGE_NAMES: &[&str] = &["scan", "env", "smoke", "protect", "commands"];

fn severity(src: &mut Src) -> Severity {
    match src.byte() % 3 {
        0 => Severity::Note,
        1 => Severity::Warning,
        _ => Severity::Error,
    }
}

fn rule_id(src: &mut Src) -> String {
    if src.chance(200) {
        format!("{}/{}", src.pick(PACKS), src.pick(NAMES))
    } else {
        src.text()
    }
}

fn opt_text(src: &mut Src, p: u8) -> Option<String> {
    src.chance(p).then(|| src.text())
}

fn location(src: &mut Src) -> Location {
    match src.byte() % 8 {
        0 => Location::Url { url: src.text() },
        1 => Location::Repo {
            repo: src.text(),
            branch: opt_text(src, 128),
        },
        2 => Location::file(src.text()),
        _ => {
            let line = 1 + src.below(5000);
            let column = 1 + src.below(300);
            let end_line = line + src.below(3);
            let end_column = 1 + src.below(300);
            let big = src.chance(8);
            let path = src.text();
            if big {
                let l = usize::try_from(src.u32()).unwrap_or(1).max(1);
                Location::span(path, (l, column), (l, end_column))
            } else {
                Location::span(path, (line, column), (end_line, end_column))
            }
        }
    }
}

fn finding(src: &mut Src) -> Finding {
    let rule = rule_id(src);
    let message = src.text();
    let location = location(src);
    let snippet = src.chance(128).then(|| {
        let text = src.text();
        let width = text.chars().count() + 1;
        let highlight_start = 1 + src.below(width);
        let highlight_end = highlight_start + src.below(width + 1 - highlight_start);
        Snippet {
            text,
            highlight_start,
            highlight_end,
        }
    });
    let fingerprint = if src.chance(220) {
        Fingerprint::compute(&rule, location.path().unwrap_or(""), &message, src.below(3))
    } else {
        Fingerprint(src.text())
    };
    let suppressed = src.chance(40).then(|| Suppression {
        kind: match src.byte() % 3 {
            0 => SuppressionKind::Inline,
            1 => SuppressionKind::Config,
            _ => SuppressionKind::Baseline,
        },
        reason: src.text(),
    });
    Finding {
        title: src.text(),
        severity: severity(src),
        help: src.text(),
        rule,
        message,
        location,
        snippet,
        fingerprint,
        suppressed,
    }
}

/// An arbitrary report built the way stages build theirs (findings, checks,
/// stats, then `finalize`), with every string taken from the input.
pub fn report(src: &mut Src) -> Report {
    let fail_on = FailOn(severity(src));
    let mut stages = Vec::new();
    for _ in 0..src.below(5) {
        let mut name = if src.chance(200) {
            src.pick(STAGE_NAMES).to_string()
        } else {
            src.text()
        };
        // A plan runs each stage once: stage names are unique in a report.
        while stages.iter().any(|s: &StageOutcome| s.name == name) {
            name.push('2');
        }
        let mut stage = if src.chance(24) {
            StageOutcome::skipped(&name, src.text())
        } else {
            let findings: Vec<Finding> = (0..src.below(8)).map(|_| finding(src)).collect();
            let problem = opt_text(src, 32);
            StageOutcome::new(&name, findings, problem, src.u64() % 100_000_000)
        };
        match src.byte() % 3 {
            0 => {
                let ids = (0..src.below(4)).map(|_| rule_id(src)).collect();
                stage = stage.with_rule_checks(ids);
            }
            1 => {
                let checks = (0..src.below(4))
                    .map(|_| {
                        let status = match src.byte() % 3 {
                            0 => CheckStatus::Passed,
                            1 => CheckStatus::Failed,
                            _ => CheckStatus::Skipped,
                        };
                        let name = rule_id(src);
                        let mut c = CheckResult::new(name, status, opt_text(src, 128));
                        c.duration_ms = u64::from(src.u32());
                        c
                    })
                    .collect();
                stage = stage.with_checks(checks);
            }
            _ => {}
        }
        for _ in 0..src.below(3) {
            let k = if src.chance(128) {
                "files_scanned".to_string()
            } else {
                src.text()
            };
            stage.stats.insert(k, src.u64());
        }
        stage.finalize(fail_on);
        stages.push(stage);
    }
    let root = if src.chance(128) {
        "/work/repo".to_string()
    } else {
        src.text()
    };
    let commit = opt_text(src, 128);
    let profile = opt_text(src, 64);
    let mut r = Report::new(root, commit, profile, fail_on, stages, src.u64());
    // `GITHUB_SERVER_URL/owner/name`: a URL, not scanned content.
    r.repository_url = src.chance(128).then(|| {
        let server = src.pick(&["https://github.com", "https://ghe.example.com:8443/"]);
        let name: String = (0..1 + src.below(20))
            .map(|_| char::from(b"abcXYZ019._-/"[src.below(13)]))
            .collect();
        format!("{}/{name}", server.trim_end_matches('/'))
    });
    let ids: Vec<String> = r.findings().map(|f| f.rule.clone()).collect();
    for id in ids {
        if src.chance(128) {
            let info = RuleInfo {
                title: src.text(),
                help: src.text(),
                severity: severity(src),
                security: src.chance(128),
            };
            r.rules.insert(id, info);
        }
    }
    r
}

fn sarif_validator() -> Option<&'static jsonschema::Validator> {
    static V: OnceLock<Option<jsonschema::Validator>> = OnceLock::new();
    V.get_or_init(|| {
        let base = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        // The repository root (tests/props) or fuzz/ (the fuzz targets).
        let candidates = [
            "tests/contracts/sarif-schema-2.1.0.json",
            "tests/contracts/sarif/sarif-schema-2.1.0.json",
            "../shared/contracts/sarif/sarif-schema-2.1.0.json",
            "../tests/contracts/sarif-schema-2.1.0.json",
            "../tests/contracts/sarif/sarif-schema-2.1.0.json",
            "../../shared/contracts/sarif/sarif-schema-2.1.0.json",
        ];
        let text = candidates
            .iter()
            .find_map(|p| std::fs::read_to_string(base.join(p)).ok())?;
        let schema: Value = serde_json::from_str(&text).ok()?;
        jsonschema::validator_for(&schema).ok()
    })
    .as_ref()
}

/// Whether the SARIF schema was found (else SARIF is only parsed).
pub fn sarif_schema_available() -> bool {
    sarif_validator().is_some()
}

fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

/// Checks an `&…;` reference at the start of `s`; returns its length.
fn xml_reference(s: &str) -> Result<usize, String> {
    let end = s
        .find(';')
        .ok_or_else(|| format!("unterminated reference at {:?}", first(s, 20)))?;
    let name = &s[1..end];
    let ok = matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
        || name
            .strip_prefix("#x")
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
            .and_then(char::from_u32)
            .is_some_and(is_xml_char);
    if ok {
        Ok(end + 1)
    } else {
        Err(format!("bad reference &{name};"))
    }
}

fn first(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

fn xml_name_len(s: &str) -> usize {
    s.find(|c: char| !(c.is_alphanumeric() || matches!(c, '-' | '_' | ':' | '.')))
        .unwrap_or(s.len())
}

/// A small XML well-formedness check: the declaration, one root element,
/// balanced tags, quoted attributes without raw `<`, references that exist,
/// no `]]>` in text and only characters XML 1.0 allows. Returns the element
/// names in document order.
pub fn xml_well_formed(doc: &str) -> Result<Vec<String>, String> {
    if let Some(c) = doc.chars().find(|c| !is_xml_char(*c)) {
        return Err(format!("character {c:?} is not allowed in XML"));
    }
    let mut s = doc
        .strip_prefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
        .ok_or("no XML declaration")?;
    let mut stack: Vec<&str> = Vec::new();
    let mut elements = Vec::new();
    let mut roots = 0;
    while !s.is_empty() {
        if let Some(rest) = s.strip_prefix("</") {
            let n = xml_name_len(rest);
            let name = &rest[..n];
            let rest = rest[n..].trim_start();
            let rest = rest
                .strip_prefix('>')
                .ok_or_else(|| format!("bad end tag </{name}"))?;
            match stack.pop() {
                Some(open) if open == name => {}
                other => return Err(format!("</{name}> closes {other:?}")),
            }
            s = rest;
        } else if let Some(rest) = s.strip_prefix('<') {
            let n = xml_name_len(rest);
            if n == 0 {
                return Err(format!("bad tag at {:?}", first(s, 30)));
            }
            let name = &rest[..n];
            if stack.is_empty() {
                roots += 1;
            }
            elements.push(name.to_string());
            let mut rest = &rest[n..];
            let mut attrs: Vec<&str> = Vec::new();
            loop {
                let trimmed = rest.trim_start_matches([' ', '\t', '\n', '\r']);
                if let Some(r) = trimmed.strip_prefix("/>") {
                    rest = r;
                    break;
                }
                if let Some(r) = trimmed.strip_prefix('>') {
                    stack.push(name);
                    rest = r;
                    break;
                }
                if trimmed.len() == rest.len() {
                    return Err(format!("no space before an attribute in <{name}"));
                }
                let an = xml_name_len(trimmed);
                if an == 0 {
                    return Err(format!(
                        "bad attribute in <{name}: {:?}",
                        first(trimmed, 30)
                    ));
                }
                let attr = &trimmed[..an];
                if attrs.contains(&attr) {
                    return Err(format!("duplicate attribute {attr} in <{name}"));
                }
                attrs.push(attr);
                let r = trimmed[an..]
                    .strip_prefix("=\"")
                    .ok_or_else(|| format!("attribute {attr} in <{name} is not =\"…\""))?;
                let end = r
                    .find('"')
                    .ok_or_else(|| format!("unterminated attribute {attr} in <{name}"))?;
                let value = &r[..end];
                if value.contains('<') {
                    return Err(format!("raw < in attribute {attr} of <{name}"));
                }
                let mut v = value;
                while let Some(i) = v.find('&') {
                    let len = xml_reference(&v[i..])?;
                    v = &v[i + len..];
                }
                rest = &r[end + 1..];
            }
            s = rest;
        } else {
            let end = s.find('<').unwrap_or(s.len());
            let text = &s[..end];
            if stack.is_empty() && !text.trim().is_empty() {
                return Err(format!("text outside the root: {:?}", first(text, 30)));
            }
            if text.contains("]]>") {
                return Err("]]> in text".into());
            }
            let mut v = text;
            while let Some(i) = v.find('&') {
                let len = xml_reference(&v[i..])?;
                v = &v[i + len..];
            }
            s = &s[end..];
        }
    }
    if let Some(open) = stack.last() {
        return Err(format!("<{open}> is never closed"));
    }
    if roots != 1 {
        return Err(format!("{roots} root elements"));
    }
    Ok(elements)
}

fn is_plain(s: &str) -> bool {
    !s.contains(['|', '\n', '\r'])
}

fn unescaped_pipes(line: &str) -> usize {
    let mut n = 0;
    let mut backslashes = 0;
    for c in line.chars() {
        match c {
            '\\' => backslashes += 1,
            '|' if backslashes % 2 == 0 => {
                n += 1;
                backslashes = 0;
            }
            _ => backslashes = 0,
        }
    }
    n
}

fn check_markdown(report: &Report, md: &str) {
    use shipgate::render::markdown::SUMMARY_LIMIT;
    if md.len() <= SUMMARY_LIMIT
        && report.findings().all(|f| is_plain(&f.rule))
        && report.repository_url.as_deref().is_none_or(is_plain)
        && report.commit.as_deref().is_none_or(is_plain)
    {
        // Every table row stays one line with its number of cells.
        let mut cells = 0;
        for line in md.lines() {
            if line.starts_with("| Stage |") {
                cells = 8;
            } else if line.starts_with("| Severity |") {
                cells = 5;
            } else if line.is_empty() {
                cells = 0;
                continue;
            }
            if cells > 0 {
                assert!(
                    line.starts_with('|') && unescaped_pipes(line) == cells,
                    "Markdown table row broken ({cells} pipes expected): {line:?}"
                );
            }
        }
    }
}

fn github_unescape(s: &str, property: bool) -> String {
    let mut out = s.to_string();
    for (from, to) in [("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ",")] {
        if property || !matches!(from, "%3A" | "%2C") {
            out = out.replace(from, to);
        }
    }
    out.replace("%25", "%")
}

fn check_github(report: &Report, out: &str) {
    let mut expected_data: Vec<String> = Vec::new();
    for f in report.findings() {
        let msg = match &f.location {
            Location::File { .. } => f.message.clone(),
            other => format!("{other}: {}", f.message),
        };
        expected_data.push(format!("{msg}\n{}", f.help));
    }
    assert!(!out.contains('\r'), "raw CR in workflow commands");
    for line in out.lines() {
        let cmd = ["::error ", "::warning ", "::notice "]
            .into_iter()
            .find(|c| line.starts_with(c))
            .unwrap_or_else(|| panic!("not a workflow command: {line:?}"));
        let rest = &line[cmd.len()..];
        let (props, data) = rest
            .split_once("::")
            .unwrap_or_else(|| panic!("no `::` before the data: {line:?}"));
        for (part, property) in [(props, true), (data, false)] {
            let mut p = part;
            while let Some(i) = p.find('%') {
                let code = p.get(i + 1..i + 3).unwrap_or("");
                let allowed: &[&str] = if property {
                    &["25", "0D", "0A", "3A", "2C"]
                } else {
                    &["25", "0D", "0A"]
                };
                assert!(
                    allowed.contains(&code),
                    "unescaped % in {line:?} ({})",
                    if property { "properties" } else { "data" }
                );
                p = &p[i + 3..];
            }
        }
        for prop in props.split(',') {
            let (k, _) = prop
                .split_once('=')
                .unwrap_or_else(|| panic!("property without `=`: {prop:?} in {line:?}"));
            assert!(
                ["file", "line", "endLine", "col", "endColumn", "title"].contains(&k),
                "unknown property {k:?} in {line:?}"
            );
        }
        if props != "title=shipgate" {
            let decoded = github_unescape(data, false);
            assert!(
                expected_data.contains(&decoded),
                "workflow command data does not decode to a finding's message: {line:?}"
            );
        }
    }
}

/// Scanned content (messages, paths, snippets, help, reasons) never brings an
/// escape character to the terminal; rule ids, stage names, stats keys and
/// fingerprints are not scanned content (ids are validated, fingerprints are
/// hex, the others are fixed), so the check applies when those are clean.
fn check_text(report: &Report, text: &str, color: bool) {
    let names_clean = report
        .stages
        .iter()
        .map(|s| s.name.as_str())
        .chain(report.findings().map(|f| f.rule.as_str()))
        .chain(report.findings().map(|f| f.fingerprint.0.as_str()))
        .chain(
            report
                .stages
                .iter()
                .flat_map(|s| s.stats.keys().map(String::as_str)),
        )
        .all(|s| !s.contains('\u{1b}'));
    if !color
        && names_clean
        && let Some(line) = text.lines().find(|l| l.contains('\u{1b}'))
    {
        panic!("an escape character reaches the terminal: {line:?}");
    }
}

/// Renders `report` in every format and checks each output; returns the JUnit
/// XML (the fuzz target also gives it to a strict XML parser).
pub fn render_report(report: &Report) -> String {
    use shipgate::render::render;
    let opts = TextOptions::default();
    let findings = report.findings().count();

    for (color, verbosity) in [(false, 0), (true, 1), (false, -1), (false, 2)] {
        let o = TextOptions { color, verbosity };
        check_text(report, &render(report, Format::Text, &o), color);
    }

    let json_text = render(report, Format::Json, &opts);
    let v: Value = serde_json::from_str(&json_text)
        .unwrap_or_else(|e| panic!("JSON report does not parse: {e}"));
    assert_eq!(v["schema_version"], json!(report.schema_version));
    let back: Report = serde_json::from_str(&json_text)
        .unwrap_or_else(|e| panic!("JSON report does not read back: {e}"));
    let mut want = report.clone();
    for s in &mut want.stages {
        s.rule_checks = None;
    }
    assert_eq!(back, want, "JSON report does not round-trip");

    let sarif_text = render(report, Format::Sarif, &opts);
    let sarif: Value =
        serde_json::from_str(&sarif_text).unwrap_or_else(|e| panic!("SARIF does not parse: {e}"));
    assert_eq!(sarif["version"], "2.1.0");
    let run = &sarif["runs"][0];
    let results = run["results"].as_array().map_or(0, Vec::len);
    assert_eq!(results, findings, "one SARIF result per finding");
    let rules = run["tool"]["driver"]["rules"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for r in run["results"].as_array().into_iter().flatten() {
        let i = r["ruleIndex"].as_u64().unwrap_or(u64::MAX);
        let rule = usize::try_from(i).ok().and_then(|i| rules.get(i));
        assert_eq!(
            rule.map(|x| &x["id"]),
            Some(&r["ruleId"]),
            "ruleIndex points at another rule"
        );
    }
    if let Some(validator) = sarif_validator() {
        let errors: Vec<String> = validator
            .iter_errors(&sarif)
            .take(5)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "SARIF is invalid:\n{}",
            errors.join("\n")
        );
    }

    let junit = render(report, Format::Junit, &opts);
    match xml_well_formed(&junit) {
        Ok(elements) => {
            let suites = elements.iter().filter(|e| *e == "testsuite").count();
            assert_eq!(suites, report.stages.len(), "one testsuite per stage");
            assert_eq!(elements.first().map(String::as_str), Some("testsuites"));
        }
        Err(e) => panic!("JUnit XML is not well-formed: {e}"),
    }

    check_markdown(report, &render(report, Format::Markdown, &opts));
    check_github(report, &render(report, Format::Github, &opts));
    junit
}

/// Builds a report from the input and checks every renderer on it.
pub fn render(data: &[u8]) {
    render_junit(data);
}

/// [`render`], returning the JUnit XML.
pub fn render_junit(data: &[u8]) -> String {
    let mut src = Src::new(data);
    let report = report(&mut src);
    render_report(&report)
}

// ---------------------------------------------------------------------------
// Redaction
// ---------------------------------------------------------------------------

/// A secret: 8+ printable characters without whitespace.
pub fn secret(src: &mut Src) -> String {
    const WIDE: &[char] = &['é', 'ß', 'Ω', '日', '😀', '€'];
    let len = 8 + src.below(40);
    let mut s = String::new();
    while s.chars().count() < len {
        let b = src.byte();
        let c = match b % 8 {
            7 => WIDE[usize::from(b / 8) % WIDE.len()],
            _ => char::from(0x21 + src.byte() % 94),
        };
        s.push(c);
    }
    s
}

/// `shipgate::secrets::Redactor`: a value learnt with `add` (8+ printable
/// characters, no whitespace) never survives `redact`, whatever surrounds it.
pub fn secrets(data: &[u8]) {
    use shipgate::secrets::Redactor;
    let mut src = Src::new(data);
    let secrets: Vec<String> = (0..1 + src.below(3)).map(|_| secret(&mut src)).collect();
    let redactor = if src.chance(64) {
        Redactor::new(rule_secret_regexes().to_vec())
    } else {
        Redactor::default()
    };
    for s in &secrets {
        redactor.add(s);
    }
    let mut text = src.text();
    for _ in 0..1 + src.below(3) {
        text.push_str(&secrets[src.below(secrets.len())]);
        text.push_str(&src.text());
    }
    let out = redactor.redact(&text);
    for s in &secrets {
        assert!(
            !out.contains(s.as_str()),
            "secret {s:?} survives redaction of {text:?}: {out:?}"
        );
    }
}

/// The built-in secret rules' regexes (as a scan's redactor has them).
fn rule_secret_regexes() -> &'static [regex::bytes::Regex] {
    static R: OnceLock<Vec<regex::bytes::Regex>> = OnceLock::new();
    R.get_or_init(|| {
        let specs = shipgate::rules::builtin_rules().unwrap_or_default();
        let scopes = shipgate::gate::scope_globs(&shipgate::config::Config::defaults());
        shipgate::rules::Ruleset::compile(specs, &scopes, &shipgate::rules::NoOverrides)
            .map(|r| r.secret_patterns())
            .unwrap_or_default()
    })
}

// ---------------------------------------------------------------------------
// Workflows, Markdown and JS modules (the integrity and production-scope inputs)
// ---------------------------------------------------------------------------

/// Number of lines of `text` (a final line without `\n` counts).
fn line_count(text: &str) -> usize {
    text.split('\n').count()
}

/// `shipgate::ci::workflow::parse_workflow` and the shell parser over every
/// `run:` block: every step, job and command is located inside the text.
pub fn workflow(data: &[u8]) {
    use shipgate::ci::shell::{ShellOptions, parse};
    let text = String::from_utf8_lossy(data);
    let lines = line_count(&text);
    let Ok(wf) = shipgate::ci::workflow::parse_workflow(".github/workflows/f.yml", &text) else {
        return;
    };
    for job in &wf.jobs {
        for step in &job.steps {
            let Some(run) = &step.run else { continue };
            for cmd in parse(&run.text, &run.map, &ShellOptions::github_default(None)) {
                assert!(
                    cmd.line >= 1 && cmd.line <= lines && cmd.column >= 1,
                    "command at {}:{} outside {lines} lines",
                    cmd.line,
                    cmd.column
                );
            }
        }
    }
}

/// `shipgate::markdown::analyze` on one document (plus a sibling it may link
/// to): every issue, snippet, variable and endpoint is located inside it.
pub fn markdown(data: &[u8]) {
    let text = String::from_utf8_lossy(data).into_owned();
    let lines = line_count(&text);
    let files = vec!["docs/RUNBOOK.md".to_string(), "docs/other.md".to_string()];
    let read = |p: &str| (p == "docs/RUNBOOK.md").then(|| text.as_bytes().to_vec());
    let a = shipgate::markdown::analyze(&files, &read);
    let inside = |what: &str, line: usize, column: usize| {
        assert!(
            line >= 1 && line <= lines && column >= 1,
            "{what} at {line}:{column} outside {lines} lines"
        );
    };
    for i in &a.issues {
        inside(i.rule, i.line, i.column);
    }
    for s in &a.snippets {
        inside("snippet", s.line, s.column);
    }
    for e in &a.env_vars {
        inside("env var", e.line, e.column);
        assert!(!e.name.is_empty());
    }
    for e in &a.endpoints {
        inside("endpoint", e.line, e.column);
    }
}

/// `shipgate::js::parse_module` and the env dataflow on one module: imports
/// and env reads are located inside the text.
pub fn js_module(data: &[u8]) {
    let lines = line_count(&String::from_utf8_lossy(data));
    let m = shipgate::js::parse_module("src/a.ts", data);
    for i in &m.imports {
        assert!(
            i.line >= 1 && i.line <= lines,
            "import at line {} of {lines}",
            i.line
        );
    }
    let files = vec!["src/a.ts".to_string()];
    let read = |p: &str| (p == "src/a.ts").then(|| data.to_vec());
    let flow = shipgate::js::env_reads(&files, &read);
    for r in &flow.reads {
        assert!(
            r.line >= 1 && r.line <= lines && r.column >= 1,
            "env read {} at {}:{} outside {lines} lines",
            r.name,
            r.line,
            r.column
        );
    }
}
