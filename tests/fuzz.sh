#!/usr/bin/env bash
# Fuzzes what a screen parses and verifies (fuzz/: the bundle manifest and the
# signed emergency message) for a bounded time per target, FUZZ_SECONDS (60 by
# default). Fails, naming the input that crashed, when a target panics or hangs.
#
# The targets build with the default toolchain: RUSTC_BOOTSTRAP=1 lets it take
# the unstable flags cargo-fuzz passes, so no nightly toolchain is needed. They
# build without a sanitizer: the kiosk's crates forbid unsafe code, and what is
# sought here (panics, overflows, round trips) needs none; ASan would run about
# three times slower (fuzz/README.md tells how to use it anyway).
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$HOME/.cache/binhduong-kiosk"
export CARGO_TARGET_DIR="$cache/fuzz-target"
export RUSTC_BOOTSTRAP=1
seconds="${FUZZ_SECONDS:-60}"
targets=(manifest emergency)

# The same pinned version as installers/dev-setup.sh.
if ! command -v cargo-fuzz >/dev/null; then
  cargo install cargo-fuzz --version 0.13.2 --locked
fi

cd "$repo/fuzz"
cargo fuzz build --sanitizer none

for target in "${targets[@]}"; do
  printf '\n=== fuzz %s for %s s ===\n' "$target" "$seconds"
  # New inputs go to a corpus kept outside the checkout, so every run starts
  # where the last one stopped; the committed seeds are only read. libFuzzer's
  # line per new input goes to the log alone.
  corpus="$cache/fuzz-corpus/$target"
  artifacts="$repo/fuzz/artifacts/$target"
  log="$cache/fuzz-logs/$target.log"
  mkdir -p "$corpus" "$artifacts" "$(dirname "$log")"
  started="$(mktemp)"
  status=0
  cargo fuzz run --sanitizer none "$target" "$corpus" "corpus/$target" -- \
    -max_total_time="$seconds" -timeout=10 -print_final_stats=1 >"$log" 2>&1 || status=$?
  if [ "$status" -ne 0 ]; then
    grep -v -E '^#[0-9]+[[:space:]]+(NEW|REDUCE|pulse)|Uses: |NEW_FUNC' "$log" >&2
    echo "fuzz target $target failed (full log: $log); the input that crashed it:" >&2
    find "$artifacts" -type f -newer "$started" >&2
    echo "reproduce: cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run --sanitizer none $target <input>" >&2
    rm -f "$started"
    exit 1
  fi
  rm -f "$started"
  grep 'cov:' "$log" | tail -n 1
  grep -E '^(Done|stat::)' "$log"
done
