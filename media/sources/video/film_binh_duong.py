"""binh-duong-film.mp4: Bình Dương's story in about 36 seconds.

Scenes (seconds): opening title, TOP 1 ICF badge, 26.10.2023 New York,
25+ years of transformation, Smart City - Innovation Zone, Invest in Bình Dương.
Only facts from the communication plan; no figures beyond those it gives.
"""
import math
import random

from common import (W, H, GOLD, GOLD_L, GREEN, GREEN_L, WHITE, MUTED, NAVY,
                    clamp, lerp, prog, fade, ease_out, ease_in_out, ease_out_back,
                    text, tw, group, zoom_about, f, path_d, polyline_partial, bezier,
                    Network, Circuit, badge, chip, caption, shade_bottom, wordmark)

DURATION = 36.0
SEED = 2023
NET = Network(seed=11)


# ------------------------------------------------------------------ 1 opening
def s_open(t, d):
    out = []
    out.append('<circle cx="640" cy="350" r="460" fill="url(#glowgreen)" opacity="%.3f"/>'
               % (0.35 * prog(t, 0, 2.0)))
    out.append(text(640, 262, "VIỆT NAM  ·  VIETNAM", 17, GREEN_L, "bold", "middle", ls=7,
                    opacity=prog(t, 1.0, 1.8, ease_out)))
    title = "BÌNH DƯƠNG"
    size = 104
    ls = lerp(42, 12, prog(t, 0.4, 3.0, ease_out))
    total = tw(title, size, "bold", ls)
    x = W / 2 - total / 2
    for i, c in enumerate(title):
        a = prog(t, 0.45 + 0.075 * i, 1.25 + 0.075 * i, ease_out)
        if c != " " and a > 0:
            out.append(text(x, 372 + (1 - a) * 40, c, size, WHITE, "bold", opacity=a))
        x += tw(c, size, "bold") + ls
    lw = 500 * prog(t, 1.4, 2.6, ease_in_out)
    out.append('<rect x="%s" y="400" width="%s" height="3" fill="url(#goldh)"/>' % (f(640 - lw / 2), f(lw)))
    a = prog(t, 2.0, 2.9, ease_out)
    out.append(text(640, 455 + (1 - a) * 16, "Thành phố Thông minh – Vùng Đổi mới Sáng tạo", 31,
                    WHITE, "regular", "middle", opacity=a))
    a = prog(t, 2.4, 3.3, ease_out)
    out.append(text(640, 496 + (1 - a) * 16, "Smart City – Innovation Zone", 24, GOLD_L,
                    "regular", "middle", ls=1.5, opacity=a))
    return "".join(out)


# -------------------------------------------------------------------- 2 badge
SPARKS = [(random.Random(SEED + i).uniform(-230, 230), random.Random(SEED * 3 + i).uniform(0, 1),
           random.Random(SEED * 7 + i).uniform(1.2, 3.2)) for i in range(26)]


def s_badge(t, d):
    out = []
    cx, cy, R = 395, 352, 168
    p = prog(t, 0.2, 2.6, lambda x: x)
    # rising sparks
    for dx, ph, r in SPARKS:
        u = (t * 0.22 + ph) % 1.0
        y = cy + 200 - u * 420
        o = math.sin(u * math.pi) * 0.8 * prog(t, 1.0, 2.0)
        out.append('<circle cx="%s" cy="%s" r="%s" fill="%s" opacity="%.3f"/>'
                   % (f(cx + dx + 12 * math.sin(t + ph * 6)), f(y), f(r), GOLD_L, o))
    out.append(badge(cx, cy, R, p, t))
    x0 = 630
    a = prog(t, 1.3, 2.1, ease_out)
    out.append(text(x0 + (1 - a) * 40, 250, "INTELLIGENT COMMUNITY FORUM", 16, GREEN_L, "bold",
                    ls=4, opacity=a))
    a = prog(t, 1.5, 2.4, ease_out)
    out.append(text(x0 + (1 - a) * 50, 318, "Cộng đồng Thông minh", 50, WHITE, "bold", opacity=a))
    a = prog(t, 1.7, 2.6, ease_out)
    out.append(text(x0 + (1 - a) * 50, 380, "của năm ", 50, WHITE, "bold", opacity=a))
    out.append(text(x0 + (1 - a) * 50 + tw("của năm ", 50, "bold"), 380, "2023", 50, GOLD_L, "bold",
                    opacity=a))
    lw = 90 * prog(t, 2.0, 2.8, ease_out)
    out.append('<rect x="%s" y="410" width="%s" height="3" fill="%s"/>' % (f(x0), f(lw), GOLD))
    a = prog(t, 2.2, 3.0, ease_out)
    out.append(text(x0 + (1 - a) * 50, 452, "Intelligent Community of the Year 2023", 26, MUTED,
                    opacity=a))
    a = prog(t, 2.5, 3.3, ease_out)
    out.append(text(x0 + (1 - a) * 50, 490, "Thành phố Thông minh – Vùng Đổi mới Sáng tạo Bình Dương",
                    17, GREEN_L, opacity=a))
    return "".join(out)


# --------------------------------------------------------------- 3 New York
GLOBE_C = (640, 850)
GLOBE_R = 470


def _globe(t, alpha):
    cx, cy = GLOBE_C
    r = GLOBE_R
    beta = math.radians(24)
    rot = math.radians(t * 5)
    out = []
    out.append('<circle cx="%d" cy="%d" r="%d" fill="url(#glowgreen)" opacity="%.3f"/>'
               % (cx, cy, r + 90, 0.6 * alpha))
    out.append('<circle cx="%d" cy="%d" r="%d" fill="#0D2550" stroke="%s" stroke-width="2" opacity="%.3f"/>'
               % (cx, cy, r, GREEN, alpha))

    def proj(lat, lon):
        la, lo = math.radians(lat), math.radians(lon) + rot
        x = math.cos(la) * math.sin(lo)
        y = math.sin(la)
        z = math.cos(la) * math.cos(lo)
        y2 = y * math.cos(beta) - z * math.sin(beta)
        z2 = y * math.sin(beta) + z * math.cos(beta)
        return cx + r * x, cy - r * y2, z2

    lines = []
    for k in range(18):
        lon = k * 20
        seg = []
        for i in range(0, 181, 4):
            X, Y, Z = proj(-90 + i, lon)
            if Z > 0 and Y < H + 10:
                seg.append((X, Y))
            else:
                if len(seg) > 1:
                    lines.append(path_d(seg))
                seg = []
        if len(seg) > 1:
            lines.append(path_d(seg))
    for lat in range(-60, 90, 15):
        seg = []
        for i in range(0, 361, 4):
            X, Y, Z = proj(lat, i)
            if Z > 0 and Y < H + 10:
                seg.append((X, Y))
            else:
                if len(seg) > 1:
                    lines.append(path_d(seg))
                seg = []
        if len(seg) > 1:
            lines.append(path_d(seg))
    out.append('<path d="%s" fill="none" stroke="%s" stroke-width="1.2" opacity="%.3f"/>'
               % (" ".join(lines), GREEN_L, 0.35 * alpha))
    return "".join(out)


def s_newyork(t, d):
    out = []
    out.append(_globe(t, prog(t, 0.0, 1.2)))
    a = prog(t, 0.3, 1.2, ease_out)
    out.append(text(640, 132 + (1 - a) * 20, "26.10.2023  ·  New York", 58, WHITE, "bold", "middle", opacity=a))
    # TOP 7 x3 -> TOP 1 chips
    cw, ch, gap = 112, 40, 16
    total = 4 * cw + 3 * gap + 40
    x = 640 - total / 2
    for i in range(3):
        a = prog(t, 1.0 + 0.25 * i, 1.6 + 0.25 * i, ease_out)
        out.append(group('<rect x="%s" y="172" width="%d" height="%d" rx="20" fill="none" stroke="%s" stroke-width="2"/>'
                         % (f(x), cw, ch, GREEN_L)
                         + text(x + cw / 2, 199, "TOP 7", 19, GREEN_L, "bold", "middle", ls=1.5), opacity=a))
        x += cw + gap
    a = prog(t, 1.9, 2.3, ease_out)
    out.append(group('<path d="M%s 192 h24 m-8 -7 l8 7 l-8 7" fill="none" stroke="%s" stroke-width="2.5" '
                     'stroke-linecap="round" stroke-linejoin="round"/>' % (f(x + 4), GOLD_L), opacity=a))
    x += 40
    a = prog(t, 2.2, 2.8, lambda v: v)
    if a > 0:
        s = ease_out_back(a, 2.2)
        out.append(group('<rect x="%s" y="172" width="%d" height="%d" rx="20" fill="url(#gold)"/>'
                         % (f(x), cw, ch)
                         + text(x + cw / 2, 199, "TOP 1", 20, NAVY, "bold", "middle", ls=1.5),
                         opacity=clamp(a * 2), transform=zoom_about(x + cw / 2, 192, s)))
    # the two cities on the globe and the arc between them
    ny, bd = (430, 498), (840, 490)
    ap = prog(t, 0.8, 1.4, ease_out)
    for (px, py) in (ny, bd):
        out.append('<circle cx="%d" cy="%d" r="7" fill="%s" opacity="%.3f"/>' % (px, py, GOLD_L, ap))
    pts = bezier(ny, (636, 210), bd, 80)
    dp = prog(t, 1.6, 3.6, ease_in_out)
    if dp > 0:
        part = polyline_partial(pts, dp)
        out.append('<path d="%s" fill="none" stroke="%s" stroke-width="2.5" stroke-dasharray="2 7" '
                   'stroke-linecap="round"/>' % (path_d(part), GOLD_L))
        hx, hy = part[-1]
        if dp < 1:
            out.append('<circle cx="%s" cy="%s" r="16" fill="url(#glowwhite)"/>' % (f(hx), f(hy)))
            out.append('<circle cx="%s" cy="%s" r="4" fill="#FFFFFF"/>' % (f(hx), f(hy)))
    # arrival ripple
    for k in range(2):
        u = (t - 3.6 - k * 0.6)
        if 0 < u < 1.6:
            out.append('<circle cx="%d" cy="%d" r="%s" fill="none" stroke="%s" stroke-width="2" opacity="%.3f"/>'
                       % (bd[0], bd[1], f(7 + u * 24), GOLD_L, 1 - u / 1.6))
    a = prog(t, 1.0, 1.8, ease_out)
    out.append(text(ny[0] - 18, ny[1] - 34, "New York", 24, WHITE, "bold", "end", opacity=a))
    out.append(text(ny[0] - 18, ny[1] - 10, "26.10.2023", 17, GOLD_L, "regular", "end", ls=1, opacity=a))
    a = prog(t, 3.4, 4.2, ease_out)
    out.append(text(bd[0] + 26, bd[1] - 48, "Bình Dương, Việt Nam", 24, WHITE, "bold", "start", opacity=a))
    out.append(text(bd[0] + 26, bd[1] - 24, "rạng sáng 27.10.2023 · dawn, 27 Oct", 16, GOLD_L, "regular",
                    "start", opacity=a))
    return "".join(out)


# ------------------------------------------------------------ 4 25+ years
def _skyline():
    rnd = random.Random(SEED + 4)
    b = []
    x = 40
    while x < W - 40:
        w = rnd.uniform(38, 72)
        edge = abs(x + w / 2 - 640) / 600
        h = rnd.uniform(60, 120) + 120 * edge * rnd.uniform(0.5, 1.0)
        if rnd.random() < 0.12:
            h += 50
        wins = []
        cols = max(2, int((w - 10) / 11))
        rows = int((h - 16) / 14)
        for r_ in range(rows):
            for c_ in range(cols):
                if rnd.random() < 0.55:
                    wins.append((c_, r_, rnd.uniform(0, 6.28), rnd.random() < 0.25))
        b.append({"x": x, "w": w, "h": h, "cols": cols, "wins": wins,
                  "delay": 0.15 + 1.2 * (1 - edge) * 0.6 + rnd.uniform(0, 0.5),
                  "antenna": h > 190})
        x += w + rnd.uniform(4, 16)
    trees = [(rnd.uniform(50, W - 50), rnd.uniform(9, 17), rnd.uniform(0.6, 2.2)) for _ in range(26)]
    return b, trees


BUILDINGS, TREES = _skyline()
BASE = 604


def s_years(t, d):
    out = []
    # skyline
    for bd in BUILDINGS:
        g = prog(t, bd["delay"], bd["delay"] + 1.3, ease_out)
        if g <= 0:
            continue
        h = bd["h"] * g
        x, w = bd["x"], bd["w"]
        top = BASE - h
        out.append('<rect x="%s" y="%s" width="%s" height="%s" fill="url(#bldg)" stroke="#2D5BA3" '
                   'stroke-width="1" opacity="0.95"/>' % (f(x), f(top), f(w), f(h)))
        if bd["antenna"]:
            out.append('<line x1="%s" y1="%s" x2="%s" y2="%s" stroke="#2D5BA3" stroke-width="2"/>'
                       % (f(x + w / 2), f(top), f(x + w / 2), f(top - 26 * g)))
            blink = 0.5 + 0.5 * math.sin(t * 4)
            out.append('<circle cx="%s" cy="%s" r="3" fill="%s" opacity="%.2f"/>'
                       % (f(x + w / 2), f(top - 26 * g), GOLD_L, blink * g))
        cell = (w - 10) / bd["cols"]
        lit = prog(t, bd["delay"] + 0.9, bd["delay"] + 2.0)
        if lit > 0:
            ws = []
            for c_, r_, ph, gold in bd["wins"]:
                wy = top + 10 + r_ * 14
                if wy + 6 > BASE - 4:
                    continue
                o = lit * (0.45 + 0.35 * math.sin(t * 0.9 + ph))
                ws.append('<rect x="%s" y="%s" width="%s" height="6" fill="%s" opacity="%.2f"/>'
                          % (f(x + 5 + c_ * cell + 1.5), f(wy), f(cell - 4), GOLD_L if gold else "#CFE3FF", o))
            out.append("".join(ws))
    # trees and ground: the green in the growth
    for tx, tr, dl in TREES:
        g = prog(t, dl + 0.8, dl + 1.6, ease_out_back)
        if g > 0:
            out.append('<circle cx="%s" cy="%s" r="%s" fill="%s" opacity="0.95"/>'
                       % (f(tx), f(BASE - tr * g), f(tr * g), GREEN))
    out.append('<rect x="0" y="%d" width="%d" height="%d" fill="#081731"/>' % (BASE, W, H - BASE))
    lw = W * prog(t, 0.0, 1.4, ease_in_out)
    out.append('<rect x="%s" y="%d" width="%s" height="2" fill="%s"/>' % (f(640 - lw / 2), BASE, f(lw), GREEN))
    # counter
    n = int(round(25 * prog(t, 0.3, 2.3, ease_out)))
    a = prog(t, 0.2, 0.8, ease_out)
    xr = 640 + tw("25+", 150, "bold") / 2 - tw("+", 150, "bold")
    out.append(text(xr, 212, str(n), 150, WHITE, "bold", "end", opacity=a))
    out.append(text(xr, 212, "+", 150, GOLD_L, "bold", "start", opacity=prog(t, 2.1, 2.5, ease_out)))
    a = prog(t, 1.0, 1.8, ease_out)
    out.append(text(640, 258, "năm chuyển mình", 30, WHITE, "bold", "middle", ls=1, opacity=a))
    out.append(text(640, 290, "years of transformation", 21, MUTED, "regular", "middle", ls=1, opacity=a))
    # three balanced goals
    goals = [("Tăng trưởng kinh tế", "Economic growth", GOLD_L),
             ("Tiến bộ xã hội", "Social progress", "#CFE3FF"),
             ("Tăng trưởng xanh", "Green growth", GREEN_L)]
    for i, (vi, en, col) in enumerate(goals):
        cx = 640 + (i - 1) * 300
        a = prog(t, 2.4 + 0.3 * i, 3.2 + 0.3 * i, ease_out)
        c = '<circle cx="%s" cy="337" r="6" fill="%s"/>' % (f(cx - tw(vi, 21, "bold") / 2 - 16), col)
        c += text(cx, 344, vi, 21, WHITE, "bold", "middle")
        c += text(cx, 368, en, 16, MUTED, "regular", "middle")
        out.append(group(c, opacity=a, transform="translate(0 %s)" % f((1 - a) * 12)))
    return "".join(out)


# ------------------------------------------------------------- 5 smart city
CIRCUIT = Circuit(640, 362, 74, seed=5, per_side=5, reach=(160, 430), reach_v=(30, 60), spread_v=0.6)


def _label_card(x, y, vi, en, a, align="start"):
    w = max(tw(vi, 22, "bold"), tw(en, 16)) + 40
    x0 = x if align == "start" else x - w
    c = ('<rect x="%s" y="%s" width="%s" height="66" rx="12" fill="#0B1E3F" fill-opacity="0.9" '
         'stroke="%s" stroke-width="1.5"/>' % (f(x0), f(y), f(w), GREEN))
    c += '<rect x="%s" y="%s" width="4" height="34" rx="2" fill="%s"/>' % (f(x0 + 14), f(y + 16), GOLD)
    c += text(x0 + 28, y + 30, vi, 22, WHITE, "bold")
    c += text(x0 + 28, y + 52, en, 16, MUTED)
    dx = (1 - a) * (-30 if align == "start" else 30)
    return group(c, opacity=a, transform="translate(%s 0)" % f(dx))


def s_smart(t, d):
    out = []
    out.append(CIRCUIT.svg(t, draw=prog(t, 0.3, 2.4, lambda v: v), pulses=prog(t, 1.4, 2.2)))
    out.append(chip(640, 362, 74, prog(t, 0.1, 1.0, lambda v: v), t))
    a = prog(t, 0.3, 1.1, ease_out)
    out.append(text(640, 96 + (1 - a) * 14, "Smart City  ·  Innovation Zone", 42, WHITE, "bold", "middle", opacity=a))
    a = prog(t, 0.6, 1.4, ease_out)
    out.append(text(640, 132 + (1 - a) * 14, "Thành phố Thông minh · Vùng Đổi mới Sáng tạo", 21, GOLD_L,
                    "regular", "middle", ls=0.5, opacity=a))
    cards = [(90, 200, "Bán dẫn", "Semiconductors", "start"),
             (1190, 200, "Trung tâm R&D", "R&D centres", "end"),
             (90, 440, "Đại học", "Universities", "start"),
             (1190, 440, "Khởi nghiệp", "Start-ups", "end")]
    for i, (x, y, vi, en, al) in enumerate(cards):
        out.append(_label_card(x, y, vi, en, prog(t, 1.5 + 0.25 * i, 2.3 + 0.25 * i, ease_out), al))
    return "".join(out)


# ----------------------------------------------------------------- 6 invest
def s_invest(t, d):
    out = []
    out.append('<circle cx="640" cy="230" r="380" fill="url(#glowg)" opacity="%.3f"/>'
               % (0.35 * prog(t, 0.2, 1.8)))
    out.append(badge(640, 198, 104, prog(t, 0.15, 2.0, lambda v: v), t))
    a = prog(t, 1.0, 1.9, ease_out)
    out.append(text(640, 392 + (1 - a) * 18, "Đầu tư tại Bình Dương", 58, WHITE, "bold", "middle", opacity=a))
    a = prog(t, 1.3, 2.2, ease_out)
    out.append(text(640, 440 + (1 - a) * 18, "Invest in Bình Dương", 32, GOLD_L, "bold", "middle", ls=1, opacity=a))
    lw = 560 * prog(t, 1.6, 2.6, ease_in_out)
    out.append('<rect x="%s" y="466" width="%s" height="2" fill="url(#goldh)"/>' % (f(640 - lw / 2), f(lw)))
    a = prog(t, 2.0, 2.8, ease_out)
    out.append(text(640, 504, "Môi trường kinh doanh năng động · Hành chính minh bạch · Lao động lành nghề · Ưu đãi hấp dẫn",
                    18, WHITE, "regular", "middle", opacity=a * 0.95))
    out.append(text(640, 530, "Dynamic business environment · Transparent administration · Skilled workforce · Attractive incentives",
                    15, MUTED, "regular", "middle", opacity=a))
    a = prog(t, 2.6, 3.4, ease_out)
    out.append(text(640, 574, "ĐỐI TÁC  ·  PARTNERS", 12, GREEN_L, "bold", "middle", ls=4, opacity=a))
    out.append(text(640, 604, "BECAMEX IDC     ·     VSIP     ·     WTC BÌNH DƯƠNG", 19, WHITE, "bold", "middle",
                    ls=3, opacity=a))
    a = prog(t, 3.1, 3.9, ease_out)
    out.append(text(640, 664, "#InvestInBinhDuong   #SmartCity   #BinhDuong2023   #IntelligentCommunity   #ManufacturingInvestment",
                    15, GREEN_L, "regular", "middle", ls=0.3, opacity=a))
    return "".join(out)


# ------------------------------------------------------------------ timeline
# (start, end, scene, zoom from, zoom to, caption vi, caption en)
SCENES = [
    (0.0, 5.6, s_open, 1.0, 1.05, None, None),
    (5.0, 11.6, s_badge, 1.0, 1.04, None, None),
    (11.0, 17.6, s_newyork, 1.0, 1.045,
     "Sau ba năm liên tiếp trong TOP 7, Bình Dương vươn lên TOP 1",
     "After three consecutive years in the TOP 7, Bình Dương rises to TOP 1"),
    (17.0, 23.6, s_years, 1.0, 1.05,
     "Lời hứa được giữ trọn: người dân và doanh nghiệp là trung tâm",
     "A promise kept, with people and businesses at the centre"),
    (23.0, 29.6, s_smart, 1.0, 1.05,
     "Hệ sinh thái công nghiệp mới của Cách mạng Công nghiệp lần thứ Tư",
     "A new industrial ecosystem for the Fourth Industrial Revolution"),
    (29.0, 36.0, s_invest, 1.0, 1.035, None, None),
]
XFADE = 0.6


def frame(t):
    out = []
    end_fade = 1 - prog(t, DURATION - 0.9, DURATION - 0.05, ease_in_out)
    start_fade = prog(t, 0.0, 1.0, ease_out)
    net_alpha = start_fade * (0.55 if 17.0 < t < 23.6 else 1.0)
    out.append(NET.svg(t, net_alpha))
    for (a, b, fn, z0, z1, cvi, cen) in SCENES:
        if a - 0.001 <= t < b:
            lt = t - a
            d = b - a
            o = (prog(t, a, a + XFADE) if a > 0 else 1.0) * (1 - prog(t, b - XFADE, b) if b < DURATION else 1.0)
            z = lerp(z0, z1, clamp(lt / d))
            body = fn(lt, d)
            out.append(group(body, opacity=o, transform=zoom_about(640, 360, z)))
            if cvi:
                out.append(group(shade_bottom(1.0, 560), opacity=o))
                out.append(caption(lt, 1.2, d - 0.2, cvi, cen))
    # persistent brand marks once the badge has been revealed
    ba = prog(t, 11.0, 11.8) * (1 - prog(t, 29.0, 29.6))
    if ba > 0:
        out.append(wordmark(ba))
        out.append(group(badge(1208, 74, 40, 1.0, t, glow=False), opacity=ba))
    body = "".join(out)
    if end_fade < 1:
        body = group(body, opacity=end_fade)
    return body
