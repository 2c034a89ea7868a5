#!/usr/bin/env python3
"""The playback benchmark's report: a Markdown table comparing the two sides,
pass/fail lines against the goals, and a PNG with the gap of every boundary and
the memory of each side over time.

    python3 report.py --run RUN_DIR --out OUT_DIR [--strict]

RUN_DIR holds, for each side S in (ours, chromium): S-measure.json and
S-events.jsonl (the measured run), S-cold-measure.json (the first start), plus
plan.json and meta.json. Writes OUT_DIR/playback.md, OUT_DIR/playback.png and
OUT_DIR/playback.json (every number, for later comparison).
"""

import argparse
import json
import math
import sys
from pathlib import Path

from measure import parse_at, read_events

SIDES = [("ours", "kiosk app (WebKitGTK)"), ("chromium", "Chromium")]
BOUNDARY_TYPES = ["video→video", "image→video", "video→image", "image→image"]
GOAL_P95_MS = 17.0
GOAL_MAX_MS = 34.0
NOT_SKIPS = {None, "stopped", "schedule changed"}
BUSY_PCT = 25.0  # other processes' mean CPU (% of one core) above which a run is flagged


def percentile(values: list[float], p: float) -> float | None:
    """Nearest rank: the smallest value with at least p % of the values at or below it."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def load_json(path: Path) -> dict | None:
    try:
        return json.loads(path.read_text())
    except (OSError, json.JSONDecodeError):
        return None


def analyze(run: Path, side: str, kinds: dict[str, str]) -> dict:
    measure = load_json(run / f"{side}-measure.json") or {"error": "not measured", "samples": []}
    cold = load_json(run / f"{side}-cold-measure.json") or {}
    events = read_events(run / f"{side}-events.jsonl")
    out: dict = {"error": measure.get("error"), "cold_error": cold.get("error")}
    out["left_running_after_sigterm"] = measure.get("left_running_after_sigterm", [])

    starts = [e for e in events if e.get("kind") == "item_start"]
    ends = [e for e in events if e.get("kind") == "item_end"]
    first_at = measure.get("first_frame_at")
    spawn_at = measure.get("spawn_at")

    gaps = []
    for e in starts:
        d = e.get("data", {})
        if d.get("gap_ms") is None:
            continue
        before = (d.get("after") or "").split("/", 1)[-1]
        kind = f"{kinds.get(before, '?')}→{d.get('kind', '?')}"
        gaps.append(
            {
                "t": round(parse_at(e["at"]) - first_at, 3) if first_at else None,
                "gap_ms": float(d["gap_ms"]),
                "type": kind,
                "item": d.get("item"),
                "after": before,
                "timing": d.get("timing"),
            }
        )
    out["gaps"] = gaps
    out["items_started"] = len(starts)
    out["timing"] = sorted({g["timing"] for g in gaps if g["timing"]})

    def stats(values):
        return {
            "n": len(values),
            "p50": percentile(values, 50),
            "p95": percentile(values, 95),
            "max": max(values) if values else None,
        }

    out["gap"] = stats([g["gap_ms"] for g in gaps])
    out["gap_by_type"] = {t: stats([g["gap_ms"] for g in gaps if g["type"] == t]) for t in BOUNDARY_TYPES}
    others = sorted({g["type"] for g in gaps} - set(BOUNDARY_TYPES))
    out["gap_by_type"].update({t: stats([g["gap_ms"] for g in gaps if g["type"] == t]) for t in others})
    out["worst_gaps"] = sorted(gaps, key=lambda g: -g["gap_ms"])[:5]
    # Parts of the gap, when the player records them: how late the switching frame
    # ran (late_ms), how long from it to the presented frame (switch_frame_ms), and
    # the frame interval it saw (frame_ms).
    out["gap_parts"] = {}
    for field in ("late_ms", "switch_frame_ms", "frame_ms"):
        values = [float(e["data"][field]) for e in starts if e.get("data", {}).get("gap_ms") is not None and e["data"].get(field) is not None]
        if values:
            out["gap_parts"][field] = {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95), "max": max(values)}

    with_frames = [e["data"] for e in ends if e.get("data", {}).get("total_frames") is not None]
    out["dropped_frames"] = sum(int(d.get("dropped_frames") or 0) for d in with_frames)
    out["total_frames"] = sum(int(d.get("total_frames") or 0) for d in with_frames)
    skips = [e["data"] for e in ends if e.get("data", {}).get("skip_reason") not in NOT_SKIPS]
    out["skipped"] = [{"item": d.get("item"), "reason": d.get("skip_reason")} for d in skips]
    out["films_without_frames"] = [
        {"item": d.get("item"), "planned_ms": d.get("planned_ms"), "actual_ms": d.get("actual_ms")}
        for d in with_frames
        if int(d.get("total_frames") or 0) == 0 and d.get("skip_reason") in NOT_SKIPS
    ]
    played = [e["data"] for e in ends if e.get("data", {}).get("skip_reason") is None and e["data"].get("actual_ms")]
    out["length_error_ms"] = stats([abs(float(d["actual_ms"]) - float(d["planned_ms"])) for d in played])
    out["late_items"] = [
        {"item": d["item"], "planned_ms": d["planned_ms"], "actual_ms": d["actual_ms"]}
        for d in played
        if abs(float(d["actual_ms"]) - float(d["planned_ms"])) > 100
    ]

    samples = measure.get("samples", [])
    out["samples"] = [{"t": s["t"], "pss_mb": s["pss_mb"], "cpu_pct": s["cpu_pct"]} for s in samples]
    if first_at and spawn_at:
        ff = first_at - spawn_at
        out["first_frame_s"] = ff
        out["startup_ms"] = round(ff * 1000)
        after = [s for s in samples if s["t"] >= ff]
        steady = [s for s in samples if s["t"] - 1 >= ff]
        out["pss_start_mb"] = after[0]["pss_mb"] if after else None
        # The median of the last five samples: one sample can catch a brief dip.
        out["pss_end_mb"] = percentile([s["pss_mb"] for s in samples[-5:]], 50) if samples else None
        out["pss_peak_mb"] = max(s["pss_mb"] for s in samples) if samples else None
        out["cpu_mean_pct"] = round(sum(s["cpu_pct"] for s in steady) / len(steady), 1) if steady else None
        xs = [s["xvfb_cpu_pct"] for s in steady if s.get("xvfb_cpu_pct") is not None]
        out["xvfb_cpu_mean_pct"] = round(sum(xs) / len(xs), 1) if xs else None
        others = [
            s["system_cpu_pct"] - s["cpu_pct"] - (s.get("xvfb_cpu_pct") or 0)
            for s in steady
            if s.get("system_cpu_pct") is not None
        ]
        out["other_cpu_mean_pct"] = round(max(0.0, sum(others) / len(others)), 1) if others else None
        out["loadavg_at_spawn"] = measure.get("loadavg_at_spawn")
        out["pss_by_process_end"] = samples[-1].get("pss_mb_by_process", {}) if samples else {}
        out["monotonic_ms_first_event"] = measure.get("first_item_start", {}).get("monotonic_ms")
    if cold.get("first_frame_at") and cold.get("spawn_at"):
        out["cold_startup_ms"] = round((cold["first_frame_at"] - cold["spawn_at"]) * 1000)
    return out


def fmt(v, digits=1) -> str:
    if v is None:
        return "n/a"
    if isinstance(v, float):
        return f"{v:.{digits}f}"
    return str(v)


def gap_cell(s: dict) -> str:
    if not s["n"]:
        return "–"
    return f"{fmt(s['p50'])} / {fmt(s['p95'])} / {fmt(s['max'])}"


def ratio(a, b) -> str:
    if a is None or b in (None, 0):
        return ""
    return f"{a / b:.2f}×"


def table(r: dict) -> str:
    o, c = r["ours"], r["chromium"]
    rows = [
        ("| | " + " | ".join(label for _, label in SIDES) + " | ours / Chromium |"),
        "|---|---:|---:|---:|",
        f"| items started | {o['items_started']} | {c['items_started']} | |",
        f"| boundaries measured | {o['gap']['n']} | {c['gap']['n']} | |",
        f"| gap p50 / p95 / max (ms) | {gap_cell(o['gap'])} | {gap_cell(c['gap'])} | |",
    ]
    types = BOUNDARY_TYPES + sorted((set(o["gap_by_type"]) | set(c["gap_by_type"])) - set(BOUNDARY_TYPES))
    for t in types:
        so = o["gap_by_type"].get(t, {"n": 0})
        sc = c["gap_by_type"].get(t, {"n": 0})
        rows.append(f"| {t}: n, p50 / p95 / max (ms) | {so['n']}: {gap_cell(so)} | {sc['n']}: {gap_cell(sc)} | |")
    rows += [
        f"| frames dropped / total | {o['dropped_frames']} / {o['total_frames']} | {c['dropped_frames']} / {c['total_frames']} | |",
        f"| skipped items | {len(o['skipped'])} | {len(c['skipped'])} | |",
        f"| item length − plan, p50 / p95 / max (ms) | {gap_cell(o['length_error_ms'])} | {gap_cell(c['length_error_ms'])} | |",
        f"| PSS at start (MB) | {fmt(o.get('pss_start_mb'))} | {fmt(c.get('pss_start_mb'))} | {ratio(o.get('pss_start_mb'), c.get('pss_start_mb'))} |",
        f"| PSS at end (MB) | {fmt(o.get('pss_end_mb'))} | {fmt(c.get('pss_end_mb'))} | {ratio(o.get('pss_end_mb'), c.get('pss_end_mb'))} |",
        f"| PSS peak (MB) | {fmt(o.get('pss_peak_mb'))} | {fmt(c.get('pss_peak_mb'))} | {ratio(o.get('pss_peak_mb'), c.get('pss_peak_mb'))} |",
        f"| mean CPU (% of one core) | {fmt(o.get('cpu_mean_pct'))} | {fmt(c.get('cpu_mean_pct'))} | |",
        f"| Xvfb's mean CPU (% of one core, not in the above) | {fmt(o.get('xvfb_cpu_mean_pct'))} | {fmt(c.get('xvfb_cpu_mean_pct'))} | |",
        f"| other processes' mean CPU during the run (% of one core) | {fmt(o.get('other_cpu_mean_pct'))} | {fmt(c.get('other_cpu_mean_pct'))} | |",
        f"| startup to first frame (ms) | {fmt(o.get('startup_ms'))} | {fmt(c.get('startup_ms'))} | {ratio(o.get('startup_ms'), c.get('startup_ms'))} |",
        f"| first start: bundle import / new profile, to first frame (ms) | {fmt(o.get('cold_startup_ms'))} | {fmt(c.get('cold_startup_ms'))} | {ratio(o.get('cold_startup_ms'), c.get('cold_startup_ms'))} |",
    ]
    return "\n".join(rows)


def goal_lines(o: dict) -> tuple[list[str], bool]:
    lines, ok = [], True
    for name, value, goal in (("p95", o["gap"]["p95"], GOAL_P95_MS), ("max", o["gap"]["max"], GOAL_MAX_MS)):
        passed = value is not None and value <= goal
        ok &= passed
        lines.append(f"{'PASS' if passed else 'FAIL'}: our gap {name} {fmt(value)} ms (goal ≤ {goal:g} ms)")
    return lines, ok


def notes(r: dict) -> list[str]:
    out = []
    for side, label in SIDES:
        s = r[side]
        if s["error"]:
            out.append(f"- {label}: the run failed: {s['error']}")
        if s.get("cold_error"):
            out.append(f"- {label}: the first start failed: {s['cold_error']}")
        busy = s.get("other_cpu_mean_pct")
        if busy is not None and busy > BUSY_PCT:
            out.append(f"- WARNING {label}: other processes used {busy:.0f} % of a core during the run: its figures are not representative")
        if s.get("loadavg_at_spawn"):
            out.append(f"- {label}: load average when started: {' '.join(s['loadavg_at_spawn'])}")
        if s["timing"]:
            out.append(f"- {label}: boundaries timed with {', '.join(s['timing'])}")
        if s.get("gap_parts"):
            parts = "; ".join(f"{k} {gap_cell(v)}" for k, v in s["gap_parts"].items())
            out.append(f"- {label}: parts of the gap, p50 / p95 / max (ms): {parts}")
        for g in s["worst_gaps"][:3]:
            if g["gap_ms"] > GOAL_P95_MS:
                out.append(f"- {label}: gap {g['gap_ms']:.1f} ms at {g['t']:.1f} s, {g['after']} → {g['item']} ({g['type']})")
        for k in s["skipped"]:
            out.append(f"- {label}: skipped {k['item']}: {k['reason']}")
        blank = s["films_without_frames"]
        if blank:
            shown = ", ".join(f"{d['item']} ({d['actual_ms']:.0f} of {d['planned_ms']} ms)" for d in blank[:6])
            out.append(f"- {label}: {len(blank)} film(s) ended with no frame decoded (total_frames 0): {shown}")
        late = s["late_items"]
        if late:
            shown = ", ".join(f"{d['item']} {d['actual_ms']:.0f}/{d['planned_ms']} ms" for d in late[:6])
            out.append(f"- {label}: {len(late)} item(s) off their planned length by more than 100 ms: {shown}")
        if s["left_running_after_sigterm"]:
            out.append(f"- {label}: still running 3 s after the main process had exited on SIGTERM (then stopped): {', '.join(s['left_running_after_sigterm'])}")
        if s.get("pss_by_process_end"):
            parts = ", ".join(f"{k} {v:.0f}" for k, v in sorted(s["pss_by_process_end"].items(), key=lambda kv: -kv[1]))
            out.append(f"- {label}: PSS at the last sample, by process (MB): {parts}")
        if side == "ours" and s.get("monotonic_ms_first_event") is not None:
            out.append(f"- {label}: first item_start recorded {s['monotonic_ms_first_event']} ms after the app's device clock started (monotonic_ms)")
    return out


def plot(r: dict, path: Path) -> str:
    colors = {"ours": "#1f77b4", "chromium": "#ff7f0e"}
    labels = dict(SIDES)
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib.ticker
    except ImportError:
        plt = None
    if plt is not None:
        fig, (a1, a2) = plt.subplots(2, 1, figsize=(14, 9), dpi=110)
        markers = {"video→video": "o", "image→video": "^", "video→image": "v", "image→image": "s"}
        for side, _ in SIDES:
            gaps = [g for g in r[side]["gaps"] if g["t"] is not None]
            a1.plot([g["t"] for g in gaps], [g["gap_ms"] for g in gaps], "-", color=colors[side], alpha=0.35, lw=1)
            for t, m in markers.items():
                sel = [g for g in gaps if g["type"] == t]
                if sel:
                    a1.scatter([g["t"] for g in sel], [g["gap_ms"] for g in sel], marker=m, color=colors[side], s=28, label=f"{labels[side]}: {t}")
        a1.axhline(GOAL_P95_MS, color="green", ls="--", lw=1, label=f"goal: p95 ≤ {GOAL_P95_MS:g} ms")
        a1.axhline(GOAL_MAX_MS, color="red", ls="--", lw=1, label=f"goal: max ≤ {GOAL_MAX_MS:g} ms")
        a1.set_title("Gap at each boundary (how late the incoming item's first frame was)")
        a1.set_xlabel("seconds since the first frame")
        a1.set_ylabel("gap (ms; linear to 20, then logarithmic)")
        a1.set_yscale("symlog", linthresh=20, linscale=1.5)
        a1.set_ylim(bottom=0)
        top = a1.get_ylim()[1]
        a1.yaxis.set_major_locator(matplotlib.ticker.FixedLocator([t for t in (0, 10, 17, 34, 100, 300, 1000, 3000, 10000) if t <= top]))
        a1.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _pos: f"{v:g}"))
        a1.yaxis.set_minor_locator(matplotlib.ticker.NullLocator())
        a1.grid(alpha=0.3)
        a1.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
        for side, _ in SIDES:
            s = r[side]
            a2.plot([x["t"] for x in s["samples"]], [x["pss_mb"] for x in s["samples"]], color=colors[side], label=f"{labels[side]}")
            if s.get("first_frame_s") is not None:
                a2.axvline(s["first_frame_s"], color=colors[side], ls=":", lw=1, label=f"{labels[side]}: first frame")
        a2.set_title("Memory of the whole process tree (sum of PSS)")
        a2.set_xlabel("seconds since the process was started")
        a2.set_ylabel("PSS (MB)")
        a2.set_ylim(bottom=0)
        a2.grid(alpha=0.3)
        a2.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
        fig.tight_layout()
        fig.savefig(path)
        plt.close(fig)
        return "matplotlib"

    import plotpng

    rgb = {"ours": (31, 119, 180), "chromium": (255, 127, 14)}
    plotpng.render(
        str(path),
        [
            {
                "title": "Gap at each boundary (ms)",
                "xlabel": "seconds since the first frame",
                "ylabel": "ms",
                "series": [
                    {"label": labels[side], "color": rgb[side], "markers": True, "points": [(g["t"], g["gap_ms"]) for g in r[side]["gaps"] if g["t"] is not None]}
                    for side, _ in SIDES
                ],
                "hlines": [(GOAL_P95_MS, (0, 150, 0), "goal p95 17"), (GOAL_MAX_MS, (200, 0, 0), "goal max 34")],
            },
            {
                "title": "PSS of the process tree (MB)",
                "xlabel": "seconds since the process was started",
                "ylabel": "MB",
                "series": [{"label": labels[side], "color": rgb[side], "points": [(x["t"], x["pss_mb"]) for x in r[side]["samples"]]} for side, _ in SIDES],
            },
        ],
    )
    return "built-in PNG writer"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--strict", action="store_true", help="exit 3 when a goal is missed")
    args = ap.parse_args()
    plan = load_json(args.run / "plan.json") or {"items": []}
    meta = load_json(args.run / "meta.json") or {}
    kinds = {i["id"]: i["kind"] for i in plan["items"]}
    r = {side: analyze(args.run, side, kinds) for side, _ in SIDES}

    goals, ok = goal_lines(r["ours"])
    header = [
        "# Playback benchmark",
        "",
        f"{meta.get('date', '')} · {meta.get('machine', '')} · {meta.get('seconds', '?')} s per side after the first frame"
        f" · playlist of {len(plan['items'])} items ({sum(1 for i in plan['items'] if i['kind'] == 'video')} films),"
        f" crossfade {plan.get('crossfade_ms', '?')} ms · display Xvfb 1920x1080",
        "",
        f"ours: {meta.get('ours', '')} · Chromium: {meta.get('chromium', '')}",
        "",
    ]
    text = "\n".join(header) + table(r) + "\n\n" + "\n".join(goals) + "\n"
    extra = notes(r)
    if extra:
        text += "\n" + "\n".join(extra) + "\n"
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "playback.md").write_text(text)
    (args.out / "playback.json").write_text(json.dumps({"meta": meta, "plan_items": len(plan["items"]), **r}, indent=1) + "\n")
    how = plot(r, args.out / "playback.png")
    print(text)
    print(f"table: {args.out / 'playback.md'}\nplot:  {args.out / 'playback.png'} ({how})")
    if r["ours"]["error"] or r["chromium"]["error"]:
        return 1
    return 3 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
