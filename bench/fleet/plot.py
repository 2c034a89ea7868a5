"""Draws the fleet benchmark's plot from latest.json:

1. the share of screens with release 2 active against the seconds since the
   publish request started (as the sync loop told the screen, and as its
   `active.json` was renamed), with the p95 goal;
2. the download-and-verify throughput of each trial, ours and nginx.

    python3 plot.py latest.json latest.png

With matplotlib when it is installed, else with bench/playback/plotpng.py."""

import json
import sys
from pathlib import Path

GOAL_P95_S = 2.0


def cdf(values):
    values = sorted(v for v in values if v is not None)
    n = len(values)
    return values, [(i + 1) / n * 100 for i in range(n)]


def with_matplotlib(r, path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    p = r["publish"]
    screens = len(p["activated_seconds"])
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(15, 6), dpi=110, gridspec_kw={"width_ratios": [3, 2]})
    for key, label, color in (
        ("activated_seconds", "sync loop's callback (screen told)", "#1f77b4"),
        ("on_disk_seconds", "active.json renamed", "#9467bd"),
    ):
        xs, ys = cdf(p[key])
        if xs:
            a1.step(xs, ys, where="post", color=color, label=f"{label}: {len(xs)} of {screens}")
    a1.axvline(GOAL_P95_S, color="green", ls="--", lw=1, label=f"goal: p95 ≤ {GOAL_P95_S:g} s")
    a1.axhline(95, color="gray", ls=":", lw=1)
    a1.axvline(p["publish_request_seconds"], color="gray", ls="-.", lw=1, label="publish request answered")
    a1.set_title(f"Publish → release 2 active on {screens} screens")
    a1.set_xlabel("seconds since the publish request started")
    a1.set_ylabel("screens with release 2 active (%)")
    a1.set_ylim(0, 101)
    a1.set_xlim(left=0)
    a1.grid(alpha=0.3)
    a1.legend(fontsize=8, loc="lower right")

    t = r.get("throughput")
    if t:
        colors = {"ours": "#1f77b4", "nginx": "#2ca02c"}
        trials = t["trials"]
        for i, trial in enumerate(trials):
            mbps = trial["bytes"] / 1e6 / trial["seconds"]
            a2.bar(i, mbps, color=colors.get(trial["server"], "gray"))
            a2.text(i, mbps, f"{mbps:.0f}", ha="center", va="bottom", fontsize=8)
        a2.set_xticks(range(len(trials)), [f"{x['server']}\n#{i + 1}" for i, x in enumerate(trials)], fontsize=8)
        for server, key in (("ours", "ours_mb_per_second"), ("nginx", "nginx_mb_per_second")):
            a2.axhline(t[key], color=colors[server], ls="--", lw=1, label=f"{server}: median {t[key]:.0f} MB/s")
        ratio = t["ours_mb_per_second"] / max(t["nginx_mb_per_second"], 1e-9)
        a2.set_title(f"Download and verify, {t['clients']} clients: ours/nginx = {ratio:.2f}")
        a2.set_ylabel("MB/s")
        a2.legend(fontsize=8, loc="lower right")
        a2.grid(alpha=0.3, axis="y")
    else:
        a2.set_axis_off()
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return True


def with_plotpng(r, path) -> None:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "playback"))
    import plotpng

    p = r["publish"]
    panels = []
    series = []
    for key, label, color in (("activated_seconds", "callback", (31, 119, 180)), ("on_disk_seconds", "active.json", (148, 103, 189))):
        xs, ys = cdf(p[key])
        series.append({"label": label, "color": color, "points": list(zip(xs, ys))})
    panels.append({"title": "Screens with release 2 active (%)", "xlabel": "seconds since the publish request started", "ylabel": "%", "series": series, "hlines": [(95, (0, 150, 0), "95 %")]})
    t = r.get("throughput")
    if t:
        rgb = {"ours": (31, 119, 180), "nginx": (44, 160, 44)}
        panels.append({
            "title": "Download and verify (MB/s), each trial",
            "xlabel": "trial",
            "ylabel": "MB/s",
            "series": [
                {"label": server, "color": rgb[server], "markers": True, "line": False,
                 "points": [(i + 1, x["bytes"] / 1e6 / x["seconds"]) for i, x in enumerate(t["trials"]) if x["server"] == server]}
                for server in ("ours", "nginx")
            ],
        })
    plotpng.render(str(path), panels)


def main() -> None:
    r = json.loads(Path(sys.argv[1]).read_text())
    path = Path(sys.argv[2])
    if not with_matplotlib(r, path):
        with_plotpng(r, path)
    print(f"plot: {path}")


if __name__ == "__main__":
    main()
