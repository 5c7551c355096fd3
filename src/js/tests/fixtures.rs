#![allow(clippy::unwrap_used)]

use super::super::{
    Budget, Decision, Resolver, UndecidedReason, entrypoints, explain_text, ships, ships_subset,
    ships_subset_with,
};
use super::repo::{self, Repo};

fn shipped(s: &super::super::Ships, list: &[&str]) {
    for f in list {
        assert!(
            s.is_shipped(f),
            "{f} should ship: {}",
            explain_text(f, &s.decision(f))
        );
    }
}

fn not_shipped(s: &super::super::Ships, list: &[&str]) {
    for f in list {
        let d = s.decision(f);
        assert!(
            d.is_not_shipped(),
            "{f} should not ship, got: {}",
            explain_text(f, &d)
        );
    }
}

// -------------------------------------------------------------------- CRM monorepo

#[test]
fn crm_ships_apps_and_shared_but_not_root_scripts() {
    let r = repo::crm();
    let read = |p: &str| r.read(p);
    let s = ships(&r.files, &read, &[]).expect("entrypoints exist");
    shipped(
        &s,
        &[
            "apps/api/src/main.ts",
            "apps/api/src/app.module.ts",
            "apps/api/src/users/users.controller.ts",
            "apps/api/src/users/users.service.ts",
            "apps/api/src/auth/auth.module.ts",
            "apps/api/src/auth/password.ts",
            "packages/shared/src/index.ts",
            "packages/shared/src/constants.ts",
            "packages/shared/src/date.ts",
            "apps/web/index.html",
            "apps/web/src/main.tsx",
            "apps/web/src/App.tsx",
            "apps/web/src/components/Button.tsx",
            "apps/web/src/pages/Settings.tsx",
            "apps/web/src/index.css",
            "apps/web/public/favicon.svg",
        ],
    );
    not_shipped(
        &s,
        &[
            "test-feature-257.js",
            "check-users.mjs",
            "create-test-user.js",
            "apps/api/prisma/seed.ts",
            "apps/api/src/dto/user.dto.ts", // only `import type`d
            "apps/api/src/users/users.controller.spec.ts",
            "packages/shared/src/unused.ts",
            "apps/web/src/components/Old.tsx",
            "apps/web/vite.config.ts",
        ],
    );
    // Root scripts belong to the workspace root package "crm".
    let d = s.decision("check-users.mjs");
    let text = explain_text("check-users.mjs", &d);
    assert!(text.starts_with("check-users.mjs is not production: no entrypoint of package \"crm\" (package.json) imports it"), "{text}");
    assert_eq!(
        s.decision("README.md"),
        Decision::Undecided {
            package: s.package_of("README.md").cloned(),
            reason: UndecidedReason::NotSource
        }
    );
}

#[test]
fn crm_chains_and_origins() {
    let r = repo::crm();
    let read = |p: &str| r.read(p);
    let s = ships(&r.files, &read, &[]).unwrap();
    let x = s.explain("packages/shared/src/date.ts").unwrap();
    // shared has its own entry (main: dist/index.js → src/index.ts): the shortest chain starts there
    assert_eq!(
        x.chain,
        vec![
            "packages/shared/src/index.ts",
            "packages/shared/src/date.ts"
        ]
    );
    assert_eq!(x.entrypoint.origin, "packages/shared/package.json:4 (main)");
    assert!(
        x.entrypoint
            .why
            .contains("built from packages/shared/src/index.ts"),
        "{}",
        x.entrypoint.why
    );
    assert_eq!(x.lines, vec![2]);

    let x = s.explain("apps/api/src/users/users.service.ts").unwrap();
    assert_eq!(
        x.chain,
        vec![
            "apps/api/src/main.ts",
            "apps/api/src/app.module.ts",
            "apps/api/src/users/users.service.ts"
        ]
    );
    assert_eq!(x.lines, vec![2, 3]);
    assert!(
        x.entrypoint.origin.starts_with("apps/api/package.json:"),
        "{}",
        x.entrypoint.origin
    );

    let text = explain_text(
        "apps/api/src/users/users.service.ts",
        &s.decision("apps/api/src/users/users.service.ts"),
    );
    assert!(
        text.contains("is production: reached from apps/api/package.json:"),
        "{text}"
    );
    assert!(text.contains("→ apps/api/src/main.ts → apps/api/src/app.module.ts → apps/api/src/users/users.service.ts"), "{text}");

    let x = s.explain("apps/web/src/pages/Settings.tsx").unwrap();
    assert_eq!(
        x.chain,
        vec![
            "apps/web/index.html",
            "apps/web/src/main.tsx",
            "apps/web/src/App.tsx",
            "apps/web/src/pages/Settings.tsx"
        ]
    );
}

#[test]
fn crm_dockerfile_cmd_maps_missing_dist_to_source() {
    let r = repo::crm();
    let read = |p: &str| r.read(p);
    let eps = entrypoints(&r.files, &read, &[]);
    let docker = eps
        .iter()
        .find(|e| e.origin == "apps/api/Dockerfile:14 (CMD)")
        .unwrap_or_else(|| panic!("{eps:#?}"));
    assert_eq!(docker.file, "apps/api/src/main.ts");
    assert!(
        docker
            .why
            .contains("dist/main.js is built from apps/api/src/main.ts"),
        "{}",
        docker.why
    );
    // start:prod `node dist/main` maps too; the Nest CLI default does as well
    assert!(
        eps.iter()
            .any(|e| e.origin.contains("(scripts.start:prod)") && e.file == "apps/api/src/main.ts")
    );
    assert!(
        eps.iter()
            .any(|e| e.origin.contains("(scripts.start)") && e.file == "apps/api/src/main.ts")
    );
    // Vite: build script → index.html
    assert!(
        eps.iter()
            .any(|e| e.file == "apps/web/index.html"
                && e.origin.starts_with("apps/web/package.json:"))
    );
    // The root `test:e2e` script is not an entry script; `node_modules`/`dist` are not in the repo.
    assert!(
        !eps.iter().any(|e| e.file == "test-feature-257.js"),
        "{eps:#?}"
    );
    assert!(!eps.iter().any(|e| e.file.contains("seed")), "{eps:#?}");
}

#[test]
fn crm_resolver() {
    let r = repo::crm();
    let read = |p: &str| r.read(p);
    let res = Resolver::new(&r.files, &read);
    assert_eq!(
        res.resolve("apps/web/src/App.tsx", "@/components/Button")
            .as_deref(),
        Some("apps/web/src/components/Button.tsx")
    );
    assert_eq!(
        res.resolve("apps/web/src/App.tsx", "./pages/Settings")
            .as_deref(),
        Some("apps/web/src/pages/Settings.tsx")
    );
    assert_eq!(
        res.resolve("apps/api/src/users/users.service.ts", "@crm/shared")
            .as_deref(),
        Some("packages/shared/src/index.ts")
    );
    assert_eq!(
        res.resolve("apps/api/src/main.ts", "./app.module.js")
            .as_deref(),
        Some("apps/api/src/app.module.ts")
    );
    assert_eq!(
        res.resolve("apps/web/index.html", "/src/main.tsx")
            .as_deref(),
        Some("apps/web/src/main.tsx")
    );
    assert_eq!(res.resolve("apps/api/src/main.ts", "@nestjs/core"), None);
    assert_eq!(res.resolve("apps/api/src/main.ts", "node:fs"), None);
    assert_eq!(
        res.resolve("apps/api/src/main.ts", "../../../../../etc/passwd"),
        None
    );
    assert_eq!(
        res.resolve("apps/web/src/App.tsx", "@/components/Nope"),
        None
    );
    // baseUrl "./" in apps/api: `src/users/users.service` resolves from anywhere in the package
    assert_eq!(
        res.resolve("apps/api/src/main.ts", "src/users/users.service")
            .as_deref(),
        Some("apps/api/src/users/users.service.ts")
    );
}

#[test]
fn crm_subset_agrees_with_full_and_reads_little() {
    let r = repo::crm();
    let read = |p: &str| r.read(p);
    let full = ships(&r.files, &read, &[]).unwrap();
    let queries = Repo::paths(&[
        "check-users.mjs",
        "apps/api/src/users/users.service.ts",
        "apps/web/src/components/Old.tsx",
        "packages/shared/src/date.ts",
        "README.md",
        "apps/api/src/main.ts",
        "apps/web/public/favicon.svg",
        "deleted/file.ts",
    ]);
    r.reads.set(0);
    // Agreement, not timing: a loaded machine running a debug build must not
    // turn answers into "undecided (budget)".
    let budget = Budget {
        max_time: std::time::Duration::from_secs(60),
        ..Budget::default()
    };
    let got = ships_subset_with(&queries, &r.files, &read, &[], budget);
    let reads = r.reads.get();
    assert!(reads < r.files.len(), "read {reads} of {}", r.files.len());
    for (q, d) in &got {
        let f = full.decision(q);
        match d {
            Decision::Shipped(x) => {
                assert!(f.is_shipped(), "{q}: subset says shipped, full says {f:?}");
                assert_eq!(x.chain.last(), Some(q));
            }
            Decision::Undecided {
                reason: UndecidedReason::Budget,
                ..
            } => panic!("{q}: budget not expected here"),
            other => assert_eq!(other, &f, "{q}"),
        }
    }
    let by: std::collections::HashMap<&str, &Decision> =
        got.iter().map(|(q, d)| (q.as_str(), d)).collect();
    assert!(by["check-users.mjs"].is_not_shipped());
    assert!(by["apps/api/src/users/users.service.ts"].is_shipped());
    assert!(by["apps/web/src/components/Old.tsx"].is_not_shipped());
    assert!(by["packages/shared/src/date.ts"].is_shipped());
    assert!(matches!(
        by["README.md"],
        Decision::Undecided {
            reason: UndecidedReason::NotSource,
            ..
        }
    ));
    assert!(matches!(
        by["deleted/file.ts"],
        Decision::Undecided {
            reason: UndecidedReason::UnknownFile,
            ..
        }
    ));
    assert!(by["apps/web/public/favicon.svg"].is_shipped());
}

#[test]
fn subset_budget_makes_undecided_never_wrong() {
    let r = repo::crm();
    let read = |p: &str| r.read(p);
    let full = ships(&r.files, &read, &[]).unwrap();
    let queries = Repo::paths(&[
        "check-users.mjs",
        "apps/web/src/pages/Settings.tsx",
        "packages/shared/src/unused.ts",
    ]);
    let tight = Budget {
        max_files: 1,
        max_time: std::time::Duration::from_secs(5),
        trust_package_boundaries: false,
    };
    let got = ships_subset_with(&queries, &r.files, &read, &[], tight);
    let mut budgeted = 0;
    for (q, d) in &got {
        match d {
            Decision::Undecided {
                reason: UndecidedReason::Budget,
                ..
            } => budgeted += 1,
            Decision::Shipped(_) => assert!(full.is_shipped(q)),
            other => assert_eq!(other, &full.decision(q), "{q}"),
        }
    }
    assert!(budgeted >= 1, "{got:?}");
}

// -------------------------------------------------------------------- Express

#[test]
fn express_main_and_routes_ship_seed_does_not() {
    let r = repo::express();
    let read = |p: &str| r.read(p);
    let s = ships(&r.files, &read, &[]).unwrap();
    shipped(
        &s,
        &["server.js", "routes/users.js", "routes/orders.js", "db.js"],
    );
    not_shipped(&s, &["scripts/seed.js", "test/users.test.js"]);
    let origins: Vec<&str> = s.entrypoints().iter().map(|e| e.origin.as_str()).collect();
    assert!(origins.contains(&"package.json:4 (main)"), "{origins:?}");
    assert!(origins.contains(&"Procfile:1 (web)"), "{origins:?}");
    assert!(
        origins
            .iter()
            .any(|o| o.starts_with("package.json:6 (scripts.start)")),
        "{origins:?}"
    );
    let text = explain_text("routes/orders.js", &s.decision("routes/orders.js"));
    assert_eq!(
        text.lines().next().unwrap(),
        "routes/orders.js is production: reached from package.json:4 (main) → server.js → routes/orders.js"
    );
    let text = explain_text("scripts/seed.js", &s.decision("scripts/seed.js"));
    assert!(text.starts_with("scripts/seed.js is not production: no entrypoint of package \"express-api\" (package.json) imports it"), "{text}");
    assert!(text.contains("server.js (package.json:4 (main))"), "{text}");
}

#[test]
fn express_dynamic_route_loading_by_prefix() {
    let r = Repo::new(&[
        (
            "package.json",
            "{ \"name\": \"api\", \"scripts\": { \"start\": \"node index.js\" } }",
        ),
        (
            "index.js",
            "const fs = require('fs');\nfor (const f of fs.readdirSync(__dirname + '/routes')) {\n  app.use(require('./routes/' + f));\n}\n",
        ),
        ("routes/a.js", "module.exports = 1;"),
        ("routes/nested/b.js", "module.exports = 2;"),
        ("tools/x.js", "module.exports = 3;"),
    ]);
    let read = |p: &str| r.read(p);
    let s = ships(&r.files, &read, &[]).unwrap();
    shipped(&s, &["index.js", "routes/a.js", "routes/nested/b.js"]);
    not_shipped(&s, &["tools/x.js"]);
}

// -------------------------------------------------------------------- Next.js

#[test]
fn next_app_router_pages_api_and_middleware() {
    let r = repo::next_app();
    let read = |p: &str| r.read(p);
    let s = ships(&r.files, &read, &[]).unwrap();
    shipped(
        &s,
        &[
            "app/layout.tsx",
            "app/page.tsx",
            "app/globals.css",
            "app/dashboard/page.tsx",
            "app/dashboard/_components/Chart.tsx",
            "app/api/users/route.ts",
            "pages/api/legacy.ts",
            "middleware.ts",
            "next.config.mjs",
            "components/Hero.tsx",
            "lib/db.ts",
            "public/logo.svg",
        ],
    );
    not_shipped(&s, &["components/Unused.tsx", "scripts/migrate.ts"]);
    let x = s.explain("lib/db.ts").unwrap();
    assert_eq!(x.chain, vec!["app/api/users/route.ts", "lib/db.ts"]);
    assert_eq!(
        x.entrypoint.why,
        "script \"start\" runs `next start` → Next.js app router file"
    );
    assert_eq!(x.entrypoint.origin, "package.json:3 (scripts.start)");
    assert!(
        s.explain("pages/api/legacy.ts")
            .unwrap()
            .entrypoint
            .why
            .ends_with("Next.js API route")
    );
}

// -------------------------------------------------------------------- Supabase

#[test]
fn supabase_functions_without_package_json() {
    let r = repo::supabase();
    let read = |p: &str| r.read(p);
    let s = ships(&r.files, &read, &[]).unwrap();
    shipped(
        &s,
        &[
            "supabase/functions/send-email/index.ts",
            "supabase/functions/hello/index.ts",
            "supabase/functions/_shared/cors.ts",
        ],
    );
    not_shipped(
        &s,
        &[
            "supabase/functions/_shared/unused.ts",
            "scripts/backfill.ts",
        ],
    );
    assert!(matches!(
        s.decision("supabase/seed.sql"),
        Decision::Undecided {
            reason: UndecidedReason::NotSource,
            ..
        }
    ));
    let e = &s.explain("supabase/functions/_shared/cors.ts").unwrap();
    assert_eq!(e.entrypoint.why, "Supabase Edge Function \"send-email\"");
}

// -------------------------------------------------------------------- undecided and fallbacks

#[test]
fn no_entrypoint_anywhere_means_none() {
    let r = Repo::new(&[
        (
            "package.json",
            "{ \"name\": \"lib\", \"scripts\": { \"test\": \"jest\", \"lint\": \"eslint .\" } }",
        ),
        ("src/a.ts", "export const a = 1;"),
        ("tsconfig.json", "{ \"files\": [\"src/a.ts\"] }"),
    ]);
    let read = |p: &str| r.read(p);
    assert!(ships(&r.files, &read, &[]).is_none());
    let got = ships_subset(&Repo::paths(&["src/a.ts"]), &r.files, &read, &[]);
    assert!(matches!(
        got[0].1,
        Decision::Undecided {
            reason: UndecidedReason::NoEntrypoint,
            ..
        }
    ));
    // …but a configured entrypoint glob decides it
    let s = ships(&r.files, &read, &["src/*.ts".to_string()]).unwrap();
    assert!(s.is_shipped("src/a.ts"));
    assert_eq!(
        s.explain("src/a.ts").unwrap().entrypoint.origin,
        "[scan.production] entrypoints"
    );
}

#[test]
fn package_without_entrypoint_is_undecided_not_unshipped() {
    let r = Repo::new(&[
        (
            "package.json",
            "{ \"name\": \"mono\", \"private\": true, \"workspaces\": [\"packages/*\"] }",
        ),
        (
            "packages/app/package.json",
            "{ \"name\": \"app\", \"main\": \"index.js\" }",
        ),
        ("packages/app/index.js", "require('./lib');"),
        ("packages/app/lib.js", ""),
        ("packages/app/tool.js", ""),
        (
            "packages/tools/package.json",
            "{ \"name\": \"tools\", \"scripts\": { \"test\": \"vitest\" } }",
        ),
        (
            "packages/tools/gen.ts",
            "export const x = 'http://localhost';",
        ),
        ("loose.js", ""),
    ]);
    let read = |p: &str| r.read(p);
    let s = ships(&r.files, &read, &[]).unwrap();
    shipped(&s, &["packages/app/index.js", "packages/app/lib.js"]);
    not_shipped(&s, &["packages/app/tool.js", "loose.js"]);
    let d = s.decision("packages/tools/gen.ts");
    assert!(
        matches!(
            d,
            Decision::Undecided {
                reason: UndecidedReason::NoEntrypoint,
                ..
            }
        ),
        "{d:?}"
    );
    let t = explain_text("packages/tools/gen.ts", &d);
    assert!(
        t.contains("package \"tools\" (packages/tools/package.json) has no entrypoint"),
        "{t}"
    );
    // weak tsconfig "files" entries do not decide a package
}

#[test]
fn weak_vercel_api_folder_does_not_decide() {
    let r = Repo::new(&[
        ("package.json", "{ \"name\": \"site\" }"),
        ("api/hello.ts", "export default () => 'hi';"),
        ("scripts/x.ts", ""),
    ]);
    let read = |p: &str| r.read(p);
    assert!(ships(&r.files, &read, &[]).is_none(), "only weak entries");
    let r2 = Repo::new(&[
        ("package.json", "{ \"name\": \"site\" }"),
        ("vercel.json", "{}"),
        ("api/hello.ts", ""),
        ("api/_util.ts", ""),
        ("scripts/x.ts", ""),
    ]);
    let read2 = |p: &str| r2.read(p);
    let s = ships(&r2.files, &read2, &[]).unwrap();
    shipped(&s, &["api/hello.ts"]);
    not_shipped(&s, &["scripts/x.ts", "api/_util.ts"]);
}

#[test]
fn sequelize_models_and_typeorm_entities_loaded_by_directory() {
    let r = Repo::new(&[
        (
            "package.json",
            "{ \"name\": \"api\", \"main\": \"app.js\" }",
        ),
        (
            "app.js",
            "const db = require('./models');\nrequire('./src/data-source');\n",
        ),
        (
            "models/index.js",
            "const fs = require('fs');\nfs.readdirSync(__dirname).forEach((f) => { db[f] = require(path.join(__dirname, f)); });\n",
        ),
        (
            "models/user.js",
            "module.exports = (s) => s.define('User');",
        ),
        (
            "models/order.js",
            "module.exports = (s) => s.define('Order');",
        ),
        (
            "src/data-source.ts",
            "export default new DataSource({ entities: [__dirname + '/**/*.entity{.ts,.js}'] });",
        ),
        ("src/users/user.entity.ts", ""),
        ("src/users/user.dto.ts", ""),
        ("scripts/reset-db.js", "require('../models');"),
    ]);
    let read = |p: &str| r.read(p);
    let s = ships(&r.files, &read, &[]).unwrap();
    shipped(
        &s,
        &[
            "models/user.js",
            "models/order.js",
            "src/users/user.entity.ts",
        ],
    );
    not_shipped(&s, &["src/users/user.dto.ts", "scripts/reset-db.js"]);
}

#[test]
fn crm_trusting_package_boundaries_decides_root_scripts_from_their_package_alone() {
    let r = repo::crm();
    let read = |p: &str| r.read(p);
    let queries = Repo::paths(&[
        "check-users.mjs",
        "test-feature-257.js",
        "packages/shared/src/unused.ts",
        "packages/shared/src/date.ts",
    ]);
    r.reads.set(0);
    let budget = Budget {
        trust_package_boundaries: true,
        ..Budget::default()
    };
    let got = ships_subset_with(&queries, &r.files, &read, &[], budget);
    assert!(
        got[0].1.is_not_shipped() && got[1].1.is_not_shipped(),
        "{got:?}"
    );
    assert!(got[2].1.is_not_shipped(), "{:?}", got[2]);
    assert!(got[3].1.is_shipped());
}
