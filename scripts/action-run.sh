#!/usr/bin/env bash
# Runs the gate once for the GitHub Action, writing every output, and sets the
# step outputs. Inputs arrive through the environment, never through the shell text.
set -uo pipefail
out="${RUNNER_TEMP:-/tmp}/shipgate"
mkdir -p "$out"
report="$out/shipgate.json"
sarif="${SHIPGATE_SARIF:-shipgate.sarif}"
args=(gate --profile "${SHIPGATE_PROFILE:-pr}" --fail-on "${SHIPGATE_FAIL_ON:-error}"
  --format github --output "json=$report" --output "sarif=$sarif" --output "junit=$out/shipgate.xml")
if [ -n "${SHIPGATE_CONFIG_INPUT:-}" ]; then args+=(--config "$SHIPGATE_CONFIG_INPUT"); fi
if [ -z "${SHIPGATE_BASE_URL:-}" ]; then unset SHIPGATE_BASE_URL; fi
code=0
shipgate "${args[@]}" || code=$?
if [ -f "$report" ]; then
  python3 - "$report" >> "$GITHUB_OUTPUT" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"verdict={r['verdict']}")
print(f"errors={r['counts']['error']}")
print(f"warnings={r['counts']['warning']}")
PY
fi
{
  echo "report=$report"
  echo "sarif=$sarif"
} >> "$GITHUB_OUTPUT"
exit "$code"
