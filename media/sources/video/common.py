"""Shared building blocks for the films: easing, SVG helpers, the TOP 1 ICF badge,
the drifting network background, circuit traces, captions.

Everything is plain SVG text; frames are rendered by GStreamer's rsvgdec (librsvg,
Pango for text, so Vietnamese diacritics are shaped by the system's Noto Sans).
Stdlib only, deterministic: the same sources always give the same frames.
"""
import math
import random

from ttf import text_width

W, H = 1280, 720
FPS = 30

NAVY = "#0B1E3F"
NAVY_2 = "#132E5C"
NAVY_3 = "#1B3C73"
GREEN = "#1DA57A"
GREEN_L = "#5FD3A8"
GOLD = "#E8A317"
GOLD_L = "#F6C453"
WHITE = "#FFFFFF"
MUTED = "#A9BDD9"

FONT = "Noto Sans, DejaVu Sans, sans-serif"


# --------------------------------------------------------------------- easing
def clamp(x, a=0.0, b=1.0):
    return a if x < a else b if x > b else x


def lerp(a, b, t):
    return a + (b - a) * t


def ease_in_out(t):
    t = clamp(t)
    return 4 * t * t * t if t < 0.5 else 1 - (-2 * t + 2) ** 3 / 2


def ease_out(t):
    t = clamp(t)
    return 1 - (1 - t) ** 3


def ease_in(t):
    t = clamp(t)
    return t * t * t


def ease_out_back(t, s=1.4):
    t = clamp(t)
    return 1 + (s + 1) * (t - 1) ** 3 + s * (t - 1) ** 2


def prog(t, a, b, ease=ease_in_out):
    """Eased progress of t over [a, b] (0 before, 1 after)."""
    if b <= a:
        return 1.0 if t >= b else 0.0
    return ease((t - a) / (b - a))


def fade(t, t_in, t_out, d_in=0.6, d_out=0.5):
    """Opacity that rises at t_in and falls to 0 at t_out."""
    return prog(t, t_in, t_in + d_in, ease_out) * (1 - prog(t, t_out - d_out, t_out, ease_in_out))


# ------------------------------------------------------------------------ svg
def esc(s):
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


def f(x):
    return ("%.2f" % x).rstrip("0").rstrip(".")


def text(x, y, s, size, fill=WHITE, weight="regular", anchor="start", ls=0.0,
         opacity=1.0, extra=""):
    if opacity <= 0.001:
        return ""
    fw = "700" if weight == "bold" else "400"
    style = ' font-style="italic"' if weight == "italic" else ""
    o = "" if opacity >= 0.999 else ' opacity="%s"' % f(opacity)
    l = "" if not ls else ' letter-spacing="%s"' % f(ls)
    return ('<text x="%s" y="%s" font-family="%s" font-size="%s" font-weight="%s"%s '
            'fill="%s" text-anchor="%s" xml:space="preserve"%s%s%s>%s</text>'
            % (f(x), f(y), FONT, f(size), fw, style, fill, anchor, l, o, extra, esc(s)))


def tw(s, size, weight="regular", ls=0.0):
    return text_width(s, size, "bold" if weight == "bold" else
                      "italic" if weight == "italic" else "regular", ls)


def group(content, opacity=1.0, transform=None, extra=""):
    if opacity <= 0.001 or not content:
        return ""
    a = ""
    if opacity < 0.999:
        a += ' opacity="%s"' % f(opacity)
    if transform:
        a += ' transform="%s"' % transform
    return "<g%s%s>%s</g>" % (a, extra, content)


def zoom_about(cx, cy, s, dx=0.0, dy=0.0):
    return "translate(%s %s) scale(%s) translate(%s %s)" % (
        f(cx + dx), f(cy + dy), "%.5f" % s, f(-cx), f(-cy))


def polyline_partial(pts, frac):
    """Points of a polyline cut at fraction frac of its length."""
    segs = []
    total = 0.0
    for (x0, y0), (x1, y1) in zip(pts, pts[1:]):
        d = math.hypot(x1 - x0, y1 - y0)
        segs.append(d)
        total += d
    target = total * clamp(frac)
    out = [pts[0]]
    acc = 0.0
    for i, d in enumerate(segs):
        if acc + d >= target:
            r = (target - acc) / d if d else 0
            x0, y0 = pts[i]
            x1, y1 = pts[i + 1]
            out.append((x0 + (x1 - x0) * r, y0 + (y1 - y0) * r))
            return out
        acc += d
        out.append(pts[i + 1])
    return out


def point_at(pts, frac):
    return polyline_partial(pts, frac)[-1]


def path_d(pts):
    return "M" + " L".join("%s %s" % (f(x), f(y)) for x, y in pts)


def bezier(p0, p1, p2, n=60):
    out = []
    for i in range(n + 1):
        t = i / n
        a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t * t
        out.append((a * p0[0] + b * p1[0] + c * p2[0], a * p0[1] + b * p1[1] + c * p2[1]))
    return out


DEFS = """<defs>
<radialGradient id="bg" cx="0.5" cy="0.42" r="0.75">
  <stop offset="0" stop-color="#17386D"/><stop offset="0.55" stop-color="#0E2650"/>
  <stop offset="1" stop-color="#081731"/></radialGradient>
<linearGradient id="gold" x1="0" y1="0" x2="1" y2="1">
  <stop offset="0" stop-color="#FBD67A"/><stop offset="0.45" stop-color="#E8A317"/>
  <stop offset="1" stop-color="#B5780A"/></linearGradient>
<linearGradient id="goldh" x1="0" y1="0" x2="1" y2="0">
  <stop offset="0" stop-color="#E8A317" stop-opacity="0"/><stop offset="0.5" stop-color="#F6C453"/>
  <stop offset="1" stop-color="#E8A317" stop-opacity="0"/></linearGradient>
<linearGradient id="greenh" x1="0" y1="0" x2="1" y2="0">
  <stop offset="0" stop-color="#1DA57A" stop-opacity="0"/><stop offset="0.5" stop-color="#1DA57A"/>
  <stop offset="1" stop-color="#1DA57A" stop-opacity="0"/></linearGradient>
<radialGradient id="disc" cx="0.5" cy="0.35" r="0.7">
  <stop offset="0" stop-color="#1D4585"/><stop offset="1" stop-color="#0B1E3F"/></radialGradient>
<radialGradient id="glowg" cx="0.5" cy="0.5" r="0.5">
  <stop offset="0" stop-color="#F6C453" stop-opacity="0.55"/>
  <stop offset="1" stop-color="#F6C453" stop-opacity="0"/></radialGradient>
<radialGradient id="glowgreen" cx="0.5" cy="0.5" r="0.5">
  <stop offset="0" stop-color="#1DA57A" stop-opacity="0.5"/>
  <stop offset="1" stop-color="#1DA57A" stop-opacity="0"/></radialGradient>
<radialGradient id="glowwhite" cx="0.5" cy="0.5" r="0.5">
  <stop offset="0" stop-color="#FFFFFF" stop-opacity="0.9"/>
  <stop offset="1" stop-color="#FFFFFF" stop-opacity="0"/></radialGradient>
<linearGradient id="shade" x1="0" y1="0" x2="0" y2="1">
  <stop offset="0" stop-color="#081731" stop-opacity="0"/>
  <stop offset="1" stop-color="#081731" stop-opacity="0.92"/></linearGradient>
<linearGradient id="bldg" x1="0" y1="0" x2="0" y2="1">
  <stop offset="0" stop-color="#21498A"/><stop offset="1" stop-color="#0F2A55"/></linearGradient>
<linearGradient id="chip" x1="0" y1="0" x2="1" y2="1">
  <stop offset="0" stop-color="#1C3F78"/><stop offset="1" stop-color="#0C2147"/></linearGradient>
</defs>"""


def frame_svg(body):
    return ('<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
            'viewBox="0 0 %d %d">%s<rect width="%d" height="%d" fill="url(#bg)"/>%s</svg>'
            % (W, H, W, H, DEFS, W, H, body))


# ----------------------------------------------------------------- background
class Network:
    """Slowly drifting nodes joined by faint green lines."""

    def __init__(self, seed=7, n=48, reach=175):
        rnd = random.Random(seed)
        self.nodes = []
        for _ in range(n):
            self.nodes.append((rnd.uniform(-60, W + 60), rnd.uniform(-40, H + 40),
                               rnd.uniform(18, 46), rnd.uniform(14, 40),
                               rnd.uniform(0.08, 0.22), rnd.uniform(0, 6.28),
                               rnd.uniform(0, 6.28), rnd.uniform(1.4, 3.0)))
        self.reach = reach

    def svg(self, t, alpha=1.0, line_color=GREEN):
        if alpha <= 0.01:
            return ""
        pts = []
        for bx, by, ax, ay, w, px, py, r in self.nodes:
            pts.append((bx + ax * math.sin(w * t + px), by + ay * math.cos(w * 0.8 * t + py), r))
        out = []
        R = self.reach
        for i in range(len(pts)):
            xi, yi, _ = pts[i]
            for j in range(i + 1, len(pts)):
                xj, yj, _ = pts[j]
                d = math.hypot(xi - xj, yi - yj)
                if d < R:
                    o = (1 - d / R) * 0.32 * alpha
                    out.append('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" '
                               'stroke-width="1" opacity="%.3f"/>'
                               % (f(xi), f(yi), f(xj), f(yj), line_color, o))
        for x, y, r in pts:
            out.append('<circle cx="%s" cy="%s" r="%s" fill="#CFE3FF" opacity="%.3f"/>'
                       % (f(x), f(y), f(r), 0.42 * alpha))
        return "".join(out)


# ----------------------------------------------------------------------- badge
def _ring_text(cx, cy, r_mid, s, size, fill, start_deg, bottom=False, ls=1.5, weight="bold"):
    """Letters on a circle. Top arc reads clockwise; bottom arc reads left to right."""
    cap = size * 0.72
    r = r_mid - cap / 2 if not bottom else r_mid + cap / 2
    widths = [tw(c, size, weight) + ls for c in s]
    total = sum(widths) - ls
    span = total / r  # radians
    out = []
    acc = 0.0
    for c, wdt in zip(s, widths):
        mid = acc + (wdt - ls) / 2
        acc += wdt
        if c == " ":
            continue
        if not bottom:
            a = math.radians(start_deg) - span / 2 + mid / r
            x, y = cx + r * math.sin(a), cy - r * math.cos(a)
            rot = math.degrees(a)
        else:
            a = math.radians(start_deg) + span / 2 - mid / r
            x, y = cx + r * math.sin(a), cy - r * math.cos(a)
            rot = math.degrees(a) - 180
        out.append('<text x="0" y="0" font-family="%s" font-size="%s" font-weight="700" '
                   'fill="%s" text-anchor="middle" transform="translate(%s %s) rotate(%s)">%s</text>'
                   % (FONT, f(size), fill, f(x), f(y), f(rot), esc(c)))
    return "".join(out)


def badge(cx, cy, R, p=1.0, t=0.0, glow=True):
    """TOP 1 ICF 2023 badge. p: reveal progress 0..1 (1 = fully drawn)."""
    if p <= 0:
        return ""
    out = []
    # rays + glow behind
    if glow:
        g = prog(p, 0.35, 1.0, ease_out)
        if g > 0:
            out.append('<circle cx="%s" cy="%s" r="%s" fill="url(#glowg)" opacity="%.3f"/>'
                       % (f(cx), f(cy), f(R * 1.9), 0.7 * g))
            rays = []
            for k in range(24):
                a = math.radians(k * 15 + t * 5)
                a1, a2 = a - 0.022, a + 0.022
                r1, r2 = R * 1.06, R * (1.8 if k % 2 == 0 else 1.45)
                rays.append("M%s %s L%s %s L%s %s Z" % (
                    f(cx + r1 * math.sin(a)), f(cy - r1 * math.cos(a)),
                    f(cx + r2 * math.sin(a1)), f(cy - r2 * math.cos(a1)),
                    f(cx + r2 * math.sin(a2)), f(cy - r2 * math.cos(a2))))
            out.append('<path d="%s" fill="%s" opacity="%.3f"/>' % (" ".join(rays), GOLD_L, 0.13 * g))
    # ring draw-on
    ring = prog(p, 0.0, 0.45, ease_in_out)
    circ = 2 * math.pi * R * 0.97
    out.append('<circle cx="%s" cy="%s" r="%s" fill="none" stroke="url(#gold)" stroke-width="%s" '
               'stroke-dasharray="%s %s" transform="rotate(-90 %s %s)"/>'
               % (f(cx), f(cy), f(R * 0.97), f(R * 0.06), f(circ * ring), f(circ), f(cx), f(cy)))
    # gold band + navy disc (scale in)
    s = ease_out_back(prog(p, 0.2, 0.6, lambda x: x)) if p < 0.6 else 1.0
    if s > 0.01:
        inner = []
        inner.append('<circle cx="%s" cy="%s" r="%s" fill="url(#gold)"/>' % (f(cx), f(cy), f(R * 0.92)))
        inner.append('<circle cx="%s" cy="%s" r="%s" fill="url(#disc)"/>' % (f(cx), f(cy), f(R * 0.70)))
        inner.append('<circle cx="%s" cy="%s" r="%s" fill="none" stroke="%s" stroke-width="%s" opacity="0.9"/>'
                     % (f(cx), f(cy), f(R * 0.655), GOLD_L, f(max(1, R * 0.012))))
        tt = prog(p, 0.45, 0.8, ease_out)
        if tt > 0:
            inner.append(group(
                _ring_text(cx, cy, R * 0.81, "INTELLIGENT COMMUNITY", R * 0.105, NAVY, 0, ls=R * 0.012)
                + _ring_text(cx, cy, R * 0.81, "OF THE YEAR", R * 0.105, NAVY, 180, bottom=True, ls=R * 0.02)
                + '<circle cx="%s" cy="%s" r="%s" fill="%s"/><circle cx="%s" cy="%s" r="%s" fill="%s"/>'
                % (f(cx - R * 0.81), f(cy), f(R * 0.03), NAVY, f(cx + R * 0.81), f(cy), f(R * 0.03), NAVY),
                opacity=tt))
        # laurel leaves inside the disc
        lp = prog(p, 0.5, 0.9, ease_out)
        if lp > 0:
            leaves = []
            n = 6
            for side in (-1, 1):
                for k in range(n):
                    if k / n > lp:
                        break
                    deg = 222 + k * 13 if side < 0 else 138 - k * 13
                    a = math.radians(deg)
                    rr = R * 0.555
                    x = cx + rr * math.sin(a)
                    y = cy - rr * math.cos(a)
                    rot = deg + (-30 if side < 0 else 30)
                    leaves.append('<ellipse cx="0" cy="0" rx="%s" ry="%s" fill="%s" '
                                  'transform="translate(%s %s) rotate(%s)"/>'
                                  % (f(R * 0.075), f(R * 0.03), GREEN, f(x), f(y), f(rot)))
            inner.append("".join(leaves))
        # centre lettering
        lt = prog(p, 0.4, 0.75, ease_out)
        if lt > 0:
            sc = lerp(0.6, 1.0, ease_out_back(prog(p, 0.4, 0.75, lambda x: x)))
            c = []
            c.append(text(cx, cy - R * 0.30, "TOP", R * 0.15, WHITE, "bold", "middle", ls=R * 0.04))
            c.append(text(cx, cy + R * 0.17, "1", R * 0.52, "url(#gold)", "bold", "middle"))
            c.append(text(cx, cy + R * 0.36, "ICF", R * 0.16, WHITE, "bold", "middle", ls=R * 0.03))
            c.append(text(cx, cy + R * 0.52, "2023", R * 0.11, GREEN_L, "bold", "middle", ls=R * 0.02))
            inner.append(group("".join(c), opacity=lt, transform=zoom_about(cx, cy, sc)))
        out.append(group("".join(inner), transform=zoom_about(cx, cy, s)))
    return "".join(out)


# --------------------------------------------------------------------- captions
def caption(t, t_in, t_out, vi, en, y=640):
    """Bilingual lower-third caption, centred: Vietnamese above, English below."""
    a = fade(t, t_in, t_out, 0.7, 0.5)
    if a <= 0:
        return ""
    dy = (1 - prog(t, t_in, t_in + 0.8, ease_out)) * 14
    line_w = 60 * prog(t, t_in, t_in + 0.9, ease_out)
    c = '<rect x="%s" y="%s" width="%s" height="3" rx="1.5" fill="%s"/>' % (
        f(W / 2 - line_w / 2), f(y - 40 + dy), f(line_w), GOLD)
    c += text(W / 2, y + dy, vi, 28, WHITE, "bold", "middle")
    c += text(W / 2, y + 36 + dy, en, 22, MUTED, "regular", "middle")
    return group(c, opacity=a)


def shade_bottom(alpha=1.0, top=520):
    return '<rect x="0" y="%d" width="%d" height="%d" fill="url(#shade)" opacity="%.3f"/>' % (
        top, W, H - top, alpha)


def wordmark(alpha=1.0):
    """Small brand line, top left."""
    if alpha <= 0.01:
        return ""
    c = '<rect x="48" y="40" width="4" height="34" fill="%s"/>' % GREEN
    c += text(62, 56, "BÌNH DƯƠNG", 17, WHITE, "bold", ls=2.5)
    c += text(62, 74, "Smart City · Innovation Zone", 12.5, MUTED, ls=0.6)
    return group(c, opacity=alpha)


# ------------------------------------------------------------------ circuitry
class Circuit:
    """Orthogonal/45-degree traces leaving a chip, drawn on and carrying pulses."""

    def __init__(self, cx, cy, half, seed=3, per_side=5, reach=(120, 380), spread=1.0,
                 reach_v=None, sides=(0, 1, 2, 3), spread_v=1.0):
        rnd = random.Random(seed)
        self.traces = []
        for side in sides:
            for k in range(per_side):
                off = (k - (per_side - 1) / 2) * (2 * half * 0.8 / max(1, per_side - 1))
                # start on the chip edge
                if side == 0:   # top
                    sx, sy, dx, dy = cx + off, cy - half, 0, -1
                elif side == 1:  # right
                    sx, sy, dx, dy = cx + half, cy + off, 1, 0
                elif side == 2:  # bottom
                    sx, sy, dx, dy = cx - off, cy + half, 0, 1
                else:            # left
                    sx, sy, dx, dy = cx - half, cy - off, -1, 0
                sv = spread_v if side in (0, 2) else 1.0
                l1 = rnd.uniform(20, 60) * sv
                l2 = rnd.uniform(30, 90) * spread * sv
                rr = reach_v if (reach_v and side in (0, 2)) else reach
                l3 = rnd.uniform(rr[0], rr[1]) * spread
                bend = 1 if off >= 0 else -1
                # perpendicular direction for the 45-degree jog
                px, py = (dy * -1, dx) if side in (0, 2) else (dy, dx)
                if side in (0, 2):
                    px, py = bend, 0
                else:
                    px, py = 0, bend
                p0 = (sx, sy)
                p1 = (sx + dx * l1, sy + dy * l1)
                p2 = (p1[0] + (dx + px) * l2 * 0.7, p1[1] + (dy + py) * l2 * 0.7)
                p3 = (p2[0] + dx * l3, p2[1] + dy * l3)
                self.traces.append({
                    "pts": [p0, p1, p2, p3], "delay": rnd.uniform(0, 0.6),
                    "speed": rnd.uniform(0.35, 0.6), "phase": rnd.uniform(0, 1),
                    "color": GOLD if rnd.random() < 0.3 else GREEN,
                })

    def svg(self, t, draw=1.0, pulses=1.0, width=2.0, alpha=1.0):
        if alpha <= 0.01:
            return ""
        out = []
        for tr in self.traces:
            d = clamp((draw * 1.6 - tr["delay"]) / 1.0)
            d = ease_in_out(d)
            if d <= 0:
                continue
            pts = polyline_partial(tr["pts"], d)
            out.append('<path d="%s" fill="none" stroke="%s" stroke-width="%s" '
                       'stroke-linejoin="round" opacity="%.3f"/>'
                       % (path_d(pts), tr["color"], f(width), 0.75 * alpha))
            if d >= 0.999:
                ex, ey = tr["pts"][-1]
                out.append('<circle cx="%s" cy="%s" r="5" fill="%s" stroke="%s" stroke-width="2" '
                           'opacity="%.3f"/>' % (f(ex), f(ey), NAVY, tr["color"], alpha))
            if pulses > 0 and d > 0.2:
                ph = (t * tr["speed"] + tr["phase"]) % 1.0
                if ph < d:
                    x, y = point_at(tr["pts"], ph)
                    out.append('<circle cx="%s" cy="%s" r="9" fill="url(#glowwhite)" opacity="%.3f"/>'
                               % (f(x), f(y), 0.9 * pulses * alpha))
                    out.append('<circle cx="%s" cy="%s" r="2.6" fill="#FFFFFF" opacity="%.3f"/>'
                               % (f(x), f(y), pulses * alpha))
        return "".join(out)


def chip(cx, cy, half, p=1.0, t=0.0, label=None):
    """A stylised semiconductor package with pins and a glowing die."""
    if p <= 0:
        return ""
    s = lerp(0.7, 1.0, ease_out_back(p)) if p < 1 else 1.0
    out = []
    out.append('<circle cx="%s" cy="%s" r="%s" fill="url(#glowgreen)" opacity="%.3f"/>'
               % (f(cx), f(cy), f(half * 2.6), 0.55 + 0.15 * math.sin(t * 2.2)))
    pins = []
    n = 7
    for k in range(n):
        o = (k - (n - 1) / 2) * (2 * half * 0.8 / (n - 1))
        pl, pw = half * 0.16, half * 0.07
        pins.append('<rect x="%s" y="%s" width="%s" height="%s"/>' % (f(cx + o - pw / 2), f(cy - half - pl), f(pw), f(pl)))
        pins.append('<rect x="%s" y="%s" width="%s" height="%s"/>' % (f(cx + o - pw / 2), f(cy + half), f(pw), f(pl)))
        pins.append('<rect x="%s" y="%s" width="%s" height="%s"/>' % (f(cx - half - pl), f(cy + o - pw / 2), f(pl), f(pw)))
        pins.append('<rect x="%s" y="%s" width="%s" height="%s"/>' % (f(cx + half), f(cy + o - pw / 2), f(pl), f(pw)))
    out.append('<g fill="%s">%s</g>' % (GOLD_L, "".join(pins)))
    out.append('<rect x="%s" y="%s" width="%s" height="%s" rx="%s" fill="url(#chip)" stroke="url(#gold)" stroke-width="%s"/>'
               % (f(cx - half), f(cy - half), f(2 * half), f(2 * half), f(half * 0.12), f(max(2, half * 0.04))))
    die = half * 0.58
    out.append('<rect x="%s" y="%s" width="%s" height="%s" rx="%s" fill="#0A1A38" stroke="%s" stroke-width="1.5"/>'
               % (f(cx - die), f(cy - die), f(2 * die), f(2 * die), f(die * 0.08), GREEN))
    grid = []
    m = 6
    for i in range(m):
        for j in range(m):
            cell = 2 * die / m
            lit = 0.5 + 0.5 * math.sin(t * 2.0 + i * 1.3 + j * 0.7)
            grid.append('<rect x="%s" y="%s" width="%s" height="%s" fill="%s" opacity="%.2f"/>'
                        % (f(cx - die + i * cell + cell * 0.18), f(cy - die + j * cell + cell * 0.18),
                           f(cell * 0.64), f(cell * 0.64), GREEN if (i + j) % 3 else GOLD, 0.25 + 0.55 * lit))
    out.append("".join(grid))
    if label:
        out.append(text(cx, cy + half + half * 0.55, label, half * 0.2, GOLD_L, "bold", "middle", ls=2))
    return group("".join(out), opacity=clamp(p * 3), transform=zoom_about(cx, cy, s))
