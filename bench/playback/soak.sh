#!/usr/bin/env bash
# The playback soak: the kiosk app's signage player alone on the bench playlist,
# under Xvfb at 1920x1080, for hours, recording memory, CPU, dropped frames and
# gaps over time. See "Soak" in README.md in this folder.
#
#   bash bench/playback/soak.sh --duration 2h [--out DIR] [--warmup 10m] [--strict] [--keep]
#
#   --duration T  how long the app plays after its first frame: 90s, 30m, 2h, 1h30m
#                 (a plain number is seconds); at least the warm-up plus 2 minutes
#   --warmup T    the time after the first frame during which memory may still grow
#                 (default 10m); the growth is measured from its end
#   --out DIR     where soak.md, soak.png, soak.json and raw/ go
#                 (default target/bench-soak in the repository)
#   --strict      exit 3 when a goal is missed (memory growth after the warm-up
#                 <= 5 %, no gap over 34 ms, no stall)
#   --keep        keep the temporary work folder (pack, bundle, data folder)
#
# Ctrl-C during the soak stops the app and still writes the report of what was
# measured until then (the exit status is then 130). Uses the same binaries as
# run.sh ($KIOSK_BIN, $KIOSKCTL_BIN, else $CARGO_TARGET_DIR/debug/).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
duration=""
warmup=10m
out="$repo/target/bench-soak"
strict=()
keep=0

# seconds_of TEXT: 90s, 30m, 2h, 1h30m, 1h5m30s or a plain number of seconds, in
# seconds; fails on anything else.
seconds_of() {
  local text="$1"
  if [[ "$text" =~ ^[0-9]{1,7}$ ]]; then
    echo $((10#$text))
  elif [[ -n "$text" && "$text" =~ ^([0-9]{1,4}h)?([0-9]{1,5}m)?([0-9]{1,7}s)?$ ]]; then
    local h="${BASH_REMATCH[1]%h}" m="${BASH_REMATCH[2]%m}" s="${BASH_REMATCH[3]%s}"
    echo $((10#${h:-0} * 3600 + 10#${m:-0} * 60 + 10#${s:-0}))
  else
    return 1
  fi
}
clock() { printf '%d:%02d:%02d' $(($1 / 3600)) $(($1 % 3600 / 60)) $(($1 % 60)); }

while (($#)); do
  case "$1" in
    --duration) duration="${2:?--duration needs a time, e.g. 2h}"; shift 2 ;;
    --warmup) warmup="${2:?--warmup needs a time, e.g. 10m}"; shift 2 ;;
    --out) out="${2:?--out needs a folder}"; shift 2 ;;
    --strict) strict=(--strict); shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,20p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "soak.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ -n "$duration" ]] || { echo "soak.sh: --duration is needed, e.g. --duration 2h (see --help)" >&2; exit 2; }
duration_s="$(seconds_of "$duration")" ||
  { echo "soak.sh: --duration '$duration' is not a time: use e.g. 90s, 30m, 2h or 1h30m" >&2; exit 2; }
warmup_s="$(seconds_of "$warmup")" ||
  { echo "soak.sh: --warmup '$warmup' is not a time: use e.g. 90s, 10m or 0" >&2; exit 2; }
# Memory growth compares the minute after the warm-up with the last minute: both
# must fit, apart, in the run.
((duration_s >= warmup_s + 120)) ||
  { echo "soak.sh: --duration ($(clock "$duration_s")) must be at least the warm-up ($(clock "$warmup_s")) plus 2 minutes" >&2; exit 2; }
mkdir -p "$out"
out="$(cd "$out" && pwd)"

# The steps shared with run.sh: binaries, work folder and cleanup, prerequisites,
# bench pack and bundle, the app's configuration and first start.
# shellcheck source=bench/playback/common.sh
source "$here/common.sh"
bench_begin

step "prerequisites"
bench_prerequisites Xvfb gst-launch-1.0

# The measured files go straight to $out/raw rather than through the work folder:
# during hours of soak they can be followed there (tail -f raw/ours-samples.jsonl),
# and they outlive a soak that is killed.
run_dir="$out/raw"
rm -rf "$run_dir" "$out/soak.md" "$out/soak.png" "$out/soak.json"

step "bench pack and bundle"
bench_pack
write_meta "$run_dir/meta.json" duration_s="$duration_s" warmup_s="$warmup_s"

ours_config
ours_first_start

# --- the soak: one measured run for the whole duration --------------------------------
# Ctrl-C (or SIGTERM) here does not abandon hours of measurement: measure.py is told
# to stop the app and write what it has, and the report is made from it.
interrupted=0
soak_measure() {
  trap 'interrupted=1; if [[ -n "$child" ]]; then kill -TERM "$child" 2>/dev/null || true; fi' INT TERM HUP
  "$@" &
  child=$!
  local status
  # `wait` returns early when a trapped signal arrives; measure.py is then still
  # stopping the app (bounded by its own grace periods), so wait again.
  while kill -0 "$child" 2>/dev/null; do
    status=0
    wait "$child" 2>/dev/null || status=$?
    ((status != 127)) || break # no longer our child
  done
  child=""
  trap 'exit 130' INT TERM HUP
}

# A progress line every tenth of the run, between 30 s and 10 minutes apart.
progress=$((duration_s / 10))
((progress >= 30)) || progress=30
((progress <= 600)) || progress=600
step "ours: soak of $(clock "$duration_s") after the first frame (ends at about $(date -d "+$((duration_s + 30)) seconds" '+%H:%M'))"
soak_measure python3 "$here/measure.py" --label ours --seconds "$duration_s" --progress "$progress" \
  --samples "$run_dir/ours-samples.jsonl" --events "$run_dir/ours-events.jsonl" \
  --out "$run_dir/ours-measure.json" --log "$run_dir/ours.log" \
  --env RUST_LOG=info -- "$kiosk" --config "$work/ours/kiosk.toml" --event-log "$run_dir/ours-events.jsonl"

# --- the report ---------------------------------------------------------------------------
step "report"
status=0
python3 "$here/soak_report.py" --run "$run_dir" --out "$out" --duration "$duration_s" --warmup "$warmup_s" \
  "${strict[@]}" || status=$?
if ((interrupted)); then
  echo "the soak was stopped before its end"
  status=130
fi
exit "$status"
