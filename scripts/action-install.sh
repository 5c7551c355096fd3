#!/usr/bin/env bash
# Installs shipgate for the GitHub Action (action.yml, step "Install shipgate").
#
# A release archive is trusted only when its SHA-256 matches the manifest in the
# action's own checkout ($GITHUB_ACTION_PATH/action/sha256-manifest.txt, written
# by .github/workflows/release.yml) - never a .sha256 from the same release. When
# `gh attestation` exists, the archive's build provenance is verified as well.
# A version missing from the manifest, a missing asset or a missing `gh` builds
# the action's own source with `cargo install --locked` instead. A hash mismatch
# is a hard failure. One line says exactly what was verified.
#
# Inputs (environment): SHIPGATE_VERSION (a tag such as v0.1.0, "latest" or
# "source"), SHIPGATE_ACTION_REPO (owner/name), GH_TOKEN, and the runner's
# RUNNER_TEMP, RUNNER_OS, RUNNER_ARCH, GITHUB_PATH, GITHUB_ACTION_PATH.
# Test knobs: SHIPGATE_GH (the `gh` to run), SHIPGATE_CARGO (the `cargo` to run).
set -euo pipefail

say() { printf 'shipgate install: %s\n' "$*"; }
fail() {
  printf '::error title=shipgate install::%s\n' "$*"
  exit 1
}

action_path=${GITHUB_ACTION_PATH:-}
if [ -z "$action_path" ] || [ ! -d "$action_path" ]; then
  fail "GITHUB_ACTION_PATH is not set to the action's checkout"
fi
manifest="$action_path/action/sha256-manifest.txt"
gh=${SHIPGATE_GH:-gh}
cargo=${SHIPGATE_CARGO:-cargo}
: "${GITHUB_PATH:?GITHUB_PATH is not set (not running in GitHub Actions?)}"

version=${SHIPGATE_VERSION:-latest}
case "$version" in
  latest | source) ;;
  *)
    # Only a plain version reaches `gh` and the asset name (no glob, no option).
    if ! [[ "$version" =~ ^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
      fail "version must be a release tag such as v0.1.0, \"latest\" or \"source\"; got \"$version\""
    fi
    version="v${version#v}"
    ;;
esac

# The repository whose releases are installed: the action's own.
repo=${SHIPGATE_ACTION_REPO:-${GITHUB_ACTION_REPOSITORY:-}}
if [ -z "$repo" ] && [ -f "$action_path/Cargo.toml" ]; then
  repo=$(sed -n 's#^repository *= *"https://github.com/\([^"/]*/[^"/]*\)".*#\1#p' "$action_path/Cargo.toml" | head -n 1)
fi
repo=${repo%.git}

dest="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/shipgate-bin"
mkdir -p "$dest/bin"
exe=shipgate
case "${RUNNER_OS:-Linux}-${RUNNER_ARCH:-X64}" in
  Linux-X64) target=x86_64-unknown-linux-musl ;;
  Linux-ARM64) target=aarch64-unknown-linux-musl ;;
  macOS-ARM64) target=aarch64-apple-darwin ;;
  macOS-X64) target=x86_64-apple-darwin ;;
  Windows-X64) target=x86_64-pc-windows-msvc exe=shipgate.exe ;;
  *) target="" ;;
esac

sha256_of() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum "$1" | cut -d ' ' -f 1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 "$1" | cut -d ' ' -f 1
  else
    openssl dgst -sha256 -r "$1" | cut -d ' ' -f 1
  fi
}

finish() {
  echo "$dest/bin" >>"$GITHUB_PATH"
  "$dest/bin/$exe" --version
}

source_build() {
  say "building from the action's source with cargo install --locked ($1)"
  command -v "$cargo" >/dev/null 2>&1 ||
    fail "cannot build shipgate from source: cargo not found ($1); install a Rust toolchain first or use a released version that is in action/sha256-manifest.txt"
  "$cargo" install --locked --path "$action_path" --root "$dest" ||
    fail "cargo install --locked --path $action_path failed ($1)"
  [ -x "$dest/bin/$exe" ] || fail "cargo install did not produce $dest/bin/$exe"
  say "verified: neither a manifest hash nor an attestation - no release binary was downloaded; shipgate was built from the action's own source ($1)"
  finish
  exit 0
}

[ "$version" = source ] && source_build "version: source was requested"
[ -n "$target" ] || source_build "no release build for ${RUNNER_OS:-?}/${RUNNER_ARCH:-?}"
command -v "$gh" >/dev/null 2>&1 || source_build "the GitHub CLI (gh) is not available to download release assets"
[ -n "$repo" ] || source_build "the action's repository is unknown"

tag=$version
if [ "$tag" = latest ]; then
  tag=$("$gh" release view --repo "$repo" --json tagName --jq .tagName 2>/dev/null) || tag=""
  if ! [[ "$tag" =~ ^v[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$ ]]; then
    source_build "cannot resolve the latest release of $repo${tag:+ (got \"$tag\")}"
  fi
fi
asset="shipgate-${tag}-${target}.tar.gz"

# The pinned hash: the action's own manifest, never the release.
expected=""
if [ -f "$manifest" ]; then
  expected=$(awk -v v="$tag" -v t="$target" '$1 == v && $2 == t { print $3 }' "$manifest" | sort -u)
fi
if [ -z "$expected" ]; then
  newest=$( (grep -v '^#' "$manifest" 2>/dev/null || true) | awk -v t="$target" '$2 == t { print $1 }' | tail -n 1)
  source_build "$tag for $target is not in this action's manifest (action/sha256-manifest.txt${newest:+; newest listed: $newest})"
fi
if [ "$(printf '%s\n' "$expected" | wc -l)" -ne 1 ] || ! [[ "$expected" =~ ^[0-9a-f]{64}$ ]]; then
  fail "action/sha256-manifest.txt has no single valid SHA-256 for $tag $target"
fi

dl=$(mktemp -d "${RUNNER_TEMP:-${TMPDIR:-/tmp}}/shipgate-dl.XXXXXX")
if ! "$gh" release download "$tag" --repo "$repo" --pattern "$asset" --dir "$dl" --clobber; then
  source_build "could not download $asset from the $tag release of $repo"
fi
[ -f "$dl/$asset" ] || source_build "the $tag release of $repo has no asset $asset"

actual=$(sha256_of "$dl/$asset")
if [ "$actual" != "$expected" ]; then
  fail "SHA-256 mismatch for $asset: downloaded $actual, the action's manifest pins $expected - refusing to install it"
fi

if "$gh" attestation --help >/dev/null 2>&1; then
  if "$gh" attestation verify "$dl/$asset" --repo "$repo"; then
    provenance="build provenance verified by gh attestation verify --repo $repo"
  else
    printf '::warning title=shipgate install::gh attestation verify failed for %s; the SHA-256 still matches the action manifest\n' "$asset"
    provenance="build provenance NOT verified (gh attestation verify --repo $repo failed)"
  fi
else
  provenance="build provenance NOT verified (this gh has no attestation command)"
fi

tar -xzf "$dl/$asset" -C "$dest/bin" "$exe" || fail "$asset does not contain $exe"
rm -rf "$dl"
say "verified: $asset SHA-256 $actual matches the action's manifest (action/sha256-manifest.txt); $provenance"
finish
