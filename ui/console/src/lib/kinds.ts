// The words for a media kind, which the API writes as a plain string.

import type { MediaKind } from "../api/types";
import type { Key } from "../i18n";

const KEYS: Record<MediaKind, Key> = {
  image: "kind.image",
  video: "kind.video",
  sound: "kind.sound",
  document: "kind.document",
};

export function kindKey(kind: string): Key {
  return KEYS[kind as MediaKind] ?? "kind.document";
}
