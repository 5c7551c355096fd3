//! Decorator and file-system routing: NestJS controllers with global prefix and
//! versioning, Next.js route handlers and API pages, Supabase edge functions.

use super::*;

// ---------------------------------------------------------------- NestJS

/// A NestJS app: global prefix with an exclude list, URI versioning, Terminus health
/// checks, an object-form `@Controller` and a commented-out handler.
fn nest_app() -> RouteTable {
    table(&[
        (
            "src/main.ts",
            r#"import { NestFactory } from "@nestjs/core";
import { VersioningType } from "@nestjs/common";
import { AppModule } from "./app.module";

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  app.setGlobalPrefix("api", { exclude: ["metrics"] });
  app.enableVersioning({ type: VersioningType.URI });
  await app.listen(process.env.PORT ?? 3000);
}
bootstrap();
"#,
        ),
        (
            "src/health/health.controller.ts",
            r#"import { Controller, Get } from "@nestjs/common";
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from "@nestjs/terminus";

@Controller("health")
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.db.pingCheck("database")]);
  }

  @Get("ready")
  @HealthCheck()
  readiness() {
    return this.health.check([]);
  }
}
"#,
        ),
        (
            "src/users/users.controller.ts",
            r#"import { Body, Controller, Delete, Get, Param, Post, Version } from "@nestjs/common";

@Controller({ path: "users", version: "1" })
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get(":id")
  findOne(@Param("id") id: string) {
    return this.users.findOne(id);
  }

  @Post()
  @Version("2")
  create(@Body() dto: CreateUserDto) {
    return this.users.create(dto);
  }

  // @Delete(":id") is disabled for now
  private helper(): { ok: boolean } { return { ok: true }; }
}
"#,
        ),
        (
            "src/metrics.controller.ts",
            "import { Controller, Get } from '@nestjs/common';\n@Controller()\nexport class MetricsController {\n  @Get('metrics')\n  metrics(): string { return ''; }\n}\n",
        ),
    ])
}

#[test]
fn nestjs_global_prefix_controllers_and_terminus() {
    let t = nest_app();
    assert!(has(&t, "GET", "/api/health"), "{:?}", paths(&t));
    assert!(has(&t, "GET", "/api/health/ready"));
    assert!(has(&t, "GET", "/api/v1/users/:id"));
    assert!(has(&t, "POST", "/api/v2/users"));
    assert!(
        has(&t, "GET", "/metrics"),
        "exclude list applies: {:?}",
        paths(&t)
    );
    assert_eq!(t.routes.len(), 5, "{:?}", paths(&t));
    let h: Vec<(&str, RouteKind)> = t
        .health_paths()
        .iter()
        .map(|r| (r.path.as_str(), r.kind))
        .collect();
    assert_eq!(
        h,
        vec![
            ("/api/health", RouteKind::Health),
            ("/api/health/ready", RouteKind::Readiness)
        ]
    );
    let r = t.routes.iter().find(|r| r.path == "/api/health").unwrap();
    assert_eq!((r.line, r.column, r.framework), (11, 3, Framework::NestJs));
    assert!(t.frameworks.contains(&Framework::NestJs));
}

// ---------------------------------------------------------------- Next.js + Supabase

fn next_and_supabase() -> RouteTable {
    table(&[
        (
            "apps/web/src/app/api/health/route.ts",
            "import { NextResponse } from 'next/server';\nexport const dynamic = 'force-dynamic';\nexport async function GET() {\n  return NextResponse.json({ status: 'ok' });\n}\n",
        ),
        (
            "apps/web/src/app/(marketing)/api/projects/[projectId]/route.ts",
            "export async function GET(req: Request, { params }: { params: { projectId: string } }) { return Response.json({}); }\nexport const DELETE = async () => new Response(null, { status: 204 });\nconst handler = () => new Response('x');\nexport { handler as PATCH };\n",
        ),
        (
            "apps/web/src/app/api/auth/[...nextauth]/route.ts",
            "import { handlers } from '@/auth';\nexport const { GET, POST } = handlers;\n",
        ),
        (
            "apps/web/src/app/api/livez/route.ts",
            "export { GET, HEAD } from '@/lib/probes';\n",
        ),
        (
            "apps/web/src/app/_components/route.ts",
            "export function GET() { return new Response('private'); }\n",
        ),
        (
            "apps/web/src/app/dashboard/page.tsx",
            "export default function Page() { return <main>Dashboard</main>; }\n",
        ),
        (
            "apps/web/src/pages/api/webhooks/stripe.ts",
            "export default async function handler(req, res) { res.status(200).end(); }\n",
        ),
        (
            "apps/web/src/pages/api/index.ts",
            "export default function handler(req, res) { res.json({}); }\n",
        ),
        (
            "supabase/functions/gate-check/index.ts",
            "import { serve } from 'https://deno.land/std@0.168.0/http/server.ts';\nserve(async (req) => new Response(JSON.stringify({ pass: true })));\n",
        ),
        (
            "supabase/functions/_shared/cors.ts",
            "export const corsHeaders = { 'Access-Control-Allow-Origin': '*' };\n",
        ),
        (
            ".github/workflows/deploy.yml",
            "run: curl -X POST https://example.com/internal/gate-check\n",
        ),
    ])
}

#[test]
fn nextjs_app_router_and_api_pages() {
    let t = next_and_supabase();
    assert!(has(&t, "GET", "/api/health"), "{:?}", paths(&t));
    assert!(has(&t, "GET", "/api/projects/:projectId"));
    assert!(has(&t, "DELETE", "/api/projects/:projectId"));
    assert!(has(&t, "PATCH", "/api/projects/:projectId"));
    assert!(has(&t, "GET", "/api/auth/*"));
    assert!(has(&t, "HEAD", "/api/livez"));
    let live = t.routes.iter().find(|r| r.path == "/api/livez").unwrap();
    assert_eq!(live.kind, RouteKind::Liveness);
    assert!(has(&t, "POST", "/api/auth/*"));
    assert!(has(&t, "*", "/api/webhooks/stripe"), "{:?}", paths(&t));
    assert!(has(&t, "*", "/api"));
    assert!(
        !paths(&t)
            .iter()
            .any(|p| p.contains("_components") || p.contains("dashboard"))
    );
    let h = t.routes.iter().find(|r| r.path == "/api/health").unwrap();
    assert_eq!(
        (h.line, h.kind, h.framework),
        (3, RouteKind::Health, Framework::NextJs)
    );
    assert!(is_yes(&t.serves(Some("GET"), "/api/auth/callback/github")));
    assert_eq!(t.serves(Some("POST"), "/api/health"), Serves::No);
}

#[test]
fn supabase_function_vs_workflow_endpoint() {
    let t = next_and_supabase();
    assert!(has(&t, "*", "/functions/v1/gate-check"), "{:?}", paths(&t));
    assert!(!paths(&t).iter().any(|p| p.contains("_shared")));
    assert_eq!(
        t.serves(Some("POST"), "https://example.com/internal/gate-check"),
        Serves::No
    );
    assert!(is_yes(&t.serves(
        Some("POST"),
        "https://abc.supabase.co/functions/v1/gate-check"
    )));
    assert!(is_yes(&t.serves(
        Some("POST"),
        "${{ secrets.SUPABASE_URL }}/functions/v1/gate-check?dry=1"
    )));
    assert!(
        t.frameworks.contains(&Framework::Supabase) && t.frameworks.contains(&Framework::NextJs)
    );
}

#[test]
fn supabase_function_with_internal_router_and_deno_imports() {
    let t = table(&[
        (
            "supabase/functions/gate-check/index.ts",
            r#"import { Hono } from "jsr:@hono/hono";
import { corsHeaders } from "../_shared/cors.ts";

const app = new Hono().basePath("/gate-check");
app.post("/run", async (c) => c.json({ pass: true }, 200, corsHeaders));
app.get("/status", (c) => c.text("ok"));

Deno.serve(app.fetch);
"#,
        ),
        (
            "supabase/functions/_shared/cors.ts",
            "export const corsHeaders = { 'Access-Control-Allow-Origin': '*' };\n",
        ),
    ]);
    assert!(has(&t, "*", "/functions/v1/gate-check"), "{:?}", paths(&t));
    assert!(
        has(&t, "POST", "/functions/v1/gate-check/run"),
        "{:?}",
        paths(&t)
    );
    assert!(has(&t, "GET", "/functions/v1/gate-check/status"));
    assert_eq!(
        t.routes
            .iter()
            .find(|r| r.path.ends_with("/run"))
            .unwrap()
            .framework,
        Framework::Hono
    );
    assert!(is_yes(
        &t.serves(Some("DELETE"), "/functions/v1/gate-check/anything")
    ));
    assert_eq!(t.serves(Some("POST"), "/gate-check/run"), Serves::No);
}

#[test]
fn unmounted_router_keeps_own_path_and_nest_router_module_is_noted() {
    let t = table(&[
        (
            "src/orphan.ts",
            "import { Router } from 'express';\nconst router = Router();\nrouter.get('/orphan/health', (_req, res) => res.send('ok'));\nexport default router;\n",
        ),
        (
            "apps/admin/src/app.module.ts",
            r#"import { Module } from "@nestjs/common";
import { RouterModule } from "@nestjs/core";
@Module({
  imports: [AdminModule, RouterModule.register([{ path: "admin", module: AdminModule }])],
})
export class AppModule {}
"#,
        ),
        (
            "apps/admin/src/stats.controller.ts",
            "import { Controller, Get } from '@nestjs/common';\n@Controller('stats')\nexport class StatsController {\n  @Get() stats() { return {}; }\n}\n",
        ),
    ]);
    assert!(has(&t, "GET", "/orphan/health"), "{:?}", paths(&t));
    assert!(has(&t, "GET", "/stats"));
    assert_eq!(t.undecided.len(), 1, "{:?}", t.undecided);
    assert!(t.undecided[0].reason.contains("RouterModule"));
    assert!(is_undecided(&t.serves(Some("GET"), "/admin/stats")));
    assert!(is_yes(&t.serves(Some("GET"), "/orphan/health")));
}
