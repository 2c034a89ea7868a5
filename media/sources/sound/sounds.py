#!/usr/bin/env python3
"""The kiosk's own sounds: a soft touch tick and a calm, seamlessly looping music bed.

  sounds.py touch OUT.wav    ~75 ms pluck played for each touch in kiosk mode
  sounds.py bed OUT.wav      ~48 s pad and bell loop played under signage playlists
  sounds.py check FILE.wav   prints length, peak, RMS and the jump across the loop point

Mono, 24 kHz, 16-bit PCM. Stdlib only and deterministic: the same source always
gives the same samples.

The bed is in D major, eight chords of six seconds (D, Bm, G, A, D/F#, G, Em, Asus4):
warm and unhurried, resolving back to D where the loop starts again. It is rendered
on a circle: every note's tail that runs past the end is added back at the start, and
the echo is computed the same way, so the last sample leads into the first as any
two neighbouring samples do and the loop has no seam, no fade and no click.
"""
import array
import math
import random
import sys
import wave

RATE = 24000
TAU = 2 * math.pi


def hz(midi):
    return 440.0 * 2 ** ((midi - 69) / 12)


def write_wav(path, samples, peak):
    """Scales `samples` to `peak` (of full scale) and writes 16-bit mono PCM."""
    top = max(1e-9, max(abs(s) for s in samples))
    scale = peak / top * 32767
    pcm = array.array("h", (int(round(s * scale)) for s in samples))
    if sys.byteorder != "little":
        pcm.byteswap()
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())


# --- the touch tick -----------------------------------------------------------------

def touch():
    """A soft marimba-like pluck on A5.

    A 2.5 ms raised-cosine attack (no click at the start), an exponential decay, and a
    raised-cosine tail over the last 12 ms that reaches exactly zero (no click at the
    end). A quiet partial at 3.93x gives the wooden colour of a marimba bar and dies
    away much faster than the fundamental.
    """
    length = 0.075
    n = int(length * RATE)
    attack = 0.0025
    tail = 0.012
    f0 = hz(81)  # A5, the dominant of the bed's D major
    out = []
    for k in range(n):
        t = k / RATE
        if t < attack:
            env = 0.5 - 0.5 * math.cos(math.pi * t / attack)
        else:
            env = 1.0
        env *= math.exp(-t / 0.018)
        left = length - t
        if left < tail:
            env *= 0.5 - 0.5 * math.cos(math.pi * max(0.0, left - 1 / RATE) / tail)
        s = math.sin(TAU * f0 * t) + 0.16 * math.exp(-t / 0.006) * math.sin(TAU * f0 * 3.93 * t)
        out.append(env * s)
    out[-1] = 0.0
    return out


# --- the music bed --------------------------------------------------------------------

# (pad notes as MIDI numbers, bass note): D, Bm, G, A, D/F#, G, Em, Asus4
CHORDS = [
    ([54, 57, 61, 64], 50),   # Dmaj9 (no root in the pad: the bass has it)
    ([57, 61, 62, 66], 47),   # Bm9
    ([54, 57, 59, 62], 43),   # Gmaj9
    ([52, 57, 61, 64], 45),   # A(add9)
    ([54, 57, 62, 64], 42),   # D/F#
    ([54, 59, 62, 64], 43),   # Gmaj7(add6)
    ([55, 59, 62, 66], 40),   # Em9
    ([52, 57, 59, 62], 45),   # Asus4(add9), leading back to D
]
CHORD_SECONDS = 6.0
BED_SECONDS = CHORD_SECONDS * len(CHORDS)


def add_circular(buf, start, length, render):
    """Adds `render(k)` for k in 0..length samples at `start`, wrapping past the end."""
    n = len(buf)
    for k in range(length):
        buf[(start + k) % n] += render(k)


def add_pad(buf, start, hold, note, amp):
    """Two slightly detuned sines and a faint octave, with a slow swell in and out."""
    attack, release = 2.4, 3.2
    length = int((hold + release) * RATE)
    f = hz(note)
    w1, w2, w3 = TAU * f * 0.9981 / RATE, TAU * f * 1.0019 / RATE, TAU * f * 2.0 / RATE
    a_n, h_n = attack * RATE, hold * RATE
    r_n = release * RATE
    sin, cos, pi = math.sin, math.cos, math.pi

    def render(k):
        if k < a_n:
            e = 0.5 - 0.5 * cos(pi * k / a_n)
        elif k > h_n:
            e = 0.5 + 0.5 * cos(pi * min(1.0, (k - h_n) / r_n))
        else:
            e = 1.0
        return amp * e * (sin(w1 * k) + sin(w2 * k) + 0.1 * sin(w3 * k))

    add_circular(buf, int(start * RATE), length, render)


def add_bell(buf, start, note, amp):
    """A soft, far-away bell: a smooth 12 ms onset, a long gentle decay."""
    length = int(3.0 * RATE)
    w = TAU * hz(note) / RATE
    onset = 0.012 * RATE
    tail = 0.3 * RATE
    sin, exp, cos, pi = math.sin, math.exp, math.cos, math.pi

    def render(k):
        t = k / RATE
        e = (0.5 - 0.5 * cos(pi * k / onset)) if k < onset else 1.0
        e *= exp(-t / 0.7)
        if k > length - tail:
            e *= 0.5 + 0.5 * cos(pi * (k - (length - tail)) / tail)
        return amp * e * (sin(w * k) + 0.2 * exp(-t / 0.25) * sin(2 * w * k) + 0.05 * sin(3 * w * k))

    add_circular(buf, int(start * RATE), length, render)


def circular_echo(dry, delay_s, feedback, wet):
    """A feedback echo on a loop: computed over two turns, the second kept."""
    n = len(dry)
    d = int(delay_s * RATE)
    echo = [0.0] * (2 * n)
    for i in range(d, 2 * n):
        echo[i] = dry[(i - d) % n] + feedback * echo[i - d]
    return [dry[i] + wet * echo[n + i] for i in range(n)]


def bed():
    n = int(BED_SECONDS * RATE)
    buf = [0.0] * n
    rnd = random.Random(2023)
    # bell figure per chord: beats (of 0.75 s) and which pad note, an octave up
    figures = [
        [(0, 3), (2, 2), (4, 1)],
        [(1, 3), (3, 1), (6, 2)],
        [(0, 2), (3, 3)],
        [(1, 1), (2, 2), (4, 3)],
        [(0, 3), (2, 2), (5, 1)],
        [(1, 2), (4, 3)],
        [(0, 3), (3, 2), (5, 1)],
        [(1, 3), (4, 1)],
    ]
    for i, (notes, bass) in enumerate(CHORDS):
        t = i * CHORD_SECONDS
        for m in notes:
            add_pad(buf, t, CHORD_SECONDS, m, 0.05)
        add_pad(buf, t, CHORD_SECONDS, bass, 0.075)
        for beat, which in figures[i]:
            add_bell(buf, t + 0.4 + beat * 0.75, notes[which] + 12, 0.06 * rnd.uniform(0.7, 1.0))
    # a slow breath over the whole loop: exactly two cycles, so it is periodic too
    for k in range(n):
        buf[k] *= 0.92 + 0.08 * math.cos(TAU * 2 * k / n)
    return circular_echo(buf, 0.5, 0.35, 0.28)


# --- checking ---------------------------------------------------------------------------

def check(path):
    with wave.open(path, "rb") as w:
        rate, width, channels = w.getframerate(), w.getsampwidth(), w.getnchannels()
        data = array.array("h", w.readframes(w.getnframes()))
    if sys.byteorder != "little":
        data.byteswap()
    x = [v / 32768 for v in data[::channels]]
    steps = [abs(x[i] - x[i - 1]) for i in range(1, len(x))]
    rms = math.sqrt(sum(v * v for v in x) / len(x))
    db = lambda v: 20 * math.log10(max(v, 1e-9))
    print(f"{path}: {len(x)} samples, {len(x) / rate:.3f} s at {rate} Hz, {channels} ch, {8 * width}-bit")
    print(f"  peak {db(max(abs(v) for v in x)):.1f} dBFS, rms {db(rms):.1f} dBFS")
    print(f"  first {x[0]:+.5f}, last {x[-1]:+.5f}")
    print(f"  jump across the loop point {abs(x[0] - x[-1]):.5f}, largest step inside {max(steps):.5f}")


def main():
    what, out = sys.argv[1], sys.argv[2]
    if what == "touch":
        write_wav(out, touch(), 0.5)
    elif what == "bed":
        write_wav(out, bed(), 0.6)
    elif what == "check":
        check(out)
    else:
        sys.exit(f"sounds.py: unknown sound {what!r} (touch, bed or check)")


if __name__ == "__main__":
    main()
