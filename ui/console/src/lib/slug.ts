// Ids in the content model: lowercase letters, digits and "-" (kiosk-core's slugs).

export function isSlug(id: string): boolean {
  return /^[a-z0-9]([a-z0-9-]{0,62}[a-z0-9])?$/.test(id);
}

/** A free id like "scene-3" among `taken`. */
export function freeId(prefix: string, taken: string[]): string {
  for (let n = taken.length + 1; ; n++) {
    const id = `${prefix}-${n}`;
    if (!taken.includes(id)) return id;
  }
}

/** Moves the item at `from` by `by` places, in place. */
export function move<T>(list: T[], from: number, by: number): void {
  const to = from + by;
  if (to < 0 || to >= list.length) return;
  const [item] = list.splice(from, 1);
  list.splice(to, 0, item);
}
