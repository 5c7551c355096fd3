#!/usr/bin/env bash
# Benchmark: what the integrity stage adds to a gate, on a generated monorepo
# of ~3,000 files with ~200 Markdown files (runbooks linking to each other and
# to code, naming commands, variables and endpoints), six workflows and three
# packages; plus the stage alone, in diff mode, and the gate without it.
#
#   scripts/bench-integrity.sh [BENCH_DIR]     (default /tmp/shipgate-bench)
#
# ROT=N (default 10): percent of the runbooks that are the seed runbooks,
# written for other repositories, so every path, command, variable and
# endpoint in them is rotted here. ROT=100 is the worst case (~3,000 findings).
#
# Installs hyperfine with apt-get when missing. Everything runs locally.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-/tmp/shipgate-bench}
rot=${ROT:-10}
repo=$dir/repo3k-rot$rot
runs=${RUNS:-10}
mkdir -p "$dir"

command -v hyperfine >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq hyperfine >/dev/null; }

if [ ! -d "$repo/.git" ]; then
  echo "== generating $repo"
  rm -rf "$repo"
  python3 - "$repo" "$here/src/markdown/testdata" "$rot" <<'PY'
import os, sys, random, json
root, seeds, rot = sys.argv[1], sys.argv[2], int(sys.argv[3])
random.seed(7)
def w(p, t):
    p = os.path.join(root, p)
    os.makedirs(os.path.dirname(p), exist_ok=True)
    open(p, "w").write(t)
w("package.json", json.dumps({"name": "mono", "private": True, "workspaces": ["apps/*", "packages/*"],
   "scripts": {"build": "npm run build --workspaces", "lint": "eslint .", "test": "vitest run"}}, indent=2))
w(".env.example", "DATABASE_URL=\nSESSION_SECRET=\nREDIS_URL=\nSTRIPE_SECRET_KEY=\n")
w("apps/api/package.json", json.dumps({"name": "api", "main": "dist/main.js",
   "scripts": {"build": "tsc", "start": "node dist/main.js", "migrate": "node scripts/migrate.mjs"}}, indent=2))
w("apps/api/tsconfig.json", '{ "compilerOptions": { "outDir": "dist", "rootDir": "src" } }')
w("apps/web/package.json", json.dumps({"name": "web", "scripts": {"build": "vite build", "dev": "vite"}}, indent=2))
w("apps/web/index.html", '<script type="module" src="/src/main.tsx"></script>\n')
w("packages/shared/package.json", json.dumps({"name": "shared", "main": "src/index.ts"}, indent=2))
routes = []
main = ["import express from 'express';", "const app = express();"]
for i in range(600):
    name = f"r{i}"
    w(f"apps/api/src/routes/{name}.ts",
      "import { Router } from 'express';\nexport const router = Router();\n"
      + "".join(f"router.get('/{name}/item{j}', (_q, r) => r.json({{ ok: true }}));\n" for j in range(3))
      + "".join(f"// {'lorem ipsum dolor sit amet ' * 3}\n" for _ in range(20)))
    main.append(f"import {{ router as {name} }} from './routes/{name}';")
    main.append(f"app.use('/api/v1', {name});")
main.append("app.get('/health', (_q, r) => r.json({ status: 'ok' }));")
main.append("app.get('/health/ready', (_q, r) => r.json({ status: 'ok' }));")
w("apps/api/src/main.ts", "\n".join(main) + "\napp.listen(Number(process.env.PORT));\n")
for i in range(800):
    w(f"apps/web/src/components/C{i}.tsx",
      f"import {{ useState }} from 'react';\nexport function C{i}() {{\n  const [v] = useState({i});\n  return <div>{{v}}</div>;\n}}\n"
      + "".join(f"// {'consectetur adipiscing elit ' * 3}\n" for _ in range(15)))
w("apps/web/src/main.tsx", "".join(f"import {{ C{i} }} from './components/C{i}';\n" for i in range(800)))
for i in range(400):
    w(f"packages/shared/src/u{i}.ts", f"export const u{i} = (x: number) => x + {i};\n" * 10)
w("packages/shared/src/index.ts", "".join(f"export * from './u{i}';\n" for i in range(400)))
for i in range(800):
    w(f"apps/api/test/t{i}.test.ts", f"import {{ expect, it }} from 'vitest';\nit('t{i}', () => expect({i}).toBe({i}));\n")
for i in range(50):
    w(f"scripts/s{i}.mjs", f"console.log({i});\n")
seed_texts = [open(os.path.join(seeds, f)).read() for f in sorted(os.listdir(seeds))]
w("apps/api/src/config.ts", "".join(f"export const {k.lower()} = process.env.{k};\n"
   for k in ["DATABASE_URL", "SESSION_SECRET", "REDIS_URL", "STRIPE_SECRET_KEY"]))
prose = ("The service keeps its state in Postgres and its sessions in Redis; a deploy "
         "runs the migrations first, then rolls the API pods one at a time. ") * 4
def runbook(i):
    k = random.sample(range(600), 4)
    return f"""## Deploy

{prose}

```bash
npm ci
npm run build
npm run test
cd apps/api && npm run migrate
node scripts/s{i % 50}.mjs
```

Run `npm run lint` before tagging; the API entry point is `apps/api/src/main.ts`
and the routes live in [the routes folder](../apps/api/src/routes/r{k[0]}.ts).

## Environment

- `DATABASE_URL`: the Postgres connection string.
- `SESSION_SECRET`: 64 hex characters.
- `REDIS_URL`: sessions and queues.
- `STRIPE_SECRET_KEY`: server side only.

## Verify

{prose}

```bash
curl -fsS "$API_URL/health"
curl -fsS "$API_URL/health/ready"
curl -fsS "$API_URL/api/v1/r{k[1]}/item1"
curl -fsS "$API_URL/api/v1/r{k[2]}/item2"
```

## Rollback

{prose}
See [deploy notes](doc{k[3] % 200}.md#deploy) and [verification](doc{(k[3] + 1) % 200}.md#verify).
"""
for i in range(200):
    rotted = i % 100 < rot
    body = seed_texts[i % len(seed_texts)] if rotted else runbook(i)
    links = "".join(f"- [doc {k}](doc{k}.md#overview) and [code](../apps/api/src/routes/r{k}.ts)\n"
                    for k in random.sample(range(200), 5))
    cmds = "```bash\nnpm run build\nnpm run lint\ncd apps/api && npm run migrate\n```\n"
    w(f"docs/doc{i}.md", f"# Doc {i}\n\n## Overview\n\n{links}\n{cmds}\n{body}\n")
wf = """name: CI{n}
on: [pull_request]
jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: npm ci
      - run: npm run typecheck --if-present
      - run: npm run lint
      - run: npx eslint . || true
      - run: curl -fsS "$API_URL/health/ready"
"""
for n in range(6):
    w(f".github/workflows/ci{n}.yml", wf.format(n=n))
PY
  git -C "$repo" init -q -b main
  git -C "$repo" add -A
  git -C "$repo" -c user.email=b@example.invalid -c user.name=bench commit -q -m repo
  git -C "$repo" branch -f base
  for i in 1 2 3; do printf '\nMore notes %s.\n' "$i" >> "$repo/docs/doc$i.md"; done
  printf '\n      - run: npm run e2e --if-present\n' >> "$repo/.github/workflows/ci0.yml"
  git -C "$repo" -c user.email=b@example.invalid -c user.name=bench commit -q -am change
fi

echo "== building shipgate (release)"
(cd "$here" && cargo build --release --locked -q)
sg=$here/target/release/shipgate
printf '[gate.profiles.no-integrity]\nstages = ["scan", "env"]\n[gate.profiles.with-integrity]\nstages = ["scan", "env", "integrity"]\n' > "$dir/bench-integrity.toml"
files=$(git -C "$repo" ls-files | wc -l)
md=$(git -C "$repo" ls-files '*.md' | wc -l)
echo "== $files files, $md Markdown files; $(nproc) cores"
hyperfine --style basic --warmup 2 --runs "$runs" --ignore-failure \
  --export-markdown "$dir/bench-integrity.md" \
  -n "integrity" "'$sg' -C '$repo' integrity --format json > /dev/null" \
  -n "integrity --diff HEAD~1" "'$sg' -C '$repo' integrity --diff HEAD~1 --format json > /dev/null" \
  -n "gate: scan + env" "'$sg' -C '$repo' gate --config '$dir/bench-integrity.toml' --profile no-integrity --format json > /dev/null" \
  -n "gate: scan + env + integrity" "'$sg' -C '$repo' gate --config '$dir/bench-integrity.toml' --profile with-integrity --format json > /dev/null"
"$sg" -C "$repo" integrity -q | tail -n 2 || true
echo "results: $dir/bench-integrity.md"
