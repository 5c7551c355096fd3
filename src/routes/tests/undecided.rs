//! Dynamic registration: routes and mounts that cannot be decided statically are
//! reported as undecided with the narrowest prefix, not guessed.

use super::*;

// ---------------------------------------------------------------- dynamic registration

#[test]
fn dynamic_registration_is_undecided() {
    let t = table(&[
        (
            "src/app.js",
            r#"const express = require("express");
const routes = require("./routes");
const app = express();

for (const r of routes) app[r.method](r.path, r.handler);

app.get("/health", (req, res) => res.send("ok"));
module.exports = app;
"#,
        ),
        (
            "src/routes.js",
            "module.exports = [\n  { method: 'get', path: '/internal/gate-check', handler: (req, res) => res.json({}) },\n];\n",
        ),
    ]);
    assert!(has(&t, "GET", "/health"));
    assert_eq!(t.undecided.len(), 1, "{:?}", t.undecided);
    let u = &t.undecided[0];
    assert_eq!(
        (u.file.as_str(), u.line, u.column, u.prefix.as_str()),
        ("src/app.js", 5, 25, "/")
    );
    assert!(u.reason.contains("run time"), "{}", u.reason);
    assert!(is_yes(&t.serves(Some("GET"), "/health")));
    assert!(is_undecided(
        &t.serves(Some("POST"), "/internal/gate-check")
    ));
}

#[test]
fn dynamic_paths_mounts_and_loops() {
    let t = table(&[
        (
            "server.js",
            r#"const express = require("express");
const api = require("./api");
const app = express();
const prefixFromEnv = process.env.API_PREFIX || "/api";
app.use(prefixFromEnv, api);
app.use("/static", express.static("public"));
module.exports = app;
"#,
        ),
        (
            "api.js",
            r#"const router = require("express").Router();
const BASE = "/v1";
const handlers = [["/a", a], ["/b", b]];
router.get(`${BASE}/health`, health);
handlers.forEach(([path, fn]) => router.get(path, fn));
module.exports = router;
"#,
        ),
        (
            "admin.js",
            r#"import { Hono } from "hono";
export const admin = new Hono().basePath("/admin");
const pages = ["users", "teams"];
for (const p of pages) {
  admin.get(`/${p}/:id`, (c) => c.json({ p }));
}
admin.get("/ping", (c) => c.text("pong"));
"#,
        ),
    ]);
    // The dynamically mounted router keeps its own path.
    assert!(has(&t, "GET", "/v1/health"), "{:?}", paths(&t));
    assert!(has(&t, "GET", "/admin/ping"));
    let reasons: Vec<(&str, &str)> = t
        .undecided
        .iter()
        .map(|u| (u.prefix.as_str(), u.reason.as_str()))
        .collect();
    assert!(
        reasons
            .iter()
            .any(|(p, r)| *p == "/" && r.contains("prefixFromEnv")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|(p, r)| *p == "/v1" || (*p == "/" && r.contains("`path`"))),
        "{reasons:?}"
    );
    assert!(reasons.iter().any(|(p, _)| *p == "/admin"), "{reasons:?}");
    assert!(
        reasons
            .iter()
            .any(|(p, r)| *p == "/static" && r.contains("express.static")),
        "{reasons:?}"
    );
    assert!(is_undecided(&t.serves(Some("GET"), "/admin/users/1")));
    assert!(is_undecided(&t.serves(Some("GET"), "/static/logo.png")));
}
