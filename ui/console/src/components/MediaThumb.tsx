// A file's thumbnail; a picture without one is shown itself, anything else as an icon
// for its kind.

import { useState } from "preact/hooks";
import { fileUrl, thumbnailUrl } from "../api/routes";
import type { MediaItem, MediaKind } from "../api/types";
import { Icon, type IconName } from "./Icon";

const KIND_ICON: Record<MediaKind, IconName> = { image: "image", video: "film", sound: "sound", document: "document" };
/** Pictures up to this size may stand in for their own thumbnail. */
const SHOW_ITSELF_BYTES = 4_000_000;

function sources(item: MediaItem | undefined): string[] {
  if (!item) return [];
  const list: string[] = [];
  if (item.has_thumbnail) list.push(thumbnailUrl(item.sha256));
  if (item.kind === "image" && item.size <= SHOW_ITSELF_BYTES) list.push(fileUrl(item.sha256));
  return list;
}

export function MediaThumb({ item, size = "md" }: { item: MediaItem | undefined; size?: "sm" | "md" }) {
  const [failed, setFailed] = useState<Record<string, true>>({});
  const src = sources(item).find((url) => !failed[url]);
  if (src) {
    return (
      <div class={`thumb thumb-${size}`}>
        <img src={src} alt="" loading="lazy" onError={() => setFailed((old) => ({ ...old, [src]: true }))} />
      </div>
    );
  }
  return (
    <div class={`thumb thumb-${size} thumb-icon`}>
      <Icon name={item ? (KIND_ICON[item.kind as MediaKind] ?? "document") : "image"} size={size === "sm" ? 20 : 32} />
    </div>
  );
}
