#!/usr/bin/env bash
# Screens in step: two or more real kiosk windows, each under its own Xvfb, in one
# sync group over loopback UDP, playing the playback benchmark's playlist. Each
# screen writes the frames it presented (`kiosk --frame-log`); analyze.py measures
# how far apart the screens showed the same frame. See README.md in this folder.
#
#   bash bench/lockstep/run.sh [--screens N] [--seconds S] [--late S] [--out DIR] [--strict] [--keep]
#
#   --screens N  screens in the group (default 2, at most 6)
#   --seconds S  how long the screens play together (default 120, at least 20)
#   --late S     each screen after the first starts S seconds after the one before
#                (default 8): it joins a group already playing
#   --out DIR    where lockstep.md, lockstep.png, lockstep.json and raw/ go
#                (default target/bench-lockstep in the repository)
#   --strict     exit 3 when a goal is missed (p95 <= 16.7 ms, max <= 33.3 ms)
#   --keep       keep the temporary work folder
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
playback="$repo/bench/playback"
screens=2
seconds=120
late=8
out="$repo/target/bench-lockstep"
strict=()
keep=0
while (($#)); do
  case "$1" in
    --screens) screens="${2:?--screens needs a number}"; shift 2 ;;
    --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
    --late) late="${2:?--late needs seconds}"; shift 2 ;;
    --out) out="${2:?--out needs a folder}"; shift 2 ;;
    --strict) strict=(--strict); shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,17p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$screens" =~ ^[0-9]+$ && "$screens" -ge 2 && "$screens" -le 6 ]] || { echo "run.sh: --screens must be 2 to 6" >&2; exit 2; }
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -ge 20 ]] || { echo "run.sh: --seconds must be a whole number >= 20" >&2; exit 2; }
[[ "$late" =~ ^[0-9]+$ ]] || { echo "run.sh: --late must be a whole number of seconds" >&2; exit 2; }
mkdir -p "$out"
out="$(cd "$out" && pwd)"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/binhduong-kiosk/target}"
kiosk="${KIOSK_BIN:-$CARGO_TARGET_DIR/debug/kiosk}"
kioskctl="${KIOSKCTL_BIN:-$CARGO_TARGET_DIR/debug/kioskctl}"
export BENCH_CACHE="${BENCH_CACHE:-$HOME/.cache/binhduong-kiosk/bench}"
# Each screen's window; smaller than a booth's screens, so that several WebKit
# players fit on one small machine at once.
export BENCH_SCREEN="${BENCH_SCREEN:-1280x720}"

step() { printf '\n=== %s ===\n' "$*"; }

# --- processes: every one started here is stopped on exit, by its pid ----------------
work="$(mktemp -d "${TMPDIR:-/tmp}/kiosk-lockstep-XXXXXX")"
children=()
cleanup() {
  local status=$?
  trap - EXIT INT TERM HUP
  for pid in "${children[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${children[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  if ((keep)); then echo "work folder kept: $work"; else rm -rf "$work"; fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# --- prerequisites: the same as the playback benchmark's --------------------------------
step "prerequisites"
for tool in Xvfb gst-launch-1.0; do
  command -v "$tool" >/dev/null || bash "$repo/installers/debian-deps.sh"
done
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }
if ! gst-inspect-1.0 timeoverlay >/dev/null 2>&1; then
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends gstreamer1.0-x
fi
if [[ ! -x "$kiosk" || ! -x "$kioskctl" ]]; then
  echo "building the app and kioskctl (no binaries in $CARGO_TARGET_DIR/debug)"
  [[ -f "$repo/ui/kiosk/dist/index.html" ]] || {
    [[ -d "$repo/ui/kiosk/node_modules" ]] || timeout 900 npm --prefix "$repo/ui/kiosk" ci --no-audit --no-fund --loglevel=error
    timeout 900 npm --prefix "$repo/ui/kiosk" run build --silent
  }
  timeout 3600 cargo build --manifest-path "$repo/Cargo.toml" -p kiosk-app -p kioskctl
fi
py_ver="$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
py_dir="$BENCH_CACHE/python-$py_ver"
export PYTHONPATH="$py_dir${PYTHONPATH:+:$PYTHONPATH}"
python3 -c 'import matplotlib' 2>/dev/null ||
  timeout 600 python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
    --target "$py_dir" matplotlib==3.9.2 || echo "matplotlib could not be installed: no plot"

# --- the bench pack and its bundle ------------------------------------------------------
step "bench pack and bundle"
raw="$work/raw"
mkdir -p "$raw"
bash "$playback/make-pack.sh" "$work/pack"
timeout 600 "$kioskctl" bundle build "$work/pack" --channel wtc-booths --version 1 \
  --key "$repo/kiosk-config/dev-keys/content-dev.key" --out "$work/bundle"

# --- one config per screen: the same group, each listening on its own port -------------
free_udp_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
free_tcp_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
pin_line="$(grep -m1 '^pin_hash = ' "$repo/kiosk-config/booth.toml")"
ports=()
for i in $(seq "$screens"); do ports+=("$(free_udp_port)"); done
for i in $(seq "$screens"); do
  dir="$work/screen-$i"
  mkdir -p "$dir/data/incoming"
  cp -r "$work/bundle" "$dir/data/incoming/bench"
  peers=""
  for j in $(seq "$screens"); do
    ((j == i)) || peers+="${peers:+, }\"127.0.0.1:${ports[j - 1]}\""
  done
  brochure_port="$(free_tcp_port)"
  cat >"$dir/kiosk.toml" <<EOF
mode = "signage"
data_dir = "$dir/data"

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

[lockstep]
group = "bench-booth"
member = "screen-$i"
listen = "127.0.0.1:${ports[i - 1]}"
peers = [$peers]
EOF
done

# The first start of each imports and verifies the bundle; the measured runs are
# the second starts, as screens start every morning.
step "first starts (bundle import)"
for i in $(seq "$screens"); do
  python3 "$playback/measure.py" --label "screen-$i-cold" --seconds 3 --startup-timeout 180 \
    --events "$raw/screen-$i-cold-events.jsonl" --out "$raw/screen-$i-cold-measure.json" --log "$raw/screen-$i-cold.log" \
    --env RUST_LOG=info -- "$kiosk" --config "$work/screen-$i/kiosk.toml" --event-log "$raw/screen-$i-cold-events.jsonl" || true
done

# --- the measured run: screen 1 first, each next one --late seconds later ---------------
step "$screens screens, ${seconds} s together"
total=$((seconds + late * (screens - 1)))
# Every screen after the first starts with its device clock hours and a fraction
# of a second off, so that only the group's clock can put it in step.
for i in $(seq "$screens"); do
  clock=()
  offset=0
  if ((i > 1)); then
    offset="$((i * 3 * 3600)).${i}37"
    clock=(--clock-start "$(date -u -d "@$(($(date +%s) + i * 3 * 3600))" +%Y-%m-%dT%H:%M:%S.${i}37Z)")
  fi
  python3 "$playback/measure.py" --label "screen-$i" --seconds $((total - late * (i - 1))) --clock-offset "$offset" \
    --events "$raw/screen-$i-events.jsonl" --out "$raw/screen-$i-measure.json" --log "$raw/screen-$i.log" \
    --env RUST_LOG=info -- "$kiosk" --config "$work/screen-$i/kiosk.toml" "${clock[@]}" \
    --event-log "$raw/screen-$i-events.jsonl" --frame-log "$raw/screen-$i-frames.jsonl" &
  children+=($!)
  ((i == screens)) || sleep "$late"
done
status=0
for pid in "${children[@]}"; do wait "$pid" || status=$?; done
children=()
((status == 0)) || echo "a screen's run ended with status $status (see raw/screen-*.log)"

# --- the report ----------------------------------------------------------------------------
step "report"
python3 - "$raw/meta.json" "$seconds" "$("$kiosk" --version 2>/dev/null || echo kiosk)" \
  "$(dpkg-query -W -f='${Version}' libwebkit2gtk-4.1-0 2>/dev/null || echo '?')" "$BENCH_SCREEN" "$late" "$screens" <<'EOF'
import datetime, json, os, sys
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
json.dump({
    "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
    "machine": f"{cpu}, {os.cpu_count()} cores",
    "seconds": int(sys.argv[2]),
    "ours": f"{sys.argv[3]}, WebKitGTK {sys.argv[4]}",
    "screen": sys.argv[5],
    "scenario": f"Screen 1 starts alone; each of the other {int(sys.argv[7]) - 1} joins {sys.argv[6]} s after the one before, into a group already playing.",
}, open(sys.argv[1], "w"), indent=1)
EOF
rm -rf "$out/raw"
mkdir -p "$out/raw"
cp "$raw"/* "$out/raw/"
logs=()
for i in $(seq "$screens"); do logs+=("$out/raw/screen-$i-frames.jsonl"); done
python3 "$here/analyze.py" --out "$out" --meta "$out/raw/meta.json" "${strict[@]}" "${logs[@]}"
