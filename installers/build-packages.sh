#!/usr/bin/env bash
# Builds the Debian packages: binhduong-kiosk (the screen), binhduong-kiosk-server
# (the central server and its console) and kioskctl (the command line).
#
#   bash installers/build-packages.sh [--out DIR] [--deb-version VERSION]
#
# The packages land in DIR (default: $CARGO_TARGET_DIR/debian). Installs what
# the build needs first (installers/dev-setup.sh), then builds once in release.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$repo/installers/dev-setup.sh"

out="$CARGO_TARGET_DIR/debian"
version=()
while (($#)); do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --deb-version) version=(--deb-version "$2"); shift 2 ;;
    *) echo "usage: build-packages.sh [--out DIR] [--deb-version VERSION]" >&2; exit 2 ;;
  esac
done
mkdir -p "$out"

cargo build --release --locked -p kiosk-app -p kiosk-server -p kioskctl --manifest-path "$repo/Cargo.toml"
for crate in kiosk-app kiosk-server kioskctl; do
  (cd "$repo" && cargo deb --no-build --locked -p "$crate" --output "$out" "${version[@]}")
done
ls -1 "$out"/*.deb
