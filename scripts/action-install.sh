#!/usr/bin/env bash
# Installs shipgate for the GitHub Action: the release asset for this runner,
# verified against its .sha256; else `cargo install --locked` from the action's source.
set -euo pipefail
version=${SHIPGATE_VERSION:-latest}
repo=${SHIPGATE_ACTION_REPO:-}
dest="${RUNNER_TEMP:-/tmp}/shipgate-bin"
mkdir -p "$dest"
case "${RUNNER_OS:-Linux}-${RUNNER_ARCH:-X64}" in
  Linux-X64) target=x86_64-unknown-linux-musl ;;
  Linux-ARM64) target=aarch64-unknown-linux-musl ;;
  macOS-ARM64) target=aarch64-apple-darwin ;;
  macOS-X64) target=x86_64-apple-darwin ;;
  Windows-X64) target=x86_64-pc-windows-msvc ;;
  *) target="" ;;
esac
installed=""
if [ "$version" != "source" ] && [ -n "$repo" ] && [ -n "$target" ] && command -v gh >/dev/null 2>&1; then
  tag=$version
  if [ "$tag" = "latest" ]; then
    tag=$(gh release view --repo "$repo" --json tagName --jq .tagName 2>/dev/null || true)
  fi
  if [ -n "$tag" ]; then
    asset="shipgate-${tag}-${target}.tar.gz"
    if gh release download "$tag" --repo "$repo" --pattern "$asset" --pattern "$asset.sha256" --dir "$dest" --clobber 2>/dev/null; then
      (cd "$dest" && sha256sum -c "$asset.sha256") || { echo "::error::checksum mismatch for $asset"; exit 1; }
      tar -xzf "$dest/$asset" -C "$dest"
      installed=yes
    fi
  fi
fi
if [ -z "$installed" ]; then
  echo "No release asset for ${target:-this runner} (${version}); building from the action's source"
  cargo install --locked --root "$dest" --path "${SHIPGATE_ACTION_PATH:?}"
  mv "$dest/bin/shipgate" "$dest/shipgate" 2>/dev/null || true
fi
echo "$dest" >> "$GITHUB_PATH"
"$dest/shipgate" --version
