#!/usr/bin/env bash
# Runs this repository's `.pre-commit-hooks.yaml` through the real pre-commit
# framework (`pre-commit try-repo`) on a throwaway repository: a staged
# hardcoded localhost URL must be rejected, a clean change accepted.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
if ! command -v pre-commit >/dev/null 2>&1; then
  python3 -m pip install -q pre-commit || { echo "pre-commit cannot be installed here; skipping the pre-commit framework check"; exit 0; }
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
git init -q -b main
git config user.email t@example.invalid
git config user.name t
mkdir -p src
echo 'export const A = process.env.API_URL;' > src/a.ts
git add -A && git commit -qm init
echo 'export const API = "http://localhost:3000/api";' > src/api.ts
git add src/api.ts
out=$(pre-commit try-repo "$here" shipgate 2>&1) && { echo "$out"; echo "expected the hook to reject the staged localhost URL"; exit 1; }
echo "$out" | grep -q "localhost/hardcoded-url" || { echo "$out"; echo "the hook failed for another reason"; exit 1; }
echo "pre-commit try-repo: a staged localhost URL is rejected"
echo 'export const API = import.meta.env.VITE_API_URL;' > src/api.ts
git add src/api.ts
pre-commit try-repo "$here" shipgate >/dev/null 2>&1 || { pre-commit try-repo "$here" shipgate; echo "expected a clean change to pass"; exit 1; }
echo "pre-commit try-repo: a clean change passes"
