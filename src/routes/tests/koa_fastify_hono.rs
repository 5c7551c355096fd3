//! Koa, Fastify and Hono: router prefixes, plugin registration with prefixes, route
//! objects, autoload, `route` / `mount` / `basePath`, and chained registrations.

use super::*;

// ---------------------------------------------------------------- Koa

#[test]
fn koa_router_prefix_and_underscore_health() {
    let t = table(&[
        (
            "src/index.js",
            r#"const Koa = require("koa");
const bodyParser = require("koa-bodyparser");
const healthRouter = require("./health");
const apiRouter = require("./api");

const app = new Koa();
app.use(bodyParser());
app.use(healthRouter.routes()).use(healthRouter.allowedMethods());
app.use(apiRouter.routes());
app.listen(3000);
"#,
        ),
        (
            "src/health.js",
            r#"const Router = require("@koa/router");
const router = new Router();
router.get("/_health", (ctx) => { ctx.body = { ok: true }; });
module.exports = router;
"#,
        ),
        (
            "src/api.js",
            r#"const Router = require("koa-router");
const users = require("./users");
const router = new Router({ prefix: "/api" });
router.get("status", "/status", (ctx) => { ctx.body = "up"; });
router.use("/users", users.routes(), users.allowedMethods());
module.exports = router;
"#,
        ),
        (
            "src/users.js",
            r#"const Router = require("@koa/router");
const router = new Router();
router.get("/:id", async (ctx) => { ctx.body = await User.find(ctx.params.id); });
router.del("/:id", async (ctx) => { ctx.status = 204; });
module.exports = router;
"#,
        ),
    ]);
    assert!(has(&t, "GET", "/_health"), "{:?}", paths(&t));
    assert!(has(&t, "GET", "/api/status"));
    assert!(has(&t, "GET", "/api/users/:id"));
    assert!(has(&t, "DELETE", "/api/users/:id"));
    assert_eq!(t.routes.len(), 4, "{:?}", paths(&t));
    assert!(t.routes.iter().all(|r| r.framework == Framework::Koa));
    let h: Vec<(&str, RouteKind)> = t
        .health_paths()
        .iter()
        .map(|r| (r.path.as_str(), r.kind))
        .collect();
    assert_eq!(
        h,
        vec![
            ("/api/status", RouteKind::Health),
            ("/_health", RouteKind::Health)
        ]
    );
    assert_eq!(t.serves(Some("GET"), "/users/1"), Serves::No);
}

// ---------------------------------------------------------------- Fastify

#[test]
fn fastify_register_prefix_route_object_and_autoload() {
    let t = table(&[
        (
            "src/server.ts",
            r#"import Fastify from "fastify";
import AutoLoad from "@fastify/autoload";
import path from "node:path";
import healthPlugin from "./plugins/health";

const server = Fastify({ logger: true });

server.register(healthPlugin);
server.register(require("./routes/gate"), { prefix: "/internal" });
server.register(async (api) => {
  api.get("/me", async () => ({ me: true }));
  api.route({ method: ["GET", "HEAD"], url: "/status", handler: async () => "ok" });
}, { prefix: "/v1" });
server.register(async (api) => {
  api.get("/other", async () => ({}));
}, { prefix: "/v2" });
server.register(AutoLoad, { dir: path.join(__dirname, "routes", "auto"), options: { prefix: "/auto" } });

server.listen({ port: 3000, host: "0.0.0.0" });
"#,
        ),
        (
            "src/plugins/health.ts",
            r#"import fp from "fastify-plugin";
import type { FastifyInstance } from "fastify";

export default fp(async function healthPlugin(app: FastifyInstance) {
  app.get("/healthz", async () => ({ status: "ok" }));
  app.get("/livez", async () => ({ status: "ok" }));
});
"#,
        ),
        (
            "src/routes/gate.js",
            "module.exports = async function (fastify, opts) {\n  fastify.post('/gate-check', async (request, reply) => ({ pass: true }));\n};\n",
        ),
        (
            "src/routes/auto/root.js",
            "module.exports = async function (fastify) { fastify.get('/', async () => 'root') }\n",
        ),
        (
            "src/routes/auto/items/_id/index.js",
            "export default async function (fastify) { fastify.get('/', async () => ({})) }\n",
        ),
    ]);
    for (m, p) in [
        ("GET", "/healthz"),
        ("GET", "/livez"),
        ("POST", "/internal/gate-check"),
        ("GET", "/v1/me"),
        ("GET", "/v1/status"),
        ("HEAD", "/v1/status"),
        ("GET", "/v2/other"),
        ("GET", "/auto"),
        ("GET", "/auto/items/:id"),
    ] {
        assert!(has(&t, m, p), "{m} {p} missing from {:?}", paths(&t));
    }
    assert!(
        !has(&t, "GET", "/v1/other") && !has(&t, "GET", "/v2/me"),
        "{:?}",
        paths(&t)
    );
    assert_eq!(t.routes.len(), 9, "{:?}", paths(&t));
    assert!(t.routes.iter().all(|r| r.framework == Framework::Fastify));
    assert!(is_yes(&t.serves(
        Some("POST"),
        "https://gate.example.com/internal/gate-check"
    )));
}

// ---------------------------------------------------------------- Hono

#[test]
fn hono_base_path_route_mounts_and_chains() {
    let t = table(&[
        (
            "src/index.ts",
            r#"import { Hono } from "hono";
import { logger } from "hono/logger";
import users from "./users";

const app = new Hono<{ Bindings: Env }>().basePath("/api");
app.use("*", logger());
app.get("/health", (c) => c.json({ ok: true })).post("/echo", async (c) => c.json(await c.req.json()));
app.route("/users", users);
app.on(["PUT", "PATCH"], "/settings", (c) => c.text("ok"));

export default app;
"#,
        ),
        (
            "src/users.ts",
            r#"import { Hono } from "hono";
const users = new Hono()
  .get("/", (c) => c.json([]))
  .get("/:id{[0-9]+}", (c) => c.json({ id: c.req.param("id") }));
export default users;
"#,
        ),
    ]);
    for (m, p) in [
        ("GET", "/api/health"),
        ("POST", "/api/echo"),
        ("GET", "/api/users"),
        ("GET", "/api/users/:id"),
        ("PUT", "/api/settings"),
        ("PATCH", "/api/settings"),
    ] {
        assert!(has(&t, m, p), "{m} {p} missing from {:?}", paths(&t));
    }
    assert_eq!(t.routes.len(), 6, "{:?}", paths(&t));
    assert!(t.routes.iter().all(|r| r.framework == Framework::Hono));
    assert!(t.undecided.is_empty(), "{:?}", t.undecided);
    assert!(is_yes(&t.serves(Some("GET"), "/api/users/7")));
    assert!(is_yes(&t.serves(Some("HEAD"), "/api/health")));
}

#[test]
fn koa_prefix_call_hono_mount_and_array_mounts() {
    let t = table(&[
        (
            "koa.js",
            r#"import Router from "@koa/router";
import { config } from "./config.js";
export const v2 = new Router();
v2.prefix("/v2");
v2.get("/ping", (ctx) => { ctx.body = "pong"; });
export const tenant = new Router({ prefix: config.tenantPrefix });
tenant.get("/items", (ctx) => { ctx.body = []; });
"#,
        ),
        (
            "config.js",
            "export const config = { tenantPrefix: process.env.TENANT_PREFIX };\n",
        ),
        (
            "hono.ts",
            r#"import { Hono } from "hono";
import { legacy } from "./legacy";
const app = new Hono();
app.mount("/legacy", legacy.fetch);
export default app;
"#,
        ),
        (
            "express.js",
            r#"const express = require("express");
const app = express();
const docs = express.Router();
docs.get("/openapi.json", (req, res) => res.json(spec));
app.use(["/docs", "/api-docs"], docs);
"#,
        ),
    ]);
    assert!(has(&t, "GET", "/v2/ping"), "{:?}", paths(&t));
    assert!(
        has(&t, "GET", "/items"),
        "a router with a run-time prefix keeps its own path"
    );
    assert!(has(&t, "*", "/legacy/*"));
    assert!(has(&t, "GET", "/docs/openapi.json") && has(&t, "GET", "/api-docs/openapi.json"));
    let u = t
        .undecided
        .iter()
        .find(|u| u.reason.contains("router prefix"))
        .unwrap();
    assert_eq!((u.file.as_str(), u.line), ("koa.js", 6));
    assert!(u.reason.contains("config.tenantPrefix"), "{}", u.reason);
    assert!(is_yes(&t.serves(Some("GET"), "/legacy/anything/below")));
    assert!(is_undecided(&t.serves(Some("GET"), "/acme/items")));
}
