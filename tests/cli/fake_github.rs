//! A stateful fake of the GitHub REST API on 127.0.0.1 that validates every
//! request body against GitHub's published schemas (tests/contracts) and
//! rejects what real GitHub rejects (more than 50 annotations, a summary over
//! 65,535 characters, columns on multi-line annotations, undeclared fields).

use serde_json::{Value, json};
use std::collections::{HashMap, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

pub const TOKEN: &str = "ghs_faketoken_for_tests_0123456789abcdef";

/// A response to send instead of the normal one. `apply` also performs the
/// request. Status 0 closes the connection without an answer.
#[derive(Clone)]
pub struct Scripted {
    pub method: &'static str,
    pub path_contains: &'static str,
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Value,
    pub apply: bool,
}

#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    pub path: String,
    pub body: Value,
}

#[derive(Debug, Clone, Default)]
pub struct CheckRun {
    pub id: u64,
    pub name: String,
    pub head_sha: String,
    pub status: String,
    pub conclusion: Option<String>,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub details_url: Option<String>,
    pub external_id: Option<String>,
    pub annotations: Vec<Value>,
}

#[derive(Default)]
pub struct State {
    pub requests: Vec<Recorded>,
    pub violations: Vec<String>,
    pub runs: Vec<CheckRun>,
    pub script: VecDeque<Scripted>,
    /// Answer check-run writes like a fork PR's read-only token does.
    pub read_only_token: bool,
    /// Branch protection in GitHub's GET shape, by branch.
    pub protection: HashMap<String, Value>,
    /// Accept PUTs of protection but do not store this field (read-back must notice).
    pub drop_on_put: Option<&'static str>,
    /// Repository rulesets as GitHub returns them.
    pub rulesets: Vec<Value>,
    /// Repositories of every organisation (`GET /orgs/{org}/repos`).
    pub org_repos: Vec<Value>,
    /// Added to every answer.
    pub latency_ms: u64,
    /// Requests being served now, and the most at once.
    pub in_flight: usize,
    pub max_in_flight: usize,
    /// Repositories whose protection this token may not read.
    pub forbidden_repos: Vec<String>,
    /// Branches of acme/shop (`GET /repos/{o}/{r}/branches`, not in the contract subset).
    pub branches: Vec<String>,
}

pub struct FakeGitHub {
    pub url: String,
    pub state: Arc<Mutex<State>>,
}

struct Operation {
    method: String,
    segments: Vec<String>,
    request_schema: Option<jsonschema::Validator>,
    id: String,
}

fn contracts() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/contracts/github-rest")
}

fn load_operations() -> Vec<Operation> {
    let dir = contracts();
    let ops: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("operations.json"))
            .unwrap_or_else(|e| panic!("{}: {e}", dir.display())),
    )
    .unwrap();
    ops.as_array()
        .unwrap()
        .iter()
        .map(|op| {
            let request_schema = op["request"].as_str().map(|f| {
                let schema: Value = serde_json::from_str(
                    &std::fs::read_to_string(dir.join("jsonschema").join(f)).unwrap(),
                )
                .unwrap();
                jsonschema::validator_for(&schema).unwrap()
            });
            Operation {
                method: op["method"].as_str().unwrap().to_string(),
                segments: op["path"]
                    .as_str()
                    .unwrap()
                    .split('/')
                    .map(str::to_string)
                    .collect(),
                request_schema,
                id: op["operationId"].as_str().unwrap().to_string(),
            }
        })
        .collect()
}

fn matches(template: &[String], path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    parts.len() == template.len()
        && template
            .iter()
            .zip(&parts)
            .all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
}

impl FakeGitHub {
    pub fn start() -> FakeGitHub {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let state = Arc::new(Mutex::new(State::default()));
        let ops = Arc::new(load_operations());
        let st = state.clone();
        std::thread::spawn(move || {
            for conn in listener.incoming() {
                let Ok(conn) = conn else { continue };
                let st = st.clone();
                let ops = ops.clone();
                std::thread::spawn(move || serve(conn, &st, &ops));
            }
        });
        FakeGitHub { url, state }
    }

    pub fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap()
    }

    pub fn assert_no_violations(&self) {
        let s = self.state();
        assert!(
            s.violations.is_empty(),
            "requests GitHub would reject:\n{}",
            s.violations.join("\n")
        );
    }

    /// The environment a subprocess needs to talk to this fake.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("GITHUB_API_URL", self.url.clone()),
            ("GITHUB_TOKEN", TOKEN.to_string()),
            ("GITHUB_REPOSITORY", "acme/shop".to_string()),
            (
                "GITHUB_SHA",
                "1111111111111111111111111111111111111111".to_string(),
            ),
            (
                "GITHUB_SERVER_URL",
                "https://github.example.com".to_string(),
            ),
            ("GITHUB_RUN_ID", "42".to_string()),
        ]
    }
}

struct Request {
    method: String,
    path: String,
    query: String,
    headers: HashMap<String, String>,
    body: Vec<u8>,
}

fn read_request(conn: &mut BufReader<TcpStream>) -> Option<Request> {
    let mut line = String::new();
    if conn.read_line(&mut line).ok()? == 0 {
        return None;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next()?.to_string();
    let target = parts.next()?.to_string();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        conn.read_line(&mut h).ok()?;
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((k, v)) = h.split_once(':') {
            headers.insert(k.trim().to_ascii_lowercase(), v.trim().to_string());
        }
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    conn.read_exact(&mut body).ok()?;
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_string(), q.to_string()),
        None => (target, String::new()),
    };
    Some(Request {
        method,
        path,
        query,
        headers,
        body,
    })
}

fn respond(conn: &mut TcpStream, status: u16, headers: &[(&str, String)], body: &Value) {
    let text = if body.is_null() {
        String::new()
    } else {
        body.to_string()
    };
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n",
        text.len()
    );
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    let _ = conn.write_all(head.as_bytes());
    let _ = conn.write_all(text.as_bytes());
    let _ = conn.flush();
}

fn serve(stream: TcpStream, state: &Arc<Mutex<State>>, ops: &[Operation]) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    // One request per connection (`Connection: close`).
    if let Some(req) = read_request(&mut reader) {
        let latency = {
            let mut s = state.lock().unwrap();
            s.in_flight += 1;
            s.max_in_flight = s.max_in_flight.max(s.in_flight);
            s.latency_ms
        };
        std::thread::sleep(Duration::from_millis(latency));
        let (status, headers, body) = handle(&req, state, ops);
        state.lock().unwrap().in_flight -= 1;
        // Status 0 in a script: the request was handled, the answer is lost.
        if status == 0 {
            let _ = writer.shutdown(std::net::Shutdown::Both);
            return;
        }
        respond(&mut writer, status, &headers, &body);
    }
}

fn validation_error(msg: &str) -> Value {
    json!({ "message": "Validation Failed", "errors": [{ "resource": "CheckRun", "code": "custom", "message": msg }], "documentation_url": "https://docs.github.com/rest" })
}

fn handle(
    req: &Request,
    state: &Arc<Mutex<State>>,
    ops: &[Operation],
) -> (u16, Vec<(&'static str, String)>, Value) {
    let body: Value = if req.body.is_empty() {
        Value::Null
    } else {
        match serde_json::from_slice(&req.body) {
            Ok(v) => v,
            Err(e) => {
                return (
                    400,
                    vec![],
                    json!({ "message": format!("Problems parsing JSON: {e}") }),
                );
            }
        }
    };
    let mut s = state.lock().unwrap();
    s.requests.push(Recorded {
        method: req.method.clone(),
        path: format!("{}?{}", req.path, req.query),
        body: body.clone(),
    });
    let auth = req
        .headers
        .get("authorization")
        .cloned()
        .unwrap_or_default();
    if !auth.ends_with(TOKEN) {
        return (401, vec![], json!({ "message": "Bad credentials" }));
    }
    // Scripted answers first.
    let mut apply_after: Option<Scripted> = None;
    if let Some(pos) = s
        .script
        .iter()
        .position(|x| x.method == req.method && req.path.contains(x.path_contains))
    {
        let sc = s.script.remove(pos).unwrap();
        if !sc.apply {
            return (sc.status, sc.headers, sc.body);
        }
        apply_after = Some(sc);
    }
    // Contract validation of the body.
    let op = ops
        .iter()
        .find(|o| o.method == req.method && matches(&o.segments, &req.path));
    // The documented spec error: the schema requires `contexts`, real GitHub
    // takes null | {strict, contexts} xor {strict, checks}.
    let mut body_for_schema = body.clone();
    if op.is_some_and(|o| o.id == "repos/update-branch-protection") {
        let rsc = &body["required_status_checks"];
        if rsc.is_object() {
            let (has_ctx, has_checks) =
                (rsc.get("contexts").is_some(), rsc.get("checks").is_some());
            if has_ctx == has_checks {
                let msg = format!(
                    "PUT {}: required_status_checks needs exactly one of contexts/checks (More than one subschema in 'oneOf' matched / none matched)",
                    req.path
                );
                s.violations.push(msg.clone());
                return (422, vec![], validation_error(&msg));
            }
            if has_checks {
                body_for_schema["required_status_checks"]["contexts"] = json!([]);
            }
        }
    }
    let body = &body;
    if let Some(op) = op
        && let Some(v) = &op.request_schema
    {
        let errors: Vec<String> = v
            .iter_errors(&body_for_schema)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        if !errors.is_empty() {
            let msg = format!("{} {}: {}", req.method, req.path, errors.join("; "));
            s.violations.push(msg.clone());
            return (422, vec![], validation_error(&msg));
        }
    }
    if req.path.contains("/check-runs") && matches!(req.method.as_str(), "POST" | "PATCH") {
        if let Some(msg) = check_run_rules(body) {
            let msg = format!("{} {}: {msg}", req.method, req.path);
            s.violations.push(msg.clone());
            return (422, vec![], validation_error(&msg));
        }
        if s.read_only_token {
            return (
                403,
                vec![],
                json!({ "message": "Resource not accessible by integration", "documentation_url": "https://docs.github.com/rest/checks/runs#create-a-check-run" }),
            );
        }
    }
    let result = route(req, body, &mut s, op.map(|o| o.id.as_str()));
    match apply_after {
        Some(sc) => (sc.status, sc.headers, sc.body),
        None => result,
    }
}

/// Rules GitHub states only in prose.
fn check_run_rules(body: &Value) -> Option<String> {
    let allowed = [
        "name",
        "head_sha",
        "details_url",
        "external_id",
        "status",
        "started_at",
        "conclusion",
        "completed_at",
        "output",
        "actions",
    ];
    for k in body.as_object()?.keys() {
        if !allowed.contains(&k.as_str()) {
            return Some(format!("undeclared field `{k}`"));
        }
    }
    let output = body.get("output")?;
    for k in output.as_object()?.keys() {
        if !["title", "summary", "text", "annotations", "images"].contains(&k.as_str()) {
            return Some(format!("undeclared field `output.{k}`"));
        }
    }
    if let Some(s) = output["summary"].as_str()
        && s.chars().count() > 65_535
    {
        return Some(format!(
            "Only 65535 characters are allowed; {} were supplied.",
            s.chars().count()
        ));
    }
    let anns = output["annotations"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    if anns.len() > 50 {
        return Some(format!(
            "at most 50 annotations per request, got {}",
            anns.len()
        ));
    }
    for a in &anns {
        let allowed = [
            "path",
            "start_line",
            "end_line",
            "start_column",
            "end_column",
            "annotation_level",
            "message",
            "title",
            "raw_details",
        ];
        for k in a.as_object()?.keys() {
            if !allowed.contains(&k.as_str()) {
                return Some(format!("undeclared annotation field `{k}`"));
            }
        }
        if (a.get("start_column").is_some() || a.get("end_column").is_some())
            && a["start_line"] != a["end_line"]
        {
            return Some(
                "start_column/end_column are only allowed when start_line equals end_line".into(),
            );
        }
        if a["title"].as_str().is_some_and(|t| t.chars().count() > 255) {
            return Some("annotation title over 255 characters".into());
        }
        if a["message"].as_str().is_some_and(|t| t.len() > 64 * 1024) {
            return Some("annotation message over 64 KB".into());
        }
    }
    None
}

fn run_json(r: &CheckRun) -> Value {
    json!({
        "id": r.id, "name": r.name, "head_sha": r.head_sha, "status": r.status,
        "conclusion": r.conclusion, "details_url": r.details_url, "external_id": r.external_id,
        "output": { "title": r.title, "summary": r.summary, "annotations_count": r.annotations.len() },
    })
}

fn apply_update(run: &mut CheckRun, body: &Value) {
    if let Some(s) = body["status"].as_str() {
        run.status = s.to_string();
    }
    if let Some(c) = body["conclusion"].as_str() {
        run.conclusion = Some(c.to_string());
        run.status = "completed".into();
    }
    if let Some(u) = body["details_url"].as_str() {
        run.details_url = Some(u.to_string());
    }
    if let Some(x) = body["external_id"].as_str() {
        run.external_id = Some(x.to_string());
    }
    if let Some(o) = body.get("output") {
        run.title = o["title"].as_str().map(str::to_string);
        run.summary = o["summary"].as_str().map(str::to_string);
        if let Some(a) = o["annotations"].as_array() {
            run.annotations.extend(a.iter().cloned());
        }
    }
}

fn route(
    req: &Request,
    body: &Value,
    s: &mut State,
    op: Option<&str>,
) -> (u16, Vec<(&'static str, String)>, Value) {
    let parts: Vec<&str> = req.path.split('/').collect();
    match (req.method.as_str(), op) {
        ("POST", Some("checks/create")) => {
            let id = 1000 + s.runs.len() as u64;
            let mut run = CheckRun {
                id,
                name: body["name"].as_str().unwrap_or("").into(),
                head_sha: body["head_sha"].as_str().unwrap_or("").into(),
                status: "queued".into(),
                ..CheckRun::default()
            };
            apply_update(&mut run, body);
            let j = run_json(&run);
            s.runs.push(run);
            (201, vec![], j)
        }
        ("PATCH", Some("checks/update")) => {
            let id: u64 = parts[5].parse().unwrap_or(0);
            match s.runs.iter_mut().find(|r| r.id == id) {
                Some(run) => {
                    apply_update(run, body);
                    (200, vec![], run_json(run))
                }
                None => (404, vec![], json!({ "message": "Not Found" })),
            }
        }
        ("GET", Some("checks/list-annotations")) => {
            let id: u64 = parts[5].parse().unwrap_or(0);
            let q = |k: &str| {
                req.query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
                    .and_then(|v| v.parse::<usize>().ok())
            };
            let per_page = q("per_page").unwrap_or(30).min(100);
            let page = q("page").unwrap_or(1).max(1);
            match s.runs.iter().find(|r| r.id == id) {
                Some(run) => (
                    200,
                    vec![],
                    Value::Array(
                        run.annotations
                            .iter()
                            .skip((page - 1) * per_page)
                            .take(per_page)
                            .map(|a| {
                                json!({
                                    "path": a["path"], "start_line": a["start_line"], "end_line": a["end_line"],
                                    "start_column": a.get("start_column"), "end_column": a.get("end_column"),
                                    "annotation_level": a["annotation_level"], "title": a.get("title"),
                                    "message": a["message"], "raw_details": a.get("raw_details"),
                                    "blob_href": "https://example.test/blob"
                                })
                            })
                            .collect(),
                    ),
                ),
                None => (404, vec![], json!({ "message": "Not Found" })),
            }
        }
        ("GET", _) if parts.len() == 7 && parts[4] == "commits" && parts[6] == "check-runs" => {
            // checks/list-for-ref (not in the contract subset; GET has no body to validate)
            let sha = parts[5];
            let name = req
                .query
                .split('&')
                .find_map(|kv| kv.strip_prefix("check_name="))
                .map(|n| n.replace("%20", " "));
            let runs: Vec<Value> = s
                .runs
                .iter()
                .filter(|r| r.head_sha == sha && name.as_deref().is_none_or(|n| r.name == n))
                .map(run_json)
                .collect();
            (
                200,
                vec![],
                json!({ "total_count": runs.len(), "check_runs": runs }),
            )
        }
        (_, Some(id))
            if id.contains("branch-protection") || id.contains("signature-protection") =>
        {
            protection_route(req, body, s, id)
        }
        (_, Some(id)) if id.contains("ruleset") => ruleset_route(req, body, s, id),
        ("GET", None) if parts.len() == 5 && parts[4] == "branches" => (
            200,
            vec![],
            Value::Array(
                s.branches
                    .iter()
                    .map(|b| json!({ "name": b, "protected": false }))
                    .collect(),
            ),
        ),
        (_, Some("repos/list-for-org")) => {
            let q = |k: &str| {
                req.query
                    .split('&')
                    .find_map(|kv| kv.strip_prefix(&format!("{k}=")))
                    .and_then(|v| v.parse::<usize>().ok())
            };
            let per_page = q("per_page").unwrap_or(30).min(100);
            let page = q("page").unwrap_or(1).max(1);
            let start = (page - 1) * per_page;
            let items: Vec<Value> = s
                .org_repos
                .iter()
                .skip(start)
                .take(per_page)
                .cloned()
                .collect();
            let mut headers = vec![];
            if start + per_page < s.org_repos.len() {
                headers.push((
                    "link",
                    format!(
                        "<{}?per_page={per_page}&page={}>; rel=\"next\"",
                        req.path,
                        page + 1
                    ),
                ));
            }
            (200, headers, Value::Array(items))
        }
        _ => (404, vec![], json!({ "message": "Not Found" })),
    }
}

fn decode(s: &str) -> String {
    let mut out = Vec::new();
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn enabled(v: &Value) -> Value {
    json!({ "enabled": v.as_bool().unwrap_or(false) })
}

/// PUT body -> GET shape, as GitHub stores it.
fn stored_shape(body: &Value, drop: Option<&str>) -> Value {
    let rsc = &body["required_status_checks"];
    let mut out = json!({
        "url": "https://api.github.example/protection",
        "required_status_checks": if rsc.is_object() {
            let checks: Vec<Value> = match rsc.get("checks").and_then(Value::as_array) {
                Some(c) => c.iter().map(|x| json!({ "context": x["context"], "app_id": x.get("app_id").cloned().unwrap_or(Value::Null) })).collect(),
                None => rsc["contexts"].as_array().cloned().unwrap_or_default().iter().map(|c| json!({ "context": c, "app_id": null })).collect(),
            };
            let contexts: Vec<Value> = checks.iter().map(|c| c["context"].clone()).collect();
            json!({ "url": "u", "strict": rsc["strict"], "contexts": contexts, "checks": checks })
        } else { Value::Null },
        "enforce_admins": { "url": "u", "enabled": body["enforce_admins"].as_bool().unwrap_or(false) },
        "required_pull_request_reviews": body["required_pull_request_reviews"].clone(),
        "required_linear_history": enabled(&body["required_linear_history"]),
        "allow_force_pushes": enabled(&body["allow_force_pushes"]),
        "allow_deletions": enabled(&body["allow_deletions"]),
        "required_conversation_resolution": enabled(&body["required_conversation_resolution"]),
        "lock_branch": enabled(&body["lock_branch"]),
        "required_signatures": { "url": "u", "enabled": false },
        "restrictions": match body.get("restrictions") {
            Some(r) if r.is_object() => json!({
                "url": "u",
                "users": r["users"].as_array().cloned().unwrap_or_default().iter().map(|u| json!({ "login": u })).collect::<Vec<_>>(),
                "teams": r["teams"].as_array().cloned().unwrap_or_default().iter().map(|t| json!({ "slug": t })).collect::<Vec<_>>(),
                "apps": r["apps"].as_array().cloned().unwrap_or_default().iter().map(|a| json!({ "slug": a })).collect::<Vec<_>>(),
            }),
            _ => Value::Null,
        },
    });
    if let (Some(f), Some(o)) = (drop, out.as_object_mut()) {
        o.remove(f);
    }
    out
}

fn protection_route(
    req: &Request,
    body: &Value,
    s: &mut State,
    op: &str,
) -> (u16, Vec<(&'static str, String)>, Value) {
    let parts: Vec<&str> = req.path.split('/').collect();
    let repo = format!("{}/{}", parts[2], parts[3]);
    if s.forbidden_repos.contains(&repo) {
        return (
            403,
            vec![],
            json!({ "message": "Resource not accessible by integration" }),
        );
    }
    let branch = if repo == "acme/shop" {
        decode(parts[5])
    } else {
        format!("{repo}:{}", decode(parts[5]))
    };
    let not_protected = (
        404,
        vec![],
        json!({ "message": "Branch not protected", "documentation_url": "https://docs.github.com/rest" }),
    );
    match op {
        "repos/get-branch-protection" => match s.protection.get(&branch) {
            Some(p) => (200, vec![], p.clone()),
            None => not_protected,
        },
        "repos/update-branch-protection" => {
            let keep_sig = s
                .protection
                .get(&branch)
                .map(|p| p["required_signatures"].clone());
            let mut stored = stored_shape(body, s.drop_on_put);
            if let Some(sig) = keep_sig {
                stored["required_signatures"] = sig;
            }
            s.protection.insert(branch, stored.clone());
            (200, vec![], stored)
        }
        "repos/delete-branch-protection" => {
            s.protection.remove(&branch);
            (204, vec![], Value::Null)
        }
        "repos/create-commit-signature-protection" | "repos/delete-commit-signature-protection" => {
            match s.protection.get_mut(&branch) {
                Some(p) => {
                    let on = op.starts_with("repos/create");
                    p["required_signatures"] = json!({ "url": "u", "enabled": on });
                    if on {
                        (200, vec![], p["required_signatures"].clone())
                    } else {
                        (204, vec![], Value::Null)
                    }
                }
                None => not_protected,
            }
        }
        _ => (404, vec![], json!({ "message": "Not Found" })),
    }
}

fn ruleset_route(
    req: &Request,
    body: &Value,
    s: &mut State,
    op: &str,
) -> (u16, Vec<(&'static str, String)>, Value) {
    let parts: Vec<&str> = req.path.split('/').collect();
    let id: Option<u64> = parts.get(5).and_then(|p| p.parse().ok());
    let full = |id: u64, body: &Value| {
        let mut v = body.clone();
        v["id"] = json!(id);
        v["source_type"] = json!("Repository");
        v["source"] = json!("acme/shop");
        v["node_id"] = json!("RRS_x");
        if v.get("target").is_none() {
            v["target"] = json!("branch");
        }
        if v.get("bypass_actors").is_none() {
            v["bypass_actors"] = json!([]);
        }
        v
    };
    match op {
        "repos/get-repo-rulesets" => (200, vec![], Value::Array(s.rulesets.iter().map(|r| json!({ "id": r["id"], "name": r["name"], "target": r["target"], "enforcement": r["enforcement"], "source_type": "Repository", "source": "acme/shop" })).collect())),
        "repos/create-repo-ruleset" => {
            let id = 500 + s.rulesets.len() as u64;
            let v = full(id, body);
            s.rulesets.push(v.clone());
            (201, vec![], v)
        }
        "repos/get-repo-ruleset" => match s.rulesets.iter().find(|r| r["id"].as_u64() == id) {
            Some(r) => (200, vec![], r.clone()),
            None => (404, vec![], json!({ "message": "Not Found" })),
        },
        "repos/update-repo-ruleset" => match s.rulesets.iter_mut().find(|r| r["id"].as_u64() == id) {
            Some(r) => {
                *r = full(id.unwrap_or(0), body);
                (200, vec![], r.clone())
            }
            None => (404, vec![], json!({ "message": "Not Found" })),
        },
        _ => (404, vec![], json!({ "message": "Not Found" })),
    }
}
