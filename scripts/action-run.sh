#!/usr/bin/env bash
# Runs the gate once for the GitHub Action (action.yml, step "Run the gate").
# shipgate itself writes every file, the job summary ($GITHUB_STEP_SUMMARY) and
# the step outputs ($GITHUB_OUTPUT: verdict, errors, warnings, notes, report,
# sarif), and publishes the check run. Nothing here needs more than bash.
# Inputs arrive through the environment, never through the shell text:
# SHIPGATE_PROFILE, SHIPGATE_FAIL_ON, SHIPGATE_CONFIG_INPUT, SHIPGATE_BASE_URL,
# SHIPGATE_SARIF, GITHUB_TOKEN.
set -uo pipefail
out="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/shipgate"
mkdir -p "$out"
args=(gate --format github
  --output "json=$out/shipgate.json"
  --output "sarif=${SHIPGATE_SARIF:-shipgate.sarif}"
  --output "junit=$out/shipgate.xml")
# `--flag=value`, so that a value starting with `-` is never read as an option.
if [ -n "${SHIPGATE_PROFILE:-}" ]; then args+=("--profile=$SHIPGATE_PROFILE"); fi
if [ -n "${SHIPGATE_FAIL_ON:-}" ]; then args+=("--fail-on=$SHIPGATE_FAIL_ON"); fi
if [ -n "${SHIPGATE_CONFIG_INPUT:-}" ]; then args+=("--config=$SHIPGATE_CONFIG_INPUT"); fi
# An empty base-url input means "no smoke stage", not an empty URL.
if [ -z "${SHIPGATE_BASE_URL:-}" ]; then unset SHIPGATE_BASE_URL; fi
if [ -z "${GITHUB_TOKEN:-}" ]; then unset GITHUB_TOKEN; fi

before=0
if [ -n "${GITHUB_OUTPUT:-}" ] && [ -f "$GITHUB_OUTPUT" ]; then before=$(($(wc -c <"$GITHUB_OUTPUT"))); fi
code=0
shipgate "${args[@]}" || code=$?
# shipgate writes the outputs whenever it produced a verdict; when it stopped
# before that (a usage error, a broken config), say so instead of leaving them empty.
if [ -n "${GITHUB_OUTPUT:-}" ]; then
  after=0
  if [ -f "$GITHUB_OUTPUT" ]; then after=$(($(wc -c <"$GITHUB_OUTPUT"))); fi
  if [ "$after" -eq "$before" ] && [ "$code" -ne 0 ]; then
    echo "verdict=incomplete" >>"$GITHUB_OUTPUT"
  fi
fi
exit "$code"
