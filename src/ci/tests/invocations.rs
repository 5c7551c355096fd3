//! Command classification: package managers, interpreters, make/just, HTTP tools, check kinds.

use super::*;

fn cmd1(text: &str) -> shell::Command {
    sh(text).into_iter().next().unwrap()
}

#[test]
fn invocations_of_package_managers() {
    let rs = |t: &str| match invocation::classify(&cmd1(t)) {
        Invocation::RunScript {
            manager,
            script,
            if_present,
            dir,
            bin_fallback,
            ..
        } => Some((manager, script, if_present, dir, bin_fallback)),
        _ => None,
    };
    assert_eq!(
        rs("npm run lint"),
        Some((Manager::Npm, "lint".into(), false, ScriptDir::Cwd, false))
    );
    assert_eq!(
        rs("npm run-script typecheck --if-present"),
        Some((
            Manager::Npm,
            "typecheck".into(),
            true,
            ScriptDir::Cwd,
            false
        ))
    );
    assert_eq!(
        rs("npm --prefix web run build").map(|r| r.3),
        Some(ScriptDir::Dir("web".into()))
    );
    assert_eq!(
        rs("npm -w @acme/api run test").map(|r| r.3),
        Some(ScriptDir::Workspace("@acme/api".into()))
    );
    assert_eq!(rs("npm test").map(|r| r.1), Some("test".into()));
    assert_eq!(rs("npm run test -- --if-present").map(|r| r.2), Some(false));
    assert_eq!(rs("npm install"), None);
    assert_eq!(rs("npm ci"), None);
    assert_eq!(
        rs("pnpm --if-present typecheck"),
        Some((
            Manager::Pnpm,
            "typecheck".into(),
            true,
            ScriptDir::Cwd,
            true
        ))
    );
    assert_eq!(rs("pnpm run build").map(|r| r.4), Some(false));
    assert!(matches!(
        rs("pnpm --filter web build").map(|r| r.3),
        Some(ScriptDir::Undecided(_))
    ));
    assert_eq!(
        rs("pnpm -C apps/web lint").map(|r| r.3),
        Some(ScriptDir::Dir("apps/web".into()))
    );
    assert_eq!(rs("pnpm install --frozen-lockfile"), None);
    assert_eq!(rs("yarn build").map(|r| r.1), Some("build".into()));
    assert_eq!(rs("yarn install"), None);
    assert_eq!(rs("yarn add -D x"), None);
    assert_eq!(
        rs("yarn workspace web lint").map(|r| r.3),
        Some(ScriptDir::Workspace("web".into()))
    );
    assert_eq!(
        rs("yarn --cwd client test").map(|r| r.3),
        Some(ScriptDir::Dir("client".into()))
    );
    assert_eq!(rs("bun run dev").map(|r| r.1), Some("dev".into()));
    assert_eq!(rs("bun test"), None);
    assert_eq!(
        rs("NODE_ENV=test npx cross-env CI=1 npm run test:unit").map(|r| r.1),
        Some("test:unit".into())
    );
    assert!(
        matches!(invocation::classify(&cmd1("bun run scripts/seed.ts")), Invocation::RunFile { ref path, .. } if path == "scripts/seed.ts")
    );
}

#[test]
fn invocations_of_files_make_just() {
    let file = |t: &str| match invocation::classify(&cmd1(t)) {
        Invocation::RunFile {
            interpreter, path, ..
        } => Some((interpreter, path)),
        _ => None,
    };
    assert_eq!(
        file("node --require dotenv/config scripts/a.mjs --flag"),
        Some(("node".into(), "scripts/a.mjs".into()))
    );
    assert_eq!(
        file("node -r ts-node/register --env-file .env src/x.ts"),
        Some(("node".into(), "src/x.ts".into()))
    );
    assert_eq!(file("node -e 'console.log(1)'"), None);
    assert_eq!(
        file("npx tsx watch src/index.ts"),
        Some(("tsx".into(), "src/index.ts".into()))
    );
    assert_eq!(
        file("ts-node -P tsconfig.json scripts/seed.ts"),
        Some(("ts-node".into(), "scripts/seed.ts".into()))
    );
    assert_eq!(
        file("python3 -u tools/check.py"),
        Some(("python3".into(), "tools/check.py".into()))
    );
    assert_eq!(file("python -m pytest"), None);
    assert_eq!(
        file("deno run -A --config deno.json main.ts"),
        Some(("deno".into(), "main.ts".into()))
    );
    assert_eq!(
        file("./scripts/backup.sh --all"),
        Some(("exec".into(), "./scripts/backup.sh".into()))
    );
    assert_eq!(file("bash -c 'npm test'"), None);
    match invocation::classify(&cmd1("make -C infra -j4 VERBOSE=1 lint test")) {
        Invocation::Make { targets, dir, .. } => {
            assert_eq!(dir.as_deref(), Some("infra"));
            assert_eq!(
                targets.iter().map(|t| t.text.as_str()).collect::<Vec<_>>(),
                vec!["lint", "test"]
            );
        }
        other => panic!("{other:?}"),
    }
    match invocation::classify(&cmd1("just --justfile ci.just test unit")) {
        Invocation::Just { recipe, file, .. } => {
            assert_eq!(recipe.unwrap().text, "test");
            assert_eq!(file.as_deref(), Some("ci.just"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn invocations_of_http_tools() {
    let http = |t: &str| match invocation::classify(&cmd1(t)) {
        Invocation::Http {
            tool,
            method,
            url,
            column,
            ..
        } => Some((tool, method, url, column)),
        _ => None,
    };
    assert_eq!(
        http(
            "curl -sSf -X POST -H 'Content-Type: application/json' \"${{ secrets.DEPLOY_HOOK }}\""
        ),
        Some((
            "curl".into(),
            "POST".into(),
            "${{ secrets.DEPLOY_HOOK }}".into(),
            55
        ))
    );
    assert_eq!(
        http("curl -d '{}' https://x.test/api").map(|h| h.1),
        Some("POST".into())
    );
    assert_eq!(
        http("curl -XPUT $URL/items").map(|h| (h.1, h.2)),
        Some(("PUT".into(), "$URL/items".into()))
    );
    assert_eq!(
        http("curl --fail --retry 3 https://x.test/health").map(|h| h.1),
        Some("GET".into())
    );
    assert_eq!(
        http("curl -I https://x.test").map(|h| h.1),
        Some("HEAD".into())
    );
    assert_eq!(
        http("wget --method=DELETE -q https://x.test/a").map(|h| h.1),
        Some("DELETE".into())
    );
    assert_eq!(
        http("http POST :3000/login user=a").map(|h| (h.1, h.2)),
        Some(("POST".into(), ":3000/login".into()))
    );
    assert_eq!(
        http("http :3000/items name=x").map(|h| h.1),
        Some("POST".into())
    );
}

#[test]
fn check_kinds() {
    let k = |t: &str| invocation::check_kind(&cmd1(t));
    assert_eq!(k("npm test"), Some(CheckKind::Test));
    assert_eq!(k("npm run test:e2e --if-present"), Some(CheckKind::Test));
    assert_eq!(k("pnpm type-check"), Some(CheckKind::Typecheck));
    assert_eq!(k("npm run typecheck"), Some(CheckKind::Typecheck));
    assert_eq!(k("yarn lint"), Some(CheckKind::Lint));
    assert_eq!(k("npm run build"), Some(CheckKind::Build));
    assert_eq!(k("npm audit --audit-level=high"), Some(CheckKind::Audit));
    assert_eq!(k("npx tsc --noEmit"), Some(CheckKind::Typecheck));
    assert_eq!(k("npx supabase db lint"), Some(CheckKind::Lint));
    assert_eq!(k("npx prettier --check ."), Some(CheckKind::Lint));
    assert_eq!(k("npx prettier --write ."), None);
    assert_eq!(k("npx playwright test"), Some(CheckKind::Test));
    assert_eq!(k("npx playwright install --with-deps"), None);
    assert_eq!(k("cargo clippy -- -D warnings"), Some(CheckKind::Lint));
    assert_eq!(k("go test ./..."), Some(CheckKind::Test));
    assert_eq!(k("python -m pytest -q"), Some(CheckKind::Test));
    assert_eq!(k("ruff check ."), Some(CheckKind::Lint));
    assert_eq!(k("mypy src"), Some(CheckKind::Typecheck));
    assert_eq!(k("make test"), Some(CheckKind::Test));
    assert_eq!(k("npx turbo run lint"), Some(CheckKind::Lint));
    assert_eq!(k("npm ci"), None);
    assert_eq!(k("npm run dev"), None);
    assert_eq!(k("echo test"), None);
}
