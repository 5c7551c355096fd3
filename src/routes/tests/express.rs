//! Express: CommonJS and ESM apps with mounts across files, caller-given import
//! bindings, a monorepo, routers passed to setup functions, classes and barrels.

use super::*;

const EXPRESS_SERVER: &str = r#"'use strict';
const express = require("express");
const helmet = require("helmet");
const { errorHandler } = require("./middleware/errors");

const app = express();
app.use(helmet());
app.use(express.json({ limit: "1mb" }));

// app.get("/commented-out", (req, res) => res.send("no"));
/* app.post("/also-commented", handler) */
const banner = "app.get('/in-a-string', h)";

app.use("/api", require("./routes"));
app.use(errorHandler);

const port = process.env.PORT || 3000;
app.listen(port, () => console.log(`listening on ${port}`));
module.exports = app;
"#;

const EXPRESS_ROUTES_INDEX: &str = r#"const { Router } = require("express");
const v1 = require("./v1/health");
const users = require("./v1/users");

const router = Router();

router.use("/v1", v1);
router.use("/v1/users", users);

module.exports = router;
"#;

const EXPRESS_HEALTH: &str = r#"const express = require("express");
const router = express.Router();

router.get("/health", async (req, res) => {
  res.json({ status: "ok", uptime: process.uptime() });
});

router.head("/health", (req, res) => res.end());

module.exports = router;
"#;

const EXPRESS_USERS: &str = r#"const express = require("express");
const { requireAuth } = require("../../middleware/auth");
const router = express.Router();

router
  .route("/:id")
  .get(requireAuth, async (req, res) => res.json(await db.find(req.params.id)))
  .delete(requireAuth, async (req, res) => res.status(204).end());

router.post("/", requireAuth, async (req, res) => {
  res.status(201).json(await db.create(req.body));
});

module.exports = router;
"#;

fn express_cjs() -> RouteTable {
    table(&[
        ("server.js", EXPRESS_SERVER),
        ("routes/index.js", EXPRESS_ROUTES_INDEX),
        ("routes/v1/health.js", EXPRESS_HEALTH),
        ("routes/v1/users.js", EXPRESS_USERS),
        (
            "middleware/errors.js",
            "module.exports.errorHandler = (err, req, res, next) => res.status(500).end();\n",
        ),
    ])
}

#[test]
fn express_prefix_chain_across_files() {
    let t = express_cjs();
    assert!(has(&t, "GET", "/api/v1/health"), "{:?}", paths(&t));
    assert!(has(&t, "HEAD", "/api/v1/health"));
    assert!(has(&t, "GET", "/api/v1/users/:id"));
    assert!(has(&t, "DELETE", "/api/v1/users/:id"));
    assert!(has(&t, "POST", "/api/v1/users"));
    assert!(
        !has(&t, "GET", "/health"),
        "unmounted path must not remain: {:?}",
        paths(&t)
    );
    assert_eq!(t.frameworks, vec![Framework::Express]);
    let h = t
        .routes
        .iter()
        .find(|r| r.path == "/api/v1/health")
        .unwrap();
    assert_eq!(
        (h.file.as_str(), h.line, h.column),
        ("routes/v1/health.js", 4, 1)
    );
    assert_eq!(h.kind, RouteKind::Health);
    assert_eq!(h.framework, Framework::Express);
}

#[test]
fn express_comments_and_strings_are_not_routes() {
    let t = express_cjs();
    let all = paths(&t).join(" ");
    assert!(!all.contains("commented"), "{all}");
    assert!(!all.contains("in-a-string"), "{all}");
    assert_eq!(t.routes.len(), 5, "{:?}", paths(&t));
    assert!(t.undecided.is_empty(), "{:?}", t.undecided);
}

#[test]
fn express_serves() {
    let t = express_cjs();
    assert!(is_yes(&t.serves(Some("GET"), "/api/v1/health")));
    assert!(is_yes(&t.serves(
        Some("GET"),
        "https://api.example.com/api/v1/health/?verbose=1"
    )));
    assert!(is_yes(&t.serves(Some("DELETE"), "/api/v1/users/42")));
    assert!(is_yes(&t.serves(None, "/api/v1/users/42")));
    assert_eq!(t.serves(Some("PATCH"), "/api/v1/users/42"), Serves::No);
    assert_eq!(t.serves(Some("GET"), "/health"), Serves::No);
    assert_eq!(t.serves(Some("POST"), "/internal/gate-check"), Serves::No);
    assert!(is_yes(
        &t.serves(Some("GET"), "${{ secrets.API_URL }}/v1/health")
    ));
    assert!(is_yes(&t.serves(
        Some("GET"),
        "$API_URL/api/v1/users/${{ env.USER_ID }}"
    )));
}

// ---------------------------------------------------------------- Express ESM + bindings

const ESM_APP: &str = r#"import express from "express";
import cors from "cors";
import healthRouter from "./routes/health.js";
import { ordersRouter } from "./routes/orders.js";
import * as admin from "./routes/admin.js";
import { API_PREFIX } from "./config.js";

export const app = express();

app.use(cors());
app.use(healthRouter);
app.use(`${API_PREFIX}/orders`, ordersRouter);
app.use("/admin", admin.router);
"#;

const ESM_HEALTH: &str = r#"import { Router, type Request, type Response } from "express";

const router: Router = Router();

router.get("/healthz", (_req: Request, res: Response) => {
  res.status(200).send("ok");
});
router.get("/readyz", async (_req: Request, res: Response) => {
  const ok = await db.ping();
  res.status(ok ? 200 : 503).json({ ok });
});

export default router;
"#;

const ESM_ORDERS: &str = r#"import { Router } from "express";
export const ordersRouter = Router();

ordersRouter.get("/", listOrders);
ordersRouter.post("/:orderId/refund", refundOrder);
"#;

const ESM_ADMIN: &str = r#"import express from "express";
const BASE = "/internal";
export const router = express.Router();
router.post(`${BASE}/gate-check`, async (req, res) => { res.json({ pass: true }); });
"#;

const ESM_CONFIG: &str = "export const API_PREFIX = \"/api/v2\";\nexport const TIMEOUT = 30;\n";

fn esm_files() -> Vec<(&'static str, &'static str)> {
    vec![
        ("src/app.ts", ESM_APP),
        ("src/routes/health.ts", ESM_HEALTH),
        ("src/routes/orders.ts", ESM_ORDERS),
        ("src/routes/admin.ts", ESM_ADMIN),
        ("src/config.ts", ESM_CONFIG),
    ]
}

fn check_esm(t: &RouteTable) {
    assert!(has(t, "GET", "/healthz"), "{:?}", paths(t));
    assert!(has(t, "GET", "/readyz"));
    assert!(has(t, "GET", "/api/v2/orders"));
    assert!(has(t, "POST", "/api/v2/orders/:orderId/refund"));
    assert!(
        has(t, "POST", "/admin/internal/gate-check"),
        "{:?}",
        paths(t)
    );
    let kinds: Vec<(&str, RouteKind)> = t
        .health_paths()
        .iter()
        .map(|r| (r.path.as_str(), r.kind))
        .collect();
    assert_eq!(
        kinds,
        vec![
            ("/healthz", RouteKind::Health),
            ("/readyz", RouteKind::Readiness)
        ]
    );
    assert!(t.undecided.is_empty(), "{:?}", t.undecided);
}

#[test]
fn express_esm_with_fallback_imports() {
    check_esm(&table(&esm_files()));
}

#[test]
fn express_esm_with_given_bindings() {
    // The caller's module graph resolved `.js` specifiers to `.ts` files; rename the
    // targets so the crate's own resolver could not find them.
    let list = vec![
        ("src/app.ts", ESM_APP),
        ("src/routes/health-route.ts", ESM_HEALTH),
        ("src/routes/orders-route.ts", ESM_ORDERS),
        ("src/routes/admin-route.ts", ESM_ADMIN),
        ("src/settings.ts", ESM_CONFIG),
    ];
    let f = "src/app.ts";
    let imports = vec![
        bind(f, "express", Imported::Default, None, "express"),
        bind(f, "cors", Imported::Default, None, "cors"),
        bind(
            f,
            "healthRouter",
            Imported::Default,
            Some("src/routes/health-route.ts"),
            "./routes/health.js",
        ),
        bind(
            f,
            "ordersRouter",
            Imported::Named("ordersRouter".into()),
            Some("src/routes/orders-route.ts"),
            "./routes/orders.js",
        ),
        bind(
            f,
            "admin",
            Imported::Namespace,
            Some("src/routes/admin-route.ts"),
            "./routes/admin.js",
        ),
        bind(
            f,
            "API_PREFIX",
            Imported::Named("API_PREFIX".into()),
            Some("src/settings.ts"),
            "./config.js",
        ),
    ];
    let t = extract(&files(&list), &imports);
    check_esm(&t);
    // Without the bindings the renamed files cannot be linked: admin routes keep their own path.
    let t2 = table(&list);
    assert!(has(&t2, "POST", "/internal/gate-check"), "{:?}", paths(&t2));
    assert!(!has(&t2, "POST", "/admin/internal/gate-check"));
}

// ---------------------------------------------------------------- monorepo

#[test]
fn monorepo_backend_health_live_ready() {
    let t = table(&[
        (
            "backend/src/server.ts",
            r#"import express from "express";
import { healthRoutes } from "./health/routes";
import { apiRouter } from "./api";

const app = express();
app.use("/health", healthRoutes);
app.use("/api", apiRouter);
app.listen(Number(process.env.PORT ?? 8080));
"#,
        ),
        (
            "backend/src/health/routes.ts",
            r#"import { Router } from "express";
import { checkDb } from "../db";

export const healthRoutes = Router();

healthRoutes.get("/live", (_req, res) => res.sendStatus(200));
healthRoutes.get("/ready", async (_req, res) => {
  (await checkDb()) ? res.sendStatus(200) : res.sendStatus(503);
});
"#,
        ),
        (
            "backend/src/api/index.ts",
            r#"import { Router } from "express";
export const apiRouter = Router();
apiRouter.get("/projects", async (req, res) => res.json([]));
"#,
        ),
        (
            "backend/src/db.ts",
            "export async function checkDb() { return true; }\n",
        ),
        (
            "frontend/src/api/client.ts",
            r#"import axios from "axios";
export const api = axios.create({ baseURL: import.meta.env.VITE_API_URL });
export const getProjects = () => api.get("/api/projects", { params: { page: 1 } });
export const createProject = (body: unknown) => api.post("/api/projects", body);
"#,
        ),
        (
            "frontend/src/api/generic.ts",
            "import { api } from './client';\nexport const call = (method: string, url: string, body?: unknown) => api[method.toLowerCase()](url, body);\n",
        ),
        (
            "frontend/src/App.tsx",
            r#"import { useEffect, useState } from "react";
export default function App() {
  const [ok, setOk] = useState(false);
  useEffect(() => { fetch("/health/ready").then((r) => setOk(r.ok)); }, []);
  return <div className="app">{ok ? "ready" : "loading"}</div>;
}
"#,
        ),
    ]);
    let backend: Vec<(String, RouteKind)> = t
        .health_paths_under("backend")
        .iter()
        .map(|r| (r.path.clone(), r.kind))
        .collect();
    assert_eq!(
        backend,
        vec![
            ("/health/ready".to_string(), RouteKind::Readiness),
            ("/health/live".to_string(), RouteKind::Liveness),
        ]
    );
    assert!(
        t.routes_under("frontend").is_empty(),
        "{:?}",
        t.routes_under("frontend")
    );
    assert!(t.health_paths_under("frontend/").is_empty());
    assert!(has(&t, "GET", "/api/projects"));
    assert_eq!(t.routes.len(), 3, "{:?}", paths(&t));
    assert!(
        t.undecided.is_empty(),
        "client-side calls are not routes: {:?}",
        t.undecided
    );
}

// ---------------------------------------------------------------- setup functions, classes

#[test]
fn routers_passed_to_setup_functions() {
    let t = table(&[
        (
            "index.js",
            r#"const express = require("express");
const registerHealth = require("./health");
const { registerApi } = require("./api");
const app = express();
const api = express.Router();
registerHealth(app);
registerApi(api, { db });
require("./legacy")(app);
app.use("/api", api);
app.use("/billing", require("./billing").createBillingRouter({ stripe }));
app.listen(8080);
"#,
        ),
        (
            "health.js",
            "module.exports = function registerHealth(app) {\n  app.get('/ping', (req, res) => res.send('pong'));\n};\n",
        ),
        (
            "api.js",
            "exports.registerApi = (router, deps) => {\n  router.get('/things', (req, res) => res.json([]));\n};\n",
        ),
        (
            "legacy.js",
            "module.exports = (server) => { server.post('/hooks/deploy', (req, res) => res.end()); };\n",
        ),
        (
            "billing.js",
            "const { Router } = require('express');\nexports.createBillingRouter = function ({ stripe }) {\n  const router = Router();\n  router.post('/webhook', (req, res) => res.end());\n  return router;\n};\n",
        ),
    ]);
    assert!(has(&t, "GET", "/ping"), "{:?}", paths(&t));
    assert!(has(&t, "GET", "/api/things"));
    assert!(has(&t, "POST", "/hooks/deploy"));
    assert!(has(&t, "POST", "/billing/webhook"), "{:?}", paths(&t));
    assert_eq!(t.routes.len(), 4, "{:?}", paths(&t));
    assert_eq!(
        t.routes
            .iter()
            .find(|r| r.path == "/ping")
            .unwrap()
            .framework,
        Framework::Express
    );
}

#[test]
fn class_based_express_routes() {
    let t = table(&[
        (
            "src/routes/health.route.ts",
            r#"import { Router } from 'express';
import HealthController from '@/controllers/health.controller';
import { Routes } from '@/interfaces/routes.interface';

class HealthRoute implements Routes {
  public path = '/health';
  public router = Router();
  public healthController = new HealthController();

  constructor() {
    this.initializeRoutes();
  }

  private initializeRoutes() {
    this.router.get(`${this.path}`, this.healthController.index);
    this.router.get(`${this.path}/ready`, this.healthController.ready);
  }
}

export default HealthRoute;
"#,
        ),
        (
            "src/app.ts",
            r#"import express from 'express';
import { Routes } from '@interfaces/routes.interface';

class App {
  public app: express.Application;
  constructor(routes: Routes[]) {
    this.app = express();
    this.initializeRoutes(routes);
  }
  private initializeRoutes(routes: Routes[]) {
    routes.forEach(route => {
      this.app.use('/', route.router);
    });
  }
}
export default App;
"#,
        ),
    ]);
    assert!(has(&t, "GET", "/health"), "{:?}", paths(&t));
    assert!(has(&t, "GET", "/health/ready"));
    assert_eq!(t.undecided.len(), 1, "{:?}", t.undecided);
    assert!(t.undecided[0].reason.contains("route.router"));
    assert!(is_undecided(&t.serves(Some("GET"), "/users")));
    assert!(is_yes(&t.serves(Some("GET"), "/health/ready")));
}

#[test]
fn barrels_reexports_and_aliases() {
    let t = table(&[
        (
            "packages/api/src/server.ts",
            r#"import express from "express";
import { health, usersRouter } from "@/routes";
const app = express();
app.use("/status", health);
app.use("/users", usersRouter);
"#,
        ),
        (
            "packages/api/src/routes/index.ts",
            // No route-related text at all: read only because a mount needs it.
            "export { default as health } from './health';\nexport * from './users';\n",
        ),
        (
            "packages/api/src/routes/health.ts",
            "import { Router } from 'express';\nconst r = Router();\nr.get('/live', (_q, s) => s.send('ok'));\nexport default r;\n",
        ),
        (
            "packages/api/src/routes/users.ts",
            "import { Router } from 'express';\nexport const usersRouter = Router();\nusersRouter.get('/:id', getUser);\n",
        ),
    ]);
    assert!(has(&t, "GET", "/status/live"), "{:?}", paths(&t));
    assert!(has(&t, "GET", "/users/:id"));
    assert_eq!(t.routes.len(), 2, "{:?}", paths(&t));
    assert_eq!(
        t.health_paths_under("packages/api")[0].kind,
        RouteKind::Liveness
    );
}
