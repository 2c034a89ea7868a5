#!/usr/bin/env python3
"""The soak's report: a Markdown table of the whole run and one of each window of
it, pass/fail lines against the goals, and a PNG with memory, CPU, gaps and
dropped frames over time.

    python3 soak_report.py --run RUN_DIR --out OUT_DIR --duration S --warmup S [--strict]

RUN_DIR holds ours-measure.json, ours-samples.jsonl and ours-events.jsonl (the
measured run, from measure.py --samples), ours-cold-measure.json (the first start),
plan.json and meta.json. --duration is the planned length of the soak after the
first frame, --warmup the time after the first frame that memory may still grow.
Writes OUT_DIR/soak.md, OUT_DIR/soak.png and OUT_DIR/soak.json (every number
behind them). Exit status: 1 when the run failed (the app exited, no first frame),
3 with --strict when a goal is missed, else 0.

Goals: memory growth after the warm-up ≤ 5 % (the median PSS of the last minute
against the median of the minute after the warm-up: a median over a minute, not
one sample, as a single sample can catch a brief peak or dip), no gap over 34 ms
(two frames at 60 Hz), and no stall (a stalled player records no boundary, so
gaps alone would not show it): never longer than the longest planned item plus
STALL_SLACK_S without a new item.
"""

import argparse
import json
import sys
from pathlib import Path

from measure import parse_at, read_events
from report import BUSY_PCT, GOAL_MAX_MS, GOAL_P95_MS, NOT_SKIPS, fmt, load_json, percentile

GOAL_GROWTH_PCT = 5.0
GOAL_GAP_MS = GOAL_MAX_MS  # two frames at 60 Hz
MEDIAN_S = 60.0  # the span whose median PSS stands for "after the warm-up" and "at the end"
WINDOW_S = 600.0  # the windows of the second table (see windows())
STALL_SLACK_S = 5.0


def clock(seconds: float | None) -> str:
    """H:MM:SS, or M:SS under an hour."""
    if seconds is None:
        return "n/a"
    s = int(round(seconds))
    sign, s = ("-" if s < 0 else ""), abs(s)
    return f"{sign}{s // 3600}:{s % 3600 // 60:02d}:{s % 60:02d}" if s >= 3600 else f"{sign}{s // 60}:{s % 60:02d}"


def median(values: list[float]) -> float | None:
    if not values:
        return None
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def read_samples(path: Path) -> list[dict]:
    """The samples of measure.py --samples; a line cut by a stop is skipped."""
    samples = []
    try:
        with open(path) as f:
            for line in f:
                try:
                    samples.append(json.loads(line))
                except json.JSONDecodeError:
                    pass
    except FileNotFoundError:
        pass
    return samples


def windows(planned_s: float, measured_s: float) -> list[tuple[float, float]]:
    """10-minute windows from the first frame; a tenth of the run when it is planned
    shorter than 100 minutes and a 24th when longer than 4 hours, so the table has
    10 to 24 rows. The last window ends with the run."""
    width = min(max(WINDOW_S, planned_s / 24), planned_s / 10)
    n = max(1, round(measured_s / width))
    return [(i * width, (i + 1) * width if i < n - 1 else measured_s) for i in range(n)]


def analyze(run: Path, planned_s: float, warmup_s: float, plan: dict) -> dict:
    measure = load_json(run / "ours-measure.json") or {"error": "not measured"}
    cold = load_json(run / "ours-cold-measure.json") or {}
    samples = read_samples(run / "ours-samples.jsonl") or measure.get("samples", [])
    events = read_events(run / "ours-events.jsonl")
    r: dict = {
        "planned_s": planned_s,
        "warmup_s": warmup_s,
        "error": measure.get("error"),
        "cold_error": cold.get("error"),
        "exit_status": measure.get("exit_status"),
        "left_running_after_sigterm": measure.get("left_running_after_sigterm", []),
        "killed": measure.get("killed", []),
        "loadavg_at_spawn": measure.get("loadavg_at_spawn"),
    }
    first_at = measure.get("first_frame_at")
    spawn_at = measure.get("spawn_at")
    if first_at is None or spawn_at is None:
        r["measured_s"] = None
        return r
    r["startup_ms"] = round((first_at - spawn_at) * 1000)

    def since_first(s: dict) -> float:
        # `at` is the wall clock, as the events' `at`; older samples only have `t`.
        return (s["at"] if "at" in s else spawn_at + s["t"]) - first_at

    for s in samples:
        s["x"] = since_first(s)
    played = [s for s in samples if s["x"] >= 0]
    # The run lasted until measure.py stopped the app (the last sample is up to a
    # second earlier).
    last_x = played[-1]["x"] if played else 0.0
    measured_s = max(last_x, measure["stopped_at"] - first_at) if measure.get("stopped_at") else last_x
    r["measured_s"] = measured_s
    # A sample's CPU covers the second before it: the first one after the first
    # frame still holds the startup's work.
    steady = [s for s in played if s["x"] >= 1]

    # --- memory -----------------------------------------------------------------------
    r["pss_first_frame_mb"] = played[0]["pss_mb"] if played else None
    base = [s for s in played if warmup_s <= s["x"] < warmup_s + MEDIAN_S]
    last = [s for s in played if s["x"] > measured_s - MEDIAN_S]
    long_enough = measured_s >= warmup_s + 2 * MEDIAN_S
    r["pss_base_window_s"] = [warmup_s, warmup_s + MEDIAN_S]
    r["pss_end_window_s"] = [max(0.0, measured_s - MEDIAN_S), measured_s]
    r["pss_base_mb"] = median([s["pss_mb"] for s in base]) if long_enough else None
    r["pss_end_mb"] = median([s["pss_mb"] for s in last]) if last else None
    r["growth_pct"] = (
        100.0 * (r["pss_end_mb"] - r["pss_base_mb"]) / r["pss_base_mb"] if r["pss_base_mb"] and r["pss_end_mb"] is not None else None
    )
    # The same without the pages of mapped files (libraries, fonts, films), whose
    # share moves when processes outside the tree map the same files: heap and
    # shared memory, where a leak would be.
    nf_base = [s["pss_no_file_mb"] for s in base if s.get("pss_no_file_mb") is not None]
    nf_last = [s["pss_no_file_mb"] for s in last if s.get("pss_no_file_mb") is not None]
    r["pss_no_file_base_mb"] = median(nf_base) if long_enough else None
    r["pss_no_file_end_mb"] = median(nf_last)
    r["growth_no_file_pct"] = (
        100.0 * (r["pss_no_file_end_mb"] - r["pss_no_file_base_mb"]) / r["pss_no_file_base_mb"]
        if r["pss_no_file_base_mb"] and r["pss_no_file_end_mb"] is not None
        else None
    )
    if samples:
        peak = max(samples, key=lambda s: s["pss_mb"])
        r["pss_peak_mb"], r["pss_peak_s"] = peak["pss_mb"], peak["x"]
    # The trend after the warm-up (least squares, MB per hour): a slow leak shows here
    # before it reaches 5 %.
    after = [s for s in played if s["x"] >= warmup_s]
    if len(after) >= 60:
        mx, my = mean([s["x"] for s in after]), mean([s["pss_mb"] for s in after])
        sxx = sum((s["x"] - mx) ** 2 for s in after)
        r["pss_trend_mb_per_h"] = 3600 * sum((s["x"] - mx) * (s["pss_mb"] - my) for s in after) / sxx if sxx else None
    by_process: dict[str, dict] = {}
    for name in sorted({k for s in base + last for k in s.get("pss_mb_by_process", {})}):
        b = median([s["pss_mb_by_process"].get(name, 0.0) for s in base])
        e = median([s["pss_mb_by_process"].get(name, 0.0) for s in last])
        by_process[name] = {"base_mb": b, "end_mb": e}
    r["pss_by_process"] = by_process if long_enough else {}

    # --- CPU ---------------------------------------------------------------------------
    r["cpu_mean_pct"] = mean([s["cpu_pct"] for s in steady])
    r["xvfb_cpu_mean_pct"] = mean([s["xvfb_cpu_pct"] for s in steady if s.get("xvfb_cpu_pct") is not None])
    others = [s["system_cpu_pct"] - s["cpu_pct"] - (s.get("xvfb_cpu_pct") or 0) for s in steady if s.get("system_cpu_pct") is not None]
    r["other_cpu_mean_pct"] = max(0.0, mean(others)) if others else None

    # --- the player's events -----------------------------------------------------------
    kinds = {i["id"]: i["kind"] for i in plan.get("items", [])}
    starts = [e for e in events if e.get("kind") == "item_start"]
    ends = [e for e in events if e.get("kind") == "item_end"]
    start_xs = sorted(parse_at(e["at"]) - first_at for e in starts)
    gaps = []
    restarts = []
    for i, e in enumerate(starts):
        d = e.get("data", {})
        x = parse_at(e["at"]) - first_at
        if d.get("gap_ms") is None:
            if i > 0:  # an item with no item before it: the player started over
                restarts.append({"t": x, "item": d.get("item")})
            continue
        before = (d.get("after") or "").split("/", 1)[-1]
        gaps.append({"t": x, "gap_ms": float(d["gap_ms"]), "item": d.get("item"), "after": before, "type": f"{kinds.get(before, '?')}→{d.get('kind', '?')}"})
    r["items_started"] = len(starts)
    r["player_restarts"] = restarts
    values = [g["gap_ms"] for g in gaps]
    r["gap"] = {"n": len(values), "p50": percentile(values, 50), "p95": percentile(values, 95), "max": max(values) if values else None}
    r["gaps_over_goal"] = sum(1 for v in values if v > GOAL_GAP_MS)
    r["worst_gaps"] = sorted(gaps, key=lambda g: -g["gap_ms"])[:5]
    r["gaps"] = gaps

    # The longest time without a new item, to the end of the run too.
    marks = start_xs + [measured_s]
    holes = [(b - a, a) for a, b in zip(marks, marks[1:])]
    r["longest_without_item_s"], r["longest_without_item_at_s"] = max(holes) if holes else (None, None)
    r["longest_planned_item_s"] = max((i["planned_ms"] for i in plan.get("items", [])), default=0) / 1000

    framed = [(parse_at(e["at"]) - first_at, e["data"]) for e in ends if e.get("data", {}).get("total_frames") is not None]
    r["dropped_frames"] = sum(int(d.get("dropped_frames") or 0) for _, d in framed)
    r["total_frames"] = sum(int(d.get("total_frames") or 0) for _, d in framed)
    skipped: dict[str, int] = {}
    for e in ends:
        d = e.get("data", {})
        if d.get("skip_reason") not in NOT_SKIPS:
            key = f"{d.get('item')}: {d.get('skip_reason')}"
            skipped[key] = skipped.get(key, 0) + 1
    r["skipped"] = skipped
    r["films_without_frames"] = sum(1 for _, d in framed if int(d.get("total_frames") or 0) == 0 and d.get("skip_reason") in NOT_SKIPS)

    # --- processes ---------------------------------------------------------------------
    # A process of the tree at the first frame that ends is one that died (or was
    # replaced); helpers that come and go during playback are told apart from it.
    changes = [dict(c, x=c["at"] - first_at) for c in measure.get("process_changes", [])]
    during = [c for c in changes if c["x"] >= 0]
    new = {(c["pid"], c["name"]) for c in during if c["change"] == "started"}
    gone = {(c["pid"], c["name"]) for c in during if c["change"] != "started"}
    r["process_changes_during_playback"] = during
    r["processes_ended"] = [c for c in during if c["change"] != "started" and (c["pid"], c["name"]) not in new]
    r["processes_came_and_went"] = [c for c in during if c["change"] != "started" and (c["pid"], c["name"]) in new]
    r["processes_new_at_end"] = [c for c in during if c["change"] == "started" and (c["pid"], c["name"]) not in gone]
    r["process_changes_left_off"] = measure.get("process_changes_left_off", 0)

    # --- windows -----------------------------------------------------------------------
    rows = []
    spans = windows(planned_s, measured_s)
    for i, (lo, hi) in enumerate(spans):
        last_one = i == len(spans) - 1

        def inside(x: float, lo=lo, hi=hi, last_one=last_one) -> bool:
            # The last window also takes what came after the last sample, before the stop.
            return lo <= x and (x < hi or last_one)

        ws = [s for s in played if inside(s["x"])]
        wg = [g["gap_ms"] for g in gaps if inside(g["t"])]
        wf = [d for x, d in framed if inside(x)]
        dropped, total = sum(int(d.get("dropped_frames") or 0) for d in wf), sum(int(d.get("total_frames") or 0) for d in wf)
        rows.append(
            {
                "from_s": lo,
                "to_s": hi,
                "pss_median_mb": median([s["pss_mb"] for s in ws]),
                "cpu_mean_pct": mean([s["cpu_pct"] for s in ws if s["x"] >= 1]),
                "dropped_frames": dropped,
                "total_frames": total,
                "dropped_pct": 100.0 * dropped / total if total else None,
                "boundaries": len(wg),
                "gaps_over_goal": sum(1 for v in wg if v > GOAL_GAP_MS),
                "gap_max_ms": max(wg) if wg else None,
            }
        )
    r["windows"] = rows

    # For the plot: every sample, from the spawn.
    r["samples"] = [
        {"x": round(s["x"], 3), "pss_mb": s["pss_mb"], "pss_no_file_mb": s.get("pss_no_file_mb"), "cpu_pct": s["cpu_pct"], "xvfb_cpu_pct": s.get("xvfb_cpu_pct")}
        for s in samples
    ]
    return r


def pct(part: int, whole: int) -> str:
    return f" ({100.0 * part / whole:.1f} %)" if whole else ""


def goals(r: dict) -> tuple[list[str], bool]:
    lines, ok = [], True

    def line(passed: bool, text: str) -> None:
        nonlocal ok
        ok &= passed
        lines.append(f"{'PASS' if passed else 'FAIL'}: {text}")

    g = r.get("growth_pct")
    if g is None:
        line(False, f"memory growth after the warm-up: not measured (the run needs at least the warm-up plus {2 * MEDIAN_S:.0f} s)")
    else:
        line(g <= GOAL_GROWTH_PCT, f"memory growth after the warm-up {g:+.1f} % (goal ≤ {GOAL_GROWTH_PCT:g} %)")
    if r["gap"]["n"]:
        line(r["gaps_over_goal"] == 0, f"{r['gaps_over_goal']} of {r['gap']['n']} gaps over {GOAL_GAP_MS:g} ms, max {fmt(r['gap']['max'])} ms (goal: none)")
    else:
        line(False, "no boundary was measured")
    limit = r["longest_planned_item_s"] + STALL_SLACK_S
    hole = r.get("longest_without_item_s")
    if hole is not None:
        line(
            hole <= limit,
            f"longest time without a new item {hole:.1f} s at {clock(r['longest_without_item_at_s'])} (goal ≤ {limit:g} s: the longest planned item + {STALL_SLACK_S:g} s)",
        )
    return lines, ok


def tables(r: dict) -> str:
    g = r["gap"]

    def names(changes: list[dict]) -> str:
        return f"{len(changes)}{' (' + ', '.join(sorted({c['name'] for c in changes})) + ')' if changes else ''}"

    base_win = f"{clock(r['pss_base_window_s'][0])}–{clock(r['pss_base_window_s'][1])}"
    growth = r.get("growth_pct")
    growth_cell = f"{growth:+.1f} %" if growth is not None else "n/a"
    growth_goal = "n/a" if growth is None else ("PASS" if growth <= GOAL_GROWTH_PCT else "FAIL") + f" (≤ {GOAL_GROWTH_PCT:g} %)"
    gap_goal = ("PASS" if g["n"] and r["gaps_over_goal"] == 0 else "FAIL") + " (none)"
    limit = r["longest_planned_item_s"] + STALL_SLACK_S
    hole = r.get("longest_without_item_s")
    hole_goal = "" if hole is None else ("PASS" if hole <= limit else "FAIL") + f" (≤ {limit:g} s)"
    trend = f"{r['pss_trend_mb_per_h']:+.1f}" if r.get("pss_trend_mb_per_h") is not None else "n/a"
    nf = f"{fmt(r.get('pss_no_file_base_mb'), 0)} → {fmt(r.get('pss_no_file_end_mb'), 0)}"
    if r.get("growth_no_file_pct") is not None:
        nf += f", {r['growth_no_file_pct']:+.1f} %"
    n_plan = r.get("plan_items") or 0
    rounds = f" ({r['items_started'] / n_plan:.1f} rounds of the playlist)" if n_plan else ""
    rows = [
        "| | kiosk app | goal |",
        "|---|---:|---|",
        f"| duration after the first frame | {clock(r['measured_s'])} of {clock(r['planned_s'])} | |",
        f"| warm-up | {clock(r['warmup_s'])} | |",
        f"| items started | {r['items_started']}{rounds} | |",
        f"| PSS at the first frame (MB) | {fmt(r.get('pss_first_frame_mb'), 0)} | |",
        f"| PSS after the warm-up (MB, median of {base_win}) | {fmt(r.get('pss_base_mb'), 0)} | |",
        f"| PSS at the end (MB, median of the last minute) | {fmt(r.get('pss_end_mb'), 0)} | |",
        f"| PSS peak (MB) | {fmt(r.get('pss_peak_mb'), 0)} at {clock(r.get('pss_peak_s'))} | |",
        f"| memory growth after the warm-up | {growth_cell} | {growth_goal} |",
        f"| PSS trend after the warm-up (MB per hour, least squares) | {trend} | |",
        f"| PSS without file pages (heap, shared memory): after the warm-up → at the end (MB), growth | {nf} | |",
        f"| mean CPU (% of one core) | {fmt(r.get('cpu_mean_pct'), 0)} | |",
        f"| Xvfb's / other processes' mean CPU (% of one core, not in the above) | {fmt(r.get('xvfb_cpu_mean_pct'), 0)} / {fmt(r.get('other_cpu_mean_pct'), 0)} | |",
        f"| frames dropped / total | {r['dropped_frames']} / {r['total_frames']}{pct(r['dropped_frames'], r['total_frames'])} | |",
        f"| boundaries measured | {g['n']} | |",
        f"| gap p50 / p95 / max (ms) | {fmt(g['p50'])} / {fmt(g['p95'])} / {fmt(g['max'])} | |",
        f"| gaps over {GOAL_GAP_MS:g} ms | {r['gaps_over_goal']} | {gap_goal} |",
        f"| longest time without a new item (s) | {fmt(hole)} | {hole_goal} |",
        f"| skipped items | {sum(r['skipped'].values())} | |",
        f"| player restarts (an item started with none before it) | {len(r['player_restarts'])} | |",
        f"| processes running at the first frame that ended during playback | {names(r['processes_ended'])} | |",
        f"| processes started during playback: still running at the end / ended again | {names(r['processes_new_at_end'])} / {names(r['processes_came_and_went'])} | |",
        f"| the app at the end | {end_state(r)} | |",
    ]
    win = [
        "| window | PSS median (MB) | mean CPU (% of one core) | frames dropped / total | dropped | boundaries | gaps > 34 ms | max gap (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for w in r["windows"]:
        win.append(
            f"| {clock(w['from_s'])}–{clock(w['to_s'])} | {fmt(w['pss_median_mb'], 0)} | {fmt(w['cpu_mean_pct'], 0)}"
            f" | {w['dropped_frames']} / {w['total_frames']} | {fmt(w['dropped_pct'])} % | {w['boundaries']}"
            f" | {w['gaps_over_goal']} | {fmt(w['gap_max_ms'])} |"
        )
    return "\n".join(rows) + "\n\nBy window (times since the first frame):\n\n" + "\n".join(win)


def end_state(r: dict) -> str:
    err = r.get("error")
    if err and err.startswith("signal"):
        return f"stopped early ({err})"
    if err:
        return f"FAILED: {err}"
    state = "played to the end, then stopped with SIGTERM"
    if r.get("exit_status") not in (0, None, -15):
        state += f" (exit status {r['exit_status']})"
    return state


def notes(r: dict) -> list[str]:
    out = []
    if r.get("cold_error"):
        out.append(f"- the first start (bundle import) failed: {r['cold_error']}")
    busy = r.get("other_cpu_mean_pct")
    if busy is not None and busy > BUSY_PCT:
        out.append(f"- WARNING: other processes used {busy:.0f} % of a core during the soak: its figures are not representative")
    if r.get("loadavg_at_spawn"):
        out.append(f"- load average when started: {' '.join(r['loadavg_at_spawn'])}")
    if r.get("startup_ms") is not None:
        out.append(f"- startup to first frame: {r['startup_ms']} ms")
    for w in r.get("worst_gaps", [])[:5]:
        if w["gap_ms"] > GOAL_P95_MS:  # over a frame: worth a look even under the goal
            out.append(f"- gap {w['gap_ms']:.1f} ms at {clock(w['t'])}, {w['after']} → {w['item']} ({w['type']})")
    for k, n in sorted(r.get("skipped", {}).items()):
        out.append(f"- skipped {n}×: {k}")
    if r.get("films_without_frames"):
        out.append(f"- {r['films_without_frames']} film(s) ended with no frame decoded (total_frames 0)")
    for x in r.get("player_restarts", [])[:10]:
        out.append(f"- the player started over at {clock(x['t'])} with {x['item']}")
    g, gnf = r.get("growth_pct"), r.get("growth_no_file_pct")
    if g is not None and gnf is not None and abs(g - gnf) > GOAL_GROWTH_PCT:
        out.append(
            f"- PSS grew {g:+.1f} % but {gnf:+.1f} % without file pages: the share of the mapped files moved,"
            " as when other processes mapping the same libraries start or stop; on a quiet machine the two agree"
        )
    for c in (r.get("processes_ended", []) + r.get("processes_new_at_end", []))[:20]:
        out.append(f"- {c['name']} (pid {c['pid']}) {c['change']} at {clock(c['x'])}")
    brief = r.get("processes_came_and_went", [])
    if brief:
        kinds = ", ".join(sorted({c["name"] for c in brief}))
        out.append(
            f"- {len(brief)} process(es) started and ended again during playback ({kinds}), from {clock(brief[0]['x'])} to {clock(brief[-1]['x'])}"
        )
    if r.get("process_changes_left_off"):
        out.append(f"- … and {r['process_changes_left_off']} more process changes, not listed by measure.py")
    if r.get("left_running_after_sigterm"):
        out.append(f"- still running 3 s after the app had exited on SIGTERM (then stopped): {', '.join(r['left_running_after_sigterm'])}")
    if r.get("killed"):
        out.append(f"- killed with SIGKILL after the grace period: pids {', '.join(r['killed'])}")
    if r.get("pss_by_process"):
        parts = ", ".join(
            f"{k} {v['base_mb']:.0f} → {v['end_mb']:.0f}" for k, v in sorted(r["pss_by_process"].items(), key=lambda kv: -kv[1]["end_mb"])
        )
        out.append(f"- PSS by process, after the warm-up → at the end (MB, medians): {parts}")
    return out


def plot(r: dict, path: Path) -> str:
    unit, unit_name = (3600.0, "hours") if r["planned_s"] > 3 * 3600 else (60.0, "minutes")
    xlabel = f"{unit_name} since the first frame"
    samples = r["samples"]
    W, D = r["warmup_s"], r["measured_s"] or 0.0
    # CPU is noisy second to second: its mean over buckets, about 300 over the run.
    bucket = max(1, round(max(D, 1) / 300))
    cpu_mean, xvfb_mean = [], []
    played = [s for s in samples if s["x"] >= 1]
    for i in range(0, len(played), bucket):
        chunk = played[i : i + bucket]
        x = (chunk[0]["x"] + chunk[-1]["x"]) / 2 / unit
        cpu_mean.append((x, sum(s["cpu_pct"] for s in chunk) / len(chunk)))
        xs = [s["xvfb_cpu_pct"] for s in chunk if s.get("xvfb_cpu_pct") is not None]
        if xs:
            xvfb_mean.append((x, sum(xs) / len(xs)))
    bars = [((w["from_s"] + w["to_s"]) / 2 / unit, w["dropped_pct"] or 0.0) for w in r["windows"]]
    bar_width = (r["windows"][0]["to_s"] - r["windows"][0]["from_s"]) / unit if r["windows"] else 1.0
    base, end = r.get("pss_base_mb"), r.get("pss_end_mb")
    events = [(c["x"] / unit, f"{c['name']} {c['change']}") for c in r["processes_ended"]]
    events += [(x["t"] / unit, "player started over") for x in r["player_restarts"]]
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        import matplotlib.ticker
    except ImportError:
        plt = None
    if plt is not None:
        fig, (a1, a2, a3, a4) = plt.subplots(4, 1, figsize=(14, 16), dpi=100, sharex=True)
        xs = [s["x"] / unit for s in samples]
        a1.plot(xs, [s["pss_mb"] for s in samples], color="#1f77b4", lw=1, label="PSS of the process tree")
        nf = [(s["x"] / unit, s["pss_no_file_mb"]) for s in samples if s.get("pss_no_file_mb") is not None]
        if nf:
            a1.plot([p[0] for p in nf], [p[1] for p in nf], color="#17becf", lw=0.8, label="the same without file pages")
        a1.axvspan(min(xs + [0.0]), W / unit, color="0.85", alpha=0.6, label=f"warm-up ({clock(W)})")
        if base is not None:
            lo, hi = r["pss_base_window_s"]
            a1.hlines(base, lo / unit, hi / unit, color="green", lw=4, label=f"median after the warm-up: {base:.0f} MB")
            a1.axhline(base * (1 + GOAL_GROWTH_PCT / 100), color="red", ls="--", lw=1, label=f"goal: ≤ +{GOAL_GROWTH_PCT:g} % ({base * (1 + GOAL_GROWTH_PCT / 100):.0f} MB)")
        if end is not None:
            lo, hi = r["pss_end_window_s"]
            a1.hlines(end, lo / unit, hi / unit, color="purple", lw=4, label=f"median of the last minute: {end:.0f} MB")
        for x, label in events[:20]:
            for ax in (a1, a3):
                ax.axvline(x, color="red", lw=1, ls=":")
            a1.annotate(label, (x, 0), rotation=90, fontsize=7, color="red", va="bottom")
        growth = r.get("growth_pct")
        a1.set_title("Memory of the whole process tree (sum of PSS)" + (f": {growth:+.1f} % after the warm-up" if growth is not None else ""))
        a1.set_ylabel("PSS (MB)")
        a1.set_ylim(bottom=0)
        a1.legend(fontsize=8, loc="lower right")
        if bucket > 1:
            a2.plot([s["x"] / unit for s in played], [s["cpu_pct"] for s in played], color="#1f77b4", lw=0.5, alpha=0.3, label="the app's tree, each second")
        a2.plot([p[0] for p in cpu_mean], [p[1] for p in cpu_mean], color="#1f77b4", lw=1.5, label=f"the app's tree, mean per {bucket} s")
        a2.plot([p[0] for p in xvfb_mean], [p[1] for p in xvfb_mean], color="0.5", lw=1, label=f"Xvfb, mean per {bucket} s")
        a2.set_title("CPU (% of one core)")
        a2.set_ylabel("% of one core")
        a2.set_ylim(bottom=0)
        a2.legend(fontsize=8, loc="lower right")
        gaps = r["gaps"]
        ok = [g for g in gaps if g["gap_ms"] <= GOAL_GAP_MS]
        bad = [g for g in gaps if g["gap_ms"] > GOAL_GAP_MS]
        a3.scatter([g["t"] / unit for g in ok], [g["gap_ms"] for g in ok], s=6, color="#1f77b4", label="gap at a boundary")
        a3.scatter([g["t"] / unit for g in bad], [g["gap_ms"] for g in bad], s=18, color="red", label=f"over {GOAL_GAP_MS:g} ms")
        a3.axhline(GOAL_GAP_MS, color="red", ls="--", lw=1, label=f"goal: ≤ {GOAL_GAP_MS:g} ms")
        a3.set_title(f"Gap at each boundary: {len(bad)} of {len(gaps)} over {GOAL_GAP_MS:g} ms")
        a3.set_ylabel("gap (ms; linear to 20, then logarithmic)")
        a3.set_yscale("symlog", linthresh=20, linscale=1.5)
        a3.set_ylim(bottom=0, top=max([GOAL_GAP_MS * 1.5] + [g["gap_ms"] * 1.3 for g in gaps]))
        top = a3.get_ylim()[1]
        a3.yaxis.set_major_locator(matplotlib.ticker.FixedLocator([t for t in (0, 10, 17, 34, 100, 300, 1000, 3000, 10000) if t <= top]))
        a3.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _pos: f"{v:g}"))
        a3.yaxis.set_minor_locator(matplotlib.ticker.NullLocator())
        a3.legend(fontsize=8, loc="upper right")
        a4.bar([b[0] for b in bars], [b[1] for b in bars], width=bar_width * 0.9, color="#ff7f0e", label="frames dropped, % of the films' frames")
        for (x, y), w in zip(bars, r["windows"]):
            a4.annotate(f"{w['dropped_frames']}/{w['total_frames']}", (x, y), ha="center", va="bottom", fontsize=7)
        a4.set_title("Frames dropped per window")
        a4.set_ylabel("% of the frames")
        a4.set_xlabel(xlabel)
        a4.set_ylim(bottom=0, top=max([1.0] + [b[1] * 1.25 for b in bars]))
        a4.legend(fontsize=8, loc="upper right")
        for ax in (a1, a2, a3, a4):
            ax.grid(alpha=0.3)
        fig.tight_layout()
        fig.savefig(path)
        plt.close(fig)
        return "matplotlib"

    import plotpng

    xlim = (min([s["x"] / unit for s in samples] + [0.0]), max(D, W) / unit)
    blue, orange, grey, red, green, purple = (31, 119, 180), (255, 127, 14), (128, 128, 128), (200, 0, 0), (0, 150, 0), (130, 0, 160)
    mem = {
        "title": "PSS of the process tree (MB)",
        "xlabel": xlabel,
        "ylabel": "MB",
        "series": [
            {"label": "PSS", "color": blue, "points": [(s["x"] / unit, s["pss_mb"]) for s in samples]},
            {"label": "no file pages", "color": (23, 190, 207), "points": [(s["x"] / unit, s["pss_no_file_mb"]) for s in samples if s.get("pss_no_file_mb") is not None]},
        ],
        "spans": [(xlim[0], W / unit, (232, 232, 232), "warm-up")],
        "vlines": [(x, red, "ended/restart") for x, _ in events[:20]],
        "hlines": [],
    }
    if base is not None:
        lo, hi = r["pss_base_window_s"]
        mem["series"].append({"label": "after warm-up", "color": green, "markers": True, "points": [(lo / unit, base), (hi / unit, base)]})
        mem["hlines"].append((base * (1 + GOAL_GROWTH_PCT / 100), red, f"goal +{GOAL_GROWTH_PCT:g}%"))
    if end is not None:
        lo, hi = r["pss_end_window_s"]
        mem["series"].append({"label": "last minute", "color": purple, "markers": True, "points": [(lo / unit, end), (hi / unit, end)]})
    panels = [
        mem,
        {
            "title": "CPU (% of one core)",
            "xlabel": xlabel,
            "ylabel": "%",
            "series": [
                {"label": f"app, mean per {bucket} s", "color": blue, "points": cpu_mean},
                {"label": "Xvfb", "color": grey, "points": xvfb_mean},
            ],
        },
        {
            "title": "Gap at each boundary (ms)",
            "xlabel": xlabel,
            "ylabel": "ms",
            "series": [{"label": "gap", "color": blue, "line": False, "markers": True, "points": [(g["t"] / unit, g["gap_ms"]) for g in r["gaps"]]}],
            "hlines": [(GOAL_GAP_MS, red, "goal 34")],
        },
        {
            "title": "Frames dropped per window (%)",
            "xlabel": xlabel,
            "ylabel": "%",
            "series": [{"label": "dropped", "color": orange, "bars": bar_width * 0.9, "points": bars}],
        },
    ]
    for panel in panels:
        panel["xlim"] = xlim
    plotpng.render(str(path), panels, height=1600)
    return "built-in PNG writer"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--run", required=True, type=Path)
    ap.add_argument("--out", required=True, type=Path)
    ap.add_argument("--duration", required=True, type=float, help="the planned soak after the first frame, seconds")
    ap.add_argument("--warmup", required=True, type=float, help="seconds after the first frame before memory is held to the goal")
    ap.add_argument("--strict", action="store_true", help="exit 3 when a goal is missed")
    args = ap.parse_args()
    plan = load_json(args.run / "plan.json") or {"items": []}
    meta = load_json(args.run / "meta.json") or {}
    r = analyze(args.run, args.duration, args.warmup, plan)
    r["plan_items"] = len(plan["items"])
    args.out.mkdir(parents=True, exist_ok=True)
    header = [
        "# Playback soak",
        "",
        f"{meta.get('date', '')} · {meta.get('machine', '')} · {clock(args.duration)} planned after the first frame, warm-up {clock(args.warmup)}"
        f" · playlist of {len(plan['items'])} items ({sum(1 for i in plan['items'] if i['kind'] == 'video')} films),"
        f" crossfade {plan.get('crossfade_ms', '?')} ms · display Xvfb 1920x1080",
        "",
        f"ours: {meta.get('ours', '')}",
        "",
        "",
    ]
    if r.get("measured_s") is None:
        text = "\n".join(header) + f"FAIL: the soak did not start: {r.get('error') or 'no first frame'}\n"
        (args.out / "soak.md").write_text(text)
        (args.out / "soak.json").write_text(json.dumps({"meta": meta, **r}, indent=1) + "\n")
        print(text)
        return 1
    lines, ok = goals(r)
    if r["error"] and not r["error"].startswith("signal"):
        lines.append(f"FAIL: the soak ended after {clock(r['measured_s'])} of {clock(args.duration)}: {r['error']}")
    elif r["measured_s"] < args.duration - 5:
        lines.append(f"NOTE: the soak was stopped after {clock(r['measured_s'])} of {clock(args.duration)}: its figures cover that much")
    text = "\n".join(header) + tables(r) + "\n\n" + "\n".join(lines) + "\n"
    extra = notes(r)
    if extra:
        text += "\n" + "\n".join(extra) + "\n"
    (args.out / "soak.md").write_text(text)
    summary = {k: v for k, v in r.items() if k not in ("samples", "gaps")}
    (args.out / "soak.json").write_text(json.dumps({"meta": meta, **summary}, indent=1) + "\n")
    how = plot(r, args.out / "soak.png")
    print(text)
    print(f"table: {args.out / 'soak.md'}\nplot:  {args.out / 'soak.png'} ({how})")
    if r["error"] and not r["error"].startswith("signal"):
        return 1
    return 3 if args.strict and not ok else 0


if __name__ == "__main__":
    sys.exit(main())
