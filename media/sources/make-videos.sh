#!/usr/bin/env bash
# Renders the default content pack's films into media/videos/:
#   binh-duong-film.mp4   ~36 s, Bình Dương's story (TOP 1 ICF 2023)
#   innovation-zone.mp4   ~22 s, the Smart City – Innovation Zone
#
# How: video/render.py (Python 3, stdlib only) writes one SVG per frame; GStreamer
# renders them with rsvgdec (librsvg + Pango, Noto Sans for Vietnamese), x264 encodes
# them in two passes to a size budget, video/audio.py synthesizes a quiet score that
# is encoded to AAC, and mp4mux writes the index (moov) at the front.
# Nothing is downloaded; the same sources always give the same films.
#
# Debian packages: python3, gstreamer1.0-tools, gstreamer1.0-plugins-base,
#   gstreamer1.0-plugins-good (mp4mux, wavparse), gstreamer1.0-plugins-bad (rsvgdec,
#   voaacenc), gstreamer1.0-plugins-ugly (x264enc), gstreamer1.0-libav (avenc_aac,
#   fallback), fonts-noto-core (Noto Sans; fonts-dejavu-core as fallback).
#   Checking only: gstreamer1.0-plugins-base-apps (gst-discoverer-1.0).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MEDIA="$(dirname "$HERE")"
OUT="$MEDIA/videos"
PY="${PYTHON:-python3}"
export PYTHONDONTWRITEBYTECODE=1
FPS=30
WIDTH=1280
HEIGHT=720
LIMIT=$((3 * 1024 * 1024))       # hard limit per file
AUDIO_KBPS=64

for tool in gst-launch-1.0 gst-inspect-1.0 "$PY"; do
  command -v "$tool" >/dev/null || { echo "make-videos: $tool is missing" >&2; exit 1; }
done
for el in multifilesrc rsvgdec videoconvert rawvideoparse x264enc h264parse mp4mux; do
  gst-inspect-1.0 "$el" >/dev/null 2>&1 || { echo "make-videos: GStreamer element $el is missing" >&2; exit 1; }
done
AAC=""
if gst-inspect-1.0 voaacenc >/dev/null 2>&1; then AAC="voaacenc bitrate=$((AUDIO_KBPS * 1000))";
elif gst-inspect-1.0 avenc_aac >/dev/null 2>&1; then AAC="avenc_aac bitrate=$((AUDIO_KBPS * 1000))";
else echo "make-videos: no AAC encoder (voaacenc / avenc_aac): films are made without sound" >&2; fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/make-videos.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$OUT"

# make_film NAME MODULE TARGET_BYTES
make_film() {
  local name="$1" module="$2" target="$3"
  local dir="$WORK/$name"
  mkdir -p "$dir"
  echo "== $name: frames"
  local frames
  frames="$("$PY" "$HERE/video/render.py" "$module" "$dir/frames")"
  local secs_x1000=$(( frames * 1000 / FPS ))

  # SVG frames -> raw I420 once, so both x264 passes see identical pictures
  gst-launch-1.0 -q multifilesrc location="$dir/frames/f%05d.svg" index=0 stop-index=$((frames - 1)) \
      caps="image/svg+xml,framerate=$FPS/1" \
    ! rsvgdec ! videoconvert ! videoscale \
    ! "video/x-raw,format=I420,width=$WIDTH,height=$HEIGHT" \
    ! filesink location="$dir/raw.yuv"
  rm -rf "$dir/frames"

  local audio_bits=0
  if [ -n "$AAC" ]; then
    echo "== $name: music"
    "$PY" "$HERE/video/audio.py" "$module" "$dir/music.wav"
    audio_bits=$(( AUDIO_KBPS * secs_x1000 ))          # kbit/s * ms = bits
  fi
  # video bitrate (kbit/s) for the size budget, 3 % kept for the container
  local kbps=$(( (target * 8 * 97 / 100 - audio_bits) / secs_x1000 ))
  echo "== $name: $frames frames, video ${kbps} kbit/s"

  local src="filesrc location=$dir/raw.yuv ! rawvideoparse width=$WIDTH height=$HEIGHT format=i420 framerate=$FPS/1"
  local x264="x264enc bitrate=$kbps speed-preset=slow psy-tune=animation bframes=3 key-int-max=$((FPS * 2)) option-string=level=4.0:vbv-maxrate=2400:vbv-bufsize=4800 multipass-cache-file=$dir/x264.stats"
  # pass 1: statistics only
  gst-launch-1.0 -q $src ! $x264 pass=pass1 ! "video/x-h264,profile=high" ! fakesink
  # pass 2: the file, index at the front
  local out="$OUT/$name.mp4"
  if [ -n "$AAC" ]; then
    gst-launch-1.0 -q -e mp4mux name=mux faststart=true faststart-file="$dir/faststart.tmp" \
        ! filesink location="$out.part" \
      $src ! $x264 pass=pass2 ! "video/x-h264,profile=high" ! h264parse ! queue ! mux. \
      filesrc location="$dir/music.wav" ! wavparse ! audioconvert ! audioresample \
        ! "audio/x-raw,rate=44100,channels=2" ! $AAC ! aacparse ! queue ! mux.
  else
    gst-launch-1.0 -q -e mp4mux name=mux faststart=true faststart-file="$dir/faststart.tmp" \
        ! filesink location="$out.part" \
      $src ! $x264 pass=pass2 ! "video/x-h264,profile=high" ! h264parse ! queue ! mux.
  fi
  mv "$out.part" "$out"
  rm -f "$dir/raw.yuv"
  local size
  size=$(stat -c %s "$out")
  printf '%s: %d bytes (%s MiB), %d.%03d s\n' "$out" "$size" \
    "$(awk -v s="$size" 'BEGIN { printf "%.2f", s / 1048576 }')" $((secs_x1000 / 1000)) $((secs_x1000 % 1000))
  if [ "$size" -gt "$LIMIT" ]; then
    echo "make-videos: $out is over the 3 MB limit" >&2
    exit 1
  fi
}

make_film binh-duong-film film_binh_duong 2300000
make_film innovation-zone film_innovation_zone 1800000

echo "== sizes"
ls -l "$OUT"/*.mp4
