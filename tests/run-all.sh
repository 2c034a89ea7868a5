#!/usr/bin/env bash
# Runs every test: formatting and lints, unit and integration tests, then the
# end-to-end tests of the real app in a real window (Xvfb + tauri-driver).
# Installs whatever is missing first.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo/installers/dev-setup.sh"
cd "$repo"

step() { printf '\n=== %s ===\n' "$*"; }

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings

step "unit and integration tests"
cargo test --workspace --locked

step "end-to-end: the real app under Xvfb"
cargo build -p kiosk-app --locked
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
KIOSK_BIN="$CARGO_TARGET_DIR/debug/kiosk" node --test --test-concurrency=1 --test-timeout=180000 tests/e2e/
echo "screenshots: $repo/target/e2e-screenshots/"
