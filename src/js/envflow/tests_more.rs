#![allow(clippy::unwrap_used)]
//! Schema keys tied to the environment (zod, t3 `createEnv`, envalid, class-validator),
//! robustness on hostile input, and the cost on a 3k-file repository.

use super::tests::{Repo, found, names_in};
use super::{Via, env_reads};

const ZOD_ENV: &str = r#"import { z } from "zod";

const envSchema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    DATABASE_URL: z.string().url(),
    PORT: z.coerce.number().default(3000),
    "SENTRY_DSN": z.string().optional(),
  })
  .strict();

const _env = envSchema.safeParse(process.env);

if (!_env.success) {
  console.error("Invalid environment variables", _env.error.format());
  throw new Error("Invalid environment variables");
}

export const env = _env.data;
"#;

const ZOD_BODY: &str = r#"import { z } from "zod";
import { env } from "../env";

export const createUserBody = z.object({
  email: z.string().email(),
  PASSWORD: z.string().min(8),
});

export async function createUser(req: Request) {
  const body = createUserBody.parse(await req.json());
  return { ...body, region: env.AWS_REGION };
}
"#;

#[test]
fn zod_schema_parsed_against_process_env() {
    let r = Repo::new(&[("src/env.ts", ZOD_ENV), ("src/users/create.ts", ZOD_BODY)]);
    let f = r.flow();
    let all = found(&f);
    assert_eq!(
        all.iter()
            .filter(|s| s.contains("src/env.ts"))
            .cloned()
            .collect::<Vec<_>>(),
        [
            "NODE_ENV@src/env.ts:5:5 Schema",
            "DATABASE_URL@src/env.ts:6:5 Schema",
            "PORT@src/env.ts:7:5 Schema",
            "SENTRY_DSN@src/env.ts:8:6 Schema",
        ]
    );
    // the request body schema is not the environment; `env` (safeParse().data) is
    assert_eq!(names_in(&f, "src/users/create.ts"), ["AWS_REGION"]);
}

#[test]
fn zod_inline_parse_merge_and_imported_schema() {
    let r = Repo::new(&[
        (
            "src/env.mjs",
            "import { z } from 'zod';\n\
             const server = z.object({ DATABASE_URL: z.string() });\n\
             const client = z.object({ NEXT_PUBLIC_APP_URL: z.string() });\n\
             const processEnv = {\n  DATABASE_URL: process.env.DATABASE_URL,\n  NEXT_PUBLIC_APP_URL: process.env.NEXT_PUBLIC_APP_URL,\n};\n\
             const merged = server.merge(client);\n\
             const parsed = typeof window === 'undefined' ? merged.safeParse(processEnv) : client.safeParse(processEnv);\n\
             export const inline = z.object({ INLINE_KEY: z.string() }).parse(process.env).INLINE_KEY;\n",
        ),
        (
            "src/schema/base.ts",
            "import { z } from 'zod';\nexport const baseSchema = z.object({ REDIS_HOST: z.string(), REDIS_PORT: z.coerce.number() });\n",
        ),
        (
            "src/config/index.ts",
            "import { baseSchema } from '../schema/base';\nexport const config = baseSchema.parse(process.env);\n",
        ),
        (
            "src/forms.ts",
            "import { z } from 'zod';\nconst form = z.object({ TITLE: z.string() });\nexport const v = form.parse({ TITLE: 'x' });\n",
        ),
    ]);
    let f = r.flow();
    let schema: Vec<String> = f
        .reads
        .iter()
        .filter(|r| r.via == Via::Schema)
        .map(|r| format!("{}@{}", r.name, r.path))
        .collect();
    assert_eq!(
        schema,
        [
            "DATABASE_URL@src/env.mjs",
            "NEXT_PUBLIC_APP_URL@src/env.mjs",
            "INLINE_KEY@src/env.mjs",
            "REDIS_HOST@src/schema/base.ts",
            "REDIS_PORT@src/schema/base.ts",
        ]
    );
    // `.parse(process.env).INLINE_KEY` reads it as well
    assert!(
        found(&f).contains(&"INLINE_KEY@src/env.mjs:10:79 Alias".to_string()),
        "{:#?}",
        found(&f)
    );
}

#[test]
fn t3_create_env() {
    let src = r#"import { createEnv } from "@t3-oss/env-nextjs";
import { z } from "zod";

export const env = createEnv({
  server: {
    DATABASE_URL: z.string().url(),
    NODE_ENV: z.enum(["development", "test", "production"]),
  },
  client: {
    NEXT_PUBLIC_CLIENTVAR: z.string(),
  },
  runtimeEnv: process.env,
});
"#;
    let r = Repo::new(&[
        ("src/env.js", src),
        (
            "src/server/db.ts",
            "import { env } from \"~/env\";\nexport const url = env.DATABASE_URL;\n",
        ),
        (
            "tsconfig.json",
            r#"{"compilerOptions":{"paths":{"~/*":["./src/*"]}}}"#,
        ),
    ]);
    let f = r.flow();
    assert_eq!(
        found(&f),
        [
            "DATABASE_URL@src/env.js:6:5 Schema",
            "NODE_ENV@src/env.js:7:5 Schema",
            "NEXT_PUBLIC_CLIENTVAR@src/env.js:10:5 Schema",
            "DATABASE_URL@src/server/db.ts:2:24 Alias",
        ]
    );
}

#[test]
fn envalid_clean_env() {
    let r = Repo::new(&[
        (
            "src/config/env.ts",
            "import { cleanEnv, str, port, url } from 'envalid';\n\
             export const env = cleanEnv(process.env, {\n  API_KEY: str(),\n  PORT: port({ default: 3000 }),\n  'CALLBACK_URL': url(),\n});\n",
        ),
        (
            "src/legacy.js",
            "const envalid = require('envalid');\nconst spec = { LEGACY_TOKEN: envalid.str() };\nmodule.exports = envalid.cleanEnv(process.env, spec);\n",
        ),
        (
            "src/index.ts",
            "import { env } from './config/env';\nexport const k = env.API_KEY;\n",
        ),
    ]);
    let f = r.flow();
    assert_eq!(
        found(&f),
        [
            "API_KEY@src/config/env.ts:3:3 Schema",
            "PORT@src/config/env.ts:4:3 Schema",
            "CALLBACK_URL@src/config/env.ts:5:4 Schema",
            "API_KEY@src/index.ts:2:22 Alias",
            "LEGACY_TOKEN@src/legacy.js:2:16 Schema",
        ]
    );
}

const NEST_VALIDATION: &str = r#"import { plainToInstance } from 'class-transformer';
import { IsEnum, IsNumber, IsOptional, IsString, Max, Min, validateSync } from 'class-validator';

enum Environment {
  Development = 'development',
  Production = 'production',
}

class EnvironmentVariables {
  @IsEnum(Environment)
  NODE_ENV: Environment;

  @IsNumber()
  @Min(0)
  @Max(65535)
  PORT: number;

  @IsString()
  DATABASE_URL: string;

  @IsOptional()
  @IsString()
  REDIS_URL?: string;

  helper(): string {
    return 'not a key';
  }
}

export function validate(config: Record<string, unknown>) {
  const validatedConfig = plainToInstance(EnvironmentVariables, config, {
    enableImplicitConversion: true,
  });
  const errors = validateSync(validatedConfig, { skipMissingProperties: false });

  if (errors.length > 0) {
    throw new Error(errors.toString());
  }
  return validatedConfig;
}
"#;

const NEST_DTO: &str = r#"import { plainToInstance } from 'class-transformer';
import { IsString, validateSync } from 'class-validator';

export class CreateUserDto {
  @IsString()
  USERNAME: string;
}

export function check(body: unknown) {
  return validateSync(plainToInstance(CreateUserDto, body));
}
"#;

#[test]
fn class_validator_env_class() {
    let r = Repo::new(&[
        ("src/config/env.validation.ts", NEST_VALIDATION),
        ("src/users/dto.ts", NEST_DTO),
        (
            "src/app.module.ts",
            "import { ConfigModule } from '@nestjs/config';\nimport { validate } from './config/env.validation';\n\
             export const imports = [ConfigModule.forRoot({ validate })];\n",
        ),
    ]);
    let f = r.flow();
    assert_eq!(
        found(&f),
        [
            "NODE_ENV@src/config/env.validation.ts:11:3 Schema",
            "PORT@src/config/env.validation.ts:16:3 Schema",
            "DATABASE_URL@src/config/env.validation.ts:19:3 Schema",
            "REDIS_URL@src/config/env.validation.ts:23:3 Schema",
        ]
    );
}

#[test]
fn nest_config_validation_schema() {
    let src = "import * as Joi from 'joi';\nimport { ConfigModule } from '@nestjs/config';\n\
               export const config = ConfigModule.forRoot({\n  validationSchema: Joi.object({\n    JWT_SECRET: Joi.string().required(),\n    PORT: Joi.number().default(3000),\n  }).options({ allowUnknown: true }),\n});\n\
               export const bodySchema = Joi.object({ NOT_ENV: Joi.string() });\n";
    let f = Repo::new(&[("src/app.module.ts", src)]).flow();
    assert_eq!(
        found(&f),
        [
            "JWT_SECRET@src/app.module.ts:5:5 Schema",
            "PORT@src/app.module.ts:6:5 Schema"
        ]
    );
}

#[test]
fn class_validator_class_imported_from_another_file() {
    let r = Repo::new(&[
        (
            "src/config/variables.ts",
            "import { IsString } from 'class-validator';\nexport class Variables {\n  @IsString()\n  JWT_SECRET!: string;\n}\n",
        ),
        (
            "src/config/validate.ts",
            "import { plainToClass } from 'class-transformer';\nimport { validateSync } from 'class-validator';\nimport { Variables } from './variables';\n\
             export const validate = (cfg: Record<string, unknown>) => validateSync(plainToClass(Variables, { ...process.env, ...cfg }));\n",
        ),
    ]);
    let f = r.flow();
    assert_eq!(found(&f), ["JWT_SECRET@src/config/variables.ts:4:3 Schema"]);
}

#[test]
fn constructor_fields_namespace_imports_and_cjs_exports() {
    let r = Repo::new(&[
        (
            "lib/config.js",
            "class Config {\n  constructor() {\n    this.MONGO_URI = process.env.MONGO_URI || 'mongodb://localhost';\n    this.debug = process.env.DEBUG === '1';\n  }\n}\nmodule.exports = new Config();\n",
        ),
        ("lib/raw-env.js", "module.exports = process.env;\n"),
        (
            "lib/app.js",
            "const config = require('./config');\nconst rawEnv = require('./raw-env');\n\
             connect(config.MONGO_URI, { debug: config.debug, user: rawEnv.MONGO_USER });\n",
        ),
        (
            "src/settings/env.ts",
            "export const env = { ...process.env };\nexport const other = 1;\n",
        ),
        (
            "src/main.ts",
            "import * as settings from './settings/env';\nconsole.log(settings.env.NS_VAR, settings.other);\n",
        ),
    ]);
    let f = r.flow();
    assert_eq!(names_in(&f, "lib/config.js"), ["MONGO_URI", "DEBUG"]);
    // `debug` is a field, but not initialised from a variable of that name
    assert_eq!(names_in(&f, "lib/app.js"), ["MONGO_URI", "MONGO_USER"]);
    assert_eq!(names_in(&f, "src/main.ts"), ["NS_VAR"]);
}

#[test]
fn hostile_input_never_panics() {
    let deep_paren = "(".repeat(20_000) + "process.env.X" + &")".repeat(20_000);
    let deep_obj =
        "const e = ".to_string() + &"{ a: ".repeat(5_000) + "{...process.env}" + &"}".repeat(3);
    let deep_pattern = "const ".to_string() + &"{ a: ".repeat(5_000) + "b } = process.env;";
    let chain = "env".to_string() + &".z.parse(env)".repeat(3_000);
    let inputs = [
        deep_paren,
        deep_obj,
        deep_pattern,
        chain,
        "class { @ @ @ ( ] } process.env[".into(),
        "export default new ; module.exports = ; exports. = process.env".into(),
        "const { env } = process; env[`${".into(),
        "z.object({ A: 1 }).parse(process.env".into(),
        "cleanEnv(process.env, { A: str(), ".into(),
        "class X extends Y { constructor() { this.A = process.env.A".into(),
        "\u{1F600} const é = process.env; é.ÜNICODE; ))]]}}".into(),
    ];
    for (k, src) in inputs.iter().enumerate() {
        let path = format!("src/f{k}.ts");
        let r = Repo::new(&[(path.as_str(), src.as_str())]);
        let _ = r.flow();
    }
    let f = Repo::new(&[(
        "src/u.ts",
        "const x = '\u{e9}\u{e9}'; const é = process.env; é.ÜNICODE;",
    )])
    .flow();
    assert_eq!(found(&f), ["ÜNICODE@src/u.ts:1:42 Alias"]);
}

/// A repository of `n` files: a handful of config modules, ~5% of files importing them,
/// the rest ordinary application code without env access.
fn big_repo(n: usize) -> (Vec<String>, Vec<Vec<u8>>) {
    let mut files = vec![
        ("server/utils/environment.ts".to_string(), "const environment = { ...process.env };\nexport default environment;\n".to_string()),
        ("server/env.ts".to_string(), "import environment from './utils/environment';\nexport class Environment {\n  public URL = environment.URL ?? '';\n  public SECRET_KEY = environment.SECRET_KEY;\n}\nexport default new Environment();\n".to_string()),
        ("server/config/schema.ts".to_string(), "import { z } from 'zod';\nexport const env = z.object({ DATABASE_URL: z.string() }).parse(process.env);\n".to_string()),
        ("server/config/envalid.ts".to_string(), "import { cleanEnv, str } from 'envalid';\nexport default cleanEnv(process.env, { API_KEY: str() });\n".to_string()),
        ("server/config/index.ts".to_string(), "export const config = { port: process.env.PORT };\n".to_string()),
    ];
    let body = "\
export async function handle(req: Request, res: Response): Promise<void> {\n\
  const id = Number(req.params.id ?? '0') / 2;\n\
  if (!/^[a-z0-9-]+$/i.test(req.params.slug)) {\n\
    return res.status(400).json({ error: `bad slug ${req.params.slug} for ${id}` });\n\
  }\n\
  const rows = await db.query(\"SELECT * FROM items WHERE id = $1\", [id, req.user.id]);\n\
  const total = rows.reduce((acc, r) => acc + r.price * r.quantity, 0);\n\
  logger.info(`handled ${rows.length} rows, total=${total.toFixed(2)}`);\n\
  res.json({ items: rows.map((r) => ({ ...r, url: `/items/${r.id}` })), total });\n\
}\n";
    for i in 0..n.saturating_sub(files.len()) {
        let mut s = format!(
            "import {{ Service{i} }} from '../services/service{i}';\nimport {{ db }} from '../db';\n"
        );
        if i % 20 == 0 {
            s.push_str("import env from '@server/env';\nexport const base = env.URL;\n");
        }
        for _ in 0..12 {
            s.push_str(body);
        }
        files.push((format!("server/routes/r{i}.ts"), s));
    }
    files.push((
        "tsconfig.json".into(),
        r#"{"compilerOptions":{"paths":{"@server/*":["./server/*"]}}}"#.into(),
    ));
    files.sort();
    files.into_iter().map(|(p, t)| (p, t.into_bytes())).unzip()
}

#[test]
#[ignore = "benchmark: cargo test --release envflow_bench -- --ignored --nocapture"]
fn envflow_bench() {
    let (files, texts) = big_repo(3000);
    let total: usize = texts.iter().map(Vec::len).sum();
    let map: std::collections::HashMap<&str, &Vec<u8>> =
        files.iter().map(String::as_str).zip(texts.iter()).collect();
    let read = |p: &str| map.get(p).map(|v| v.to_vec());
    let env = memchr::memmem::Finder::new(b"env");
    let (mut pass, mut base, mut copy) = (f64::MAX, f64::MAX, f64::MAX);
    for _ in 0..25 {
        let t = std::time::Instant::now();
        assert_eq!(env_reads(&files, &read).reads.len(), 2 + 1 + 1 + 1 + 150);
        pass = pass.min(t.elapsed().as_secs_f64());
        // reference on the same (loaded) machine: reading through the closure, the
        // `env` prefilter and `parse_module` of the files that pass it
        let t = std::time::Instant::now();
        let mut imports = 0;
        for f in &files {
            let text = read(f).unwrap();
            if env.find(&text).is_some() {
                imports += super::super::module::parse_module(f, &text).imports.len();
            }
        }
        base = base.min(t.elapsed().as_secs_f64());
        assert!(imports > 0);
        let t = std::time::Instant::now();
        let n: usize = files
            .iter()
            .map(|f| std::hint::black_box(read(f)).map_or(0, |v| v.len()))
            .sum();
        copy = copy.min(t.elapsed().as_secs_f64());
        assert_eq!(n, total);
    }
    println!(
        "env_reads on {} files ({:.1} MB, 155 files mention env): best {:.2} ms; \
         reference read+prefilter+parse_module {:.2} ms; reader copies alone {:.2} ms",
        files.len(),
        total as f64 / 1e6,
        pass * 1e3,
        base * 1e3,
        copy * 1e3
    );
}
