// The pack's languages in the order the editor shows them (vi and en first), and
// which translations are missing.

import type { Brochure, Chapter, ContentPack, LocaleInfo, Localized, Scene } from "../api/types";

const FIRST = ["vi", "en"];

export function orderedLocales(pack: ContentPack): LocaleInfo[] {
  const rank = (tag: string) => (FIRST.includes(tag) ? FIRST.indexOf(tag) : FIRST.length);
  return [...pack.locales].sort((a, b) => rank(a.tag) - rank(b.tag));
}

export function hasText(value: Localized<string>, tag: string): boolean {
  return (value[tag] ?? "").trim() !== "";
}

/** Locales of `tags` whose text is empty or absent. */
function missingText(value: Localized<string>, tags: string[]): string[] {
  return tags.filter((tag) => !hasText(value, tag));
}

/** Highlights are optional, but once one language has them, every language should. */
export function missingList(value: Localized<string[]>, tags: string[]): string[] {
  const some = tags.some((tag) => (value[tag] ?? []).some((line) => line.trim() !== ""));
  return some ? tags.filter((tag) => !(value[tag] ?? []).some((line) => line.trim() !== "")) : [];
}

export function sceneMissing(scene: Scene, tags: string[]): number {
  return (
    missingText(scene.title, tags).length + missingText(scene.body, tags).length + missingList(scene.highlights, tags).length
  );
}

export function chapterMissing(chapter: Chapter, tags: string[]): number {
  return missingText(chapter.title, tags).length + missingText(chapter.summary, tags).length;
}

export function brochureMissing(brochure: Brochure, tags: string[]): number {
  const files = tags.filter((tag) => !brochure.file[tag]).length;
  return missingText(brochure.title, tags).length + missingText(brochure.summary, tags).length + files;
}

/** Missing translations in the whole story and the brochures. */
export function packMissing(pack: ContentPack): number {
  const tags = pack.locales.map((l) => l.tag);
  let count = 0;
  for (const chapter of pack.chapters) {
    count += chapterMissing(chapter, tags);
    for (const scene of chapter.scenes) count += sceneMissing(scene, tags);
  }
  for (const brochure of pack.brochures) count += brochureMissing(brochure, tags);
  return count;
}

/** The text in the first locale that has one, for lists and labels. */
export function anyText(value: Localized<string>, prefer: string): string {
  const first = value[prefer]?.trim() || value.vi?.trim() || value.en?.trim();
  return first || Object.values(value).find((v) => v && v.trim()) || "";
}
