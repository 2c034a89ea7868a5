#!/usr/bin/env bash
# The staff console's end-to-end tests: builds the console, the server and kioskctl,
# then drives Debian's Chromium against the real kiosk-server.
# Screenshots land in target/console-screenshots/.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/binhduong-kiosk/target}"

apt_install() {
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@"
  else
    echo "run.sh: please install: $*" >&2
    exit 1
  fi
}
command -v chromium >/dev/null || apt_install chromium
command -v gst-launch-1.0 >/dev/null || apt_install gstreamer1.0-tools
for element in x264enc voaacenc mp4mux; do
  gst-inspect-1.0 "$element" >/dev/null 2>&1 ||
    apt_install gstreamer1.0-plugins-good gstreamer1.0-plugins-bad gstreamer1.0-plugins-ugly
done

(cd "$repo/ui/console" && npm ci --no-audit --no-fund --loglevel=error && npm run build --silent)
(cd "$repo/tests/console" && npm ci --no-audit --no-fund --loglevel=error)
(cd "$repo" && cargo build -p kiosk-server -p kioskctl --locked)

cd "$repo/tests/console"
node --test --test-concurrency=1 --test-timeout=600000 console.test.mjs bad-input.test.mjs fleet.test.mjs emergency-group.test.mjs reports.test.mjs screenshots.test.mjs
echo "screenshots: $repo/target/console-screenshots/"
