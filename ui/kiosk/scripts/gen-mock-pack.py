#!/usr/bin/env python3
"""Snapshot the default content pack (media/*.toml) into src/backend/mock-pack.json,
so the mock backend shows the real texts while the interface is designed in a plain
browser. Run it again after the pack's texts change:

    python3 scripts/gen-mock-pack.py [path/to/media]

Only texts and media paths are copied; the mock serves the files from /media/.
"""
import json
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEDIA = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT.parent.parent / "media"
OUT = ROOT / "src" / "backend" / "mock-pack.json"


def load(p: Path) -> dict:
    with p.open("rb") as f:
        return tomllib.load(f)


def paragraphs(text: dict) -> dict:
    return {k: [p.strip() for p in re.split(r"\n\s*\n", v.strip()) if p.strip()] for k, v in text.items()}


def media(p):
    return f"/media/{p}" if p else None


pack = load(MEDIA / "pack.toml")
chapters = []
for f in sorted((MEDIA / "story").glob("*.toml")):
    c = load(f)
    chapters.append({
        "id": c["id"],
        "cover": media(c["cover"]),
        "accent": c.get("accent"),
        "title": c["title"],
        "summary": c["summary"],
        "scenes": [{
            "id": s["id"],
            "image": media(s.get("image")),
            "video": media(s.get("video")),
            "title": s["title"],
            "body": paragraphs(s["body"]),
            "highlights": s.get("highlights", {}),
            "survey": s.get("survey"),
        } for s in c["scenes"]],
    })

brochures = []
for b in load(MEDIA / "brochures.toml").get("brochures", []):
    sizes = {}
    for loc, rel in b["file"].items():
        pdf = MEDIA / rel
        # Sample size when the PDF is not made yet.
        sizes[loc] = pdf.stat().st_size if pdf.exists() else 1_800_000 + 137_000 * len(b["id"])
    brochures.append({
        "id": b["id"],
        "cover": media(b.get("cover")),
        "title": b["title"],
        "summary": b["summary"],
        "file": b["file"],
        "size": sizes,
    })

social = load(MEDIA / "social.toml")

# The tour (optional): positions in thousandths of the map, as the app sends them.
tour = None
if (MEDIA / "tour.toml").exists():
    t = load(MEDIA / "tour.toml")
    tour = {
        "map": media(t["map"]),
        "seconds_per_stop": t.get("seconds_per_stop", 8),
        "title": t["title"],
        "intro": t["intro"],
        "stops": [{
            "id": s["id"],
            "kind": s["kind"],
            "x_permille": round(s["x"] * 1000),
            "y_permille": round(s["y"] * 1000),
            "sample": s.get("sample", False),
            "scene": {"chapter": s["chapter"], "scene": s["scene"]} if "chapter" in s else None,
            "image": media(s.get("image")),
            "name": s["name"],
            "summary": s["summary"],
        } for s in t["stops"]],
    }

out = {
    "default_locale": pack["default_locale"],
    "locales": pack["locales"],
    "brand": {
        "badge": media(pack["brand"]["badge"]),
        "logo": media(pack["brand"].get("logo")),
        "title": pack["brand"]["title"],
        "tagline": pack["brand"]["tagline"],
    },
    "attract": {
        "video": media(pack["attract"].get("video")),
        "images": [media(i) for i in pack["attract"].get("images", [])],
        "headline": pack["attract"]["headline"],
    },
    "ui": pack["ui"],
    "chapters": chapters,
    "brochures": brochures,
    "social": {"hashtags": social.get("hashtags", []), "channels": social.get("channels", [])},
    "tour": tour,
}
OUT.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
print(f"wrote {OUT} ({len(chapters)} chapters, {len(brochures)} brochures, {len(tour['stops']) if tour else 'no'} tour stops)")
