#!/usr/bin/env bash
# Installs everything the kiosk needs to build and test on Debian 12, then builds
# the interface. Sourced by start-kiosk.sh and tests/run-all.sh; safe to run again.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/binhduong-kiosk/target}"

# Done once per run: scripts started by a script that already set up skip it.
if [[ "${KIOSK_DEV_SETUP_DONE:-}" == "$repo" ]]; then
  return 0
fi

bash "$repo/installers/debian-deps.sh"

if ! command -v cargo >/dev/null; then
  echo "cargo is missing: install Rust (rustup) first" >&2
  exit 1
fi
if ! command -v npm >/dev/null; then
  echo "Node.js 20 or newer with npm is missing: install it first (the interface is built with Vite)" >&2
  exit 1
fi
if ! command -v tauri-driver >/dev/null; then
  cargo install tauri-driver --version 2.1.0 --locked
fi
if ! command -v cargo-deny >/dev/null; then
  cargo install cargo-deny --version 0.20.2 --locked
fi
if ! command -v cargo-deb >/dev/null; then
  cargo install cargo-deb --version 3.8.0 --locked
fi
if ! command -v cargo-fuzz >/dev/null; then
  cargo install cargo-fuzz --version 0.13.2 --locked
fi
# An S3-compatible server for the object-storage tests (it keeps objects as files).
if ! command -v s3s-fs >/dev/null; then
  cargo install s3s-fs --version 0.14.1 --features binary --locked
fi

# The interfaces, built once per change of their sources: the kiosk's, and the
# staff console that kiosk-server serves at /console/.
(cd "$repo/ui/kiosk" && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
(cd "$repo/ui/console" && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
export KIOSK_DEV_SETUP_DONE="$repo"
