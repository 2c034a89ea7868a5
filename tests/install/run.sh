#!/usr/bin/env bash
# The packages on a clean Debian 12, as a caretaker's board gets them:
#
#  1. build the three packages (and the same at a higher version, to upgrade to)
#     and run lintian on them;
#  2. make a clean Debian 12 root with debootstrap and install the packages
#     with apt, their dependencies from the Debian archive;
#  3. check files, users and permissions, and systemd-analyze verify every unit;
#  4. boot the root with systemd (systemd-nspawn) and check: the server answers
#     and serves the console; the kiosk session starts under cage (headless
#     wlroots, software rendering) and shows the content (a grim screenshot of
#     the Wayland output); killed, it comes back; frozen (SIGSTOP), the watchdog
#     restarts it; a USB stick (a filesystem image on a loop device, mounted by the
#     package's own mount helper) brings a newer release, a tampered one is
#     refused;
#  5. upgrade: config, token and data are kept; purge: they are gone.
#
# Needs root. Downloads from the Debian archive are kept in
# $HOME/.cache/binhduong-kiosk/apt-archives between runs.
set -euo pipefail
# (Output is matched with [[ … == *…* ]], not `| grep -q`: under pipefail a
# grep that stops reading early fails the pipeline.)

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
source "$repo/installers/dev-setup.sh"
cache="$HOME/.cache/binhduong-kiosk"
work="$(mktemp -d /var/tmp/kiosk-install-test.XXXXXX)"
root="$work/root"
shots="${KIOSK_SHOTS:-$repo/target/install-screenshots}"
mkdir -p "$cache/apt-archives/partial" "$cache/debootstrap" "$shots"

log() { printf '\n== %s\n' "$*"; }
fail() {
  printf '\nFAILED: %s\n' "$*" >&2
  if [[ -n "${leader:-}" ]]; then
    inside journalctl --no-pager -n 80 -u binhduong-kiosk -u binhduong-kiosk-server >&2 || true
  fi
  exit 1
}

nspawn_pid=""
loops=()
cleanup() {
  set +e
  if [[ -n "$nspawn_pid" ]] && kill -0 "$nspawn_pid" 2>/dev/null; then
    kill -TERM "$nspawn_pid"
    for _ in $(seq 50); do kill -0 "$nspawn_pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$nspawn_pid" 2>/dev/null
  fi
  for loop in "${loops[@]}"; do losetup -d "$loop" 2>/dev/null; done
  umount -R "$root" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Runs a command in the root without booting it (for installing and checking).
# Its output comes through a pseudo-terminal, lines ending in CR LF.
in_root() {
  systemd-nspawn -q -D "$root" --keep-unit --register=no \
    --bind="$cache/apt-archives:/var/cache/apt/archives" --bind-ro="$work/debs:/debs" \
    --setenv=DEBIAN_FRONTEND=noninteractive "$@" | tr -d '\r'
}
# Runs a command inside the booted root.
inside() {
  nsenter --target "$leader" --mount --uts --ipc --net --pid -- \
    env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"
}
show() { inside systemctl show -P "$2" "$1"; }
running() { [[ "$(show binhduong-kiosk SubState)" == running ]]; }
restarts() { show binhduong-kiosk NRestarts; }
restarted_since() { (($(restarts) > $1)); }
journal_matches() { [[ "$(inside journalctl --no-pager -u binhduong-kiosk)" =~ $1 ]]; }
active() { inside cat /var/lib/binhduong-kiosk/active.json; }
shows_version() { [[ "$(active)" == *"\"version\":$1"* ]]; }
wait_for() { # wait_for SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2
  shift 2
  for _ in $(seq $((seconds * 2))); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  fail "$what (waited ${seconds}s)"
}
stat_of() { in_root stat -c '%U:%G %a' "$1"; }
expect_eq() { [[ "$1" == "$2" ]] || fail "$3: got '$1', expected '$2'"; }

log "building the packages"
if [[ -n "${KIOSK_DEBS:-}" ]]; then
  # Packages built before (KIOSK_DEBS=DIR: DIR/ at 0.1.0-1 and DIR-next/ at 0.1.0-2).
  cp -r "$KIOSK_DEBS" "$work/debs"
  cp -r "$KIOSK_DEBS-next" "$work/debs-next"
else
  bash "$repo/installers/build-packages.sh" --out "$work/debs" >/dev/null
  bash "$repo/installers/build-packages.sh" --out "$work/debs-next" --deb-version 0.1.0-2 >/dev/null
fi
ls -1 "$work/debs" "$work/debs-next"

log "lintian"
# Tags kept on purpose, each with its reason in that file.
lintian --fail-on error,warning --suppress-tags-from-file "$repo/installers/debian/lintian-explained" \
  "$work"/debs/*.deb || fail "lintian found errors or warnings"

log "a clean Debian 12 root (debootstrap)"
debootstrap --variant=minbase --cache-dir="$cache/debootstrap" bookworm "$root" http://deb.debian.org/debian \
  >"$work/debootstrap.log" 2>&1 || { tail -20 "$work/debootstrap.log"; fail "debootstrap"; }
cat >"$root/etc/apt/sources.list" <<'EOF'
deb http://deb.debian.org/debian bookworm main
deb http://deb.debian.org/debian bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
echo "kiosk-test" >"$root/etc/hostname"

log "installing the packages with apt"
in_root apt-get update -qq
in_root apt-get install -y -qq --no-install-recommends systemd systemd-sysv dbus procps grim curl \
  >"$work/apt-base.log" 2>&1 || { tail -30 "$work/apt-base.log"; fail "installing the base system"; }
in_root apt-get install -y -qq --no-install-recommends /debs/binhduong-kiosk_0.1.0-1_amd64.deb \
  /debs/binhduong-kiosk-server_0.1.0-1_amd64.deb /debs/kioskctl_0.1.0-1_amd64.deb >"$work/apt.log" 2>&1 ||
  { tail -30 "$work/apt.log"; fail "apt could not install the packages"; }

log "files, users and permissions"
for file in /usr/bin/binhduong-kiosk /usr/bin/kiosk-server /usr/bin/kioskctl /usr/bin/cage \
  /usr/libexec/binhduong-kiosk/usb-stick /usr/lib/systemd/system/binhduong-kiosk.service \
  /usr/lib/systemd/system/binhduong-kiosk-usb@.service /usr/lib/systemd/system/binhduong-kiosk-server.service \
  /usr/lib/udev/rules.d/90-binhduong-kiosk-usb.rules \
  /usr/share/binhduong-kiosk/keys/content-dev.pub /usr/share/binhduong-kiosk-server/console/index.html \
  /usr/share/doc/binhduong-kiosk/README.md; do
  [[ -e "$root$file" ]] || fail "$file is missing"
done
in_root getent passwd kiosk >/dev/null || fail "no kiosk user"
[[ " $(in_root id -nG kiosk) " == *" video "* ]] || fail "the kiosk user is not in the video group"
in_root getent passwd binhduong-kiosk-server >/dev/null || fail "no server user"
expect_eq "$(stat_of /etc/binhduong-kiosk/kiosk.toml)" "root:kiosk 640" "the kiosk config"
expect_eq "$(stat_of /var/lib/binhduong-kiosk)" "kiosk:kiosk 750" "the kiosk data folder"
expect_eq "$(stat_of /etc/binhduong-kiosk-server/server.toml)" "root:binhduong-kiosk-server 640" "the server config"
expect_eq "$(stat_of /etc/binhduong-kiosk-server/tls/server.key)" "root:binhduong-kiosk-server 640" \
  "the server's TLS key"
expect_eq "$(stat_of /var/lib/binhduong-kiosk-server)" "binhduong-kiosk-server:binhduong-kiosk-server 750" \
  "the server data folder"
token="$(sed -n 's/^admin_token = "\([0-9a-f]*\)"$/\1/p' "$root/etc/binhduong-kiosk-server/server.toml")"
[[ ${#token} -eq 64 ]] || fail "the server config has no admin token of its own"
in_root systemctl is-enabled binhduong-kiosk.service binhduong-kiosk-server.service >/dev/null ||
  fail "the services are not enabled"
[[ "$(in_root binhduong-kiosk --version)" == *kiosk* ]] || fail "the app does not run"
[[ "$(in_root kioskctl --version)" == *kioskctl* ]] || fail "kioskctl does not run"

log "systemd-analyze verify"
in_root systemd-analyze verify /usr/lib/systemd/system/binhduong-kiosk.service \
  /usr/lib/systemd/system/binhduong-kiosk-server.service /usr/lib/systemd/system/binhduong-kiosk-usb@sdb1.service ||
  fail "systemd-analyze verify"

log "booting the root with systemd"
# No screen, no GPU and no tty here: cage draws on wlroots' headless backend
# with the CPU; everything else is the installed unit. The board stands in
# portrait (cage -r, as installers/README.md says for portrait screens): on the
# headless backend cage 0.1.4 hands a full-screen window's own buffer to an
# unrotated output, which wlroots' screencopy reads back black; a rotated
# output is composed, as on a real screen, so grim sees what is shown.
mkdir -p "$root/etc/systemd/system/binhduong-kiosk.service.d"
cat >"$root/etc/systemd/system/binhduong-kiosk.service.d/headless-test.conf" <<'EOF'
[Service]
Environment=WLR_BACKENDS=headless WLR_LIBINPUT_NO_DEVICES=1 WLR_RENDERER=pixman
ExecStart=
ExecStart=/usr/bin/cage -d -r -- /usr/bin/binhduong-kiosk --config /etc/binhduong-kiosk/kiosk.toml
StandardInput=null
TTYPath=
TTYReset=no
TTYVHangup=no
TTYVTDisallocate=no
EOF
# Two USB sticks: a newer release of the board's channel, and
# one whose manifest was changed after signing.
stick_version=$(($(date +%s) + 100000))
mkdir -p "$work/sticks"
cp -r "$repo/media" "$work/sticks/media"
cat >"$work/sticks/media/playlists.toml" <<'EOF'
[schedule]
fallback = "from-usb"

[[playlists]]
id = "from-usb"

[[playlists.items]]
id = "words"
kind = "message"
seconds = 5
[playlists.items.text]
vi = "Nội dung mới từ USB"
en = "New content from the USB stick"
EOF
for stick in fresh tampered; do
  "$CARGO_TARGET_DIR/release/kioskctl" bundle build "$work/sticks/media" --channel bulletin-boards \
    --version "$stick_version" --key "$repo/kiosk-config/dev-keys/content-dev.key" --out "$work/sticks/$stick" \
    --no-probe >/dev/null || fail "building the stick's bundle"
done
sed -i 's/New content from the USB stick/Forged content/' "$work/sticks/tampered/manifest.json"
# The images are ext4 (made from a folder, without mounting): this machine's
# kernel has no FAT driver; the mount helper lets the kernel tell the type.
for stick in fresh tampered; do
  mkdir -p "$work/sticks/$stick-root"
  mv "$work/sticks/$stick" "$work/sticks/$stick-root/"
  mkfs.ext4 -q -L KIOSK -d "$work/sticks/$stick-root" "$work/$stick.img" 48M
  loops+=("$(losetup --find --show --read-only "$work/$stick.img")")
done
binds=()
for loop in "${loops[@]}"; do binds+=("--bind=$loop"); done

systemd-nspawn -q -D "$root" --boot --keep-unit --register=no --console=read-only "${binds[@]}" \
  >"$work/boot.log" 2>&1 &
nspawn_pid=$!
for _ in $(seq 100); do
  leader="$(pgrep -P "$nspawn_pid" -x systemd || true)"
  [[ -n "$leader" ]] && break
  sleep 0.2
done
[[ -n "$leader" ]] || fail "the root did not boot"
wait_for 60 "systemd in the root does not answer" inside systemctl is-active dbus.service

log "the server answers and serves the console"
wait_for 30 "the server is not active" inside systemctl is-active binhduong-kiosk-server
pinned=(--cacert /etc/binhduong-kiosk-server/tls/server.crt)
wait_for 30 "the server does not answer over TLS" inside curl -fsS "${pinned[@]}" https://127.0.0.1:8780/console/
[[ "$(inside curl -fsS "${pinned[@]}" https://localhost:8780/console/)" == *'<div id="app"'* ]] ||
  fail "the console page is not served over TLS"
code="$(inside curl -s "${pinned[@]}" -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" \
  https://127.0.0.1:8780/v1/admin/devices)"
expect_eq "$code" "200" "the admin API with the installed token"
! inside curl -fsS -o /dev/null http://127.0.0.1:8780/console/ || fail "the server answered plain HTTP"
! inside curl -fsS -o /dev/null https://127.0.0.1:8780/console/ || fail "curl trusted the server without its certificate"
inside systemd-analyze security binhduong-kiosk-server --no-pager | tail -1

log "the kiosk session under cage"
inside systemctl start binhduong-kiosk.service || fail "the kiosk session did not start"
wait_for 120 "the kiosk session is not running" \
  running
status="$(show binhduong-kiosk StatusText)"
expect_eq "$status" "showing the content" "the kiosk's status"
screenshot() { # screenshot NAME: the Wayland output, as the kiosk user sees it
  inside runuser -u kiosk -- env XDG_RUNTIME_DIR=/run/binhduong-kiosk-session WAYLAND_DISPLAY=wayland-0 \
    grim /run/binhduong-kiosk-session/shot.png
  inside cat /run/binhduong-kiosk-session/shot.png >"$shots/$1"
}
sleep 8
screenshot "install-cage-session.png" || fail "grim could not take a screenshot of cage's output"
/usr/bin/python3 - "$shots/install-cage-session.png" <<'EOF' || fail "the screen does not show the content"
import sys
from PIL import Image
image = Image.open(sys.argv[1]).convert("RGB")
colours = image.getcolors(maxcolors=1 << 24)
print(f"{image.size[0]}x{image.size[1]}, {len(colours)} colours")
assert len(colours) > 500, "a blank or nearly blank screen"
# The brand's deep navy covers much of every picture of the content.
navy = sum(n for n, (r, g, b) in colours if b > r + 20 and b > 30 and r < 60)
assert image.size == (720, 1280), "not the portrait output"
assert navy > image.size[0] * image.size[1] * 0.15, f"the content's navy covers only {navy} pixels"
EOF

app_pid() { inside pgrep -u kiosk -x binhduong-kiosk; }
log "killed, the kiosk comes back"
before="$(restarts)"
inside pkill -KILL -u kiosk -x binhduong-kiosk || fail "no kiosk process to kill"
wait_for 60 "the session was not restarted after the kill" \
  restarted_since "$before"
wait_for 120 "the kiosk did not come back after the kill" \
  running

log "frozen, the watchdog restarts the kiosk"
before="$(restarts)"
frozen="$(app_pid)"
inside kill -STOP "$frozen"
wait_for 90 "the frozen kiosk was not restarted by the watchdog" \
  restarted_since "$before"
journal_matches "Watchdog timeout" ||
  fail "the restart was not the watchdog's"
wait_for 120 "the kiosk did not come back after the freeze" \
  running
[[ "$(app_pid)" != "$frozen" ]] || fail "the frozen process is still the kiosk"

log "the release build refuses the development key unless the config says it is a demo"
sed -i 's/^allow_development_key = true$/allow_development_key = false/' "$root/etc/binhduong-kiosk/kiosk.toml"
inside systemctl restart binhduong-kiosk >/dev/null 2>&1 || true
wait_for 60 "the release build started with the development key pinned" \
  journal_matches "the development key is pinned"
sed -i 's/^allow_development_key = false$/allow_development_key = true/' "$root/etc/binhduong-kiosk/kiosk.toml"
inside systemctl restart binhduong-kiosk >/dev/null 2>&1 || true
wait_for 120 "the kiosk did not come back as a demo" \
  running

log "USB sticks"
tampered="$(basename "${loops[1]}")"
fresh="$(basename "${loops[0]}")"
inside /usr/libexec/binhduong-kiosk/usb-stick mount "$tampered" || fail "the tampered stick was not mounted"
[[ "$(inside findmnt -no OPTIONS "/run/binhduong-kiosk/usb/$tampered")" == ro,* ]] || fail "a stick is mounted writable"
wait_for 30 "the tampered stick was not refused" journal_matches "bundle refused.*$tampered"
shows_version "$stick_version" && fail "the tampered release is shown"
inside /usr/libexec/binhduong-kiosk/usb-stick unmount "$tampered"
inside /usr/libexec/binhduong-kiosk/usb-stick mount "$fresh" || fail "the stick was not mounted"
wait_for 30 "the stick's release was not imported" shows_version "$stick_version"
sleep 4
screenshot "install-cage-usb.png"
inside /usr/libexec/binhduong-kiosk/usb-stick unmount "$fresh"
[[ -z "$(inside ls /run/binhduong-kiosk/usb)" ]] || fail "an unmounted stick left its folder"

log "upgrade keeps the config, the token, the certificate and the data"
cp "$root/etc/binhduong-kiosk-server/tls/server.crt" "$work/server.crt"
echo "# changed by the caretaker" >>"$root/etc/binhduong-kiosk/kiosk.toml"
cp "$work"/debs-next/*.deb "$root/var/tmp/"
inside apt-get install -y -qq -o Dpkg::Options::=--force-confold /var/tmp/binhduong-kiosk_0.1.0-2_amd64.deb \
  /var/tmp/binhduong-kiosk-server_0.1.0-2_amd64.deb /var/tmp/kioskctl_0.1.0-2_amd64.deb \
  >"$work/upgrade.log" 2>&1 || { tail -20 "$work/upgrade.log"; fail "the upgrade"; }
expect_eq "$(inside dpkg-query -W -f '${Version}' binhduong-kiosk)" "0.1.0-2" "the upgraded version"
grep -q "changed by the caretaker" "$root/etc/binhduong-kiosk/kiosk.toml" || fail "the upgrade replaced the config"
grep -q "$token" "$root/etc/binhduong-kiosk-server/server.toml" || fail "the upgrade changed the admin token"
cmp -s "$work/server.crt" "$root/etc/binhduong-kiosk-server/tls/server.crt" ||
  fail "the upgrade replaced the certificate screens pin"
shows_version "$stick_version" || fail "the upgrade lost the screen's release"
expect_eq "$(inside stat -c '%U:%G %a' /etc/binhduong-kiosk/kiosk.toml)" "root:kiosk 640" \
  "the kiosk config after the upgrade"
wait_for 30 "the server is not active after the upgrade" inside systemctl is-active binhduong-kiosk-server

log "purge removes config and data"
inside systemctl stop binhduong-kiosk.service
inside apt-get purge -y -qq binhduong-kiosk binhduong-kiosk-server kioskctl >"$work/purge.log" 2>&1 ||
  { tail -20 "$work/purge.log"; fail "the purge"; }
for gone in /etc/binhduong-kiosk /var/lib/binhduong-kiosk /etc/binhduong-kiosk-server \
  /var/lib/binhduong-kiosk-server /usr/bin/binhduong-kiosk /usr/lib/systemd/system/binhduong-kiosk.service; do
  [[ ! -e "$root$gone" ]] || fail "$gone is still there after the purge"
done

log "the packages install, run, recover, upgrade and purge on a clean Debian 12"
