#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for SECONDS each (default 600), one
# after the other, each as a single libFuzzer process, and prints how many
# inputs each target executed.
#
#   scripts/fuzz.sh [SECONDS] [TARGET...]
#
# Needs a nightly toolchain (`rustup toolchain install nightly`); installs
# cargo-fuzz if it is missing. New inputs are kept in fuzz/target/corpus/<t>
# (the committed seeds in fuzz/corpus/<t> are only read), crashes land in
# fuzz/artifacts/<t>/, full logs in fuzz/target/logs/<t>/.
#
# Environment:
#   FUZZ_RSS_MB=2048     libFuzzer -rss_limit_mb
#   FUZZ_KEEP_GOING=1    keep fuzzing after a crash (libFuzzer -fork=1 with
#                        -ignore_crashes/-ignore_ooms/-ignore_timeouts: still
#                        one fuzzing process at a time) to find further bugs
#   FUZZ_ARGS="..."      extra libFuzzer flags
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
fuzz="$root/fuzz"
secs=${1:-600}
[ $# -gt 0 ] && shift
case "$secs" in
  '' | *[!0-9]*) echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2; exit 2 ;;
esac
rss=${FUZZ_RSS_MB:-2048}

if ! rustup toolchain list 2>/dev/null | grep -q '^nightly'; then
  echo "cargo-fuzz needs a nightly toolchain: rustup toolchain install nightly" >&2
  exit 2
fi
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "== installing cargo-fuzz"
  cargo install cargo-fuzz --locked
fi

cd "$fuzz"
if [ $# -gt 0 ]; then
  targets=("$@")
else
  mapfile -t targets < <(cargo +nightly fuzz list)
fi

echo "== building ${#targets[@]} target(s)"
cargo +nightly fuzz build

# Executions of one run: libFuzzer's final stats, else its last `#N` line.
execs_of() {
  local n
  n=$(grep -ho 'stat::number_of_executed_units: [0-9]*' "$@" 2>/dev/null | tail -1 | grep -o '[0-9]*$' || true)
  if [ -z "$n" ]; then
    n=$(grep -hoE '^#[0-9]+' "$@" 2>/dev/null | tail -1 | tr -d '#' || true)
  fi
  echo "${n:-0}"
}

summary=()
failed=0
for t in "${targets[@]}"; do
  work="$fuzz/target/corpus/$t"
  logs="$fuzz/target/logs/$t"
  mkdir -p "$work" "$logs" "$fuzz/artifacts/$t"
  rm -f "$logs"/fuzz-*.log "$logs/run.log"
  flags=(-max_total_time="$secs" -rss_limit_mb="$rss" -print_final_stats=1)
  if [ "${FUZZ_KEEP_GOING:-0}" = 1 ]; then
    flags+=(-fork=1 -ignore_crashes=1 -ignore_ooms=1 -ignore_timeouts=1)
  else
    flags+=(-jobs=1 -workers=1)
  fi
  # shellcheck disable=SC2206
  flags+=(${FUZZ_ARGS:-})
  echo "== $t: ${secs}s"
  before=$(find "$fuzz/artifacts/$t" -type f | wc -l)
  start=$(date +%s)
  status=0
  # -jobs/-workers make libFuzzer write its output to fuzz-0.log in the
  # working directory: run from the log directory.
  (cd "$logs" && cargo +nightly fuzz run --fuzz-dir "$fuzz" "$t" "$work" "$fuzz/corpus/$t" -- "${flags[@]}") \
    >"$logs/run.log" 2>&1 || status=$?
  took=$(($(date +%s) - start))
  execs=$(execs_of "$logs"/fuzz-*.log "$logs/run.log")
  after=$(find "$fuzz/artifacts/$t" -type f | wc -l)
  if [ "$status" -ne 0 ] || [ "$after" -gt "$before" ]; then
    failed=1
    result="FAILED (exit $status; $((after - before)) new artifact(s) in fuzz/artifacts/$t; see $logs)"
    grep -h -m1 -A2 'panicked at' "$logs"/fuzz-*.log "$logs/run.log" 2>/dev/null | head -3 | sed 's/^/    /' || true
  else
    result="ok"
  fi
  line=$(printf '%-10s %6ss %12s execs  %s' "$t" "$took" "$execs" "$result")
  echo "$line"
  summary+=("$line")
done

echo
echo "== executions per target"
printf '%s\n' "${summary[@]}"
exit "$failed"
