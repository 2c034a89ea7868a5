#!/usr/bin/env python3
"""How closely the screens of one sync group showed the same thing at the same
time, from each screen's frame log (`kiosk --frame-log`).

Two measures, both in wall-clock milliseconds, which all screens of one machine
share:

- at every item start, the spread between the screens' first presented frames of
  the same turn (the same item in the same slot of the group's timeline);
- during films, once a second, the spread between the times the screens
  presented the same frame (same turn, same media time).

With two screens the spread is the offset between them; with more, the largest
offset between any two. Writes lockstep.md, lockstep.json and lockstep.png.

    analyze.py --out DIR --meta meta.json screen-1.jsonl screen-2.jsonl ...
"""

import argparse
import json
import math
import os
import sys
from collections import defaultdict
from pathlib import Path

FRAME_MS = 1000 / 60
GOAL_P95_MS = FRAME_MS
GOAL_MAX_MS = 2 * FRAME_MS


def read_log(path: Path) -> list[dict]:
    records = []
    for line in path.read_text(errors="replace").splitlines():
        try:
            r = json.loads(line)
        except json.JSONDecodeError:
            continue  # a line cut short when the app was stopped
        if isinstance(r, dict) and isinstance(r.get("wall"), (int, float)):
            records.append(r)
    return records


def percentile(values: list[float], p: float) -> float | None:
    if not values:
        return None
    s = sorted(values)
    return s[max(0, math.ceil(p / 100 * len(s)) - 1)]


def spread(times: list[float]) -> float:
    return max(times) - min(times)


def item_starts(logs: list[list[dict]]) -> list[dict]:
    """Turns every screen started, with the spread of their first frames."""
    per_screen = []
    for records in logs:
        starts = {}
        for r in records:
            # A screen that joins mid-turn starts later than the turn on purpose;
            # its film is measured with the others' from then on.
            if r.get("kind") == "start" and not r.get("joined"):
                starts.setdefault((r["slot"], r["item"]), r["wall"])
        per_screen.append(starts)
    common = set(per_screen[0]).intersection(*per_screen[1:])
    out = []
    for key in sorted(common):
        walls = [s[key] for s in per_screen]
        out.append({"slot": key[0], "item": key[1], "at": min(walls), "spread_ms": spread(walls),
                    "offsets_ms": [w - walls[0] for w in walls]})
    return out


def film_seconds(logs: list[list[dict]]) -> list[dict]:
    """Once a second of film: the first frame every screen presented, and the
    spread of the times they presented it."""
    per_screen = []
    for records in logs:
        frames = {}
        for r in records:
            if r.get("kind") == "frame" and isinstance(r.get("media"), (int, float)):
                frames.setdefault((r["slot"], r["item"], round(r["media"] * 1000)), r["wall"])
        per_screen.append(frames)
    common = set(per_screen[0]).intersection(*per_screen[1:])
    by_second: dict[tuple, tuple] = {}
    for key in common:
        walls = [s[key] for s in per_screen]
        second = (key[0], key[1], math.floor(min(walls) / 1000))
        if second not in by_second or min(walls) < by_second[second][0]:
            by_second[second] = (min(walls), key, walls)
    out = []
    for _, (at, key, walls) in sorted(by_second.items(), key=lambda kv: kv[1][0]):
        out.append({"slot": key[0], "item": key[1], "media_ms": key[2], "at": at, "spread_ms": spread(walls),
                    "offsets_ms": [w - walls[0] for w in walls]})
    return out


def corrections(logs: list[list[dict]]) -> list[dict]:
    return [{"screen": i + 1, **r} for i, records in enumerate(logs) for r in records
            if r.get("kind") in ("rate", "seek")]


def cpu_of(frame_log: Path) -> dict | None:
    """Mean CPU of a screen's app (its whole process tree) and of the machine, from
    the samples measure.py wrote beside its frame log, if any."""
    measure = frame_log.with_name(frame_log.name.replace("-frames.jsonl", "-measure.json"))
    try:
        samples = json.loads(measure.read_text()).get("samples") or []
    except (OSError, json.JSONDecodeError):
        return None
    own = [s["cpu_pct"] for s in samples[3:] if isinstance(s.get("cpu_pct"), (int, float))]
    machine = [s["system_cpu_pct"] for s in samples[3:] if isinstance(s.get("system_cpu_pct"), (int, float))]
    if not own:
        return None
    return {"app_cpu_pct": sum(own) / len(own), "machine_cpu_pct": sum(machine) / len(machine) if machine else None}


def stats(rows: list[dict]) -> dict:
    values = [r["spread_ms"] for r in rows]
    return {"count": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95),
            "max": max(values) if values else None}


def fmt(v) -> str:
    return "–" if v is None else f"{v:.1f}"


def goal(s: dict) -> tuple[bool, str]:
    if not s["count"]:
        return False, "FAIL (nothing measured)"
    ok = s["p95"] <= GOAL_P95_MS and s["max"] <= GOAL_MAX_MS
    return ok, ("PASS" if ok else "FAIL") + f" (p95 ≤ {GOAL_P95_MS:.1f} ms, max ≤ {GOAL_MAX_MS:.1f} ms)"


def table(result: dict) -> str:
    s, f = result["starts"], result["films"]
    lines = [
        "| | measured | p50 (ms) | p95 (ms) | max (ms) | goal |",
        "|---|---:|---:|---:|---:|---|",
        f"| item starts: first frames apart | {s['count']} | {fmt(s['p50'])} | {fmt(s['p95'])} | {fmt(s['max'])} | {goal(s)[1]} |",
        f"| films, once a second: the same frame apart | {f['count']} | {fmt(f['p50'])} | {fmt(f['p95'])} | {fmt(f['max'])} | {goal(f)[1]} |",
    ]
    return "\n".join(lines)


def plot(result: dict, path: Path) -> str:
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return "matplotlib is not available: no plot"
    t0 = min([r["at"] for r in result["start_rows"] + result["film_rows"]] or [0])
    fig, ax = plt.subplots(figsize=(11, 4.5), dpi=110)
    fr = result["film_rows"]
    ax.plot([(r["at"] - t0) / 1000 for r in fr], [r["spread_ms"] for r in fr], ".", ms=4, color="#1f77b4",
            label="films: the same frame apart, once a second")
    st = result["start_rows"]
    ax.plot([(r["at"] - t0) / 1000 for r in st], [r["spread_ms"] for r in st], "D", ms=6, color="#d62728",
            label="item starts: first frames apart")
    for c in result["corrections"]:
        ax.axvline((c["wall"] - t0) / 1000, color="#999" if c["kind"] == "rate" else "#e377c2", lw=0.6, ls=":")
    ax.axhline(GOAL_P95_MS, color="#2ca02c", ls="--", lw=1, label="one frame (p95 goal)")
    ax.axhline(GOAL_MAX_MS, color="#ff7f0e", ls="--", lw=1, label="two frames (max goal)")
    ax.set_xlabel("seconds since the first measurement (dotted lines: speed changes and seeks)")
    ax.set_ylabel("ms apart")
    ax.set_title(f"{result['screens']} screens in one sync group", pad=22)
    ax.set_ylim(0, max(GOAL_MAX_MS * 1.5, *(r["spread_ms"] * 1.1 for r in fr + st)) if fr + st else GOAL_MAX_MS * 1.5)
    ax.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=4, fontsize=8, frameon=False)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return ""


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--meta", type=Path)
    ap.add_argument("--strict", action="store_true", help="exit 3 when a goal is missed")
    ap.add_argument("logs", nargs="+", type=Path)
    args = ap.parse_args()
    if len(args.logs) < 2:
        print("analyze.py: needs the frame logs of at least two screens", file=sys.stderr)
        return 2
    logs = [read_log(p) for p in args.logs]
    for path, records in zip(args.logs, logs):
        if not records:
            print(f"analyze.py: {path} holds no frames: that screen showed nothing", file=sys.stderr)
    start_rows, film_rows = item_starts(logs), film_seconds(logs)
    result = {
        "screens": len(logs),
        "starts": stats(start_rows),
        "films": stats(film_rows),
        "start_rows": start_rows,
        "film_rows": film_rows,
        "corrections": corrections(logs),
        "cpu": [cpu_of(p) for p in args.logs],
        "meta": json.loads(args.meta.read_text()) if args.meta and args.meta.exists() else {},
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "lockstep.json").write_text(json.dumps(result, indent=1))
    note = plot(result, args.out / "lockstep.png")
    worst = sorted(start_rows + film_rows, key=lambda r: -r["spread_ms"])[:5]
    seeks = sum(1 for c in result["corrections"] if c["kind"] == "seek")
    rates = len(result["corrections"]) - seeks
    meta = result["meta"]
    md = [f"# Screens in step: {len(logs)} screens, one sync group", ""]
    if meta:
        md += [f"{meta.get('date', '')}, {meta.get('machine', '')}; {meta.get('ours', '')}; "
               f"{meta.get('seconds', '?')} s, {meta.get('screen', '')} per screen. {meta.get('scenario', '')}", ""]
    md += [table(result), "",
           f"Films were corrected {rates} times by speed and {seeks} times by a seek (all screens together).", ""]
    cpu = [c for c in result["cpu"] if c]
    if cpu:
        md += ["Mean CPU (% of one core): " + ", ".join(
            f"screen {i + 1} {c['app_cpu_pct']:.0f}" for i, c in enumerate(result["cpu"]) if c)
            + (f"; the whole machine {cpu[0]['machine_cpu_pct']:.0f} of {100 * (os.cpu_count() or 1)}"
               if cpu[0].get("machine_cpu_pct") is not None else "")
            + ". All screens share this machine: a busy machine presents frames late.", ""]
    if worst:
        md += ["Worst moments:", ""] + [
            f"- {r['item']} (turn at {r['slot']:.0f}{', frame at ' + str(r['media_ms']) + ' ms' if 'media_ms' in r else ', first frame'}): "
            f"{r['spread_ms']:.1f} ms apart" for r in worst] + [""]
    if note:
        md += [note, ""]
    md += ["![Offsets over time](lockstep.png)", ""]
    (args.out / "lockstep.md").write_text("\n".join(md))
    print(table(result))
    print()
    ok = all(goal(result[k])[0] for k in ("starts", "films"))
    print(f"starts: {goal(result['starts'])[1]}; films: {goal(result['films'])[1]}")
    return 3 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
