#!/usr/bin/env bash
# Makes the kiosk's own sounds into media/sounds/:
#   touch.wav   ~75 ms soft pluck for each touch in kiosk mode (WAV, as written)
#   bed.ogg     ~48 s calm music bed, looped under signage playlists (Ogg Vorbis)
#
# How: sound/sounds.py (Python 3, stdlib only) synthesizes both as 24 kHz mono WAV;
# GStreamer encodes the bed to Ogg Vorbis. The bed is rendered as a seamless loop
# (see sounds.py), so it is encoded as it is: no fades. The script stops if the bed
# is over its size budget.
# Nothing is downloaded; the same sources always give the same samples (oggmux picks
# a random stream serial, so bed.ogg's bytes, and its blob name, change with each run).
#
# Debian packages: python3, gstreamer1.0-tools, gstreamer1.0-plugins-base
#   (vorbisenc, oggmux, audioconvert), gstreamer1.0-plugins-good (wavparse).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MEDIA="$(dirname "$HERE")"
OUT="$MEDIA/sounds"
PY="${PYTHON:-python3}"
export PYTHONDONTWRITEBYTECODE=1
BED_LIMIT=$((600 * 1024))

for tool in gst-launch-1.0 gst-inspect-1.0 "$PY"; do
  command -v "$tool" >/dev/null || { echo "make-sounds: $tool is missing" >&2; exit 1; }
done
for el in wavparse audioconvert vorbisenc oggmux; do
  gst-inspect-1.0 "$el" >/dev/null 2>&1 || { echo "make-sounds: GStreamer element $el is missing" >&2; exit 1; }
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/make-sounds.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

echo "== touch"
"$PY" "$HERE/sound/sounds.py" touch "$WORK/touch.wav"
mv "$WORK/touch.wav" "$OUT/touch.wav"
"$PY" "$HERE/sound/sounds.py" check "$OUT/touch.wav"

echo "== bed"
"$PY" "$HERE/sound/sounds.py" bed "$WORK/bed.wav"
"$PY" "$HERE/sound/sounds.py" check "$WORK/bed.wav"
gst-launch-1.0 -q filesrc location="$WORK/bed.wav" ! wavparse ! audioconvert \
  ! vorbisenc quality=0.3 ! oggmux ! filesink location="$WORK/bed.ogg"
mv "$WORK/bed.ogg" "$OUT/bed.ogg"

size=$(stat -c %s "$OUT/bed.ogg")
echo "$OUT/bed.ogg: $size bytes"
if [ "$size" -gt "$BED_LIMIT" ]; then
  echo "make-sounds: $OUT/bed.ogg is over the 600 KB budget" >&2
  exit 1
fi

echo "== sizes"
ls -l "$OUT"/touch.wav "$OUT"/bed.ogg
