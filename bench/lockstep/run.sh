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
screens=2
seconds=120
late=8
out="$here/../../target/bench-lockstep"
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

# The binaries, the work folder and its cleanup, the prerequisites, the bench pack
# and each screen's config: the same as the playback benchmark's.
# shellcheck source=../playback/common.sh
source "$here/../playback/common.sh"
# Each screen's window; smaller than a booth's screens, so that several WebKit
# players fit on one small machine at once.
export BENCH_SCREEN="${BENCH_SCREEN:-1280x720}"

bench_begin
step "prerequisites"
bench_prerequisites Xvfb gst-launch-1.0
step "bench pack and bundle"
run_dir="$work/raw"
bench_pack

# --- one config per screen: the same group, each listening on its own port -------------
free_udp_port() { python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
ports=()
for i in $(seq "$screens"); do ports+=("$(free_udp_port)"); done
for i in $(seq "$screens"); do
  ours_config "$work/screen-$i"
  peers=""
  for j in $(seq "$screens"); do
    ((j == i)) || peers+="${peers:+, }\"127.0.0.1:${ports[j - 1]}\""
  done
  cat >>"$work/screen-$i/kiosk.toml" <<EOF

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
  run python3 "$bench_here/measure.py" --label "screen-$i-cold" --seconds 3 --startup-timeout 180 \
    --events "$run_dir/screen-$i-cold-events.jsonl" --out "$run_dir/screen-$i-cold-measure.json" --log "$run_dir/screen-$i-cold.log" \
    --env RUST_LOG=info -- "$kiosk" --config "$work/screen-$i/kiosk.toml" --event-log "$run_dir/screen-$i-cold-events.jsonl" || true
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
  python3 "$bench_here/measure.py" --label "screen-$i" --seconds $((total - late * (i - 1))) --clock-offset "$offset" \
    --events "$run_dir/screen-$i-events.jsonl" --out "$run_dir/screen-$i-measure.json" --log "$run_dir/screen-$i.log" \
    --env RUST_LOG=info -- "$kiosk" --config "$work/screen-$i/kiosk.toml" "${clock[@]}" \
    --event-log "$run_dir/screen-$i-events.jsonl" --frame-log "$run_dir/screen-$i-frames.jsonl" &
  stop_on_exit+=($!)
  ((i == screens)) || sleep "$late"
done
status=0
for pid in "${stop_on_exit[@]}"; do wait "$pid" || status=$?; done
stop_on_exit=()
((status == 0)) || echo "a screen's run ended with status $status (see raw/screen-*.log)"

# --- the report ----------------------------------------------------------------------------
step "report"
write_meta "$run_dir/meta.json" "seconds=$seconds" "screen=$BENCH_SCREEN" \
  "scenario=Screen 1 starts alone; each of the other $((screens - 1)) joins $late s after the one before, into a group already playing, its device clock hours off."
rm -rf "$out/raw"
mkdir -p "$out/raw"
cp "$run_dir"/* "$out/raw/"
logs=()
for i in $(seq "$screens"); do logs+=("$out/raw/screen-$i-frames.jsonl"); done
python3 "$here/analyze.py" --out "$out" --meta "$out/raw/meta.json" "${strict[@]}" "${logs[@]}"
