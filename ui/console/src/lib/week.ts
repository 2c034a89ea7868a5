// Which playlist plays when, over one week, as the week calendar draws it. Follows the
// rules of kiosk-core's schedule: an entry applies on the days (empty: every day) and
// between the dates it names; its window belongs to the day it starts on and crosses
// midnight when its end is not after its start (equal: a whole day from the start);
// no window is the whole day. The highest priority wins, the earlier entry breaks a
// tie; where nothing applies the fallback plays. Equal priorities that overlap are
// conflicts: only the order of the entries decides between them.

import type { Day, Schedule, ScheduleEntry } from "../api/types";
import { vietnamDay } from "./format";

export const DAYS: Day[] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
const DAY_MIN = 24 * 60;
const WEEK_MIN = 7 * DAY_MIN;

/** A civil date "YYYY-MM-DD" as days since 1970-01-01. */
export function dayNumber(date: string): number {
  const [y, m, d] = date.split("-").map(Number);
  return Math.floor(Date.UTC(y, m - 1, d) / 86_400_000);
}
export function dateOf(day: number): string {
  return new Date(day * 86_400_000).toISOString().slice(0, 10);
}
/** Monday = 0 … Sunday = 6. */
function weekdayOf(day: number): number {
  return (((day + 3) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}
export function mondayOf(date: string): string {
  const day = dayNumber(date);
  return dateOf(day - weekdayOf(day));
}

/** "HH:MM[:SS]" as minutes after midnight. */
export function minutesOf(time: string): number {
  const [h, m] = time.split(":").map(Number);
  return h * 60 + (m || 0);
}
export function timeOf(minutes: number): string {
  const m = ((minutes % DAY_MIN) + DAY_MIN) % DAY_MIN;
  return `${String(Math.floor(m / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
}
/** The end of a span within a day: "24:00" at the midnight that ends it, else as `timeOf`. */
export function endTime(minutes: number): string {
  return minutes === DAY_MIN ? "24:00" : timeOf(minutes);
}
/** "HH:MM:SS" (or "HH:MM") as "HH:MM". */
export function hhmm(time: string): string {
  return time.slice(0, 5);
}

function startsOn(entry: ScheduleEntry, day: number): boolean {
  if (entry.days.length > 0 && !entry.days.includes(DAYS[weekdayOf(day)])) return false;
  if (entry.from_date && day < dayNumber(entry.from_date)) return false;
  if (entry.until_date && day > dayNumber(entry.until_date)) return false;
  return true;
}

/** The entry's window on a day it starts: [start, end) in minutes from that day's midnight. */
function windowMinutes(entry: ScheduleEntry): [number, number] {
  if (!entry.window) return [0, DAY_MIN];
  const start = minutesOf(entry.window.start);
  const end = minutesOf(entry.window.end);
  return [start, end > start ? end : end + DAY_MIN];
}

export type Block = {
  /** 0 = Monday. */
  day: number;
  start: number;
  end: number;
  /** Index of the winning entry. */
  entry: number;
  playlist: string;
  /** Another entry of the same priority applies here too. */
  conflict: boolean;
  /** Every entry of the winning priority that applies here. */
  tied: number[];
};

export type WeekPlan = { monday: string; dates: string[]; blocks: Block[] };

export function planWeek(schedule: Schedule, monday: string): WeekPlan {
  const first = dayNumber(monday);
  // Occurrences in minutes from Monday 00:00, including spills from the Sunday before.
  const spans: Array<{ entry: number; start: number; end: number }> = [];
  schedule.entries.forEach((entry, index) => {
    const [start, end] = windowMinutes(entry);
    for (let d = -1; d < 7; d++) {
      if (!startsOn(entry, first + d)) continue;
      const s = Math.max(0, d * DAY_MIN + start);
      const e = Math.min(WEEK_MIN, d * DAY_MIN + end);
      if (e > s) spans.push({ entry: index, start: s, end: e });
    }
  });
  const edges = new Set<number>([0, WEEK_MIN]);
  for (let d = 1; d < 7; d++) edges.add(d * DAY_MIN);
  spans.forEach((s) => edges.add(s.start).add(s.end));
  const cuts = [...edges].sort((a, b) => a - b);

  const blocks: Block[] = [];
  for (let i = 0; i + 1 < cuts.length; i++) {
    const [s, e] = [cuts[i], cuts[i + 1]];
    const here = [...new Set(spans.filter((x) => x.start <= s && x.end >= e).map((x) => x.entry))];
    if (here.length === 0) continue;
    const top = Math.max(...here.map((i) => schedule.entries[i].priority));
    const tied = here.filter((i) => schedule.entries[i].priority === top).sort((a, b) => a - b);
    const day = Math.floor(s / DAY_MIN);
    const block: Block = {
      day,
      start: s - day * DAY_MIN,
      end: e - day * DAY_MIN,
      entry: tied[0],
      playlist: schedule.entries[tied[0]].playlist,
      conflict: tied.length > 1,
      tied,
    };
    const last = blocks[blocks.length - 1];
    const joins =
      last && last.day === block.day && last.end === block.start && last.entry === block.entry &&
      last.tied.join() === block.tied.join();
    if (joins) last.end = block.end;
    else blocks.push(block);
  }
  const dates = Array.from({ length: 7 }, (_, d) => dateOf(first + d));
  return { monday, dates, blocks };
}

/** Pairs of entries of equal priority that apply at the same time somewhere in the week. */
export function conflicts(plan: WeekPlan): Array<{ entries: number[]; day: number; start: number; end: number }> {
  return plan.blocks.filter((b) => b.conflict).map((b) => ({ entries: b.tied, day: b.day, start: b.start, end: b.end }));
}

/** Today's date in Vietnam ("YYYY-MM-DD"). */
export function todayInVietnam(now = new Date()): string {
  return vietnamDay(now);
}
