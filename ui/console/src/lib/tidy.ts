// Before a save: an empty translation is left out (so screens fall back to the default
// language instead of showing nothing) and empty highlight lines are dropped.

import type { ContentPack, Localized } from "../api/types";

function tidyText(value: Localized<string>): Localized<string> {
  const out: Localized<string> = {};
  for (const [tag, text] of Object.entries(value)) if (text !== undefined && text.trim() !== "") out[tag] = text;
  return out;
}

function tidyLines(value: Localized<string[]>): Localized<string[]> {
  const out: Localized<string[]> = {};
  for (const [tag, lines] of Object.entries(value)) {
    const kept = (lines ?? []).map((line) => line.trim()).filter((line) => line !== "");
    if (kept.length) out[tag] = kept;
  }
  return out;
}

export function tidy(pack: ContentPack): ContentPack {
  const next = structuredClone(pack);
  for (const chapter of next.chapters) {
    chapter.title = tidyText(chapter.title);
    chapter.summary = tidyText(chapter.summary);
    for (const scene of chapter.scenes) {
      scene.title = tidyText(scene.title);
      scene.body = tidyText(scene.body);
      scene.highlights = tidyLines(scene.highlights);
    }
  }
  for (const brochure of next.brochures) {
    brochure.title = tidyText(brochure.title);
    brochure.summary = tidyText(brochure.summary);
  }
  next.social.hashtags = next.social.hashtags.map((tag) => tag.trim()).filter((tag) => tag !== "");
  for (const playlist of next.signage?.playlists ?? []) {
    for (const item of playlist.items) if (item.show.kind === "message") item.show.text = tidyText(item.show.text);
  }
  return next;
}
