#!/usr/bin/env python3
"""Write the SVG frames of one film.

  render.py FILM OUTDIR                 all frames: OUTDIR/f00000.svg ...
  render.py FILM OUTDIR --at 3.0,12.5   only the frames at those seconds (previews)

FILM is a module name (film_binh_duong, film_innovation_zone). Prints the frame count.
"""
import importlib
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from common import FPS, frame_svg  # noqa: E402


def main():
    film = importlib.import_module(sys.argv[1])
    out = sys.argv[2]
    os.makedirs(out, exist_ok=True)
    n = int(round(film.DURATION * FPS))
    if len(sys.argv) > 4 and sys.argv[3] == "--at":
        idx = [min(n - 1, int(round(float(s) * FPS))) for s in sys.argv[4].split(",")]
    else:
        idx = range(n)
    count = 0
    for i in idx:
        with open(os.path.join(out, "f%05d.svg" % i), "w", encoding="utf-8") as fh:
            fh.write(frame_svg(film.frame(i / FPS)))
        count += 1
    print(n if count == n else count)


if __name__ == "__main__":
    main()
