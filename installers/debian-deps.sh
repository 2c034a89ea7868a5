#!/usr/bin/env bash
# Installs every Debian package the kiosk needs to build, run and test.
# Safe to run again: apt skips what is already installed.
set -euo pipefail

packages=(
  # Tauri / WebKitGTK
  build-essential pkg-config curl file libssl-dev
  libwebkit2gtk-4.1-dev libgtk-3-dev libsoup-3.0-dev libjavascriptcoregtk-4.1-dev
  librsvg2-dev libayatana-appindicator3-dev
  # media playback in the webview and in the media crate
  libgstreamer1.0-dev libgstreamer-plugins-base1.0-dev gstreamer1.0-tools gstreamer1.0-plugins-base-apps
  gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-plugins-bad
  gstreamer1.0-plugins-ugly gstreamer1.0-libav gstreamer1.0-x
  # sound
  libasound2-dev alsa-utils
  # fonts that cover Vietnamese, and Korean, Japanese and Chinese
  fonts-noto-core fonts-noto-ui-core fonts-noto-cjk fonts-dejavu-core
  # a display, a driver and a browser for the tests
  xvfb xauth webkit2gtk-driver chromium chromium-driver
  # inspecting PDFs in tests; the tests also find processes (pgrep), read the
  # device store (python3's sqlite3) and mount a small tmpfs (mount)
  poppler-utils procps python3 mount
  # a real SMTP server on loopback for the e-mail alert tests
  python3-aiosmtpd
  # the scale-out tests: a real PostgreSQL, and a load balancer in front of
  # several servers
  postgresql haproxy
  # building the Debian packages and checking them
  dpkg-dev lintian
  # the install tests: a clean Debian root booted with systemd, the kiosk
  # session under cage, its screenshot, and a USB stick as a filesystem image
  debootstrap systemd-container cage grim e2fsprogs util-linux python3-pil
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  sudo_cmd=""
  [[ $(id -u) -ne 0 ]] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
