"""innovation-zone.mp4: the Smart City - Innovation Zone in about 22 seconds.

Scenes (seconds): title, semiconductors, R&D and universities along the zone,
start-ups and talent, closing card with the TOP 1 ICF badge.
"""
import math
import random

from common import (W, H, GOLD, GOLD_L, GREEN, GREEN_L, WHITE, MUTED, NAVY,
                    clamp, lerp, prog, ease_out, ease_in_out, ease_out_back,
                    text, tw, group, zoom_about, f, path_d, polyline_partial,
                    Network, Circuit, badge, chip, wordmark)

DURATION = 22.0
NET = Network(seed=29, n=40)


def dot_grid(t, alpha):
    """A faint printed-circuit dot grid that drifts slowly to the left."""
    if alpha <= 0.01:
        return ""
    step = 40
    off = (t * 12) % step
    pts = []
    for gx in range(-1, W // step + 2):
        for gy in range(0, H // step + 1):
            pts.append("M%s %d h0.01" % (f(gx * step - off + 20), gy * step + 20))
    return ('<path d="%s" stroke="#6F8FC0" stroke-width="2.4" stroke-linecap="round" opacity="%.3f"/>'
            % (" ".join(pts), 0.22 * alpha))


def heading(x, y, kicker, vi, en, t, t0, anchor="start", size=46, width=None):
    """Kicker line, Vietnamese title (one or two lines) and English line."""
    out = []
    a = prog(t, t0, t0 + 0.8, ease_out)
    dx = (1 - a) * (40 if anchor == "start" else 0)
    out.append(text(x + dx, y, kicker, 15, GREEN_L, "bold", anchor, ls=4, opacity=a))
    lines = vi if isinstance(vi, (list, tuple)) else [vi]
    yy = y + size + 12
    for i, line in enumerate(lines):
        a = prog(t, t0 + 0.2 + 0.12 * i, t0 + 1.0 + 0.12 * i, ease_out)
        dx = (1 - a) * (50 if anchor == "start" else 0)
        out.append(text(x + dx, yy + (1 - a) * (0 if anchor == "start" else 16), line, size, WHITE, "bold",
                        anchor, opacity=a))
        yy += size * 1.18
    a = prog(t, t0 + 0.5, t0 + 1.3, ease_out)
    lw = 80 * a
    lx = x if anchor == "start" else x - lw / 2
    out.append('<rect x="%s" y="%s" width="%s" height="3" fill="%s"/>' % (f(lx), f(yy - size * 0.55), f(lw), GOLD))
    yy += 10
    out.append(text(x + (1 - a) * (50 if anchor == "start" else 0), yy, en, 25, GOLD_L, "regular", anchor,
                    opacity=a))
    return "".join(out), yy


def para(x, y, lines, size, fill, t, t0, lh=1.45, anchor="start"):
    out = []
    for i, line in enumerate(lines):
        a = prog(t, t0 + 0.1 * i, t0 + 0.8 + 0.1 * i, ease_out)
        out.append(text(x + (1 - a) * 30, y + i * size * lh, line, size, fill, "regular", anchor, opacity=a))
    return "".join(out)


# ------------------------------------------------------------------- 1 title
SIDE_CIRCUIT = Circuit(640, 360, 300, seed=41, per_side=6, reach=(180, 330), sides=(1, 3))


def s_title(t, d):
    out = []
    out.append(SIDE_CIRCUIT.svg(t, draw=prog(t, 0.0, 2.2, lambda v: v), pulses=prog(t, 1.0, 2.0),
                                width=1.6, alpha=0.8))
    out.append('<circle cx="640" cy="350" r="380" fill="url(#glowgreen)" opacity="%.3f"/>' % (0.4 * prog(t, 0, 1.5)))
    out.append(text(640, 262, "BÌNH DƯƠNG SMART CITY", 17, GREEN_L, "bold", "middle", ls=6,
                    opacity=prog(t, 0.5, 1.3, ease_out)))
    title = "Vùng Đổi mới Sáng tạo"
    size = 74
    ls = lerp(18, 1, prog(t, 0.4, 2.6, ease_out))
    total = tw(title, size, "bold", ls)
    x = W / 2 - total / 2
    for i, c in enumerate(title):
        a = prog(t, 0.5 + 0.045 * i, 1.2 + 0.045 * i, ease_out)
        if c != " " and a > 0:
            out.append(text(x, 350 + (1 - a) * 34, c, size, WHITE, "bold", opacity=a))
        x += tw(c, size, "bold") + ls
    lw = 420 * prog(t, 1.4, 2.4, ease_in_out)
    out.append('<rect x="%s" y="378" width="%s" height="3" fill="url(#goldh)"/>' % (f(640 - lw / 2), f(lw)))
    a = prog(t, 1.7, 2.5, ease_out)
    out.append(text(640, 428 + (1 - a) * 14, "Innovation Zone", 34, GOLD_L, "regular", "middle", ls=3, opacity=a))
    a = prog(t, 2.1, 2.9, ease_out)
    out.append(text(640, 470 + (1 - a) * 14, "Thành phố Thông minh – Vùng Đổi mới Sáng tạo · Smart City – Innovation Zone",
                    17, MUTED, "regular", "middle", opacity=a))
    return "".join(out)


# ---------------------------------------------------------- 2 semiconductors
CHIP_CIRCUIT = Circuit(360, 372, 92, seed=17, per_side=5, reach=(70, 150), reach_v=(20, 50), spread_v=0.7)


def _wafer(cx, cy, r, t, alpha):
    out = ['<circle cx="%s" cy="%s" r="%s" fill="#0F2A57" stroke="%s" stroke-width="1.5" opacity="%.3f"/>'
           % (f(cx), f(cy), f(r), GREEN, alpha)]
    cells = []
    s = 26
    n = int(r // s) + 1
    for i in range(-n, n + 1):
        for j in range(-n, n + 1):
            x, y = i * s, j * s
            if math.hypot(x + s / 2, y + s / 2) < r - 18 and math.hypot(x, y) < r - 18 \
                    and math.hypot(x + s, y + s) < r - 4 and math.hypot(x + s, y) < r - 4 \
                    and math.hypot(x, y + s) < r - 4:
                cells.append("M%s %s h%s v%s h-%s Z" % (f(x + 2), f(y + 2), s - 4, s - 4, s - 4))
    out.append('<path d="%s" fill="#1B3F7A" stroke="#2F62AA" stroke-width="0.8" opacity="%.3f" '
               'transform="translate(%s %s) rotate(%s)"/>'
               % (" ".join(cells), 0.8 * alpha, f(cx), f(cy), f(t * 4)))
    return "".join(out)


def s_chips(t, d):
    out = []
    out.append(group(_wafer(360, 372, 250, t, 1.0), opacity=0.45 * prog(t, 0, 1.2)))
    out.append(CHIP_CIRCUIT.svg(t, draw=prog(t, 0.4, 2.4, lambda v: v), pulses=prog(t, 1.4, 2.2)))
    out.append(chip(360, 372, 92, prog(t, 0.15, 1.0, lambda v: v), t))
    h, yy = heading(700, 190, "01 · BÁN DẪN · SEMICONDUCTORS", ["Công nghiệp", "bán dẫn"],
                    "The semiconductor industry", t, 0.6, size=52)
    out.append(h)
    out.append(para(700, yy + 52, ["Trọng tâm của hệ sinh thái công nghiệp kiểu mới",
                                   "trong Cách mạng Công nghiệp lần thứ Tư."], 20, WHITE, t, 1.6))
    out.append(para(700, yy + 122, ["At the heart of a new industrial ecosystem",
                                    "for the Fourth Industrial Revolution."], 17, MUTED, t, 1.9))
    return "".join(out)


# ------------------------------------------------- 3 R&D, universities, experts
def _icon(kind, cx, cy, col):
    if kind == "rd":  # atom
        e = "".join('<ellipse cx="%s" cy="%s" rx="26" ry="10" fill="none" stroke="%s" stroke-width="2.2" '
                    'transform="rotate(%d %s %s)"/>' % (f(cx), f(cy), col, a, f(cx), f(cy)) for a in (0, 60, 120))
        return e + '<circle cx="%s" cy="%s" r="4.5" fill="%s"/>' % (f(cx), f(cy), col)
    if kind == "uni":  # mortarboard
        return ('<path d="M%s %s l30 -12 l30 12 l-30 12 Z" fill="%s"/>' % (f(cx - 30), f(cy - 4), col)
                + '<path d="M%s %s v12 q18 10 36 0 v-12" fill="none" stroke="%s" stroke-width="2.5"/>'
                % (f(cx - 18), f(cy + 4), col)
                + '<path d="M%s %s v16" stroke="%s" stroke-width="2"/>' % (f(cx + 24), f(cy - 2), col))
    if kind == "campus":  # building with columns
        cols = "".join('<rect x="%s" y="%s" width="5" height="20" fill="%s"/>' % (f(cx - 22 + k * 11), f(cy - 6), col)
                       for k in range(5))
        return ('<path d="M%s %s l30 -16 l30 16 Z" fill="%s"/>' % (f(cx - 30), f(cy - 9), col) + cols
                + '<rect x="%s" y="%s" width="56" height="5" fill="%s"/>' % (f(cx - 28), f(cy + 15), col))
    if kind == "people":  # two people: partners, experts
        o = ""
        for dx, r in ((-12, 1.0), (13, 0.9)):
            o += '<circle cx="%s" cy="%s" r="%s" fill="%s"/>' % (f(cx + dx), f(cy - 10 * r), f(7.5 * r), col)
            o += '<path d="M%s %s a%s %s 0 0 1 %s 0 Z" fill="%s"/>' % (
                f(cx + dx - 14 * r), f(cy + 16), f(14 * r), f(14 * r), f(28 * r), col)
        return o
    return ""


STATIONS = [
    (190, "rd", "Trung tâm R&D", "R&D centres", GOLD_L),
    (490, "uni", "Đại học quốc tế", "International universities", WHITE),
    (790, "campus", "Trường Đại học Thủ Dầu Một", "Thủ Dầu Một University", GREEN_L),
    (1090, "people", "Chuyên gia Hà Lan", "Dutch experts", GOLD_L),
]


def s_knowledge(t, d):
    out = []
    h, _ = heading(640, 110, "02 · TRI THỨC · KNOWLEDGE", "Nghiên cứu, đào tạo, hợp tác",
                   "Research, education and international partners", t, 0.2, anchor="middle", size=44)
    out.append(h)
    y = 420
    lp = prog(t, 0.5, 2.6, ease_in_out)
    out.append('<rect x="60" y="%d" width="%s" height="3" rx="1.5" fill="url(#greenh)"/>' % (y - 1, f(1160 * lp)))
    # light travelling along the zone
    if lp > 0.05:
        u = (t * 0.28) % 1.0
        px = 60 + 1160 * u * lp
        out.append('<circle cx="%s" cy="%d" r="18" fill="url(#glowwhite)" opacity="0.8"/>' % (f(px), y))
    for i, (x, kind, vi, en, col) in enumerate(STATIONS):
        t0 = 0.9 + 0.45 * i
        a = prog(t, t0, t0 + 0.7, lambda v: v)
        if a <= 0:
            continue
        s = ease_out_back(a)
        c = '<circle cx="%d" cy="%d" r="%s" fill="%s" stroke="%s" stroke-width="3"/>' % (x, y, f(11), NAVY, col)
        c += '<circle cx="%d" cy="%d" r="4.5" fill="%s"/>' % (x, y, col)
        c += '<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" stroke-width="1.5" opacity="0.6"/>' % (
            x, y - 14, x, y - 50, col)
        c += '<circle cx="%d" cy="%d" r="46" fill="#10295A" stroke="%s" stroke-width="1.5"/>' % (x, y - 96, col)
        c += _icon(kind, x, y - 96, col)
        out.append(group(c, opacity=clamp(a * 2), transform=zoom_about(x, y, s)))
        a2 = prog(t, t0 + 0.3, t0 + 1.0, ease_out)
        out.append(text(x, y + 48 + (1 - a2) * 12, vi, 20, WHITE, "bold", "middle", opacity=a2))
        out.append(text(x, y + 74 + (1 - a2) * 12, en, 16, MUTED, "regular", "middle", opacity=a2))
    a = prog(t, 3.0, 3.8, ease_out)
    out.append(text(640, 585, "dọc theo Vùng Đổi mới Sáng tạo  ·  along the Innovation Zone", 17, GREEN_L,
                    "regular", "middle", ls=1, opacity=a))
    return "".join(out)


# ----------------------------------------------------- 4 start-ups and talent
def _grow_network(seed=8, n=34, cx=940, cy=370):
    rnd = random.Random(seed)
    nodes = [(cx, cy, -1, 0.0)]
    tries = 0
    while len(nodes) < n and tries < 5000:
        tries += 1
        pi = rnd.randrange(len(nodes))
        px, py, _, pt = nodes[pi]
        ang = rnd.uniform(0, 2 * math.pi)
        dist = rnd.uniform(62, 105)
        x, y = px + dist * math.cos(ang), py + dist * math.sin(ang)
        if not (700 < x < 1220 and 140 < y < 620):
            continue
        if any(math.hypot(x - q[0], y - q[1]) < 52 for q in nodes):
            continue
        nodes.append((x, y, pi, pt + rnd.uniform(0.12, 0.3)))
    # order appearance by time, scaled to fit in 2.6 s
    mx = max(nn[3] for nn in nodes) or 1
    return [(x, y, p, 0.3 + 2.6 * tt / mx) for x, y, p, tt in nodes]


GROW = _grow_network()


def s_talent(t, d):
    out = []
    edges = []
    dots = []
    for i, (x, y, p, t0) in enumerate(GROW):
        a = prog(t, t0, t0 + 0.5, lambda v: v)
        if a <= 0:
            continue
        if p >= 0:
            px, py = GROW[p][0], GROW[p][1]
            e = ease_out(a)
            edges.append('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="%s" stroke-width="1.8" opacity="0.7"/>'
                         % (f(px), f(py), f(px + (x - px) * e), f(py + (y - py) * e), GREEN))
        s = ease_out_back(prog(t, t0 + 0.2, t0 + 0.7, lambda v: v))
        big = i % 5 == 0
        r = (11 if big else 6) * s
        col = GOLD_L if big else "#CFE3FF"
        if r > 0.3:
            glow = 0.5 + 0.5 * math.sin(t * 2.4 + i)
            dots.append('<circle cx="%s" cy="%s" r="%s" fill="url(#glowwhite)" opacity="%.2f"/>'
                        % (f(x), f(y), f(r * 3), 0.25 + 0.25 * glow))
            dots.append('<circle cx="%s" cy="%s" r="%s" fill="%s"/>' % (f(x), f(y), f(r), col))
    out.append("".join(edges) + "".join(dots))
    h, yy = heading(90, 190, "03 · KHỞI NGHIỆP & NHÂN TÀI", ["Hệ sinh thái", "khởi nghiệp sôi động"],
                    "A lively start-up ecosystem", t, 0.3, size=48)
    out.append(h)
    out.append(para(90, yy + 50, ["Thu hút và giữ chân nhân tài trong và ngoài nước:",
                                  "khoa học – công nghệ, giáo dục, y tế, ICT,",
                                  "chip bán dẫn, chuyển đổi số."], 19, WHITE, t, 1.4))
    out.append(para(90, yy + 148, ["Attracting and keeping talent from Vietnam and abroad:",
                                   "science and technology, education, health, ICT,",
                                   "chips, digital transformation."], 16, MUTED, t, 1.7))
    return "".join(out)


# --------------------------------------------------------------------- 5 end
def s_end(t, d):
    out = []
    out.append('<circle cx="640" cy="250" r="360" fill="url(#glowg)" opacity="%.3f"/>' % (0.35 * prog(t, 0.1, 1.5)))
    out.append(badge(640, 235, 118, prog(t, 0.1, 1.9, lambda v: v), t))
    a = prog(t, 0.9, 1.7, ease_out)
    out.append(text(640, 448 + (1 - a) * 16, "Vùng Đổi mới Sáng tạo Bình Dương", 48, WHITE, "bold", "middle",
                    opacity=a))
    a = prog(t, 1.2, 2.0, ease_out)
    out.append(text(640, 494 + (1 - a) * 16, "Bình Dương Smart City – Innovation Zone", 26, GOLD_L, "regular",
                    "middle", ls=0.5, opacity=a))
    a = prog(t, 1.6, 2.4, ease_out)
    out.append(text(640, 546, "Cộng đồng Thông minh của năm 2023 · Intelligent Community of the Year 2023", 17,
                    MUTED, "regular", "middle", opacity=a))
    a = prog(t, 2.0, 2.8, ease_out)
    out.append(text(640, 610, "#SmartCity   #InvestInBinhDuong   #IntelligentCommunity   #BinhDuong2023", 16,
                    GREEN_L, "regular", "middle", ls=0.4, opacity=a))
    return "".join(out)


SCENES = [
    (0.0, 4.6, s_title, 1.0, 1.05),
    (4.0, 9.1, s_chips, 1.0, 1.04),
    (8.5, 13.6, s_knowledge, 1.0, 1.04),
    (13.0, 18.1, s_talent, 1.0, 1.04),
    (17.5, 22.0, s_end, 1.0, 1.03),
]
XFADE = 0.6


def frame(t):
    out = []
    end_fade = 1 - prog(t, DURATION - 0.9, DURATION - 0.05, ease_in_out)
    out.append(dot_grid(t, prog(t, 0, 1.0)))
    out.append(NET.svg(t, prog(t, 0.0, 1.0, ease_out) * 0.8))
    for (a, b, fn, z0, z1) in SCENES:
        if a - 0.001 <= t < b:
            lt = t - a
            d = b - a
            o = (prog(t, a, a + XFADE) if a > 0 else 1.0) * (1 - prog(t, b - XFADE, b) if b < DURATION else 1.0)
            z = lerp(z0, z1, clamp(lt / d))
            out.append(group(fn(lt, d), opacity=o, transform=zoom_about(640, 360, z)))
    ba = prog(t, 4.0, 4.6) * (1 - prog(t, 17.5, 18.1))
    if ba > 0:
        out.append(wordmark(ba))
        out.append(group(badge(1208, 74, 40, 1.0, t, glow=False), opacity=ba))
    body = "".join(out)
    if end_fade < 1:
        body = group(body, opacity=end_fade)
    return body
