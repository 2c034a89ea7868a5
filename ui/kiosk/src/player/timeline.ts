/**
 * The timeline screens of one sync group share: the playlist laid end to end
 * from the group clock's zero, over and over, each item for its planned length.
 * Every screen with the same plan and the same clock finds the same item at the
 * same instant, without asking the others. Pure.
 */

/** An item's turn on the timeline, in group milliseconds. */
export interface Slot {
  /** The item's index in the playlist. */
  index: number;
  start: number;
  end: number;
}

/** The shortest turn an item gets, so a playlist of zero lengths still moves on. */
const MIN_ITEM_MS = 500;

function lengths(items: readonly { planned_ms: number }[]): number[] {
  return items.map((i) => Math.max(MIN_ITEM_MS, i.planned_ms));
}

/** The turn that holds the instant `at`. */
export function slotAt(items: readonly { planned_ms: number }[], at: number): Slot {
  const ms = lengths(items);
  const cycle = ms.reduce((a, b) => a + b, 0);
  const cycleStart = Math.floor(at / cycle) * cycle;
  let start = cycleStart;
  for (let index = 0; index < ms.length; index++) {
    const end = start + ms[index];
    if (at < end || index === ms.length - 1) return { index, start, end };
    start = end;
  }
  return { index: 0, start: cycleStart, end: cycleStart + ms[0] };
}

/** Where a screen joins: the turn holding `at`, or the next one when less than
 *  `minShowMs` of it would be left. */
export function joinAt(items: readonly { planned_ms: number }[], at: number, minShowMs: number): { slot: Slot; from: number } {
  const here = slotAt(items, at);
  if (here.end - at >= minShowMs) return { slot: here, from: Math.max(at, here.start) };
  const next = slotAt(items, here.end);
  return { slot: next, from: next.start };
}
