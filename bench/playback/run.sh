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

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/binhduong-kiosk/target}"
kiosk="${KIOSK_BIN:-$CARGO_TARGET_DIR/debug/kiosk}"
kioskctl="${KIOSKCTL_BIN:-$CARGO_TARGET_DIR/debug/kioskctl}"
export BENCH_CACHE="${BENCH_CACHE:-$HOME/.cache/binhduong-kiosk/bench}"

step() { printf '\n=== %s ===\n' "$*"; }

# --- processes: every one started here is stopped on exit, by its pid ----------------
work="$(mktemp -d "${TMPDIR:-/tmp}/kiosk-playback-XXXXXX")"
child=""  # the measure.py (or other long step) running now
server=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM HUP
  if [[ -n "$child" ]] && kill -0 "$child" 2>/dev/null; then
    kill -TERM "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  if [[ -n "$server" ]] && kill -0 "$server" 2>/dev/null; then
    kill -TERM "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  if ((keep)); then echo "work folder kept: $work"; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Runs "$@" in the background and waits, so that a signal reaches the trap at once.
run() {
  "$@" &
  child=$!
  local status=0
  wait "$child" || status=$?
  child=""
  return "$status"
}

# --- prerequisites ---------------------------------------------------------------------
step "prerequisites"
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
for tool in Xvfb chromium gst-launch-1.0 node npm; do
  if ! command -v "$tool" >/dev/null; then
    echo "$tool is missing: installing the kiosk's Debian packages (installers/debian-deps.sh)"
    bash "$repo/installers/debian-deps.sh"
    break
  fi
done
if ! gst-inspect-1.0 timeoverlay >/dev/null 2>&1; then
  echo "installing gstreamer1.0-x (timeoverlay, textoverlay)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gstreamer1.0-x
fi

if [[ ! -x "$kiosk" || ! -x "$kioskctl" ]]; then
  echo "building the app and kioskctl (no binaries in $CARGO_TARGET_DIR/debug)"
  if [[ ! -f "$repo/ui/kiosk/dist/index.html" ]]; then
    [[ -d "$repo/ui/kiosk/node_modules" ]] || run timeout 900 npm --prefix "$repo/ui/kiosk" ci --no-audit --no-fund --loglevel=error
    run timeout 900 npm --prefix "$repo/ui/kiosk" run build --silent
  fi
  run timeout 3600 cargo build --manifest-path "$repo/Cargo.toml" -p kiosk-app -p kioskctl
fi

# matplotlib for the plot, into a cache folder (never into the system's Python);
# report.py falls back to its own PNG writer when this fails.
py_ver="$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
py_dir="$BENCH_CACHE/python-$py_ver"
export PYTHONPATH="$py_dir${PYTHONPATH:+:$PYTHONPATH}"
if ! python3 -c 'import matplotlib' 2>/dev/null; then
  echo "installing matplotlib into $py_dir"
  run timeout 600 python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
    --target "$py_dir" matplotlib==3.9.2 ||
    echo "matplotlib could not be installed: the plot uses the built-in PNG writer"
fi

# --- the bench pack, its bundle and the plan ------------------------------------------------
step "bench pack and bundle"
run_dir="$work/run"
mkdir -p "$run_dir"
run bash "$here/make-pack.sh" "$work/pack"
run timeout 600 "$kioskctl" bundle build "$work/pack" --channel wtc-booths --version 1 \
  --key "$repo/kiosk-config/dev-keys/content-dev.key" --out "$work/bundle"
python3 "$here/plan.py" "$work/bundle" "$run_dir/plan.json"
python3 - "$run_dir/plan.json" <<'EOF'
import json, sys
plan = json.load(open(sys.argv[1]))
for i in plan["items"]:
    print(f"  {i['id']:<24} {i['kind']:<6} {i['planned_ms']:>6} ms{'  (to its end)' if i['until_media_ends'] else ''}{'  sound' if i['has_audio'] else ''}")
EOF

# --- the interface for Chromium: the current sources, built apart from ui/kiosk/dist ----
step "interface build for Chromium"
[[ -d "$repo/ui/kiosk/node_modules" ]] || run timeout 900 npm --prefix "$repo/ui/kiosk" ci --no-audit --no-fund --loglevel=error
run timeout 600 bash -c 'cd "$1" && exec npx vite build --outDir "$2" --emptyOutDir --logLevel warn' _ "$repo/ui/kiosk" "$work/ui"

# --- facts about this run ----------------------------------------------------------------
webkit="$(dpkg-query -W -f='${Version}' libwebkit2gtk-4.1-0 2>/dev/null || echo '?')"
python3 - "$run_dir/meta.json" "$seconds" "$("$kiosk" --version 2>/dev/null || echo kiosk)" "$webkit" \
  "$(chromium --version 2>/dev/null || echo chromium)" <<'EOF'
import datetime, json, os, sys
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
json.dump({
    "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
    "machine": f"{cpu}, {os.cpu_count()} cores, {mem / 1048576:.0f} GB",
    "seconds": int(sys.argv[2]),
    "ours": f"{sys.argv[3]}, WebKitGTK {sys.argv[4]}",
    "chromium": sys.argv[5],
}, open(sys.argv[1], "w"), indent=1)
EOF

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
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pin_line="$(grep -m1 '^pin_hash = ' "$repo/kiosk-config/booth.toml")"
mkdir -p "$work/ours/data/incoming"
cp -r "$work/bundle" "$work/ours/data/incoming/bench"
brochure_port="$(free_port)"
cat >"$work/ours/kiosk.toml" <<EOF
mode = "signage"
data_dir = "$work/ours/data"

[content]
channel = "wtc-booths"
trusted_keys = ["$repo/kiosk-config/dev-keys/content-dev.pub"]

[staff]
$pin_line

[brochures]
listen = "127.0.0.1:$brochure_port"
public_base_url = "http://127.0.0.1:$brochure_port"

[signage]
crossfade_ms = 0
EOF

# The first start imports and verifies the bundle and checks that its films decode;
# the measured run is the second start, as a screen starts every morning.
step "ours: first start (bundle import)"
run python3 "$here/measure.py" --label ours-cold --seconds 5 --startup-timeout 180 \
  --events "$run_dir/ours-cold-events.jsonl" --out "$run_dir/ours-cold-measure.json" --log "$run_dir/ours-cold.log" \
  --env RUST_LOG=info -- "$kiosk" --config "$work/ours/kiosk.toml" --event-log "$run_dir/ours-cold-events.jsonl" || true
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
server=""

# --- the report ---------------------------------------------------------------------------
step "report"
rm -rf "$out/raw"
mkdir -p "$out/raw"
cp "$run_dir"/* "$out/raw/"
status=0
python3 "$here/report.py" --run "$run_dir" --out "$out" "${strict[@]}" || status=$?
exit "$status"
