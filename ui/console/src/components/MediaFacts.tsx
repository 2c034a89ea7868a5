// What the server found out when it checked a file: dimensions, length, size, sound.

import type { MediaItem } from "../api/types";
import { useLang, useT } from "../i18n";
import { formatBytes, formatDuration } from "../lib/format";

export function MediaFacts({ item }: { item: MediaItem }) {
  const t = useT();
  const lang = useLang();
  const facts: string[] = [];
  if (item.width && item.height) facts.push(`${item.width}×${item.height}`);
  if (item.duration_ms !== null) facts.push(formatDuration(item.duration_ms));
  facts.push(formatBytes(item.size, lang));
  if (item.kind === "video" || item.kind === "sound") facts.push(item.has_audio ? t("media.withSound") : t("media.silent"));
  return (
    <ul class="media-facts" aria-label={t("media.facts")}>
      {facts.map((fact) => (
        <li key={fact}>{fact}</li>
      ))}
    </ul>
  );
}
