#!/usr/bin/env bash
# Prints the default content pack's brochures into media/brochures/<id>/<locale>.pdf
# (A4, 2–4 pages each) from the HTML/CSS sources in media/sources/brochures/:
#   <id>.<locale>.html   one brochure in one language (edit the text here)
#   brochure.css         the shared layout
#   art.py               the shared inline-SVG symbols: TOP 1 ICF badge, icons, cover art;
#                        its output replaces the line <!-- @symbols --> of each page
# Printed by Debian's chromium in headless mode; nothing is fetched from the network.
#
# Locales: vi en ko ja zh-Hans zh-Hant (a locale whose <id>.<locale>.html is missing is skipped).
#
# Debian packages: chromium, python3, fonts-noto-core (Noto Sans, Noto Serif,
#   Noto Serif Display: full Vietnamese), fonts-noto-cjk (Noto Sans CJK, Noto Serif CJK:
#   Korean, Japanese, Simplified and Traditional Chinese), poppler-utils (pdfinfo, only
#   for the report).
#
# usage: make-brochures.sh [id.locale ...]   (default: all; e.g. invest-guide.en, top1-icf-award.zh-Hant)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
MEDIA="$(dirname "$HERE")"
SRC="$HERE/brochures"
OUT="$MEDIA/brochures"
PY="${PYTHON:-python3}"
export PYTHONDONTWRITEBYTECODE=1
CHROMIUM="${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}"
[ -n "$CHROMIUM" ] || { echo "make-brochures: chromium is missing" >&2; exit 1; }

BROCHURES="invest-guide smart-city-innovation-zone top1-icf-award"
LOCALES="vi en ko ja zh-Hans zh-Hant"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/make-brochures.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

"$PY" "$SRC/art.py" > "$WORK/symbols.svg"
cp "$SRC/brochure.css" "$WORK/"

for id in $BROCHURES; do
  mkdir -p "$OUT/$id"
  for loc in $LOCALES; do
    if [ $# -gt 0 ] && [[ " $* " != *" $id.$loc "* ]]; then continue; fi
    src="$SRC/$id.$loc.html"
    if [ ! -f "$src" ]; then
      # vi and en are always there; a new language may not be written yet
      case "$loc" in vi|en) echo "make-brochures: $src is missing" >&2; exit 1 ;; esac
      if [ $# -gt 0 ]; then echo "make-brochures: $src is missing" >&2; exit 1; fi
      continue
    fi
    page="$WORK/$id.$loc.html"
    # include the shared symbols where the page asks for them
    sed -e "/<!-- @symbols -->/{r $WORK/symbols.svg" -e 'd}' "$src" > "$page"
    pdf="$OUT/$id/$loc.pdf"
    profile="$(mktemp -d "$WORK/profile.XXXXXX")"
    "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
      --disable-background-networking --disable-component-update --disable-sync \
      --disable-extensions --disable-default-apps --mute-audio \
      --user-data-dir="$profile" --no-pdf-header-footer \
      --print-to-pdf="$pdf.part" "file://$page" >"$WORK/chromium.log" 2>&1 || {
        cat "$WORK/chromium.log" >&2; echo "make-brochures: chromium failed on $src" >&2; exit 1; }
    [ -s "$pdf.part" ] || { cat "$WORK/chromium.log" >&2; echo "make-brochures: no PDF for $src" >&2; exit 1; }
    mv "$pdf.part" "$pdf"
    pages="?"
    if command -v pdfinfo >/dev/null; then pages="$(pdfinfo "$pdf" | awk '/^Pages:/ { print $2 }')"; fi
    printf '%s: %s pages, %d bytes\n' "$pdf" "$pages" "$(stat -c %s "$pdf")"
  done
done
