#!/usr/bin/env bash
# Makes the benchmark's content pack: a copy of media/ whose playlists.toml is
# replaced by one playlist ("bench") of films and pictures of several sizes.
#
#   bash bench/playback/make-pack.sh OUT_DIR
#
# The films (H.264 + optional AAC, 30 fps, a moving pattern with its name and the
# running time drawn on it) and the pictures (PNG and JPEG up to 3840x2160) are
# made with GStreamer. They are cached in $BENCH_CACHE/media-<hash of this script>
# because the 1080p films take a while to encode on a small machine.
set -euo pipefail

out="${1:?usage: make-pack.sh OUT_DIR}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
cache_root="${BENCH_CACHE:-$HOME/.cache/binhduong-kiosk/bench}"
key="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-16)"
cache="$cache_root/media-$key"

# Every gst-launch has this long to finish; a stuck encoder fails the run.
GST_LIMIT=180

gst() {
  timeout --kill-after=5 "$GST_LIMIT" gst-launch-1.0 -q "$@" >/dev/null
}

# film FILE WIDTH HEIGHT SECONDS SOUND(0|1) PATTERN [videotestsrc properties...]
film() {
  local file="$1" w="$2" h="$3" secs="$4" sound="$5" pattern="$6"
  shift 6
  local frames=$((secs * 30))
  local kbps=$((w * h * 30 / 12000))
  local font=$((h / 24))
  local name
  name="$(basename "$file" .mp4)"
  local args=(
    videotestsrc num-buffers="$frames" pattern="$pattern" "$@"
    ! "video/x-raw,format=I420,width=$w,height=$h,framerate=30/1"
    ! timeoverlay text="$name" font-desc="Sans Bold $font" halignment=center valignment=center shaded-background=true
    ! x264enc speed-preset=veryfast key-int-max=30 bitrate="$kbps"
    ! video/x-h264,profile=high ! h264parse
    ! mp4mux name=mux faststart=true ! filesink location="$file.part"
  )
  if [[ "$sound" == 1 ]]; then
    args+=(
      audiotestsrc num-buffers="$frames" samplesperbuffer=1600 wave=sine freq=440 volume=0.2
      ! audio/x-raw,rate=48000,channels=2 ! voaacenc bitrate=128000 ! aacparse ! mux.
    )
  fi
  gst "${args[@]}"
  mv "$file.part" "$file"
}

# picture FILE WIDTH HEIGHT png|jpeg PATTERN [videotestsrc properties...]
picture() {
  local file="$1" w="$2" h="$3" format="$4" pattern="$5"
  shift 5
  local enc=(pngenc compression-level=6)
  [[ "$format" == jpeg ]] && enc=(jpegenc quality=90)
  local name
  name="$(basename "$file")"
  gst videotestsrc num-buffers=1 pattern="$pattern" "$@" \
    ! "video/x-raw,width=$w,height=$h" \
    ! textoverlay text="$name ${w}x${h}" font-desc="Sans Bold $((h / 30))" halignment=center valignment=center shaded-background=true \
    ! videoconvert ! "${enc[@]}" ! filesink location="$file.part"
  mv "$file.part" "$file"
}

make_media() {
  local dir="$1"
  mkdir -p "$dir/videos" "$dir/images"
  local v="$dir/videos" i="$dir/images"
  film "$v/f360-ball-sound.mp4" 640 360 3 1 ball motion=wavy
  film "$v/f360-pinwheel.mp4" 640 360 2 0 pinwheel horizontal-speed=6
  film "$v/f720-smpte-sound.mp4" 1280 720 4 1 smpte horizontal-speed=8
  film "$v/f720-ball.mp4" 1280 720 2 0 ball motion=sweep
  film "$v/f1080-zone.mp4" 1920 1080 5 0 zone-plate kx2=20 ky2=20 kt2=1
  film "$v/f1080-colors-sound.mp4" 1920 1080 6 1 colors horizontal-speed=12
  picture "$i/png-4k.png" 3840 2160 png pinwheel
  picture "$i/png-1080.png" 1920 1080 png smpte
  picture "$i/png-720.png" 1280 720 png checkers-8
  picture "$i/jpeg-4k.jpg" 3840 2160 jpeg zone-plate kx2=40 ky2=40
  picture "$i/jpeg-1080.jpg" 1920 1080 jpeg gradient
  picture "$i/jpeg-1080-bars.jpg" 1920 1080 jpeg smpte-rp-219
  picture "$i/jpeg-720.jpg" 1280 720 jpeg spokes
  picture "$i/jpeg-360.jpg" 640 360 jpeg colors
}

if [[ ! -f "$cache/.complete" ]]; then
  echo "making the benchmark's films and pictures (cached in $cache)"
  rm -rf "$cache.partial"
  make_media "$cache.partial"
  touch "$cache.partial/.complete"
  rm -rf "$cache"
  mv "$cache.partial" "$cache"
  # Media made by earlier versions of this script are not needed any more.
  find "$cache_root" -maxdepth 1 -name 'media-*' ! -name "media-$key" -exec rm -rf {} +
fi

rm -rf "$out"
mkdir -p "$(dirname "$out")"
cp -r "$repo/media" "$out"
mkdir -p "$out/videos/bench" "$out/images/bench"
cp "$cache"/videos/*.mp4 "$out/videos/bench/"
cp "$cache"/images/*.png "$cache"/images/*.jpg "$out/images/bench/"

cat >"$out/playlists.toml" <<'EOF'
# The playback benchmark's playlist (bench/playback): films and pictures of several
# sizes, with video->video, video->image, image->video and image->image boundaries
# and one film playing three times in a row.

[schedule]
fallback = "bench"

[[playlists]]
id = "bench"

[[playlists.items]]
id = "film-720-smpte-sound"
kind = "video"
video = "videos/bench/f720-smpte-sound.mp4"

[[playlists.items]]
id = "film-1080-zone"
kind = "video"
video = "videos/bench/f1080-zone.mp4"

[[playlists.items]]
id = "film-360-ball-sound"
kind = "video"
video = "videos/bench/f360-ball-sound.mp4"

[[playlists.items]]
id = "png-4k"
kind = "image"
image = "images/bench/png-4k.png"
seconds = 3

[[playlists.items]]
id = "jpeg-1080"
kind = "image"
image = "images/bench/jpeg-1080.jpg"
seconds = 2

[[playlists.items]]
id = "film-1080-colors-sound"
kind = "video"
video = "videos/bench/f1080-colors-sound.mp4"

[[playlists.items]]
id = "loop-1"
kind = "video"
video = "videos/bench/f720-ball.mp4"

[[playlists.items]]
id = "loop-2"
kind = "video"
video = "videos/bench/f720-ball.mp4"

[[playlists.items]]
id = "loop-3"
kind = "video"
video = "videos/bench/f720-ball.mp4"

[[playlists.items]]
id = "png-720"
kind = "image"
image = "images/bench/png-720.png"
seconds = 2

[[playlists.items]]
id = "jpeg-4k"
kind = "image"
image = "images/bench/jpeg-4k.jpg"
seconds = 3

[[playlists.items]]
id = "png-1080"
kind = "image"
image = "images/bench/png-1080.png"
seconds = 2

[[playlists.items]]
id = "film-360-pinwheel"
kind = "video"
video = "videos/bench/f360-pinwheel.mp4"

# Cut short: 3 s of a 6 s film.
[[playlists.items]]
id = "film-1080-colors-cut"
kind = "video"
video = "videos/bench/f1080-colors-sound.mp4"
seconds = 3

[[playlists.items]]
id = "jpeg-360"
kind = "image"
image = "images/bench/jpeg-360.jpg"
seconds = 2

[[playlists.items]]
id = "film-720-smpte-again"
kind = "video"
video = "videos/bench/f720-smpte-sound.mp4"

[[playlists.items]]
id = "jpeg-1080-bars"
kind = "image"
image = "images/bench/jpeg-1080-bars.jpg"
seconds = 3

[[playlists.items]]
id = "film-1080-zone-again"
kind = "video"
video = "videos/bench/f1080-zone.mp4"

[[playlists.items]]
id = "film-720-ball"
kind = "video"
video = "videos/bench/f720-ball.mp4"

[[playlists.items]]
id = "png-1080-again"
kind = "image"
image = "images/bench/png-1080.png"
seconds = 2

[[playlists.items]]
id = "film-360-ball-again"
kind = "video"
video = "videos/bench/f360-ball-sound.mp4"

[[playlists.items]]
id = "jpeg-720"
kind = "image"
image = "images/bench/jpeg-720.jpg"
seconds = 2
EOF
echo "bench pack: $out"
