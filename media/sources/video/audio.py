#!/usr/bin/env python3
"""A calm synthesized score for a film: soft pad chords, a gentle arpeggio, a ping-pong echo.

  audio.py FILM out.wav      (FILM: film_binh_duong or film_innovation_zone)

Stdlib only and deterministic. Quiet on purpose (peaks around -10 dBFS): the kiosk
plays the films muted in the attract loop, with sound only when a visitor asks.
"""
import array
import importlib
import math
import os
import random
import sys
import wave

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

RATE = 32000
TAU = 2 * math.pi

# chord = (pad notes as MIDI numbers, bass note)
PRESETS = {
    "film_binh_duong": {
        "chord_len": 4.5, "step": 0.3, "pattern": [0, 1, 2, 3, 2, 1, 0, 2],
        "chords": [([57, 61, 64, 66], 50), ([57, 61, 62, 66], 47), ([55, 59, 62, 66], 43),
                   ([57, 61, 64, 69], 45)],
    },
    "film_innovation_zone": {
        "chord_len": 4.4, "step": 0.22, "pattern": [0, 2, 1, 3, 2, 1, 3, 2],
        "chords": [([55, 59, 62, 64], 52), ([55, 59, 60, 64], 48), ([55, 59, 62, 67], 43),
                   ([54, 57, 62, 66], 50)],
    },
}


def hz(m):
    return 440.0 * 2 ** ((m - 69) / 12)


def add_pad(L, R, start, length, note, amp):
    """Two slightly detuned sines per side, raised-cosine swell in and out."""
    att, rel = 1.6, 2.2
    n0 = int(start * RATE)
    n1 = min(len(L), int((start + length + rel) * RATE))
    fr = hz(note)
    wl1, wl2 = TAU * fr * 0.9977 / RATE, TAU * fr * 1.0016 / RATE
    wr1, wr2 = TAU * fr * 1.0023 / RATE, TAU * fr * 0.9984 / RATE
    wh = TAU * fr * 2.0 / RATE
    sin = math.sin
    for n in range(max(0, n0), n1):
        tt = (n - n0) / RATE
        if tt < att:
            e = 0.5 - 0.5 * math.cos(math.pi * tt / att)
        elif tt > length:
            e = 0.5 + 0.5 * math.cos(math.pi * min(1.0, (tt - length) / rel))
        else:
            e = 1.0
        k = n - n0
        h = 0.12 * sin(wh * k)
        L[n] += amp * e * (sin(wl1 * k) + sin(wl2 * k) + h)
        R[n] += amp * e * (sin(wr1 * k) + sin(wr2 * k) + h)


def add_pluck(L, R, start, note, amp, pan):
    """A soft bell: fundamental, a little octave and twelfth, exponential decay."""
    length = 1.4
    n0 = int(start * RATE)
    n1 = min(len(L), int((start + length) * RATE))
    w = TAU * hz(note) / RATE
    gl, gr = amp * (1 - pan) / 2, amp * (1 + pan) / 2
    sin, exp = math.sin, math.exp
    for n in range(max(0, n0), n1):
        k = n - n0
        tt = k / RATE
        e = (min(1.0, tt / 0.008)) * exp(-tt / 0.42)
        s = e * (sin(w * k) + 0.28 * sin(2 * w * k) * exp(-tt / 0.15) + 0.08 * sin(3 * w * k))
        L[n] += gl * s
        R[n] += gr * s


def main():
    film = sys.argv[1]
    out = sys.argv[2]
    dur = importlib.import_module(film).DURATION
    p = PRESETS[film]
    n = int(round(dur * RATE))
    L = [0.0] * n
    R = [0.0] * n
    rnd = random.Random(1027)
    cl = p["chord_len"]
    k = 0
    t = 0.0
    while t < dur:
        notes, bass = p["chords"][k % len(p["chords"])]
        for m in notes:
            add_pad(L, R, t, cl, m, 0.055)
        add_pad(L, R, t, cl, bass, 0.07)
        # arpeggio enters after the first chord, thins out on the last one
        if 0 < k and t + cl <= dur + 0.01:
            s = t
            i = 0
            while s < t + cl - 0.05:
                if not (t + cl > dur - 0.1 and s > t + cl * 0.5):
                    m = notes[p["pattern"][i % len(p["pattern"])]] + 12
                    add_pluck(L, R, s, m, 0.09 * rnd.uniform(0.7, 1.0), 0.45 if i % 2 else -0.45)
                s += p["step"]
                i += 1
        t += cl
        k += 1
    # ping-pong echo
    d = int(0.375 * RATE)
    fb, wet = 0.38, 0.3
    bl = [0.0] * n
    br = [0.0] * n
    for i in range(d, n):
        bl[i] = L[i - d] + fb * br[i - d]
        br[i] = R[i - d] + fb * bl[i - d]
    # master: fades, normalise to a quiet peak
    fi, fo = 1.5, 2.2
    peak = 1e-9
    for i in range(n):
        tt = i / RATE
        g = min(1.0, tt / fi) * min(1.0, (dur - tt) / fo)
        L[i] = (L[i] + wet * bl[i]) * g
        R[i] = (R[i] + wet * br[i]) * g
        peak = max(peak, abs(L[i]), abs(R[i]))
    scale = 0.32 / peak * 32767
    pcm = array.array("h", [0] * (2 * n))
    for i in range(n):
        pcm[2 * i] = int(L[i] * scale)
        pcm[2 * i + 1] = int(R[i] * scale)
    if sys.byteorder != "little":
        pcm.byteswap()
    with wave.open(out, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())


if __name__ == "__main__":
    main()
