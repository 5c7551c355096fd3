#![allow(clippy::unwrap_used)]
//! Command parsing: runners, script composition, frameworks and bundlers.

use super::*;

fn file(cwd: &str, p: &str) -> Target {
    Target::File {
        cwd: cwd.into(),
        path: p.into(),
        run: true,
    }
}

fn script(cwd: &str, n: &str) -> Target {
    Target::Script {
        cwd: cwd.into(),
        workspace: None,
        name: n.into(),
    }
}

#[test]
fn runners_and_flags() {
    assert_eq!(parse("node dist/main.js"), vec![file("", "dist/main.js")]);
    assert_eq!(
        parse("NODE_ENV=production node --max-old-space-size=4096 -r dotenv/config dist/main"),
        vec![file("", "dist/main")]
    );
    assert_eq!(
        parse("node -r ./tracing.js server.js"),
        vec![file("", "./tracing.js"), file("", "server.js")]
    );
    assert_eq!(
        parse("cross-env NODE_ENV=production tsx src/server.ts"),
        vec![file("", "src/server.ts")]
    );
    assert_eq!(
        parse("ts-node -P tsconfig.json src/index.ts"),
        vec![file("", "src/index.ts")]
    );
    assert_eq!(
        parse("nodemon --watch src --exec 'ts-node src/app.ts'"),
        vec![file("", "src/app.ts")]
    );
    assert_eq!(
        parse("pm2-runtime start ecosystem.config.js --env production"),
        vec![file("", "ecosystem.config.js")]
    );
    assert_eq!(parse("node -e \"console.log(1)\""), vec![]);
    assert_eq!(
        parse("dotenv -e .env.production -- node build/index.js"),
        vec![file("", "build/index.js")]
    );
    assert_eq!(
        parse("bun run src/index.ts"),
        vec![file("", "src/index.ts")]
    );
    assert_eq!(
        parse("deno run --allow-net main.ts"),
        vec![file("", "main.ts")]
    );
    assert_eq!(parse("./bin/www"), vec![file("", "./bin/www")]);
}

#[test]
fn scripts_cd_and_composition() {
    assert_eq!(
        parse("npm run build && npm start"),
        vec![script("", "build"), script("", "start")]
    );
    assert_eq!(
        parse("cd server && node index.js"),
        vec![file("server", "index.js")]
    );
    assert_eq!(
        parse("npm --prefix apps/api run start:prod"),
        vec![script("apps/api", "start:prod")]
    );
    assert_eq!(
        parse("yarn workspace @crm/api start"),
        vec![Target::Script {
            cwd: "".into(),
            workspace: Some("@crm/api".into()),
            name: "start".into()
        }]
    );
    assert_eq!(
        parse("concurrently \"npm:serve\" \"node worker.js\""),
        vec![script("", "serve"), file("", "worker.js")]
    );
    assert_eq!(
        parse("sh -c 'node dist/a.js > out.log 2>&1'"),
        vec![file("", "dist/a.js")]
    );
    assert_eq!(parse("run-p start:*"), vec![script("", "start:*")]);
    assert_eq!(parse("yarn tsx src/x.ts"), vec![file("", "src/x.ts")]);
    assert_eq!(parse("pnpm serve"), vec![script("", "serve")]);
}

#[test]
fn frameworks_and_bundlers() {
    assert_eq!(
        parse("next build"),
        vec![Target::Framework {
            cwd: "".into(),
            fw: Framework::Next
        }]
    );
    assert_eq!(
        parse("nest start --watch"),
        vec![Target::Framework {
            cwd: "".into(),
            fw: Framework::Nest
        }]
    );
    assert_eq!(
        parse("tsc -b && vite build"),
        vec![Target::Framework {
            cwd: "".into(),
            fw: Framework::Vite
        }]
    );
    assert_eq!(
        parse("react-scripts build"),
        vec![Target::Framework {
            cwd: "".into(),
            fw: Framework::Cra
        }]
    );
    assert_eq!(
        parse("esbuild src/index.ts --bundle --outfile=dist/index.js --platform node"),
        vec![Target::File {
            cwd: "".into(),
            path: "src/index.ts".into(),
            run: false
        }]
    );
    assert_eq!(
        parse("ncc build src/main.ts -o dist"),
        vec![Target::File {
            cwd: "".into(),
            path: "src/main.ts".into(),
            run: false
        }]
    );
    assert_eq!(parse("tsc -p tsconfig.build.json"), vec![]);
    assert_eq!(parse("eslint . && prettier --check ."), vec![]);
}

#[test]
fn garbage_commands_do_not_panic() {
    for c in [
        "'unterminated",
        "\"x\\",
        "&&&& || ;;",
        "2>&1",
        "cd",
        "npm",
        "node -r",
        ">>",
        "a=b",
        "sh -c",
        "\\",
    ] {
        let _ = parse(c);
    }
}
