#![allow(clippy::unwrap_used)]
//! Config-module shapes: Outline's environment/Environment class, `process` aliases,
//! exported env objects and re-export chains, dynamic access, and the negatives.

use super::{EnvFlow, Via, env_reads};

/// An in-memory repository.
pub(super) struct Repo {
    pub(super) files: Vec<String>,
    texts: Vec<(String, String)>,
}

impl Repo {
    pub(super) fn new(list: &[(&str, &str)]) -> Repo {
        let mut texts: Vec<(String, String)> = list
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        texts.sort();
        Repo {
            files: texts.iter().map(|(p, _)| p.clone()).collect(),
            texts,
        }
    }

    pub(super) fn flow(&self) -> EnvFlow {
        let read = |p: &str| {
            self.texts
                .iter()
                .find(|(q, _)| q == p)
                .map(|(_, t)| t.as_bytes().to_vec())
        };
        env_reads(&self.files, &read)
    }
}

/// `name@path:line:col via` strings, for readable assertions.
pub(super) fn found(f: &EnvFlow) -> Vec<String> {
    f.reads
        .iter()
        .map(|r| format!("{}@{}:{}:{} {:?}", r.name, r.path, r.line, r.column, r.via))
        .collect()
}

/// Names read in `path`, in order.
pub(super) fn names_in(f: &EnvFlow, path: &str) -> Vec<String> {
    f.reads
        .iter()
        .filter(|r| r.path == path)
        .map(|r| r.name.clone())
        .collect()
}

const TSCONFIG: &str = r#"{
  "compilerOptions": {
    "target": "es2020",
    "baseUrl": ".",
    "paths": { "@server/*": ["./server/*"], "@shared/*": ["./shared/*"] }
  }
}"#;

const OUTLINE_ENVIRONMENT: &str = r#"import fs from "fs";
import path from "path";
import dotenv from "dotenv";

let environment: Record<string, string | undefined> = {};

const envPath = path.resolve(process.cwd(), `.env`);
const envDefault = fs.existsSync(envPath)
  ? dotenv.parse(fs.readFileSync(envPath, "utf8"))
  : {};

// Load environment specific configuration, falling back to .env
const envSpecificPath = path.resolve(process.cwd(), `.env.${process.env.NODE_ENV}`);
const envSpecific = fs.existsSync(envSpecificPath)
  ? dotenv.parse(fs.readFileSync(envSpecificPath, "utf8"))
  : {};

environment = {
  ...envDefault,
  ...envSpecific,
  ...process.env,
};

export default environment;
"#;

const OUTLINE_ENV: &str = r#"/* eslint-disable lines-between-class-members */
import "reflect-metadata";
import { Transform } from "class-transformer";
import {
  IsEmail,
  IsIn,
  IsNotEmpty,
  IsOptional,
  IsUrl,
  IsByteLength,
  validate,
} from "class-validator";
import { languages } from "@shared/i18n";
import { CannotUseWithout } from "@server/utils/validators";
import Deprecated from "./models/decorators/Deprecated";
import { getArg } from "./utils/args";
import environment from "./utils/environment";

export class Environment {
  protected validationPromise;

  constructor() {
    this.validationPromise = validate(this);
  }

  /**
   * Allows waiting on the environment to be validated.
   */
  public validate() {
    return this.validationPromise;
  }

  /**
   * The current environment name.
   */
  @IsIn(["development", "production", "staging", "test"])
  public ENVIRONMENT = environment.NODE_ENV ?? "production";

  /**
   * The secret key is used for encrypting data. Do not change this value once
   * set otherwise existing data will be lost.
   */
  @IsByteLength(32, 64)
  public SECRET_KEY = `${environment.SECRET_KEY ?? ""}`;

  /**
   * The url of the database.
   */
  @IsNotEmpty()
  @IsUrl({ require_tld: false, protocols: ["postgres", "postgresql"] })
  public DATABASE_URL = environment.DATABASE_URL ?? "";

  @IsOptional()
  public SLACK_KEY = this.toOptionalString(environment["SLACK_KEY"]);

  /**
   * The fully qualified, external facing domain name of the server.
   */
  @IsNotEmpty()
  @IsUrl({ protocols: ["http", "https"], require_tld: false })
  public URL = (environment.URL ?? "").replace(/\/$/, "");

  @IsOptional()
  @IsEmail()
  public SMTP_FROM_EMAIL = this.toOptionalString(environment.SMTP_FROM_EMAIL);

  @Deprecated("Use PORT instead")
  public PORT = this.toOptionalNumber(getArg("port") ?? environment.PORT);

  @IsIn(languages)
  public DEFAULT_LANGUAGE = environment.DEFAULT_LANGUAGE ?? "en_US";

  /**
   * Returns true if the current installation is the cloud hosted version.
   */
  public get isCloudHosted() {
    return [
      "https://app.getoutline.com",
      "https://app.outline.dev",
    ].includes(this.URL);
  }

  public get isProduction() {
    return this.ENVIRONMENT === "production";
  }

  private toOptionalString(value: string | undefined) {
    return value ? value : undefined;
  }

  private toOptionalNumber(value: string | undefined) {
    return value ? parseInt(value, 10) : undefined;
  }
}

export default new Environment();
"#;

const OUTLINE_WEB: &str = r#"import Koa from "koa";
import compress from "koa-compress";
import env from "@server/env";
import Logger from "@server/logging/Logger";

export default function init(app: Koa = new Koa()): Koa {
  if (env.isProduction) {
    // Force HTTPS on all pages
    app.use(
      enforceHttps({
        trustProtoHeader: true,
      })
    );
  }
  const base = env.URL;
  Logger.info("lifecycle", `Listening on ${base} (${env.ENVIRONMENT})`);
  app.keys = [env.SECRET_KEY];
  return app;
}
"#;

const OUTLINE_AUTH: &str = r#"import Router from "koa-router";
import env from "../env";

const router = new Router();

router.get("/auth/slack", async (ctx) => {
  const { SLACK_KEY } = env;
  if (!SLACK_KEY) {
    ctx.throw(400, "Slack is not configured");
  }
  ctx.redirect(`https://slack.com/oauth/authorize?client_id=${SLACK_KEY}&from=${env.SMTP_FROM_EMAIL}`);
});

export default router;
"#;

const OUTLINE_SLACK_ENV: &str = r#"import { IsOptional } from "class-validator";
import { Environment } from "@server/env";
import environment from "@server/utils/environment";
import { CannotUseWithout } from "@server/utils/validators";

class SlackPluginEnvironment extends Environment {
  /**
   * Slack OAuth2 client credentials. To enable authentication with Slack.
   */
  @IsOptional()
  @CannotUseWithout("SLACK_CLIENT_SECRET")
  public SLACK_CLIENT_ID = this.toOptionalString(
    environment.SLACK_CLIENT_ID ?? environment.SLACK_KEY
  );

  @IsOptional()
  public SLACK_VERIFICATION_TOKEN = this.toOptionalString(
    environment.SLACK_VERIFICATION_TOKEN
  );
}

export default new SlackPluginEnvironment();
"#;

const OUTLINE_SLACK_HOOK: &str = r#"import env from "./env";

export function verifySlackToken(token: string) {
  if (!env.SLACK_VERIFICATION_TOKEN) {
    throw new Error("SLACK_VERIFICATION_TOKEN is not present in environment");
  }
  return token === env.SLACK_VERIFICATION_TOKEN && env.URL !== "";
}
"#;

const NOT_ENV: &str = r#"// a local object that happens to be called env
export function render() {
  const env = { a: 1, mode: "light" };
  return env.a + env.mode.length;
}
"#;

fn outline() -> Repo {
    Repo::new(&[
        (
            "package.json",
            r#"{"name":"outline","scripts":{"start":"node build/server/index.js"}}"#,
        ),
        ("tsconfig.json", TSCONFIG),
        ("server/utils/environment.ts", OUTLINE_ENVIRONMENT),
        ("server/env.ts", OUTLINE_ENV),
        ("server/services/web.ts", OUTLINE_WEB),
        ("server/routes/auth.ts", OUTLINE_AUTH),
        ("plugins/slack/server/env.ts", OUTLINE_SLACK_ENV),
        ("plugins/slack/server/hook.ts", OUTLINE_SLACK_HOOK),
        ("app/components/Theme.tsx", NOT_ENV),
        (
            "server/utils/validators.ts",
            "export function CannotUseWithout(p: string) { return () => p; }\n",
        ),
    ])
}

#[test]
fn outline_environment_module_and_class() {
    let f = outline();
    let f = f.flow();
    let all = found(&f);
    // the environment module's own direct read
    assert!(
        all.contains(&"NODE_ENV@server/utils/environment.ts:13:73 Direct".to_string()),
        "{all:#?}"
    );
    // reads off the env-derived `environment` object, including a bracket access
    assert_eq!(
        names_in(&f, "server/env.ts"),
        [
            "NODE_ENV",
            "SECRET_KEY",
            "DATABASE_URL",
            "SLACK_KEY",
            "URL",
            "SMTP_FROM_EMAIL",
            "PORT",
            "DEFAULT_LANGUAGE"
        ]
    );
    let slack = f
        .reads
        .iter()
        .find(|r| r.name == "SLACK_KEY" && r.path == "server/env.ts")
        .unwrap();
    assert_eq!((slack.line, slack.column, slack.via), (54, 57, Via::Alias));
    // instance reads through the tsconfig alias: fields initialised from a read of the same name only
    assert_eq!(
        names_in(&f, "server/services/web.ts"),
        ["URL", "SECRET_KEY"]
    );
    let url = f
        .reads
        .iter()
        .find(|r| r.path == "server/services/web.ts")
        .unwrap();
    assert_eq!((url.line, url.column, url.via), (15, 20, Via::Alias));
    // relative import, destructuring off the instance
    assert_eq!(
        names_in(&f, "server/routes/auth.ts"),
        ["SLACK_KEY", "SMTP_FROM_EMAIL"]
    );
}

#[test]
fn outline_plugin_env_extends_the_base_class() {
    let f = outline().flow();
    assert_eq!(
        names_in(&f, "plugins/slack/server/env.ts"),
        ["SLACK_CLIENT_ID", "SLACK_KEY", "SLACK_VERIFICATION_TOKEN"]
    );
    // own field twice, inherited URL once
    assert_eq!(
        names_in(&f, "plugins/slack/server/hook.ts"),
        [
            "SLACK_VERIFICATION_TOKEN",
            "SLACK_VERIFICATION_TOKEN",
            "URL"
        ]
    );
}

#[test]
fn outline_negatives() {
    let f = outline().flow();
    let all = found(&f);
    // getters, fields named differently from their variable, methods: not variables
    for bad in [
        "isProduction",
        "ENVIRONMENT",
        "isCloudHosted",
        "validate",
        "toOptionalString",
    ] {
        assert!(
            !all.iter().any(|r| r.starts_with(&format!("{bad}@"))),
            "{bad}: {all:#?}"
        );
    }
    // a local `env` that is not env-derived
    assert!(names_in(&f, "app/components/Theme.tsx").is_empty());
    assert!(f.dynamic.is_empty());
}

#[test]
fn env_object_shapes_spread_assign_alias_cast() {
    let r = Repo::new(&[
        (
            "src/config/environment.ts",
            "import * as dotenv from 'dotenv';\nimport fs from 'fs';\n\
             const parsed = dotenv.parse(fs.readFileSync('.env'));\n\
             export const spread = { ...process.env, ...parsed };\n\
             export const assigned = Object.assign({}, process.env, parsed);\n\
             export let plain = process.env;\n\
             const environment = process.env as Record<string, string>;\n\
             export default environment;\n",
        ),
        (
            "src/app.ts",
            "import environment, { spread, assigned, plain } from './config/environment';\n\
             export const a = spread.REDIS_URL;\n\
             export const b = assigned['SENTRY_DSN'];\n\
             export const c = plain.port;\n\
             export const d = environment.SECRET_KEY ?? '';\n\
             environment.SECRET_KEY = 'x';\n\
             plain.OVERRIDE = '1';\n\
             if (Object.keys(environment).length && environment.hasOwnProperty('X')) {}\n\
             delete plain.TEMP_VAR;\n",
        ),
    ]);
    let f = r.flow();
    assert_eq!(
        found(&f)
            .iter()
            .filter(|s| s.contains("src/app.ts"))
            .cloned()
            .collect::<Vec<_>>(),
        [
            "REDIS_URL@src/app.ts:2:25 Alias",
            "SENTRY_DSN@src/app.ts:3:28 Alias",
            "port@src/app.ts:4:24 Alias",
            "SECRET_KEY@src/app.ts:5:30 Alias",
        ]
    );
}

#[test]
fn process_aliases_and_node_process_imports() {
    let r = Repo::new(&[
        (
            "src/a.ts",
            "const { env } = process;\nexport const api = env.API_URL;\n",
        ),
        (
            "src/b.mjs",
            "import { env } from 'node:process';\nexport const t = env.TOKEN;\n",
        ),
        (
            "src/c.ts",
            "import process from 'node:process';\nconsole.log(process.env.LOG_LEVEL);\n",
        ),
        (
            "src/d.ts",
            "import * as proc from 'process';\nexport default proc.env.QUEUE_URL;\n",
        ),
        (
            "src/e.cjs",
            "const { env: e } = require('process');\nmodule.exports = { x: e.CJS_VAR, y: process.env['BRACKET'] };\n",
        ),
        (
            "src/f.ts",
            "const { DB_HOST, DB_PORT: port = '5432', ...rest } = process.env;\nexport default rest.DB_USER;\n",
        ),
        (
            "src/g.ts",
            "export const x = import.meta.env.VITE_API;\nexport const y = Deno.env.get('DENO_KEY');\nexport const z = Bun.env.BUN_KEY;\n",
        ),
    ]);
    let f = r.flow();
    let all = found(&f);
    for want in [
        "API_URL@src/a.ts:2:24 Alias",
        "TOKEN@src/b.mjs:2:22 Alias",
        "LOG_LEVEL@src/c.ts:2:25 Direct",
        "QUEUE_URL@src/d.ts:2:25 Alias",
        "CJS_VAR@src/e.cjs:2:25 Alias",
        "BRACKET@src/e.cjs:2:50 Direct",
        "DB_HOST@src/f.ts:1:9 Direct",
        "DB_PORT@src/f.ts:1:18 Direct",
        "DB_USER@src/f.ts:2:21 Alias",
        "VITE_API@src/g.ts:1:34 Direct",
        "DENO_KEY@src/g.ts:2:32 Direct",
        "BUN_KEY@src/g.ts:3:26 Direct",
    ] {
        assert!(all.contains(&want.to_string()), "missing {want}: {all:#?}");
    }
    assert_eq!(all.len(), 12, "{all:#?}");
}

#[test]
fn shadowed_process_and_env_parameters_are_not_env() {
    let r = Repo::new(&[(
        "src/worker.ts",
        "import { env } from 'node:process';\n\
         export default {\n\
         \x20 async fetch(request: Request, env: Env, ctx: ExecutionContext) {\n\
         \x20   return new Response(env.GREETING);\n\
         \x20 },\n\
         };\n\
         const handler = (env) => env.OTHER;\n\
         function run(process) { return process.env.NOPE; }\n\
         export const real = env.REAL_ONE;\n",
    )]);
    let f = r.flow();
    assert_eq!(names_in(&f, "src/worker.ts"), ["REAL_ONE"]);
}

#[test]
fn exported_env_object_across_modules_and_reexports() {
    let r = Repo::new(&[
        ("package.json", r#"{"name":"api"}"#),
        (
            "src/config.ts",
            "export const config = {\n  port: process.env.PORT,\n  db: { url: process.env.DATABASE_URL },\n};\nexport const env = process.env;\n",
        ),
        (
            "src/lib/env.ts",
            "export { env as default } from '../config';\n",
        ),
        (
            "src/lib/index.ts",
            "export { default as env } from './env';\nexport * from '../config';\n",
        ),
        (
            "src/cache.ts",
            "import { env } from './config';\nimport { createClient } from 'redis';\n\
             export const client = createClient({ url: env.REDIS_URL });\n",
        ),
        (
            "src/mail.ts",
            "import { env } from './lib';\nexport const from = env.MAIL_FROM;\n",
        ),
        (
            "src/queue.ts",
            "import { config, env as e } from './lib/index';\nexport const q = e.QUEUE_NAME + config.port;\n",
        ),
        (
            "src/server.js",
            "const cfg = require('./config');\nmodule.exports = cfg.env.CJS_PORT;\n",
        ),
    ]);
    let f = r.flow();
    assert_eq!(names_in(&f, "src/config.ts"), ["PORT", "DATABASE_URL"]);
    assert_eq!(names_in(&f, "src/cache.ts"), ["REDIS_URL"]);
    assert_eq!(names_in(&f, "src/mail.ts"), ["MAIL_FROM"]);
    assert_eq!(
        names_in(&f, "src/queue.ts"),
        ["QUEUE_NAME"],
        "config.port is not a variable"
    );
    assert_eq!(names_in(&f, "src/server.js"), ["CJS_PORT"]);
    assert!(
        f.reads
            .iter()
            .filter(|r| r.path != "src/config.ts")
            .all(|r| r.via == Via::Alias)
    );
}

#[test]
fn importers_under_another_file_name_are_found() {
    // `settings.ts` has no "env" in its importers' text: found by its file name
    let r = Repo::new(&[
        (
            "src/settings.ts",
            "const settings = { ...process.env };\nexport default settings;\n",
        ),
        (
            "src/db.ts",
            "import settings from './settings';\nexport const url = settings.PG_URL;\n",
        ),
        (
            "src/other.ts",
            "import x from './xsettings';\nexport const y = x.NOT_A_READ;\n",
        ),
        ("src/xsettings.ts", "export default { NOT_A_READ: 1 };\n"),
    ]);
    let f = r.flow();
    assert_eq!(names_in(&f, "src/db.ts"), ["PG_URL"]);
    assert!(names_in(&f, "src/other.ts").is_empty());
}

#[test]
fn dynamic_access_on_env_objects() {
    let r = Repo::new(&[
        (
            "server/utils/environment.ts",
            "const environment = { ...process.env };\nexport default environment;\n",
        ),
        (
            "server/flags.ts",
            "import environment from './utils/environment';\n\
             export function flag(key: string) {\n\
             \x20 return environment[key] === 'true' || environment[`FLAG_${key}`];\n\
             }\n\
             export const literal = environment[`LITERAL_KEY`] ?? environment?.['OPTIONAL_KEY'];\n\
             environment[key] = 'set';\n\
             const local = { a: 1 };\nlocal[key];\n",
        ),
    ]);
    let f = r.flow();
    assert_eq!(
        names_in(&f, "server/flags.ts"),
        ["LITERAL_KEY", "OPTIONAL_KEY"]
    );
    assert_eq!(
        f.dynamic,
        [
            ("server/flags.ts".to_string(), 3, 10),
            ("server/flags.ts".to_string(), 3, 41),
        ]
    );
}

#[test]
fn files_outside_the_js_family_and_node_modules_are_skipped() {
    let r = Repo::new(&[
        (
            "node_modules/pkg/index.js",
            "module.exports = process.env.NM_VAR;\n",
        ),
        (
            "types/env.d.ts",
            "declare const x: typeof process.env.DTS_VAR;\n",
        ),
        (
            "src/App.vue",
            "<script>const a = process.env.VUE_VAR</script>\n",
        ),
        ("src/ok.cts", "export const k = process.env.CTS_VAR;\n"),
    ]);
    let f = r.flow();
    let names: Vec<&str> = f.reads.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["CTS_VAR"]);
}

#[test]
fn late_assignment_and_shadowing_by_locals() {
    let r = Repo::new(&[(
        "src/env.js",
        "let env;\n\
         if (typeof window === 'undefined') {\n\
         \x20 env = process.env;\n\
         }\n\
         function local() {\n\
         \x20 const env = loadOther();\n\
         \x20 return env.NOT_ENV;\n\
         }\n\
         export const a = env.LATE_VAR;\n",
    )]);
    let f = r.flow();
    assert_eq!(names_in(&f, "src/env.js"), ["LATE_VAR"]);
}

#[test]
fn instance_bound_before_export() {
    let r = Repo::new(&[
        (
            "server/env.ts",
            "import environment from './utils/environment';\n\
             export class Environment {\n  public REDIS_URL = environment.REDIS_URL;\n  public get isTest() { return true; }\n}\n\
             const env = new Environment();\nexport default env;\n",
        ),
        (
            "server/utils/environment.ts",
            "const environment = Object.assign({}, process.env);\nexport default environment;\n",
        ),
        (
            "server/queue.ts",
            "import env from './env';\nexport const url = env.REDIS_URL;\nexport const t = env.isTest;\n",
        ),
    ]);
    let f = r.flow();
    assert_eq!(names_in(&f, "server/env.ts"), ["REDIS_URL"]);
    assert_eq!(names_in(&f, "server/queue.ts"), ["REDIS_URL"]);
}
