#!/usr/bin/env bash
# Benchmark: `shipgate scan` with the built-in rules vs ripgrep given the same
# patterns (ASCII classes, its fastest form) vs `cat` of every file (the floor),
# on a large corpus of real JavaScript; plus a diff-mode scan of a 10-file change.
#
#   scripts/bench-scan.sh [BENCH_DIR]     (default /tmp/shipgate-bench)
#
# Needs: npm (registry access) once to build the corpus; installs ripgrep,
# hyperfine and GNU time with apt-get when missing. Everything runs locally.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${1:-/tmp/shipgate-bench}
corpus=$dir/corpus
runs=${RUNS:-5}
mkdir -p "$dir"

need() { command -v "$1" >/dev/null 2>&1; }
if ! need rg || ! need hyperfine || [ ! -x /usr/bin/time ]; then
  apt-get update -qq && apt-get install -y -qq ripgrep hyperfine time >/dev/null
fi

if [ ! -d "$corpus" ]; then
  echo "== building the corpus in $corpus (npm install --ignore-scripts)"
  mkdir -p "$dir/npm"
  (cd "$dir/npm" && echo '{"name":"corpus","version":"1.0.0","private":true}' > package.json &&
    npm install --ignore-scripts --no-audit --no-fund --loglevel=error \
      typescript next aws-sdk @angular/core @angular/compiler webpack eslint googleapis \
      monaco-editor three @mui/material rxjs lodash moment @babel/core prettier sass esbuild \
      react-dom @aws-sdk/client-s3 @aws-sdk/client-dynamodb @nestjs/core typeorm @types/node)
  # Not named node_modules: shipgate's production scope excludes vendored code,
  # and the benchmark should measure scanning it.
  mv "$dir/npm/node_modules" "$corpus"
fi

echo "== building shipgate (release)"
(cd "$here" && cargo build --release --locked -q)
sg=$here/target/release/shipgate

# ripgrep gets every built-in pattern in its fastest form: each wrapped in
# (?-u:...) for ASCII classes (flags stay inside the group), group names dropped
# (ripgrep joins the patterns into one regex), (?m) dropped (ripgrep is line based).
mapfile -t pats < <("$sg" rules list --format json | python3 -c '
import json, sys
for r in json.load(sys.stdin):
    if "pattern" not in r:
        continue  # rules of the other stages have no pattern
    p = r["pattern"].replace("(?m)", "").replace("(?P<m>", "(?:")
    print("(?-u:" + p + ")")
')
rg_args=(--no-config --hidden --no-require-git --max-filesize 10M -c)
for p in "${pats[@]}"; do rg_args+=(-e "$p"); done
{ printf 'exec rg'; printf ' %q' "${rg_args[@]}" "$corpus"; printf '\n'; } > "$dir/rg.sh"
# ripgrep exits 1 for "no match" and 2 for an error (a bad pattern must not time as fast).
rc=0; bash "$dir/rg.sh" > /dev/null 2> "$dir/rg.err" || rc=$?
if [ "$rc" -gt 1 ]; then echo "ripgrep failed:"; head -c 2000 "$dir/rg.err"; exit 1; fi

files=$(find "$corpus" -type f | wc -l)
size=$(du -sh "$corpus" | cut -f1)
echo "== corpus: $files files, $size; ${#pats[@]} patterns; $(nproc) cores"

# Warm the page cache, then time all three in the same run.
cat_all="find '$corpus' -type f -print0 | xargs -0 cat > /dev/null"
eval "$cat_all"
hyperfine --style basic --warmup 1 --runs "$runs" --ignore-failure \
  --export-markdown "$dir/bench-scan.md" \
  -n cat "$cat_all" \
  -n rg "bash '$dir/rg.sh' > /dev/null" \
  -n shipgate "'$sg' -C '$corpus' scan --format json > /dev/null"

echo "== peak memory (max RSS)"
/usr/bin/time -f "shipgate: %M KB, %e s" "$sg" -C "$corpus" scan --format json > /dev/null || true
/usr/bin/time -f "rg: %M KB, %e s" bash "$dir/rg.sh" > /dev/null || true
"$sg" -C "$corpus" scan --format json | python3 -c '
import json, sys
r = json.load(sys.stdin); s = r["stages"][0]
print("shipgate findings:", s["counts"], "stats:", s["stats"])' || true

echo "== diff mode: a 10-file change in the same tree"
if [ ! -d "$corpus/.git" ]; then
  git -C "$corpus" init -q -b main
  git -C "$corpus" -c core.autocrlf=false add -A -f
  git -C "$corpus" -c user.email=b@example.invalid -c user.name=bench commit -q -m corpus
  git -C "$corpus" branch -f base
  i=0
  while IFS= read -r f && [ $i -lt 10 ]; do
    printf '\nexport const API_%s = "http://localhost:%s/api";\n' "$i" "$((3000 + i))" >> "$corpus/$f"
    i=$((i + 1))
  done < <(git -C "$corpus" ls-files '*/lib/*.js' | head -n 10)
  git -C "$corpus" -c user.email=b@example.invalid -c user.name=bench commit -q -am change
fi
hyperfine --style basic --warmup 2 --runs 20 --ignore-failure \
  --export-markdown "$dir/bench-diff.md" \
  -n "scan --diff HEAD~1" "'$sg' -C '$corpus' scan --diff HEAD~1 --format json > /dev/null" \
  -n "gate --profile pre-push --diff HEAD~1" "'$sg' -C '$corpus' gate --profile pre-push --diff HEAD~1 --format json > /dev/null"
"$sg" -C "$corpus" gate --profile pre-push --diff HEAD~1 -q | tail -n 3 || true

echo "== a full gate (scan + env, one walk) and the default gate (+ integrity) against the scan alone"
printf '[gate.profiles.scan-env]\nstages = ["scan", "env"]\n' > "$dir/bench-gate.toml"
hyperfine --style basic --warmup 1 --runs "$runs" --ignore-failure \
  --export-markdown "$dir/bench-gate.md" \
  -n "scan" "'$sg' -C '$corpus' scan --format json > /dev/null" \
  -n "gate (scan + env)" "'$sg' -C '$corpus' gate --config '$dir/bench-gate.toml' --profile scan-env --format json > /dev/null" \
  -n "gate (default: scan + env + integrity)" "'$sg' -C '$corpus' gate --format json > /dev/null"
echo "results: $dir/bench-scan.md $dir/bench-diff.md $dir/bench-gate.md"
