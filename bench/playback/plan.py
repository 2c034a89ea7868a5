#!/usr/bin/env python3
"""The player's plan for the bench playlist, as the app would make it, for the
Chromium side: same items, same planned durations (a film's length is the one
`kioskctl bundle build` probed with GStreamer and signed into the manifest, which
is also what the app uses), no crossfade, no schedule edge, the brand badge in the
corner. URLs point at the bench server (`/blobs/<sha256>`).

    python3 plan.py BUNDLE_DIR OUT.json
"""

import datetime
import json
import sys
from pathlib import Path

DEFAULT_STILL_SECONDS = 10  # kiosk_core::signage::DEFAULT_STILL_SECONDS


def main() -> None:
    bundle, out = Path(sys.argv[1]), Path(sys.argv[2])
    manifest = json.loads((bundle / "manifest.json").read_text())
    content = manifest["content"]
    blobs = {b["sha256"]: b for b in manifest["blobs"]}
    signage = content["signage"]
    playlist_id = signage["schedule"]["fallback"]
    playlist = next(p for p in signage["playlists"] if p["id"] == playlist_id)

    def url(blob: str) -> str:
        return f"/blobs/{blob}"

    items = []
    for entry in playlist["items"]:
        show, seconds = entry["show"], entry.get("seconds")
        item = {
            "id": entry["id"],
            "kind": show["kind"],
            "planned_ms": (seconds or DEFAULT_STILL_SECONDS) * 1000,
            "until_media_ends": False,
            "blob": None,
            "url": None,
            "has_audio": False,
            "texts": [],
            "image_url": None,
            "qr_svg": None,
            "download_url": None,
        }
        if show["kind"] == "video":
            probe = blobs[show["video"]].get("probe") or {}
            if seconds is None and probe.get("duration_ms") is not None:
                item["planned_ms"] = probe["duration_ms"]
            item.update(
                until_media_ends=seconds is None,
                blob=show["video"],
                url=url(show["video"]),
                has_audio=bool(probe.get("has_audio")),
            )
        elif show["kind"] == "image":
            item.update(blob=show["image"], url=url(show["image"]))
        else:
            sys.exit(f"plan.py: item {entry['id']}: only films and pictures are benchmarked, not {show['kind']}")
        items.append(item)

    plan = {
        "playlist": playlist_id,
        "chosen": {"by": "fallback"},
        "now": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "next_change_ms": None,
        "time_zone": "UTC",
        "crossfade_ms": 0,
        "badge_url": url(content["brand"]["badge"]),
        "items": items,
        "dropped": [],
        "release": {"channel": manifest["channel"], "version": manifest["version"]},
    }
    out.write_text(json.dumps(plan, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
