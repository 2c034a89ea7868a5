#!/usr/bin/env python3
"""Prints the shared inline-SVG symbols of the brochures (stdlib only, deterministic):

  badge        the TOP 1 ICF 2023 badge (viewBox 0 0 200 200), on every page
  i-*          line icons (viewBox 0 0 24 24, stroke = currentColor)
  art-*        cover and back-cover artwork (viewBox 0 0 840 1188 = A4 at 4 units/mm)
  band-*       wide illustrations for inner pages

make-brochures.sh puts this block where an HTML source says <!-- @symbols -->;
pages then draw a symbol with <svg><use href="#badge"/></svg>.
"""
import math
import random

NAVY, NAVY2, NAVY3 = "#0B1E3F", "#132E5C", "#1B3C73"
GREEN, GREEN_L = "#1DA57A", "#5FD3A8"
GOLD, GOLD_L = "#E8A317", "#F6C453"


def f(x):
    return ("%.1f" % x).rstrip("0").rstrip(".")


# ------------------------------------------------------------------- badge
def badge():
    leaves = []
    for side in (-1, 1):
        for k in range(6):
            deg = 222 + k * 13 if side < 0 else 138 - k * 13
            a = math.radians(deg)
            r = 55.5
            x, y = 100 + r * math.sin(a), 100 - r * math.cos(a)
            rot = deg + (-30 if side < 0 else 30)
            leaves.append('<ellipse cx="0" cy="0" rx="7.5" ry="3" transform="translate(%s %s) rotate(%s)"/>'
                          % (f(x), f(y), f(rot)))
    font = "font-family=\"'Noto Sans', sans-serif\" font-weight=\"700\""
    return f"""<symbol id="badge" viewBox="0 0 200 200">
  <defs>
    <linearGradient id="bg-gold" x1="0" y1="0" x2="1" y2="1">
      <stop offset="0" stop-color="#FBD67A"/><stop offset="0.45" stop-color="{GOLD}"/><stop offset="1" stop-color="#B5780A"/>
    </linearGradient>
    <radialGradient id="bg-disc" cx="0.5" cy="0.35" r="0.7">
      <stop offset="0" stop-color="#1D4585"/><stop offset="1" stop-color="{NAVY}"/>
    </radialGradient>
    <path id="bg-top" d="M 21.5 100 A 78.5 78.5 0 0 1 178.5 100"/>
    <path id="bg-bottom" d="M 12.3 100 A 87.7 87.7 0 0 0 187.7 100"/>
  </defs>
  <circle cx="100" cy="100" r="99" fill="#FFFFFF" opacity="0.001"/>
  <circle cx="100" cy="100" r="97" fill="none" stroke="url(#bg-gold)" stroke-width="5"/>
  <circle cx="100" cy="100" r="92" fill="url(#bg-gold)"/>
  <circle cx="100" cy="100" r="70" fill="url(#bg-disc)"/>
  <circle cx="100" cy="100" r="65.5" fill="none" stroke="{GOLD_L}" stroke-width="1.2"/>
  <text {font} font-size="12.6" letter-spacing="1.3" fill="{NAVY}"><textPath href="#bg-top" startOffset="50%" text-anchor="middle">INTELLIGENT COMMUNITY</textPath></text>
  <text {font} font-size="12.6" letter-spacing="2" fill="{NAVY}"><textPath href="#bg-bottom" startOffset="50%" text-anchor="middle">OF THE YEAR</textPath></text>
  <circle cx="19" cy="100" r="3" fill="{NAVY}"/><circle cx="181" cy="100" r="3" fill="{NAVY}"/>
  <g fill="{GREEN}">{''.join(leaves)}</g>
  <text x="100" y="75" {font} font-size="15" letter-spacing="4" fill="#FFFFFF" text-anchor="middle">TOP</text>
  <text x="100" y="117" {font} font-size="52" fill="url(#bg-gold)" text-anchor="middle">1</text>
  <text x="100" y="137" {font} font-size="16" letter-spacing="3" fill="#FFFFFF" text-anchor="middle">ICF</text>
  <text x="100" y="153" {font} font-size="11" letter-spacing="2" fill="{GREEN_L}" text-anchor="middle">2023</text>
</symbol>"""


# ------------------------------------------------------------------- icons
ICONS = {
    "pin": '<path d="M12 21s-7-6.2-7-11.5A7 7 0 0 1 19 9.5C19 14.8 12 21 12 21z"/><circle cx="12" cy="9.5" r="2.6"/>',
    "eco": '<circle cx="12" cy="5" r="2.2"/><circle cx="5" cy="17" r="2.2"/><circle cx="19" cy="17" r="2.2"/>'
           '<circle cx="12" cy="12.5" r="1.6"/><path d="M12 7.2v3.7M10.6 13.4l-4 2.4M13.4 13.4l4 2.4M7.2 17h9.6"/>',
    "admin": '<path d="M3 9l9-5 9 5"/><path d="M5 9.5v8M9.7 9.5v8M14.3 9.5v8M19 9.5v8"/><path d="M3 20h18"/>',
    "people": '<circle cx="8.5" cy="8" r="3"/><path d="M3 19c0-3.3 2.5-5.5 5.5-5.5S14 15.7 14 19"/>'
              '<circle cx="16.5" cy="9" r="2.4"/><path d="M15.2 13.7c.4-.1.8-.2 1.3-.2 2.6 0 4.5 1.9 4.5 4.8"/>',
    "gift": '<path d="M12 3.5l2.5 5.1 5.6.8-4.1 4 1 5.6L12 16.3 7 19l1-5.6-4.1-4 5.6-.8z"/>',
    "chip": '<rect x="6.5" y="6.5" width="11" height="11" rx="1.5"/><rect x="9.5" y="9.5" width="5" height="5"/>'
            '<path d="M9 3.5v3M12 3.5v3M15 3.5v3M9 17.5v3M12 17.5v3M15 17.5v3M3.5 9h3M3.5 12h3M3.5 15h3M17.5 9h3M17.5 12h3M17.5 15h3"/>',
    "rd": '<ellipse cx="12" cy="12" rx="9" ry="3.6"/><ellipse cx="12" cy="12" rx="9" ry="3.6" transform="rotate(60 12 12)"/>'
          '<ellipse cx="12" cy="12" rx="9" ry="3.6" transform="rotate(120 12 12)"/><circle cx="12" cy="12" r="1.2"/>',
    "uni": '<path d="M2.5 9.5L12 5l9.5 4.5L12 14z"/><path d="M6.5 11.6v4.2c3 2.4 8 2.4 11 0v-4.2"/><path d="M21.5 9.5v5"/>',
    "rocket": '<path d="M12 3c3.5 2.5 5 6 4.5 10.5l-2.2 2.3H9.7l-2.2-2.3C7 9 8.5 5.5 12 3z"/><circle cx="12" cy="9.5" r="1.7"/>'
              '<path d="M7.6 13.2L5 16.5l3.3.4M16.4 13.2l2.6 3.3-3.3.4M10.5 18.5L12 21l1.5-2.5"/>',
    "partner": '<path d="M2.5 11l4-4 3 1.5 3-1.5 3 1.5 3-1.5 3 4"/><path d="M6.5 13.5l3.2 3.2a1.4 1.4 0 0 0 2-2L9.5 12.5"/>'
               '<path d="M11.5 15.5l1.2 1.2a1.4 1.4 0 0 0 2-2l-1.5-1.5M14 14l1 1a1.4 1.4 0 0 0 2-2l-2.5-2.5"/>',
    "leaf": '<path d="M5 19c0-8 5-13.5 14-14-0.5 9-6 14-14 14z"/><path d="M5 19l8-8"/>',
    "growth": '<path d="M3.5 20.5h17"/><path d="M6 16.5v4M10.5 13v7.5M15 10v10.5M19.5 6.5v14"/><path d="M4.5 12l5-5 3.5 3 6.5-6.5"/><path d="M16 3.5h3.5V7"/>',
    "social": '<path d="M12 20s-7.5-4.4-7.5-10A4.3 4.3 0 0 1 12 7.4 4.3 4.3 0 0 1 19.5 10C19.5 15.6 12 20 12 20z"/>',
    "globe": '<circle cx="12" cy="12" r="8.5"/><ellipse cx="12" cy="12" rx="3.8" ry="8.5"/><path d="M3.5 12h17M5 7.5h14M5 16.5h14"/>',
    "mail": '<rect x="3" y="5.5" width="18" height="13" rx="2"/><path d="M3.5 7l8.5 6 8.5-6"/>',
    "phone": '<path d="M6.5 3.5h3l1.5 4-2 1.3a10 10 0 0 0 6.2 6.2l1.3-2 4 1.5v3a2 2 0 0 1-2 2A15.5 15.5 0 0 1 4.5 5.5a2 2 0 0 1 2-2z"/>',
    "map": '<path d="M3.5 6.5l5.5-2.5 6 2.5 5.5-2.5v13.5l-5.5 2.5-6-2.5-5.5 2.5z"/><path d="M9 4v13.5M15 6.5V20"/>',
    "talent": '<circle cx="12" cy="7.5" r="3.5"/><path d="M5.5 20c.5-4 3.2-6.5 6.5-6.5s6 2.5 6.5 6.5"/><path d="M12 13.5l1.2 2.2L12 19l-1.2-3.3z"/>',
    "calendar": '<rect x="3.5" y="5" width="17" height="15.5" rx="2"/><path d="M3.5 9.5h17M8 3v4M16 3v4"/><path d="M7.5 13.5h2M11 13.5h2M14.5 13.5h2M7.5 16.8h2M11 16.8h2"/>',
    "trophy": '<path d="M7.5 4h9v5a4.5 4.5 0 0 1-9 0z"/><path d="M7.5 6H4.5a3 3 0 0 0 3 4M16.5 6h3a3 3 0 0 1-3 4"/><path d="M12 13.5v3.5M8.5 20.5h7M9.5 17h5v3.5h-5z"/>',
    "spark": '<path d="M12 3v4M12 17v4M3 12h4M17 12h4M5.6 5.6l2.8 2.8M15.6 15.6l2.8 2.8M5.6 18.4l2.8-2.8M15.6 8.4l2.8-2.8"/>',
    "book": '<path d="M12 6.5C10 5 7 4.5 3.5 5v13c3.5-.5 6.5 0 8.5 1.5 2-1.5 5-2 8.5-1.5V5C17 4.5 14 5 12 6.5z"/><path d="M12 6.5v13"/>',
    "share": '<circle cx="6" cy="12" r="2.5"/><circle cx="18" cy="6" r="2.5"/><circle cx="18" cy="18" r="2.5"/><path d="M8.2 10.8l7.6-3.6M8.2 13.2l7.6 3.6"/>',
}


def icons():
    return "\n".join('<symbol id="i-%s" viewBox="0 0 24 24" fill="none" stroke="currentColor" '
                     'stroke-width="1.6" stroke-linecap="round" stroke-linejoin="round">%s</symbol>' % (k, v)
                     for k, v in ICONS.items())


# ----------------------------------------------------------------- artwork
def network(rnd, n, x0, y0, x1, y1, reach, line_op=0.35, dot_op=0.7, color=GREEN_L):
    pts = [(rnd.uniform(x0, x1), rnd.uniform(y0, y1), rnd.uniform(1.6, 3.8)) for _ in range(n)]
    out = []
    for i in range(n):
        for j in range(i + 1, n):
            d = math.hypot(pts[i][0] - pts[j][0], pts[i][1] - pts[j][1])
            if d < reach:
                out.append('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1" opacity="%.2f"/>'
                           % (f(pts[i][0]), f(pts[i][1]), f(pts[j][0]), f(pts[j][1]), color,
                              line_op * (1 - d / reach)))
    for x, y, r in pts:
        out.append('<circle cx="%s" cy="%s" r="%s" fill="#DCEBFF" opacity="%.2f"/>' % (f(x), f(y), f(r), dot_op))
    return "".join(out)


def skyline(rnd, x0, x1, base, hmin, hmax, windows=True, center_low=None, fill="url(#sk-bldg)"):
    out = []
    x = x0
    while x < x1:
        w = rnd.uniform(26, 58)
        h = rnd.uniform(hmin, hmax)
        if center_low:
            c, span = center_low
            h *= 0.55 + 0.45 * min(1, abs(x - c) / span)
        top = base - h
        out.append('<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>' % (f(x), f(top), f(w), f(h), fill))
        if h > hmax * 0.8:
            out.append('<path d="M%s %s v-22" stroke="#2D5BA3" stroke-width="2"/><circle cx="%s" cy="%s" r="2.6" fill="%s"/>'
                       % (f(x + w / 2), f(top), f(x + w / 2), f(top - 22), GOLD_L))
        if windows:
            cols = max(2, int((w - 8) / 9))
            cw = (w - 8) / cols
            yy = top + 8
            while yy < base - 10:
                for c in range(cols):
                    if rnd.random() < 0.42:
                        out.append('<rect x="%s" y="%s" width="%s" height="4.5" fill="%s" opacity="%.2f"/>'
                                   % (f(x + 4 + c * cw + 1), f(yy), f(cw - 3),
                                      GOLD_L if rnd.random() < 0.3 else "#CFE3FF", rnd.uniform(0.35, 0.85)))
                yy += 11
        x += w + rnd.uniform(3, 12)
    return "".join(out)


COMMON_DEFS = f"""<defs>
  <linearGradient id="sk-bldg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#24508F"/><stop offset="1" stop-color="#10295A"/></linearGradient>
  <linearGradient id="sk-bldg2" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#183A70"/><stop offset="1" stop-color="#0D2148"/></linearGradient>
  <radialGradient id="sk-sun" cx="0.5" cy="0.5" r="0.5"><stop offset="0" stop-color="{GOLD_L}" stop-opacity="0.95"/><stop offset="0.35" stop-color="{GOLD}" stop-opacity="0.55"/><stop offset="1" stop-color="{GOLD}" stop-opacity="0"/></radialGradient>
  <radialGradient id="sk-glowg" cx="0.5" cy="0.5" r="0.5"><stop offset="0" stop-color="{GREEN}" stop-opacity="0.55"/><stop offset="1" stop-color="{GREEN}" stop-opacity="0"/></radialGradient>
  <radialGradient id="sk-glowy" cx="0.5" cy="0.5" r="0.5"><stop offset="0" stop-color="{GOLD_L}" stop-opacity="0.6"/><stop offset="1" stop-color="{GOLD_L}" stop-opacity="0"/></radialGradient>
  <linearGradient id="sk-bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#081731"/><stop offset="0.55" stop-color="{NAVY}"/><stop offset="1" stop-color="#17386D"/></linearGradient>
  <linearGradient id="sk-gold" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#FBD67A"/><stop offset="0.45" stop-color="{GOLD}"/><stop offset="1" stop-color="#B5780A"/></linearGradient>
  <linearGradient id="sk-fade" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="{NAVY}" stop-opacity="0"/><stop offset="1" stop-color="{NAVY}" stop-opacity="1"/></linearGradient>
</defs>"""


def art_invest():
    rnd = random.Random(11)
    o = ['<symbol id="art-invest" viewBox="0 0 840 1188" preserveAspectRatio="xMidYMid slice">']
    o.append('<rect width="840" height="1188" fill="url(#sk-bg)"/>')
    o.append(network(rnd, 46, -20, -20, 860, 700, 150, 0.32, 0.55))
    # dawn behind the city
    o.append('<circle cx="560" cy="905" r="330" fill="url(#sk-sun)"/>')
    o.append('<circle cx="560" cy="905" r="95" fill="%s" opacity="0.9"/>' % GOLD_L)
    for k in range(7):
        o.append('<path d="M%d %d h%d" stroke="%s" stroke-width="1.4" opacity="%.2f"/>'
                 % (0, 835 + k * 12, 840, GOLD_L, 0.18 - k * 0.02))
    o.append(skyline(random.Random(5), -10, 850, 1000, 70, 220, True, (560, 420), "url(#sk-bldg2)"))
    o.append(skyline(random.Random(8), -20, 860, 1030, 40, 130, True, None, "url(#sk-bldg)"))
    o.append('<rect x="0" y="1030" width="840" height="158" fill="#081731"/>')
    o.append('<rect x="0" y="1030" width="840" height="3" fill="%s"/>' % GREEN)
    for k in range(16):
        x = 20 + k * 54 + rnd.uniform(-8, 8)
        r = rnd.uniform(9, 15)
        o.append('<circle cx="%s" cy="%s" r="%s" fill="%s"/>' % (f(x), f(1030 - r * 0.8), f(r), GREEN))
    o.append('</symbol>')
    return "".join(o)


def circuit(rnd, cx, cy, half, per_side, reach, color_gold=0.3, width=2.2, node_r=5, reach_v=None, jog=1.0):
    out = []
    for side in range(4):
        for k in range(per_side):
            off = (k - (per_side - 1) / 2) * (2 * half * 0.8 / max(1, per_side - 1))
            if side == 0:
                sx, sy, dx, dy = cx + off, cy - half, 0, -1
            elif side == 1:
                sx, sy, dx, dy = cx + half, cy + off, 1, 0
            elif side == 2:
                sx, sy, dx, dy = cx - off, cy + half, 0, 1
            else:
                sx, sy, dx, dy = cx - half, cy - off, -1, 0
            bend = 1 if off >= 0 else -1
            px, py = (bend, 0) if side in (0, 2) else (0, bend)
            l1, l2, l3 = rnd.uniform(20, 60), rnd.uniform(30, 110), rnd.uniform(*reach)
            if reach_v and side in (0, 2):
                l3 = reach_v[0] + (l3 - reach[0]) / (reach[1] - reach[0]) * (reach_v[1] - reach_v[0])
            p1 = (sx + dx * l1, sy + dy * l1)
            if side in (1, 3):
                l2 *= jog
            p2 = (p1[0] + (dx + px) * l2 * 0.7, p1[1] + (dy + py) * l2 * 0.7)
            p3 = (p2[0] + dx * l3, p2[1] + dy * l3)
            col = GOLD_L if rnd.random() < color_gold else GREEN_L
            out.append('<path d="M%s %s L%s %s L%s %s L%s %s" fill="none" stroke="%s" stroke-width="%s" '
                       'stroke-linejoin="round" opacity="0.8"/>'
                       % (f(sx), f(sy), f(p1[0]), f(p1[1]), f(p2[0]), f(p2[1]), f(p3[0]), f(p3[1]), col, width))
            out.append('<circle cx="%s" cy="%s" r="%s" fill="%s" stroke="%s" stroke-width="2"/>'
                       % (f(p3[0]), f(p3[1]), node_r, NAVY, col))
            if rnd.random() < 0.45:
                t = rnd.uniform(0.3, 0.9)
                qx, qy = p2[0] + (p3[0] - p2[0]) * t, p2[1] + (p3[1] - p2[1]) * t
                out.append('<circle cx="%s" cy="%s" r="9" fill="url(#sk-glowy)"/><circle cx="%s" cy="%s" r="2.6" fill="#FFFFFF"/>'
                           % (f(qx), f(qy), f(qx), f(qy)))
    return "".join(out)


def chip(cx, cy, half):
    o = ['<circle cx="%s" cy="%s" r="%s" fill="url(#sk-glowg)"/>' % (f(cx), f(cy), f(half * 2.8))]
    pins = []
    n = 7
    for k in range(n):
        off = (k - (n - 1) / 2) * (2 * half * 0.8 / (n - 1))
        pl, pw = half * 0.16, half * 0.07
        pins += ['<rect x="%s" y="%s" width="%s" height="%s"/>' % (f(cx + off - pw / 2), f(cy - half - pl), f(pw), f(pl)),
                 '<rect x="%s" y="%s" width="%s" height="%s"/>' % (f(cx + off - pw / 2), f(cy + half), f(pw), f(pl)),
                 '<rect x="%s" y="%s" width="%s" height="%s"/>' % (f(cx - half - pl), f(cy + off - pw / 2), f(pl), f(pw)),
                 '<rect x="%s" y="%s" width="%s" height="%s"/>' % (f(cx + half), f(cy + off - pw / 2), f(pl), f(pw))]
    o.append('<g fill="%s">%s</g>' % (GOLD_L, "".join(pins)))
    o.append('<rect x="%s" y="%s" width="%s" height="%s" rx="%s" fill="#163668" stroke="url(#sk-gold)" stroke-width="%s"/>'
             % (f(cx - half), f(cy - half), f(2 * half), f(2 * half), f(half * 0.12), f(half * 0.045)))
    die = half * 0.58
    o.append('<rect x="%s" y="%s" width="%s" height="%s" rx="%s" fill="#0A1A38" stroke="%s" stroke-width="2"/>'
             % (f(cx - die), f(cy - die), f(2 * die), f(2 * die), f(die * 0.08), GREEN))
    rnd = random.Random(3)
    m = 6
    cell = 2 * die / m
    for i in range(m):
        for j in range(m):
            o.append('<rect x="%s" y="%s" width="%s" height="%s" fill="%s" opacity="%.2f"/>'
                     % (f(cx - die + i * cell + cell * 0.18), f(cy - die + j * cell + cell * 0.18), f(cell * 0.64),
                        f(cell * 0.64), GREEN if (i + j) % 3 else GOLD_L, rnd.uniform(0.35, 0.95)))
    return "".join(o)


def art_smart():
    rnd = random.Random(21)
    o = ['<symbol id="art-smart" viewBox="0 0 840 1188" preserveAspectRatio="xMidYMid slice">']
    o.append('<rect width="840" height="1188" fill="url(#sk-bg)"/>')
    dots = []
    for gx in range(0, 841, 28):
        for gy in range(0, 1189, 28):
            dots.append("M%d %d h0.01" % (gx, gy))
    o.append('<path d="%s" stroke="#6F8FC0" stroke-width="2.2" stroke-linecap="round" opacity="0.16"/>' % " ".join(dots))
    o.append(network(rnd, 34, -20, -20, 860, 700, 150, 0.26, 0.45))
    # a wafer behind the chip
    cx, cy = 600, 930
    o.append('<circle cx="%d" cy="%d" r="250" fill="#0F2A57" stroke="%s" stroke-width="1.5" opacity="0.55"/>' % (cx, cy, GREEN))
    cells = []
    s = 30
    for i in range(-9, 9):
        for j in range(-9, 9):
            x, y = i * s, j * s
            if all(math.hypot(px, py) < 236 for px, py in ((x, y), (x + s, y), (x, y + s), (x + s, y + s))):
                cells.append("M%d %d h%d v%d h-%d Z" % (cx + x + 2, cy + y + 2, s - 4, s - 4, s - 4))
    o.append('<path d="%s" fill="#1B3F7A" stroke="#2F62AA" stroke-width="0.8" opacity="0.5" transform="rotate(12 %d %d)"/>'
             % (" ".join(cells), cx, cy))
    o.append(circuit(random.Random(17), cx, cy, 105, 5, (120, 460), reach_v=(20, 90)))
    o.append(chip(cx, cy, 105))
    o.append('</symbol>')
    return "".join(o)


def art_award():
    rnd = random.Random(31)
    o = ['<symbol id="art-award" viewBox="0 0 840 1188" preserveAspectRatio="xMidYMid slice">']
    o.append('<rect width="840" height="1188" fill="url(#sk-bg)"/>')
    o.append(network(rnd, 40, -20, -20, 860, 1210, 160, 0.26, 0.45))
    cx, cy = 420, 420
    o.append('<circle cx="%d" cy="%d" r="420" fill="url(#sk-glowy)" opacity="0.8"/>' % (cx, cy))
    rays = []
    for k in range(36):
        a = math.radians(k * 10 + 5)
        a1, a2 = a - 0.018, a + 0.018
        r1, r2 = 235, (470 if k % 2 == 0 else 370)
        rays.append("M%s %s L%s %s L%s %s Z" % (
            f(cx + r1 * math.sin(a)), f(cy - r1 * math.cos(a)),
            f(cx + r2 * math.sin(a1)), f(cy - r2 * math.cos(a1)),
            f(cx + r2 * math.sin(a2)), f(cy - r2 * math.cos(a2))))
    o.append('<path d="%s" fill="%s" opacity="0.2"/>' % (" ".join(rays), GOLD_L))
    o.append('<rect x="0" y="560" width="840" height="260" fill="url(#sk-fade)" opacity="0.8"/>')
    o.append('<rect x="0" y="819" width="840" height="369" fill="%s" opacity="0.8"/>' % NAVY)
    for k in range(60):
        a = rnd.uniform(0, 2 * math.pi)
        r = rnd.uniform(260, 470)
        o.append('<circle cx="%s" cy="%s" r="%s" fill="%s" opacity="%.2f"/>'
                 % (f(cx + r * math.cos(a)), f(cy + r * math.sin(a)), f(rnd.uniform(1.2, 3.2)), GOLD_L,
                    rnd.uniform(0.3, 0.9)))
    o.append('</symbol>')
    return "".join(o)


def band_skyline():
    o = ['<symbol id="band-skyline" viewBox="0 0 840 220" preserveAspectRatio="xMidYMax slice">']
    o.append('<rect width="840" height="220" fill="%s"/>' % NAVY)
    o.append(network(random.Random(44), 26, -20, -10, 860, 150, 130, 0.3, 0.5))
    o.append('<circle cx="640" cy="200" r="170" fill="url(#sk-sun)"/>')
    o.append(skyline(random.Random(9), -10, 850, 205, 50, 150, True, (640, 300), "url(#sk-bldg2)"))
    o.append(skyline(random.Random(10), -20, 860, 212, 25, 80, True, None, "url(#sk-bldg)"))
    o.append('<rect x="0" y="212" width="840" height="8" fill="#081731"/><rect x="0" y="212" width="840" height="2" fill="%s"/>' % GREEN)
    o.append('</symbol>')
    return "".join(o)


def band_circuit():
    o = ['<symbol id="band-circuit" viewBox="0 0 840 260" preserveAspectRatio="xMidYMid slice">']
    o.append('<rect width="840" height="260" fill="%s"/>' % NAVY)
    o.append(network(random.Random(45), 24, -20, -10, 860, 270, 140, 0.28, 0.5))
    o.append(circuit(random.Random(19), 420, 130, 62, 4, (160, 300), width=2, node_r=4, jog=0.3))
    o.append(chip(420, 130, 62))
    o.append('</symbol>')
    return "".join(o)


def main():
    print('<svg xmlns="http://www.w3.org/2000/svg" width="0" height="0" style="position:absolute" aria-hidden="true">')
    print(COMMON_DEFS)
    print(badge())
    print(icons())
    print(art_invest())
    print(art_smart())
    print(art_award())
    print(band_skyline())
    print(band_circuit())
    print('</svg>')


if __name__ == "__main__":
    main()
