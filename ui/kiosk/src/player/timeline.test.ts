import { describe, expect, it } from "vitest";
import { joinAt, slotAt } from "./timeline";

const items = [{ planned_ms: 3000 }, { planned_ms: 5000 }, { planned_ms: 2000 }];

describe("the shared timeline", () => {
  it("lays the playlist end to end from zero, over and over", () => {
    expect(slotAt(items, 0)).toEqual({ index: 0, start: 0, end: 3000 });
    expect(slotAt(items, 2999.9)).toEqual({ index: 0, start: 0, end: 3000 });
    expect(slotAt(items, 3000)).toEqual({ index: 1, start: 3000, end: 8000 });
    expect(slotAt(items, 9999)).toEqual({ index: 2, start: 8000, end: 10000 });
    expect(slotAt(items, 1_700_000_004_000)).toEqual({ index: 1, start: 1_700_000_003_000, end: 1_700_000_008_000 });
  });

  it("gives every screen the same turn for the same instant, whenever it asks", () => {
    for (const at of [12_345, 98_765_432.1, 5e12 + 7]) {
      const slot = slotAt(items, at);
      expect(slot.start).toBeLessThanOrEqual(at);
      expect(slot.end).toBeGreaterThan(at);
      expect(slot.end - slot.start).toBe([3000, 5000, 2000][slot.index]);
    }
  });

  it("joins the turn under way, or the next when too little of it is left", () => {
    expect(joinAt(items, 4000, 1000)).toEqual({ slot: { index: 1, start: 3000, end: 8000 }, from: 4000 });
    expect(joinAt(items, 7500, 1000)).toEqual({ slot: { index: 2, start: 8000, end: 10000 }, from: 8000 });
  });

  it("gives items without a length a short turn rather than none", () => {
    expect(slotAt([{ planned_ms: 0 }, { planned_ms: 0 }], 700)).toEqual({ index: 1, start: 500, end: 1000 });
  });
});
