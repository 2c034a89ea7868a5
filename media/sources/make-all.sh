#!/usr/bin/env bash
# Rebuilds every generated file of the default content pack:
#   media/videos/*.mp4             (make-videos.sh)
#   media/brochures/<id>/<loc>.pdf (make-brochures.sh)
#   media/sounds/touch.wav, bed.ogg (make-sounds.sh)
# Run it after editing anything under media/sources/, then commit the outputs.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
"$HERE/make-videos.sh"
"$HERE/make-brochures.sh"
"$HERE/make-sounds.sh"
echo "== outputs"
ls -l "$HERE/../videos/"*.mp4 "$HERE/../brochures/"*/*.pdf "$HERE/../sounds/"*
