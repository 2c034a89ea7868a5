#!/usr/bin/env bash
# The fleet benchmark: N simulated screens (the real sync code, one process)
# against kiosk-server on loopback: one embedded server beside nginx serving
# the same blob files, or replicas on PostgreSQL and S3 behind HAProxy.
# See README.md in this folder for what is measured and how to read it.
#
#   bash bench/fleet/run.sh [--backend embedded|postgres+s3] [--replicas N] [--devices N]
#                           [--pack DIR] [--out DIR] [--strict] [--keep] [-- KIOSK_FLEET_OPTIONS…]
#
#   --backend B   embedded (default): one server with SQLite and a blob folder;
#                 postgres+s3: replicas sharing PostgreSQL and S3 (s3s-fs) behind HAProxy
#   --replicas N  replicas with postgres+s3 (default 2)
#   --devices N   simulated screens (default 1000)
#   --pack DIR    the author's folder release 1 is built from (default media/)
#   --out DIR     where latest.md, latest.json and latest.png go (default
#                 bench/fleet/results, or bench/fleet/results/postgres-s3)
#   --strict      exit 3 when a goal is missed
#   --keep        keep the work folders (server data, screens' data on /dev/shm)
#   -- …          passed to kiosk-fleet (see: kiosk-fleet --help), e.g.
#                 -- --throughput-mb 2000 --idle-streams 20000 --picture-kb 500
#
# Installs what is missing (nginx-light, or postgresql and haproxy, with apt;
# s3s-fs with cargo; matplotlib with pip into a cache folder), and builds
# kiosk-fleet and kiosk-server in release mode.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
backend=embedded
replicas=2
devices=1000
pack="$repo/media"
out=""
strict=()
keep=0
extra=()
while (($#)); do
  case "$1" in
    --backend) backend="${2:?--backend needs embedded or postgres+s3}"; shift 2 ;;
    --replicas) replicas="${2:?--replicas needs a number}"; shift 2 ;;
    --devices) devices="${2:?--devices needs a number}"; shift 2 ;;
    --pack) pack="${2:?--pack needs a folder}"; shift 2 ;;
    --out) out="${2:?--out needs a folder}"; shift 2 ;;
    --strict) strict=(--strict); shift ;;
    --keep) keep=1; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,24p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "run.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
[[ "$devices" =~ ^[0-9]+$ && "$devices" -ge 1 ]] || { echo "run.sh: --devices must be a whole number >= 1" >&2; exit 2; }
[[ "$backend" == embedded || "$backend" == postgres+s3 ]] ||
  { echo "run.sh: --backend is embedded or postgres+s3, not $backend" >&2; exit 2; }
[[ "$replicas" =~ ^[0-9]+$ && "$replicas" -ge 1 ]] || { echo "run.sh: --replicas must be a whole number >= 1" >&2; exit 2; }
[[ -d "$pack" ]] || { echo "run.sh: $pack is not a folder" >&2; exit 2; }
if [[ -z "$out" ]]; then
  if [[ "$backend" == embedded ]]; then out="$here/results"; else out="$here/results/postgres-s3"; fi
fi
pack="$(cd "$pack" && pwd)"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/binhduong-kiosk/target}"
export BENCH_CACHE="${BENCH_CACHE:-$HOME/.cache/binhduong-kiosk/bench}"
step() { printf '\n=== %s ===\n' "$*"; }
as_root() { if [[ $(id -u) -eq 0 ]]; then "$@"; else sudo "$@"; fi; }

# --- processes: every one started here is stopped on exit, by its pid ----------------
# The server's data (its SQLite and blob folder) is on the ordinary disk, as on
# a real server; the screens' data folders are on tmpfs (see README.md).
work="$(mktemp -d "${TMPDIR:-/tmp}/kiosk-fleet-XXXXXX")"
screens="$(mktemp -d /dev/shm/kiosk-fleet-XXXXXX)"
server=""
nginx=""
fleet=""
stop() { # PID: TERM, then wait
  if [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; then
    kill -TERM "$1" 2>/dev/null || true
    wait "$1" 2>/dev/null || true
  fi
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM HUP
  stop "$fleet"
  stop "$nginx"
  stop "$server"
  if ((keep)); then
    echo "work folders kept: $work $screens"
  else
    rm -rf "$work" "$screens"
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# --- prerequisites ---------------------------------------------------------------------
step "prerequisites"
apt_install() {
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@"
}
command -v ss >/dev/null || apt_install iproute2
if [[ "$backend" == embedded ]]; then
  nginx_bin="$(command -v nginx || echo /usr/sbin/nginx)"
  if [[ ! -x "$nginx_bin" ]]; then
    echo "installing nginx-light (Debian package)"
    apt_install nginx-light
    nginx_bin=/usr/sbin/nginx
  fi
  "$nginx_bin" -v
else
  # The replicas' storage and load balancer, as installers/dev-setup.sh installs them.
  haproxy_bin="$(command -v haproxy || echo /usr/sbin/haproxy)"
  if ! compgen -G "/usr/lib/postgresql/*/bin/postgres" >/dev/null || [[ ! -x "$haproxy_bin" ]]; then
    echo "installing postgresql and haproxy (Debian packages)"
    apt_install postgresql haproxy
  fi
  if ! command -v s3s-fs >/dev/null; then
    echo "installing s3s-fs (crates.io)"
    cargo install s3s-fs --version 0.14.1 --features binary --locked
  fi
fi

# matplotlib for the plot, into the cache folder the playback benchmark uses too
# (never into the system's Python); plot.py falls back to bench/playback/plotpng.py.
py_ver="$(python3 -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
py_dir="$BENCH_CACHE/python-$py_ver"
export PYTHONPATH="$py_dir${PYTHONPATH:+:$PYTHONPATH}"
if ! python3 -c 'import matplotlib' 2>/dev/null; then
  echo "installing matplotlib into $py_dir"
  timeout 600 python3 -m pip install --quiet --disable-pip-version-check --no-warn-script-location \
    --target "$py_dir" matplotlib==3.9.2 ||
    echo "matplotlib could not be installed: the plot uses the built-in PNG writer"
fi

# Thousands of sockets, SQLite files and threads: about 8 descriptors per
# screen and one per idle stream here, two per connection in HAProxy.
idle_streams=10000
for ((i = 0; i < ${#extra[@]}; i++)); do
  [[ "${extra[$i]}" == --idle-streams ]] && idle_streams="${extra[$((i + 1))]:-0}"
done
[[ $(id -u) -eq 0 ]] && ulimit -Hn 1048576 2>/dev/null || true
ulimit -n "$(ulimit -Hn)"
need=$((devices * 8 + idle_streams + 256))
[[ "$backend" == postgres+s3 ]] && need=$(((devices * 2 + idle_streams) * 2 + 256))
if (($(ulimit -n) < need)); then
  echo "warning: $(ulimit -n) open files allowed, about $need needed for $devices screens and $idle_streams idle streams" >&2
fi
release_mb="$(du -sm "$pack" | cut -f1)"
shm_free_mb="$(df -Pm /dev/shm | awk 'NR==2 {print $4}')"
if ((shm_free_mb < devices * release_mb * 12 / 10)); then
  echo "warning: /dev/shm has $shm_free_mb MB free; $devices screens need about $((devices * release_mb)) MB" >&2
fi

step "build (release)"
cargo build --release --manifest-path "$repo/Cargo.toml" -p kiosk-fleet -p kiosk-server
bin="$CARGO_TARGET_DIR/release"

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
wait_for_port() { # PORT NAME LOG
  for _ in $(seq 200); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "$2 did not start:" >&2
  cat "$3" >&2
  exit 1
}

# --- the server ----------------------------------------------------------------------------
start_embedded_server() { # sets server, server_port
  step "kiosk-server"
  server_port="$(free_port)"
  export KIOSK_ADMIN_TOKEN="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
  mkdir -p "$work/server"
  cat >"$work/server.toml" <<EOF
listen = "127.0.0.1:$server_port"
data_dir = "$work/server"
admin_token = "$KIOSK_ADMIN_TOKEN"
# Every simulated screen enrols from 127.0.0.1.
enrol_attempts_per_minute = 10000
# Every simulated screen comes from 127.0.0.1: no request rate per address.
[limits]
requests_per_second_per_client = 0
EOF
  RUST_LOG=warn "$bin/kiosk-server" --config "$work/server.toml" >"$work/server.log" 2>&1 &
  server=$!
  wait_for_port "$server_port" kiosk-server "$work/server.log"
  echo "kiosk-server (pid $server) on 127.0.0.1:$server_port, data in $work/server"
}

# --- nginx on the same blob files ----------------------------------------------------------
start_nginx() { # sets nginx, nginx_port
  step "nginx"
  nginx_port="$(free_port)"
  mkdir -p "$work/nginx"
  chmod 755 "$work"  # nginx's workers read the blob folder
  user_line=""
  [[ $(id -u) -eq 0 ]] && user_line="user root;"
  cat >"$work/nginx/nginx.conf" <<EOF
$user_line
worker_processes auto;
daemon off;
pid $work/nginx/nginx.pid;
error_log $work/nginx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  default_type application/octet-stream;
  client_body_temp_path $work/nginx/body;
  server {
    listen 127.0.0.1:$nginx_port;
    location /v1/blobs/ { alias $work/server/blobs/; }
  }
}
EOF
  "$nginx_bin" -p "$work/nginx" -c "$work/nginx/nginx.conf" >"$work/nginx/stdout.log" 2>&1 &
  nginx=$!
  wait_for_port "$nginx_port" nginx "$work/nginx/error.log"
  echo "nginx (pid $nginx) on 127.0.0.1:$nginx_port, serving $work/server/blobs/"
}

if [[ "$backend" == embedded ]]; then
  start_embedded_server
  start_nginx
fi

# --- the fleet ---------------------------------------------------------------------------
step "$devices screens"
code="commit $(git -C "$repo" log -1 --format='%h of %cs' 2>/dev/null || echo '?')"
if [[ -n "$(git -C "$repo" --no-optional-locks status --porcelain -- crates/kiosk-device crates/kiosk-server 2>/dev/null)" ]]; then
  code="$code (+ local changes in crates/kiosk-device or crates/kiosk-server)"
fi
if [[ "$backend" == embedded ]]; then
  servers=(--server "http://127.0.0.1:$server_port" --server-pid "$server"
    --nginx "http://127.0.0.1:$nginx_port" --nginx-pid "$nginx")
else
  export KIOSK_ADMIN_TOKEN="$(python3 -c 'import secrets; print(secrets.token_hex(32))')"
  servers=(--backend postgres+s3 --replicas "$replicas" --server-binary "$bin/kiosk-server"
    --haproxy-config "$repo/installers/replicas/haproxy.cfg")
fi
"$bin/kiosk-fleet" "${servers[@]}" \
  --devices "$devices" --pack "$pack" --work "$screens" --out "$out" --code "$code" \
  "${strict[@]}" "${extra[@]}" &
fleet=$!
status=0
wait "$fleet" || status=$?
fleet=""

step "plot"
python3 "$here/plot.py" "$out/latest.json" "$out/latest.png" || echo "the plot failed" >&2
echo "results: $out/latest.md, $out/latest.json, $out/latest.png"
exit "$status"
