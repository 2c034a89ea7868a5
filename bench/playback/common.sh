# Shared by run.sh and soak.sh, sourced after they have parsed their arguments:
# the binaries, the work folder and its cleanup, the prerequisites, the bench pack
# and its bundle, the app's configuration and its first start.
#
#   bench_begin                  makes $work; on exit, error or Ctrl-C stops the
#                                step running now ($child), every pid in stop_on_exit,
#                                and removes $work unless keep=1
#   run CMD...                   runs CMD as the step running now
#   bench_prerequisites TOOL...  the TOOLs (installers/debian-deps.sh when one is
#                                missing), gstreamer1.0-x, the binaries, matplotlib
#   bench_pack                   $work/pack, $work/bundle and $run_dir/plan.json
#   write_meta FILE [K=V...]     facts about the run (date, machine, versions) and K=V
#   ours_config [DIR]            the app's data folder and DIR/kiosk.toml (default
#                                $work/ours)
#   ours_first_start             the app's first start, which imports the bundle
#
# The caller sets $run_dir (where the measured files go) before bench_pack.
# shellcheck shell=bash

bench_here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$bench_here/../.." && pwd)"
keep="${keep:-0}"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/binhduong-kiosk/target}"
kiosk="${KIOSK_BIN:-$CARGO_TARGET_DIR/debug/kiosk}"
kioskctl="${KIOSKCTL_BIN:-$CARGO_TARGET_DIR/debug/kioskctl}"
export BENCH_CACHE="${BENCH_CACHE:-$HOME/.cache/binhduong-kiosk/bench}"

step() { printf '\n=== %s ===\n' "$*"; }

# --- processes: every one started here is stopped on exit, by its pid ----------------
child=""          # the measure.py (or other long step) running now
stop_on_exit=()   # background processes of the caller's own (e.g. run.sh's server)
bench_cleanup() {
  local status=$? pid
  trap - EXIT INT TERM HUP
  if [[ -n "$child" ]] && kill -0 "$child" 2>/dev/null; then
    kill -TERM "$child" 2>/dev/null || true
    wait "$child" 2>/dev/null || true
  fi
  for pid in "${stop_on_exit[@]}"; do
    if kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if ((keep)); then echo "work folder kept: $work"; else rm -rf "$work"; fi
  exit "$status"
}

bench_begin() {
  work="$(mktemp -d "${TMPDIR:-/tmp}/kiosk-playback-XXXXXX")"
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM HUP
}

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
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

bench_prerequisites() {
  local tools=("$@") tool
  # Building the app also builds the interface it embeds, with Node.
  [[ -x "$kiosk" && -x "$kioskctl" ]] || tools+=(node npm)
  for tool in "${tools[@]}"; do
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
  # the reports fall back to their own PNG writer when this fails.
  local py_ver py_dir
  py_ver="$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
  py_dir="$BENCH_CACHE/python-$py_ver"
  export PYTHONPATH="$py_dir${PYTHONPATH:+:$PYTHONPATH}"
  if ! python3 -c 'import matplotlib' 2>/dev/null; then
    echo "installing matplotlib into $py_dir"
    run timeout 600 python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
      --target "$py_dir" matplotlib==3.9.2 ||
      echo "matplotlib could not be installed: the plot uses the built-in PNG writer"
  fi
}

# --- the bench pack, its bundle and the plan ------------------------------------------------
bench_pack() {
  mkdir -p "$run_dir"
  run bash "$bench_here/make-pack.sh" "$work/pack"
  run timeout 600 "$kioskctl" bundle build "$work/pack" --channel wtc-booths --version 1 \
    --key "$repo/kiosk-config/dev-keys/content-dev.key" --out "$work/bundle"
  python3 "$bench_here/plan.py" "$work/bundle" "$run_dir/plan.json"
  python3 - "$run_dir/plan.json" <<'EOF'
import json, sys
plan = json.load(open(sys.argv[1]))
for i in plan["items"]:
    print(f"  {i['id']:<24} {i['kind']:<6} {i['planned_ms']:>6} ms{'  (to its end)' if i['until_media_ends'] else ''}{'  sound' if i['has_audio'] else ''}")
EOF
}

# --- facts about this run ----------------------------------------------------------------
# write_meta FILE [KEY=VALUE...]: the date, the machine and the app's version, plus
# the given fields (whole numbers are written as numbers).
write_meta() {
  local file="$1" webkit
  shift
  webkit="$(dpkg-query -W -f='${Version}' libwebkit2gtk-4.1-0 2>/dev/null || echo '?')"
  python3 - "$file" "$("$kiosk" --version 2>/dev/null || echo kiosk)" "$webkit" "$@" <<'EOF'
import datetime, json, os, sys
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
mem = next((int(l.split()[1]) for l in open("/proc/meminfo") if l.startswith("MemTotal")), 0)
meta = {
    "date": datetime.datetime.now().astimezone().isoformat(timespec="seconds"),
    "machine": f"{cpu}, {os.cpu_count()} cores, {mem / 1048576:.0f} GB",
    "ours": f"{sys.argv[2]}, WebKitGTK {sys.argv[3]}",
}
for kv in sys.argv[4:]:
    key, value = kv.split("=", 1)
    meta[key] = int(value) if value.isdigit() else value
json.dump(meta, open(sys.argv[1], "w"), indent=1)
EOF
}

# --- our side: the app, started directly ----------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

ours_config() {
  local dir="${1:-$work/ours}" pin_line brochure_port
  pin_line="$(grep -m1 '^pin_hash = ' "$repo/kiosk-config/booth.toml")"
  mkdir -p "$dir/data/incoming"
  cp -r "$work/bundle" "$dir/data/incoming/bench"
  brochure_port="$(free_port)"
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
EOF
}

# The first start imports and verifies the bundle and checks that its films decode;
# the measured run is the second start, as a screen starts every morning.
ours_first_start() {
  step "ours: first start (bundle import)"
  run python3 "$bench_here/measure.py" --label ours-cold --seconds 5 --startup-timeout 180 \
    --events "$run_dir/ours-cold-events.jsonl" --out "$run_dir/ours-cold-measure.json" --log "$run_dir/ours-cold.log" \
    --env RUST_LOG=info -- "$kiosk" --config "$work/ours/kiosk.toml" --event-log "$run_dir/ours-cold-events.jsonl" || true
}
