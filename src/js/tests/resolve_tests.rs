#![allow(clippy::unwrap_used)]

use super::super::Resolver;
use super::repo::Repo;

fn check(r: &Repo, cases: &[(&str, &str, Option<&str>)]) {
    let read = |p: &str| r.read(p);
    let res = Resolver::new(&r.files, &read);
    for (from, spec, want) in cases {
        assert_eq!(
            res.resolve(from, spec).as_deref(),
            *want,
            "{spec} from {from}"
        );
    }
}

#[test]
fn tsconfig_extends_chain_and_workspace_extends() {
    let r = Repo::new(&[
        (
            "package.json",
            "{ \"name\": \"acme\", \"workspaces\": [\"apps/*\", \"packages/*\"] }",
        ),
        (
            "tsconfig.base.json",
            "{\n  // shared settings\n  \"compilerOptions\": {\n    \"baseUrl\": \".\",\n    \"paths\": { \"@acme/util/*\": [\"packages/util/src/*\"], \"~env\": [\"config/env.ts\"] },\n  },\n}\n",
        ),
        ("config/env.ts", ""),
        ("packages/util/package.json", "{ \"name\": \"@acme/util\" }"),
        ("packages/util/src/strings.ts", ""),
        (
            "packages/tsconfig/package.json",
            "{ \"name\": \"@acme/tsconfig\" }",
        ),
        (
            "packages/tsconfig/next.json",
            "{ \"compilerOptions\": { \"paths\": { \"@/*\": [\"./src/*\"] } } }",
        ),
        (
            "apps/api/tsconfig.json",
            "{ \"extends\": \"../../tsconfig.base.json\", \"compilerOptions\": { \"outDir\": \"dist\" } }",
        ),
        ("apps/api/src/main.ts", ""),
        ("apps/site/package.json", "{ \"name\": \"site\" }"),
        (
            "apps/site/tsconfig.json",
            "{ \"extends\": \"@acme/tsconfig/next.json\" }",
        ),
        ("apps/site/src/lib/x.ts", ""),
        ("apps/site/src/page.tsx", ""),
        ("packages/tsconfig/src/shared.ts", ""),
        ("loop/tsconfig.json", "{ \"extends\": \"./tsconfig.json\" }"),
        ("loop/a.ts", ""),
    ]);
    check(
        &r,
        &[
            // paths from the base config are relative to its baseUrl (the repo root)
            (
                "apps/api/src/main.ts",
                "@acme/util/strings",
                Some("packages/util/src/strings.ts"),
            ),
            ("apps/api/src/main.ts", "~env", Some("config/env.ts")),
            // inherited baseUrl: bare `config/env` resolves from the root
            ("apps/api/src/main.ts", "config/env", Some("config/env.ts")),
            // `paths` without baseUrl are relative to the config that defines them (in packages/tsconfig)
            ("apps/site/src/page.tsx", "@/lib/x", None),
            // …which proves the `extends` through the workspace package name was followed
            (
                "apps/site/src/page.tsx",
                "@/shared",
                Some("packages/tsconfig/src/shared.ts"),
            ),
            ("loop/a.ts", "./missing", None),
        ],
    );
}

#[test]
fn package_exports_imports_and_dir_main() {
    let r = Repo::new(&[
        (
            "package.json",
            "{ \"name\": \"app\", \"imports\": { \"#db\": \"./src/db.ts\", \"#utils/*\": \"./src/utils/*.ts\" } }",
        ),
        ("src/db.ts", ""),
        ("src/utils/time.ts", ""),
        ("src/index.ts", ""),
        (
            "src/vendor/legacy/package.json",
            "{ \"main\": \"entry.js\" }",
        ),
        ("src/vendor/legacy/entry.js", ""),
        ("src/components/index.tsx", ""),
        ("src/logo.svg", ""),
        ("src/esm/util.mts", ""),
        (
            "packages/ui/package.json",
            r#"{ "name": "@acme/ui", "exports": { ".": { "types": "./dist/index.d.ts", "import": "./dist/index.mjs" }, "./button": "./src/button.tsx", "./icons/*": "./src/icons/*.tsx", "./package.json": "./package.json" } }"#,
        ),
        ("packages/ui/src/index.ts", ""),
        ("packages/ui/src/button.tsx", ""),
        ("packages/ui/src/icons/star.tsx", ""),
    ]);
    check(
        &r,
        &[
            ("src/index.ts", "#db", Some("src/db.ts")),
            ("src/index.ts", "#utils/time", Some("src/utils/time.ts")),
            (
                "src/index.ts",
                "./vendor/legacy",
                Some("src/vendor/legacy/entry.js"),
            ),
            (
                "src/index.ts",
                "./components",
                Some("src/components/index.tsx"),
            ),
            ("src/index.ts", "./logo.svg?react", Some("src/logo.svg")),
            ("src/index.ts", "raw-loader!./db", Some("src/db.ts")),
            ("src/index.ts", "./esm/util.mjs", Some("src/esm/util.mts")),
            // exports: "." → dist/index.mjs is absent → mapped to src/index.ts
            ("src/index.ts", "@acme/ui", Some("packages/ui/src/index.ts")),
            (
                "src/index.ts",
                "@acme/ui/button",
                Some("packages/ui/src/button.tsx"),
            ),
            (
                "src/index.ts",
                "@acme/ui/icons/star",
                Some("packages/ui/src/icons/star.tsx"),
            ),
            ("src/index.ts", "@acme/uix", None),
            ("src/index.ts", "https://esm.sh/react", None),
        ],
    );
}

#[test]
fn bundler_aliases_without_tsconfig() {
    let r = Repo::new(&[
        (
            "package.json",
            "{ \"name\": \"spa\", \"devDependencies\": { \"vite\": \"5\" } }",
        ),
        (
            "vite.config.js",
            "import path from 'path';\nexport default { resolve: { alias: { '@': path.resolve(__dirname, './src'), 'assets': path.resolve(__dirname, 'src/assets') } } };\n",
        ),
        ("src/main.js", ""),
        ("src/store/index.js", ""),
        ("src/assets/logo.png", ""),
        (
            "kit/package.json",
            "{ \"name\": \"kit\", \"devDependencies\": { \"@sveltejs/kit\": \"2\" } }",
        ),
        ("kit/src/lib/db.ts", ""),
        ("kit/src/routes/+page.server.ts", ""),
    ]);
    check(
        &r,
        &[
            ("src/main.js", "@/store", Some("src/store/index.js")),
            (
                "src/main.js",
                "assets/logo.png",
                Some("src/assets/logo.png"),
            ),
            ("src/main.js", "@vue/runtime-core", None),
            (
                "kit/src/routes/+page.server.ts",
                "$lib/db",
                Some("kit/src/lib/db.ts"),
            ),
        ],
    );
}
