// The whole media library, kept to name blobs (a draft refers to files by SHA-256)
// and to fill the media picker. Reloaded after every upload.

import { listMedia } from "../api/routes";
import type { MediaItem } from "../api/types";
import { createStore, useStore } from "./store";

export const library = createStore<{ items: MediaItem[]; loaded: boolean }>({ items: [], loaded: false });

let pending: Promise<void> | null = null;

export function loadLibrary(force = false): Promise<void> {
  if (pending) return pending;
  if (library.get().loaded && !force) return Promise.resolve();
  pending = listMedia()
    .then(({ media }) => library.set({ items: media, loaded: true }))
    .catch(() => library.update((s) => ({ ...s, loaded: true })))
    .finally(() => {
      pending = null;
    });
  return pending;
}

/** Looks files up by SHA-256; loads the library on first use. */
export function useLibrary(): (sha256: string | null | undefined) => MediaItem | undefined {
  const { items, loaded } = useStore(library);
  if (!loaded) void loadLibrary();
  const bySha = new Map(items.map((item) => [item.sha256, item]));
  return (sha256) => (sha256 ? bySha.get(sha256) : undefined);
}
