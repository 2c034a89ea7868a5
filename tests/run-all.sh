#!/usr/bin/env bash
# Runs every test: formatting and lints, unit and integration tests, then the
# end-to-end tests of the staff console in Chromium and of the real app in a
# real window (Xvfb + tauri-driver), and last the Debian packages installed on a
# clean Debian 12 root booted with systemd (tests/install/run.sh).
# Installs whatever is missing first.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo/installers/dev-setup.sh"
cd "$repo"

step() { printf '\n=== %s ===\n' "$*"; }

# A persistent target dir keeps every old test binary and incremental build;
# those not touched for two days go, so repeated runs do not fill the disk.
target="${CARGO_TARGET_DIR:-$repo/target}"
if [ -d "$target/debug" ]; then
  find "$target/debug/deps" -maxdepth 1 -type f -executable -mtime +2 -delete 2>/dev/null || true
  find "$target/debug/incremental" -mindepth 1 -maxdepth 1 -mtime +2 -exec rm -rf {} + 2>/dev/null || true
fi

step "format and lints"
cargo fmt --all -- --check
cargo clippy --workspace --all-targets --locked -- -D warnings
# Licences, bans and sources (deny.toml). Every platform's crates are fetched
# first so that cargo-deny reads the crate graph offline; advisories are left
# out, since their database lives on GitHub, which these machines cannot reach.
cargo fetch --locked --quiet
cargo deny --offline --locked check --hide-inclusion-graph licenses bans sources

step "unit and integration tests"
# The TypeScript types of the payloads are written again by the tests (ts-rs);
# afterwards they must be exactly the committed ones.
generated=(ui/kiosk/src/generated ui/console/src/generated ui/wire)
rm -rf "${generated[@]}"
cargo test --workspace --locked
if [ -n "$(git status --porcelain -- "${generated[@]}")" ]; then
  git status --short -- "${generated[@]}" >&2
  echo "the generated TypeScript types differ from the committed ones: run cargo test and commit ${generated[*]}" >&2
  exit 1
fi

step "the interface's own tests (the shared timeline of screens in step)"
(cd ui/kiosk && npm test --silent)

step "the device and admin API against two replicas on PostgreSQL and S3 behind HAProxy"
KIOSK_TEST_STORAGE=replicas cargo test --locked -p kiosk-server \
  --test api --test device_sync --test device_tokens --test console --test screenshots --test fleet --test reports

step "translations: every language the content offers is complete and confirmed"
cargo run --locked --quiet -p kioskctl -- translations check media

step "fuzzing: the manifest and emergency parsers, FUZZ_SECONDS (60) each"
bash tests/fuzz.sh

step "end-to-end: the staff console in Chromium"
bash tests/console/run.sh

step "end-to-end: the real app under Xvfb"
cargo build -p kiosk-app --locked
(cd tests/e2e && npm ci --no-audit --no-fund --loglevel=error)
KIOSK_BIN="$CARGO_TARGET_DIR/debug/kiosk" node --test --test-concurrency=1 --test-timeout=180000 tests/e2e/
echo "screenshots: $repo/target/e2e-screenshots/"

step "the packages on a clean Debian 12: install, the kiosk session under cage, upgrade, purge"
bash tests/install/run.sh
