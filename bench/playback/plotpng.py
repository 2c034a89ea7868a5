"""A small line-chart PNG writer with the standard library only, used by report.py
and soak_report.py when matplotlib cannot be installed. Text is drawn with a
built-in 5x7 font (upper case, digits and a few signs).

A panel is a dict: title, xlabel, ylabel, series, and optionally hlines and vlines
([(value, color, label)], dashed), spans ([(x0, x1, color, label)], a shaded band
behind the data), xlim and ylim ((low, high), else from the data). A series: label,
color, points [(x, y)], and optionally line (default True), markers (default
False) and bars (a width in x units: a bar from 0 to y centred on each x)."""

import math
import struct
import zlib

_FONT_ROWS = {
    "A": ".###.|#...#|#...#|#####|#...#|#...#|#...#",
    "B": "####.|#...#|#...#|####.|#...#|#...#|####.",
    "C": ".###.|#...#|#....|#....|#....|#...#|.###.",
    "D": "####.|#...#|#...#|#...#|#...#|#...#|####.",
    "E": "#####|#....|#....|####.|#....|#....|#####",
    "F": "#####|#....|#....|####.|#....|#....|#....",
    "G": ".###.|#...#|#....|#.###|#...#|#...#|.####",
    "H": "#...#|#...#|#...#|#####|#...#|#...#|#...#",
    "I": ".###.|..#..|..#..|..#..|..#..|..#..|.###.",
    "J": "..###|...#.|...#.|...#.|...#.|#..#.|.##..",
    "K": "#...#|#..#.|#.#..|##...|#.#..|#..#.|#...#",
    "L": "#....|#....|#....|#....|#....|#....|#####",
    "M": "#...#|##.##|#.#.#|#.#.#|#...#|#...#|#...#",
    "N": "#...#|#...#|##..#|#.#.#|#..##|#...#|#...#",
    "O": ".###.|#...#|#...#|#...#|#...#|#...#|.###.",
    "P": "####.|#...#|#...#|####.|#....|#....|#....",
    "Q": ".###.|#...#|#...#|#...#|#.#.#|#..#.|.##.#",
    "R": "####.|#...#|#...#|####.|#.#..|#..#.|#...#",
    "S": ".####|#....|#....|.###.|....#|....#|####.",
    "T": "#####|..#..|..#..|..#..|..#..|..#..|..#..",
    "U": "#...#|#...#|#...#|#...#|#...#|#...#|.###.",
    "V": "#...#|#...#|#...#|#...#|#...#|.#.#.|..#..",
    "W": "#...#|#...#|#...#|#.#.#|#.#.#|#.#.#|.#.#.",
    "X": "#...#|#...#|.#.#.|..#..|.#.#.|#...#|#...#",
    "Y": "#...#|#...#|.#.#.|..#..|..#..|..#..|..#..",
    "Z": "#####|....#|...#.|..#..|.#...|#....|#####",
    "0": ".###.|#...#|#..##|#.#.#|##..#|#...#|.###.",
    "1": "..#..|.##..|..#..|..#..|..#..|..#..|.###.",
    "2": ".###.|#...#|....#|...#.|..#..|.#...|#####",
    "3": "#####|...#.|..#..|...#.|....#|#...#|.###.",
    "4": "...#.|..##.|.#.#.|#..#.|#####|...#.|...#.",
    "5": "#####|#....|####.|....#|....#|#...#|.###.",
    "6": "..##.|.#...|#....|####.|#...#|#...#|.###.",
    "7": "#####|....#|...#.|..#..|.#...|.#...|.#...",
    "8": ".###.|#...#|#...#|.###.|#...#|#...#|.###.",
    "9": ".###.|#...#|#...#|.####|....#|...#.|.##..",
    " ": ".....|.....|.....|.....|.....|.....|.....",
    ".": ".....|.....|.....|.....|.....|.##..|.##..",
    ",": ".....|.....|.....|.....|.##..|..#..|.#...",
    "-": ".....|.....|.....|#####|.....|.....|.....",
    "+": ".....|..#..|..#..|#####|..#..|..#..|.....",
    "/": ".....|....#|...#.|..#..|.#...|#....|.....",
    "%": "##...|##..#|...#.|..#..|.#...|#..##|...##",
    "(": "...#.|..#..|.#...|.#...|.#...|..#..|...#.",
    ")": ".#...|..#..|...#.|...#.|...#.|..#..|.#...",
    ":": ".....|.##..|.##..|.....|.##..|.##..|.....",
    "=": ".....|.....|#####|.....|#####|.....|.....",
    "<": "...#.|..#..|.#...|#....|.#...|..#..|...#.",
    ">": ".#...|..#..|...#.|....#|...#.|..#..|.#...",
    "_": ".....|.....|.....|.....|.....|.....|#####",
}
FONT = {ch: [row for row in rows.split("|")] for ch, rows in _FONT_ROWS.items()}


class Canvas:
    def __init__(self, width: int, height: int, background=(255, 255, 255)):
        self.w, self.h = width, height
        self.px = bytearray(bytes(background) * (width * height))

    def set(self, x: int, y: int, color) -> None:
        if 0 <= x < self.w and 0 <= y < self.h:
            i = (y * self.w + x) * 3
            self.px[i : i + 3] = bytes(color)

    def rect(self, x0, y0, x1, y1, color) -> None:
        for y in range(max(0, int(y0)), min(self.h, int(y1) + 1)):
            for x in range(max(0, int(x0)), min(self.w, int(x1) + 1)):
                self.set(x, y, color)

    def line(self, x0, y0, x1, y1, color, width=1, dash=0) -> None:
        x0, y0, x1, y1 = int(round(x0)), int(round(y0)), int(round(x1)), int(round(y1))
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        err, step = dx + dy, 0
        r = width // 2
        while True:
            if not dash or (step // dash) % 2 == 0:
                if r:
                    self.rect(x0 - r, y0 - r, x0 + r, y0 + r, color)
                else:
                    self.set(x0, y0, color)
            if x0 == x1 and y0 == y1:
                break
            e2 = 2 * err
            if e2 >= dy:
                err += dy
                x0 += sx
            if e2 <= dx:
                err += dx
                y0 += sy
            step += 1

    def text(self, x, y, s: str, color=(0, 0, 0), scale=2) -> int:
        """Draws `s` with its top-left at (x, y); returns the width drawn."""
        cx = int(x)
        for ch in s.upper():
            glyph = FONT.get(ch, FONT[" "])
            for gy, row in enumerate(glyph):
                for gx, bit in enumerate(row):
                    if bit == "#":
                        self.rect(cx + gx * scale, y + gy * scale, cx + gx * scale + scale - 1, y + gy * scale + scale - 1, color)
            cx += 6 * scale
        return cx - int(x)

    @staticmethod
    def text_width(s: str, scale=2) -> int:
        return len(s) * 6 * scale

    def save(self, path: str) -> None:
        raw = b"".join(b"\x00" + bytes(self.px[y * self.w * 3 : (y + 1) * self.w * 3]) for y in range(self.h))

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

        png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", self.w, self.h, 8, 2, 0, 0, 0))
        png += chunk(b"IDAT", zlib.compress(raw, 6)) + chunk(b"IEND", b"")
        with open(path, "wb") as f:
            f.write(png)


def _ticks(lo: float, hi: float, count=6) -> list[float]:
    span = hi - lo if hi > lo else 1.0
    raw = span / count
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = int(lo // step) * step
    out, v = [], first
    while v <= hi + 1e-9:
        if v >= lo - 1e-9:
            out.append(round(v, 6))
        v += step
    return out


def _fmt(v: float) -> str:
    return str(int(v)) if abs(v - round(v)) < 1e-9 else f"{v:g}"


def chart(canvas: Canvas, box, panel) -> None:
    """Draws one panel in box = (x0, y0, x1, y1)."""
    x0, y0, x1, y1 = box
    pl, pr, pt, pb = 90, 20, 40, 60
    ax0, ay0, ax1, ay1 = x0 + pl, y0 + pt, x1 - pr, y1 - pb
    xs = [p[0] for s in panel["series"] for p in s["points"]]
    xs += [p[0] + d * s["bars"] / 2 for s in panel["series"] if s.get("bars") for p in s["points"] for d in (-1, 1)]
    xs += [v[0] for v in panel.get("vlines", [])] + [x for sp in panel.get("spans", []) for x in sp[:2]]
    xs = xs or [0, 1]
    ys = [p[1] for s in panel["series"] for p in s["points"]] + [h[0] for h in panel.get("hlines", [])] or [0, 1]
    xlo, xhi = min(0.0, min(xs)), max(xs) if max(xs) > 0 else 1.0
    ylo, yhi = min(0.0, min(ys)), max(ys) * 1.1 if max(ys) > 0 else 1.0
    if panel.get("xlim"):
        xlo, xhi = panel["xlim"]
    if panel.get("ylim"):
        ylo, yhi = panel["ylim"]

    def px(x):
        return ax0 + (x - xlo) / (xhi - xlo or 1) * (ax1 - ax0)

    def py(y):
        return ay1 - (y - ylo) / (yhi - ylo or 1) * (ay1 - ay0)

    canvas.text(x0 + pl, y0 + 10, panel["title"], scale=2)
    grid, axis = (225, 225, 225), (80, 80, 80)
    for sx0, sx1, color, _label in panel.get("spans", []):
        canvas.rect(max(ax0, px(sx0)), ay0, min(ax1, px(sx1)), ay1, color)
    inside = lambda x: xlo <= x <= xhi  # noqa: E731  (points outside xlim are left out)
    for t in _ticks(xlo, xhi):
        canvas.line(px(t), ay0, px(t), ay1, grid)
        label = _fmt(t)
        canvas.text(px(t) - Canvas.text_width(label) / 2, ay1 + 8, label, axis)
    for t in _ticks(ylo, yhi):
        canvas.line(ax0, py(t), ax1, py(t), grid)
        label = _fmt(t)
        canvas.text(ax0 - 8 - Canvas.text_width(label), py(t) - 7, label, axis)
    canvas.line(ax0, ay1, ax1, ay1, axis)
    canvas.line(ax0, ay0, ax0, ay1, axis)
    canvas.text((ax0 + ax1) / 2 - Canvas.text_width(panel["xlabel"]) / 2, ay1 + 32, panel["xlabel"], axis)
    canvas.text(x0 + 4, ay0 - 22, panel["ylabel"], axis)
    for y, color, _label in panel.get("hlines", []):
        canvas.line(ax0, py(y), ax1, py(y), color, dash=6)
    for x, color, _label in panel.get("vlines", []):
        if inside(x):
            canvas.line(px(x), ay0, px(x), ay1, color, dash=6)
    for s in panel["series"]:
        pts = sorted(p for p in s["points"] if inside(p[0]))
        if s.get("bars"):
            half = s["bars"] / 2
            for a, b in pts:
                # At least 1 px wide and high, so that a small value still shows.
                left, right = px(a - half) + 1, max(px(a - half) + 1, px(a + half) - 1)
                canvas.rect(left, min(py(b), py(0) - 1), right, py(0), s["color"])
            continue
        pts = [(a, min(max(b, ylo), yhi)) for a, b in pts]  # clipped to the axes (ylim)
        if s.get("line", True):
            for (a, b), (c, d) in zip(pts, pts[1:]):
                canvas.line(px(a), py(b), px(c), py(d), s["color"], width=1)
        if s.get("markers", False):
            for a, b in pts:
                canvas.rect(px(a) - 3, py(b) - 3, px(a) + 3, py(b) + 3, s["color"])
    # The legend: one row in the top margin, after the title.
    entries = [(s["label"], s["color"]) for s in panel["series"]]
    entries += [(h[2], h[1]) for h in panel.get("hlines", []) + panel.get("vlines", [])]
    entries += [(sp[3], sp[2]) for sp in panel.get("spans", [])]
    entries = list(dict.fromkeys(entries))  # several lines of one kind: one entry
    lx = x0 + pl + Canvas.text_width(panel["title"]) + 40
    for label, color in entries:
        canvas.rect(lx, y0 + 12, lx + 16, y0 + 22, color)
        lx += 24 + canvas.text(lx + 24, y0 + 10, label, (40, 40, 40)) + 24


def render(path: str, panels: list[dict], width=1600, height=1100) -> None:
    canvas = Canvas(width, height)
    each = height // len(panels)
    for i, panel in enumerate(panels):
        chart(canvas, (0, i * each, width, (i + 1) * each), panel)
    canvas.save(path)
