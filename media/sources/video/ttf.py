"""Minimal TrueType reader (stdlib only): horizontal advances for measuring text.

Used to lay out SVG frames (centre a box around a caption, put letters on a
circle) with the same font rsvg/Pango will draw. Kerning is ignored, which is
close enough for layout.
"""
import os
import struct

FONT_DIRS = [
    "/usr/share/fonts/truetype/noto",
    "/usr/share/fonts/truetype/dejavu",
]
FALLBACK = {
    "NotoSans-Regular.ttf": "DejaVuSans.ttf",
    "NotoSans-Bold.ttf": "DejaVuSans-Bold.ttf",
    "NotoSans-Italic.ttf": "DejaVuSans-Oblique.ttf",
}


def find_font(name):
    for d in FONT_DIRS:
        p = os.path.join(d, name)
        if os.path.exists(p):
            return p
    alt = FALLBACK.get(name)
    if alt:
        for d in FONT_DIRS:
            p = os.path.join(d, alt)
            if os.path.exists(p):
                return p
    raise FileNotFoundError(name)


class Font:
    def __init__(self, path):
        with open(path, "rb") as f:
            data = f.read()
        num_tables = struct.unpack(">H", data[4:6])[0]
        tables = {}
        for i in range(num_tables):
            tag, _cs, off, ln = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
            tables[tag.decode("latin-1")] = (off, ln)
        off = tables["head"][0]
        self.upem = struct.unpack(">H", data[off + 18:off + 20])[0]
        off = tables["hhea"][0]
        n_hmetrics = struct.unpack(">H", data[off + 34:off + 36])[0]
        off = tables["hmtx"][0]
        self.adv = [struct.unpack(">H", data[off + 4 * i:off + 4 * i + 2])[0]
                    for i in range(n_hmetrics)]
        self.cmap = {}
        off = tables["cmap"][0]
        n = struct.unpack(">H", data[off + 2:off + 4])[0]
        sub = None
        for i in range(n):
            pid, eid, so = struct.unpack(">HHI", data[off + 4 + 8 * i:off + 12 + 8 * i])
            fmt = struct.unpack(">H", data[off + so:off + so + 2])[0]
            if pid == 3 and eid == 1 and fmt == 4:
                sub = off + so
        if sub is not None:
            seg2 = struct.unpack(">H", data[sub + 6:sub + 8])[0]
            segs = seg2 // 2
            ends = struct.unpack(">%dH" % segs, data[sub + 14:sub + 14 + seg2])
            p = sub + 16 + seg2
            starts = struct.unpack(">%dH" % segs, data[p:p + seg2])
            deltas = struct.unpack(">%dh" % segs, data[p + seg2:p + 2 * seg2])
            ro_pos = p + 2 * seg2
            ros = struct.unpack(">%dH" % segs, data[ro_pos:ro_pos + seg2])
            for s in range(segs):
                for c in range(starts[s], ends[s] + 1):
                    if c == 0xFFFF:
                        continue
                    if ros[s] == 0:
                        g = (c + deltas[s]) & 0xFFFF
                    else:
                        a = ro_pos + 2 * s + ros[s] + 2 * (c - starts[s])
                        g = struct.unpack(">H", data[a:a + 2])[0]
                        if g:
                            g = (g + deltas[s]) & 0xFFFF
                    if g:
                        self.cmap[c] = g

    def advance(self, ch, size):
        g = self.cmap.get(ord(ch), 0)
        a = self.adv[g] if g < len(self.adv) else self.adv[-1]
        return a * size / self.upem

    def width(self, text, size, letter_spacing=0.0):
        return sum(self.advance(c, size) + letter_spacing for c in text) - (
            letter_spacing if text else 0)


_cache = {}


def font(weight="regular"):
    name = {"regular": "NotoSans-Regular.ttf", "bold": "NotoSans-Bold.ttf",
            "italic": "NotoSans-Italic.ttf"}[weight]
    if name not in _cache:
        _cache[name] = Font(find_font(name))
    return _cache[name]


def text_width(text, size, weight="regular", letter_spacing=0.0):
    return font(weight).width(text, size, letter_spacing)
