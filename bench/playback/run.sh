#!/usr/bin/env bash
# The playback benchmark: the kiosk app's signage player against the same player
# code in Chromium, on the same bench playlist, each under its own Xvfb at
# 1920x1080. See README.md in this folder for what is measured and how.
#
#   bash bench/playback/run.sh [--seconds N] [--out DIR] [--strict] [--keep] [--wait-idle S]
#
#   --seconds N   how long each side plays after its first frame (default 120)
#   --out DIR     where playback.md, playback.png, playback.json and raw/ go
#                 (default target/bench-playback in the repository)
#   --strict      exit 3 when our gaps miss a goal (p95 <= 17 ms, max <= 34 ms)
#   --keep        keep the temporary work folder (pack, bundle, profiles)
#   --wait-idle S before each side, wait up to S seconds for the machine to be idle
#                 (other processes under a quarter of a core); default 0: do not wait
#
# Uses $KIOSK_BIN and $KIOSKCTL_BIN, else $CARGO_TARGET_DIR/debug/{kiosk,kioskctl}
# (built with `cargo build -p kiosk-app -p kioskctl` when missing).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
seconds=120
out="$repo/target/bench-playback"
strict=()
keep=0
wait_idle=0
while (($#)); do
  case "$1" in
    --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
    --out) out="${2:?--out needs a folder}"; shift 2 ;;
    --strict) strict=(--strict); shift ;;
    --keep) keep=1; shift ;;
    --wait-idle) wait_idle="${2:?--wait-idle needs seconds}"; shift 2 ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -ge 10 ]] || { echo "run.sh: --seconds must be a whole number >= 10" >&2; exit 2; }
[[ "$wait_idle" =~ ^[0-9]+$ ]] || { echo "run.sh: --wait-idle must be a whole number of seconds" >&2; exit 2; }
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# The steps shared with soak.sh: binaries, work folder and cleanup, prerequisites,
# bench pack and bundle, the app's configuration and first start.
# shellcheck source=bench/playback/common.sh
source "$here/common.sh"
bench_begin

step "prerequisites"
bench_prerequisites Xvfb chromium gst-launch-1.0 node npm

# --- the bench pack, its bundle and the plan ------------------------------------------------
step "bench pack and bundle"
run_dir="$work/run"
bench_pack

# --- the interface for Chromium: the current sources, built apart from ui/kiosk/dist ----
step "interface build for Chromium"
[[ -d "$repo/ui/kiosk/node_modules" ]] || run timeout 900 npm --prefix "$repo/ui/kiosk" ci --no-audit --no-fund --loglevel=error
run timeout 600 bash -c 'cd "$1" && exec npx vite build --outDir "$2" --emptyOutDir --logLevel warn' _ "$repo/ui/kiosk" "$work/ui"

# --- facts about this run ----------------------------------------------------------------
write_meta "$run_dir/meta.json" seconds="$seconds" chromium="$(chromium --version 2>/dev/null || echo chromium)"

# Waits (at most --wait-idle seconds) until the machine's busy time over 3 s is
# below a quarter of one core.
wait_for_idle() {
  ((wait_idle > 0)) || return 0
  local deadline=$((SECONDS + wait_idle)) busy
  while :; do
    busy="$(python3 -c '
import os, time
def busy():
    f = [int(x) for x in open("/proc/stat").readline().split()[1:]]
    return sum(f[:8]) - f[3] - f[4]
a = busy(); time.sleep(3); b = busy()
print(round(100 * (b - a) / os.sysconf("SC_CLK_TCK") / 3))')"
    if ((busy < 25)); then echo "machine idle (${busy} % of a core busy)"; return 0; fi
    if ((SECONDS >= deadline)); then echo "machine still busy (${busy} % of a core): measuring anyway"; return 0; fi
    echo "machine busy (${busy} % of a core): waiting"
    sleep 5
  done
}

# --- our side: the app, started directly ----------------------------------------------
ours_config
ours_first_start
step "ours: ${seconds} s of playback"
wait_for_idle
run python3 "$here/measure.py" --label ours --seconds "$seconds" \
  --events "$run_dir/ours-events.jsonl" --out "$run_dir/ours-measure.json" --log "$run_dir/ours.log" \
  --env RUST_LOG=info -- "$kiosk" --config "$work/ours/kiosk.toml" --event-log "$run_dir/ours-events.jsonl" || true

# --- Chromium's side: the same interface over a small local server --------------------
step "Chromium: server"
printf '</usr/share/alsa/alsa.conf>\npcm.!default { type null }\n' >"$work/alsa-silent.conf"
node "$here/server.mjs" --ui "$work/ui" --bundle "$work/bundle" --media "$repo/media" \
  --plan "$run_dir/plan.json" --events-dir "$run_dir" --port-file "$work/server.port" \
  >"$run_dir/server.log" 2>&1 &
server=$!
stop_on_exit+=("$server")
for _ in $(seq 100); do [[ -s "$work/server.port" ]] && break; sleep 0.1; done
[[ -s "$work/server.port" ]] || { echo "the bench server did not start:" >&2; cat "$run_dir/server.log" >&2; exit 1; }
base="http://127.0.0.1:$(cat "$work/server.port")"
chromium_cmd() { # NAME: the interface posts its events to $run_dir/NAME-events.jsonl
  cmd=(chromium --kiosk --no-first-run --disable-background-networking --disable-component-update
    --disable-sync --disable-quic --no-sandbox --autoplay-policy=no-user-gesture-required
    --user-data-dir="$work/chromium-profile" --window-size=1920,1080 --enable-logging=stderr
    "$base/index.html?mode=signage&plan=/plan.json&events=/events/$1-events")
}
step "Chromium: first start (new profile)"
chromium_cmd chromium-cold
run python3 "$here/measure.py" --label chromium-cold --seconds 5 \
  --events "$run_dir/chromium-cold-events.jsonl" --out "$run_dir/chromium-cold-measure.json" --log "$run_dir/chromium-cold.log" \
  --env "ALSA_CONFIG_PATH=$work/alsa-silent.conf" -- "${cmd[@]}" || true
step "Chromium: ${seconds} s of playback"
wait_for_idle
chromium_cmd chromium
run python3 "$here/measure.py" --label chromium --seconds "$seconds" \
  --events "$run_dir/chromium-events.jsonl" --out "$run_dir/chromium-measure.json" --log "$run_dir/chromium.log" \
  --env "ALSA_CONFIG_PATH=$work/alsa-silent.conf" -- "${cmd[@]}" || true
kill -TERM "$server" 2>/dev/null || true
wait "$server" 2>/dev/null || true
stop_on_exit=()

# --- the report ---------------------------------------------------------------------------
step "report"
rm -rf "$out/raw"
mkdir -p "$out/raw"
cp "$run_dir"/* "$out/raw/"
status=0
python3 "$here/report.py" --run "$run_dir" --out "$out" "${strict[@]}" || status=$?
exit "$status"
