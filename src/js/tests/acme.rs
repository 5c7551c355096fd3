//! A realistically shaped ~40k-file TypeScript monorepo for the diff-mode budget figures:
//! four apps (Next.js, NestJS behind a Dockerfile, Vite with aliases, a node worker built to
//! `dist/`), 36 workspace libraries with full-size manifests (a dozen scripts, ~30
//! dependencies, conditional `exports`), tsconfigs with comments and `extends`, root `paths`
//! for every library, tests, docs, assets and loose root scripts.

use std::collections::HashMap;

/// Libraries in the release-build repository (debug builds get fewer, same shape).
const LIBS: usize = 36;
/// Source modules per library (a binary import tree over the first `REACHED`).
const MODULES: usize = 800;
const REACHED: usize = 700;

/// The repository: sorted file list and contents.
pub(super) struct Acme {
    pub files: Vec<String>,
    pub content: HashMap<String, Vec<u8>>,
}

/// Number of libraries for this build profile.
pub(super) fn libs() -> usize {
    if cfg!(debug_assertions) { 6 } else { LIBS }
}

/// Ten files a typical pull request touches (see the comments for what each should be).
pub(super) fn pr_queries() -> Vec<String> {
    let last = libs() - 1;
    [
        "packages/lib-3/src/utils/m10.ts".to_string(), // shipped (shallow)
        "packages/lib-3/src/api/m650.ts".to_string(),  // shipped (deep)
        "packages/lib-3/__tests__/m10.test.ts".to_string(), // test: not shipped
        "apps/web/components/c42.tsx".to_string(),     // shipped via an app-router page
        "apps/api/src/modules/m7/m7.service.ts".to_string(), // shipped via the Dockerfile CMD
        "apps/admin/src/pages/p3.tsx".to_string(),     // shipped via index.html → main.tsx
        "scripts/seed-4.js".to_string(),               // loose root script: not shipped
        "packages/lib-2/README.md".to_string(),        // not a source file
        "packages/lib-2/package.json".to_string(),     // exported by the manifest itself
        format!("packages/lib-{last}/src/index.ts"),   // shipped (package entry)
    ]
    .to_vec()
}

fn deps(n: usize, prefix: &str) -> String {
    let names = [
        "react",
        "react-dom",
        "lodash",
        "zod",
        "date-fns",
        "axios",
        "clsx",
        "uuid",
        "pino",
        "dotenv",
        "express",
        "cors",
        "helmet",
        "jsonwebtoken",
        "bcrypt",
        "ioredis",
        "pg",
        "prisma",
        "@tanstack/react-query",
        "zustand",
        "immer",
        "yup",
        "formik",
        "dayjs",
        "nanoid",
        "superjson",
        "tiny-invariant",
        "eventemitter3",
        "p-limit",
        "ms",
    ];
    names
        .iter()
        .take(n)
        .map(|d| format!("    \"{prefix}{d}\": \"^1.2.3\""))
        .collect::<Vec<_>>()
        .join(",\n")
}

fn lib_manifest(i: usize) -> String {
    let dep = if i > 0 {
        format!("    \"@acme/lib-{}\": \"workspace:*\",\n", i - 1)
    } else {
        String::new()
    };
    format!(
        r#"{{
  "name": "@acme/lib-{i}",
  "version": "3.{i}.0",
  "description": "Shared library number {i} of the Acme platform",
  "license": "UNLICENSED",
  "main": "dist/index.js",
  "module": "dist/index.mjs",
  "types": "dist/index.d.ts",
  "exports": {{
    ".": {{
      "types": "./dist/index.d.ts",
      "import": "./dist/index.mjs",
      "require": "./dist/index.js"
    }},
    "./package.json": "./package.json"
  }},
  "files": ["dist"],
  "sideEffects": false,
  "scripts": {{
    "build": "tsup src/index.ts --format esm,cjs --dts",
    "dev": "tsup src/index.ts --format esm,cjs --watch --dts",
    "clean": "rimraf dist .turbo",
    "lint": "eslint src --ext .ts,.tsx --max-warnings 0",
    "lint:fix": "eslint src --ext .ts,.tsx --fix",
    "format": "prettier --write \"src/**/*.{{ts,tsx}}\"",
    "test": "vitest run",
    "test:watch": "vitest",
    "test:coverage": "vitest run --coverage",
    "typecheck": "tsc --noEmit",
    "prepublishOnly": "npm run build",
    "storybook": "storybook dev -p 6006"
  }},
  "dependencies": {{
{dep}{}
  }},
  "devDependencies": {{
{}
  }},
  "publishConfig": {{ "access": "restricted" }}
}}
"#,
        deps(16, ""),
        deps(14, "@types/"),
    )
}

const LIB_TSCONFIG: &str = r#"{
  // Library build: emit to dist, sources in src
  "extends": "../../tsconfig.base.json",
  "compilerOptions": {
    "outDir": "dist",
    "rootDir": "src",
    "composite": true, /* project references */
  },
  "include": ["src"],
  "exclude": ["node_modules", "dist", "**/*.test.ts"],
}
"#;

const FILLER: &str = "  // keep the request handling cheap: validate, map, return\n  const parsed = schema.safeParse(input);\n  if (!parsed.success) {\n    throw new Error(`invalid input: ${parsed.error.message}`);\n  }\n  const rows = parsed.data.items.filter((r) => r.enabled && !/^tmp-/.test(r.id));\n  return rows.map((r) => ({ ...r, total: r.price * r.quantity / 100 }));\n";

fn lib_module(i: usize, k: usize) -> String {
    let mut s = String::from(
        "import { debounce } from 'lodash';\nimport type { Options } from '../types';\n",
    );
    for c in [2 * k + 1, 2 * k + 2] {
        if c < REACHED {
            s.push_str(&format!("import {{ m{c} }} from '../{}/m{c}';\n", area(c)));
        }
    }
    if k.is_multiple_of(50) && i > 0 {
        s.push_str(&format!(
            "import {{ m0 as prev }} from '@acme/lib-{}';\n",
            i - 1
        ));
    }
    s.push_str(&format!(
        "\nexport function m{k}(input: Options) {{\n{FILLER}{FILLER}}}\nexport const m{k}Debounced = debounce(m{k}, 50);\n"
    ));
    s
}

fn area(k: usize) -> &'static str {
    ["utils", "components", "hooks", "api"][k * 4 / MODULES]
}

fn add_lib(files: &mut Vec<(String, String)>, i: usize) {
    let d = format!("packages/lib-{i}");
    files.push((format!("{d}/package.json"), lib_manifest(i)));
    files.push((format!("{d}/tsconfig.json"), LIB_TSCONFIG.into()));
    files.push((format!("{d}/README.md"), format!("# @acme/lib-{i}\n")));
    files.push((format!("{d}/CHANGELOG.md"), "## 3.0.0\n".into()));
    files.push((
        format!("{d}/src/index.ts"),
        "export * from './utils/m0';\nexport type { Options } from './types';\n".into(),
    ));
    files.push((
        format!("{d}/src/types.ts"),
        "export interface Options { items: { id: string }[] }\n".into(),
    ));
    for k in 0..MODULES {
        files.push((format!("{d}/src/{}/m{k}.ts", area(k)), lib_module(i, k)));
    }
    for k in 0..150 {
        files.push((
            format!("{d}/__tests__/m{k}.test.ts"),
            format!(
                "import {{ describe, it, expect }} from 'vitest';\nimport {{ m{k} }} from '../src/{}/m{k}';\ndescribe('m{k}', () => it('works', () => expect(m{k}).toBeDefined()));\n",
                area(k)
            ),
        ));
    }
    for k in 0..40 {
        files.push((format!("{d}/assets/icon-{k}.svg"), "<svg/>".into()));
    }
}

fn add_web(files: &mut Vec<(String, String)>) {
    files.push((
        "apps/web/package.json".into(),
        format!(
            "{{\n  \"name\": \"@acme/web\",\n  \"private\": true,\n  \"scripts\": {{\n    \"dev\": \"next dev\",\n    \"build\": \"next build\",\n    \"start\": \"next start -p 3000\",\n    \"lint\": \"next lint\"\n  }},\n  \"dependencies\": {{\n    \"next\": \"14.2.0\",\n    \"@acme/lib-0\": \"workspace:*\",\n{}\n  }}\n}}\n",
            deps(20, "")
        ),
    ));
    files.push((
        "apps/web/tsconfig.json".into(),
        "{ \"extends\": \"../../tsconfig.base.json\", \"compilerOptions\": { \"jsx\": \"preserve\" } }\n"
            .into(),
    ));
    files.push((
        "apps/web/next.config.js".into(),
        "module.exports = {};\n".into(),
    ));
    files.push((
        "apps/web/app/layout.tsx".into(),
        "export default function Layout({ children }) { return children; }\n".into(),
    ));
    for r in 0..100 {
        let imports: String = (0..5)
            .map(|j| {
                format!(
                    "import {{ C{0} }} from '../../../components/c{0}';\n",
                    r * 5 + j
                )
            })
            .collect();
        files.push((
            format!("apps/web/app/(routes)/r{r}/page.tsx"),
            format!("{imports}import {{ m0 }} from '@acme/lib-0';\nexport default function Page() {{ return null; }}\n"),
        ));
    }
    for c in 0..500 {
        files.push((
            format!("apps/web/components/c{c}.tsx"),
            format!("import clsx from 'clsx';\nexport function C{c}() {{\n{FILLER}}}\n"),
        ));
    }
    for k in 0..200 {
        files.push((format!("apps/web/public/img-{k}.png"), "PNG".into()));
    }
}

fn add_api(files: &mut Vec<(String, String)>) {
    files.push((
        "apps/api/package.json".into(),
        format!(
            "{{\n  \"name\": \"@acme/api\",\n  \"private\": true,\n  \"scripts\": {{\n    \"build\": \"nest build\",\n    \"start:dev\": \"nest start --watch\",\n    \"start:prod\": \"node dist/main.js\",\n    \"test\": \"jest\"\n  }},\n  \"dependencies\": {{\n    \"@nestjs/core\": \"^10.0.0\",\n{}\n  }}\n}}\n",
            deps(25, "")
        ),
    ));
    files.push((
        "apps/api/tsconfig.json".into(),
        "{\n  \"extends\": \"../../tsconfig.base.json\",\n  \"compilerOptions\": { \"outDir\": \"./dist\", \"rootDir\": \"./src\" }\n}\n".into(),
    ));
    files.push((
        "apps/api/Dockerfile".into(),
        "FROM node:20-alpine AS build\nWORKDIR /app\nCOPY . .\nRUN npm ci && npm run build\n\nFROM node:20-alpine\nWORKDIR /app\nCOPY --from=build /app/dist ./dist\nCOPY package.json ./\nCMD [\"node\", \"dist/main.js\"]\n".into(),
    ));
    let imports: String = (0..60)
        .map(|m| format!("import {{ M{m}Module }} from './modules/m{m}/m{m}.module';\n"))
        .collect();
    files.push((
        "apps/api/src/main.ts".into(),
        format!("import {{ NestFactory }} from '@nestjs/core';\n{imports}"),
    ));
    for m in 0..60 {
        let d = format!("apps/api/src/modules/m{m}");
        files.push((
            format!("{d}/m{m}.module.ts"),
            format!("import {{ M{m}Service }} from './m{m}.service';\nimport {{ M{m}Controller }} from './m{m}.controller';\n"),
        ));
        files.push((
            format!("{d}/m{m}.service.ts"),
            format!("import {{ m1 }} from '@acme/lib-1';\nexport class M{m}Service {{}}\n"),
        ));
        files.push((
            format!("{d}/m{m}.controller.ts"),
            format!("import {{ M{m}Service }} from './m{m}.service';\nexport class M{m}Controller {{}}\n"),
        ));
        for t in 0..5 {
            files.push((
                format!("{d}/dto/d{t}.dto.ts"),
                "export class Dto {}\n".into(),
            ));
        }
        files.push((
            format!("{d}/m{m}.service.spec.ts"),
            "it('x', () => {});\n".into(),
        ));
    }
}

fn add_admin(files: &mut Vec<(String, String)>) {
    files.push((
        "apps/admin/package.json".into(),
        "{\n  \"name\": \"@acme/admin\",\n  \"private\": true,\n  \"scripts\": { \"dev\": \"vite\", \"build\": \"tsc -b && vite build\", \"preview\": \"vite preview\" },\n  \"dependencies\": { \"react\": \"^18.0.0\" },\n  \"devDependencies\": { \"vite\": \"^5.0.0\" }\n}\n".into(),
    ));
    files.push((
        "apps/admin/vite.config.ts".into(),
        "import { defineConfig } from 'vite';\nimport path from 'node:path';\nexport default defineConfig({\n  resolve: { alias: { '@': path.resolve(__dirname, './src') } },\n  build: { outDir: 'dist' },\n});\n".into(),
    ));
    files.push((
        "apps/admin/index.html".into(),
        "<!doctype html>\n<html><body><div id=\"root\"></div>\n<script type=\"module\" src=\"/src/main.tsx\"></script>\n</body></html>\n".into(),
    ));
    let pages: String = (0..40)
        .map(|p| format!("import P{p} from '@/pages/p{p}';\n"))
        .collect();
    files.push(("apps/admin/src/main.tsx".into(), pages));
    for p in 0..40 {
        files.push((
            format!("apps/admin/src/pages/p{p}.tsx"),
            format!("import {{ Table }} from '@/components/table{}';\nexport default function P{p}() {{ return null; }}\n", p % 10),
        ));
    }
    for t in 0..10 {
        files.push((
            format!("apps/admin/src/components/table{t}.tsx"),
            format!("export function Table() {{\n{FILLER}}}\n"),
        ));
    }
}

fn add_root(files: &mut Vec<(String, String)>) {
    files.push((
        "package.json".into(),
        "{\n  \"name\": \"acme\",\n  \"private\": true,\n  \"workspaces\": [\"apps/*\", \"packages/*\"],\n  \"scripts\": {\n    \"build\": \"turbo run build\",\n    \"dev\": \"turbo run dev --parallel\",\n    \"lint\": \"turbo run lint\",\n    \"test\": \"turbo run test\",\n    \"db:seed\": \"node scripts/seed-0.js\",\n    \"format\": \"prettier --write .\"\n  },\n  \"devDependencies\": { \"turbo\": \"^2.0.0\", \"prettier\": \"^3.0.0\", \"typescript\": \"^5.4.0\" }\n}\n".into(),
    ));
    let paths: Vec<String> = (0..libs())
        .map(|i| format!("      \"@acme/lib-{i}\": [\"packages/lib-{i}/src/index.ts\"],\n      \"@acme/lib-{i}/*\": [\"packages/lib-{i}/src/*\"]"))
        .collect();
    files.push((
        "tsconfig.base.json".into(),
        format!(
            "{{\n  // Shared compiler options for every package\n  \"compilerOptions\": {{\n    \"target\": \"ES2022\",\n    \"module\": \"ESNext\",\n    \"moduleResolution\": \"Bundler\",\n    \"strict\": true,\n    \"baseUrl\": \".\",\n    \"paths\": {{\n{}\n    }}\n  }}\n}}\n",
            paths.join(",\n")
        ),
    ));
    files.push(("turbo.json".into(), "{ \"pipeline\": {} }\n".into()));
    files.push(("README.md".into(), "# Acme\n".into()));
    files.push((".github/workflows/ci.yml".into(), "on: push\n".into()));
    files.push(("docker-compose.yml".into(), "services: {}\n".into()));
    for s in 0..20 {
        files.push((
            format!("scripts/seed-{s}.js"),
            format!("require('dotenv').config();\nconst {{ Client }} = require('pg');\nnew Client().connect().then(() => console.log('seed {s}'));\n"),
        ));
    }
}

/// Build the repository.
pub(super) fn acme() -> Acme {
    let mut list: Vec<(String, String)> = Vec::new();
    add_root(&mut list);
    add_web(&mut list);
    add_api(&mut list);
    add_admin(&mut list);
    for i in 0..libs() {
        add_lib(&mut list, i);
    }
    let mut files: Vec<String> = list.iter().map(|(p, _)| p.clone()).collect();
    files.sort();
    let content = list.into_iter().map(|(p, c)| (p, c.into_bytes())).collect();
    Acme { files, content }
}
