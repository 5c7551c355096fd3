#![allow(clippy::unwrap_used)]

use super::super::{Entrypoint, entrypoints, ships};
use super::repo::Repo;

fn eps(r: &Repo) -> Vec<Entrypoint> {
    let read = |p: &str| r.read(p);
    entrypoints(&r.files, &read, &[])
}

fn has(eps: &[Entrypoint], file: &str, origin: &str) {
    assert!(
        eps.iter().any(|e| e.file == file && e.origin == origin),
        "no {file} from {origin} in {eps:#?}"
    );
}

#[test]
fn root_dockerfile_copy_roots_npm_script_and_entrypoint_script() {
    let r = Repo::new(&[
        (
            "package.json",
            "{ \"name\": \"mono\", \"workspaces\": [\"apps/*\"] }",
        ),
        (
            "apps/api/package.json",
            "{ \"name\": \"api\", \"scripts\": { \"start:prod\": \"node dist/server.js\", \"migrate\": \"node scripts/migrate.js\" } }",
        ),
        ("apps/api/src/server.ts", "import './routes';"),
        ("apps/api/src/routes.ts", ""),
        ("apps/api/scripts/migrate.js", ""),
        ("apps/api/templates/welcome.html", "<p>hi</p>"),
        (
            "docker/entrypoint.sh",
            "#!/bin/sh\nset -e\nnode scripts/migrate.js\nexec \"$@\"\n",
        ),
        (
            "Dockerfile",
            "FROM node:20 AS deps\nWORKDIR /app\nCOPY package.json package-lock.json ./\nCOPY apps/api/package.json apps/api/\nRUN npm ci\n\nFROM deps AS build\nCOPY apps/api/src apps/api/src\nCOPY apps/api/templates ./apps/api/templates\nRUN npm run build -w api\n\nFROM node:20-slim\nWORKDIR /app\nCOPY --from=build /app/apps/api/dist ./apps/api/dist\nCOPY docker/entrypoint.sh /usr/local/bin/entrypoint.sh\nWORKDIR /app/apps/api\nENTRYPOINT [\"/usr/local/bin/entrypoint.sh\"]\nCMD [\"npm\", \"run\", \"start:prod\"]\n",
        ),
    ]);
    let e = eps(&r);
    has(&e, "apps/api/src/", "Dockerfile:8 (COPY)");
    has(&e, "apps/api/templates/", "Dockerfile:9 (COPY)");
    has(&e, "docker/entrypoint.sh", "Dockerfile:17 (ENTRYPOINT)");
    has(
        &e,
        "apps/api/scripts/migrate.js",
        "Dockerfile:17 (ENTRYPOINT)",
    );
    has(&e, "apps/api/src/server.ts", "Dockerfile:18 (CMD)");
    let read = |p: &str| r.read(p);
    let s = ships(&r.files, &read, &[]).unwrap();
    assert!(s.is_shipped("apps/api/templates/welcome.html"));
    assert!(s.is_shipped("apps/api/src/routes.ts"));
    let x = s.explain("apps/api/templates/welcome.html").unwrap();
    assert!(
        x.entrypoint.is_root() && x.entrypoint.origin == "Dockerfile:9 (COPY)",
        "{x:?}"
    );
    assert_eq!(x.chain, vec!["apps/api/templates/welcome.html"]);
    let text = super::super::explain_text(
        "apps/api/templates/welcome.html",
        &s.decision("apps/api/templates/welcome.html"),
    );
    assert!(text.starts_with("apps/api/templates/welcome.html is production: Dockerfile:9 (COPY) ships everything under apps/api/templates/"), "{text}");
}

#[test]
fn platform_configs() {
    let r = Repo::new(&[
        (
            "render.yaml",
            "services:\n  - type: web\n    name: api\n    rootDir: backend\n    buildCommand: npm ci && npm run build\n    startCommand: node dist/index.js\n  - type: worker\n    name: jobs\n    rootDir: backend\n    startCommand: \"npm run worker\"\n",
        ),
        (
            "backend/package.json",
            "{ \"name\": \"backend\", \"scripts\": { \"worker\": \"tsx src/jobs/run.ts\" } }",
        ),
        ("backend/src/index.ts", ""),
        ("backend/src/jobs/run.ts", ""),
        (
            "fly.toml",
            "app = \"x\"\n\n[processes]\n  app = \"node server/main.js\"\n  cron = \"node server/cron.js\"\n",
        ),
        ("server/main.js", ""),
        ("server/cron.js", ""),
        (
            "railway.json",
            "{\n  \"$schema\": \"https://railway.app/railway.schema.json\",\n  \"deploy\": { \"startCommand\": \"node rail/app.js\" }\n}\n",
        ),
        ("rail/app.js", ""),
        (
            "svc/railway.toml",
            "[build]\nbuilder = \"nixpacks\"\n\n[deploy]\nstartCommand = \"node index.js\"\n",
        ),
        ("svc/index.js", ""),
        (
            "captain-definition",
            "{\n  \"schemaVersion\": 2,\n  \"dockerfileLines\": [\"FROM node:18\", \"WORKDIR /usr/src/app\", \"COPY ./ /usr/src/app\", \"CMD [ \\\"node\\\", \\\"cap/start.js\\\" ]\"]\n}\n",
        ),
        ("cap/start.js", ""),
        (
            "netlify.toml",
            "[build]\n  command = \"npm run build\"\n  functions = \"lambdas\"\n",
        ),
        ("lambdas/hello.ts", ""),
        ("lambdas/big/big.ts", ""),
        ("lambdas/big/helper.ts", ""),
        (
            "vercel.json",
            "{ \"functions\": { \"edge/**/*.ts\": { \"runtime\": \"edge\" } } }",
        ),
        ("edge/a/handler.ts", ""),
        (
            "ecosystem.config.js",
            "module.exports = { apps: [{ name: 'api', script: './pm2/api.js', instances: 2 }] };\n",
        ),
        ("pm2/api.js", ""),
        (
            "Procfile",
            "web: pm2-runtime start ecosystem.config.js\nrelease: cd db && node migrate.js\n",
        ),
        ("db/migrate.js", ""),
    ]);
    let e = eps(&r);
    has(&e, "backend/src/index.ts", "render.yaml:6 (startCommand)");
    has(
        &e,
        "backend/src/jobs/run.ts",
        "render.yaml:10 (startCommand)",
    );
    has(&e, "server/main.js", "fly.toml:4 (processes.app)");
    has(&e, "server/cron.js", "fly.toml:5 (processes.cron)");
    has(&e, "rail/app.js", "railway.json:3 (startCommand)");
    has(
        &e,
        "svc/index.js",
        "svc/railway.toml:5 (deploy.startCommand)",
    );
    has(
        &e,
        "cap/start.js",
        "captain-definition:3 (dockerfileLines CMD)",
    );
    has(&e, "lambdas/hello.ts", "netlify.toml:3 (build.functions)");
    has(&e, "lambdas/big/big.ts", "netlify.toml:3 (build.functions)");
    assert!(!e.iter().any(|x| x.file == "lambdas/big/helper.ts"));
    has(&e, "edge/a/handler.ts", "vercel.json:1 (functions)");
    has(&e, "pm2/api.js", "Procfile:1 (web)");
    has(&e, "db/migrate.js", "Procfile:2 (release)");
}

#[test]
fn frameworks_by_dependency() {
    let r = Repo::new(&[
        (
            "package.json",
            "{ \"name\": \"shop\", \"dependencies\": { \"nuxt\": \"^3.12.0\" } }",
        ),
        ("nuxt.config.ts", "export default defineNuxtConfig({});"),
        ("app.vue", "<template><NuxtPage/></template>"),
        (
            "components/ProductCard.vue",
            "<script setup>const api = 'http://localhost:3000'</script>",
        ),
        ("server/api/products.get.ts", ""),
        ("scripts/import-products.ts", ""),
        (
            "admin/package.json",
            "{ \"name\": \"admin\", \"dependencies\": { \"@remix-run/node\": \"2\" } }",
        ),
        ("admin/app/root.tsx", "import { x } from './lib/x';"),
        ("admin/app/lib/x.ts", ""),
        ("admin/app/routes/_index.tsx", ""),
        ("admin/app/unused.ts", ""),
    ]);
    let read = |p: &str| r.read(p);
    let s = ships(&r.files, &read, &[]).unwrap();
    for f in [
        "nuxt.config.ts",
        "app.vue",
        "components/ProductCard.vue",
        "server/api/products.get.ts",
        "admin/app/root.tsx",
        "admin/app/lib/x.ts",
        "admin/app/routes/_index.tsx",
    ] {
        assert!(s.is_shipped(f), "{f}");
    }
    for f in ["scripts/import-products.ts", "admin/app/unused.ts"] {
        assert!(s.decision(f).is_not_shipped(), "{f}");
    }
    assert_eq!(
        s.explain("components/ProductCard.vue")
            .unwrap()
            .entrypoint
            .origin,
        "package.json:1 (dependencies.nuxt)"
    );
}
