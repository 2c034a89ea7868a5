// Numbers, sizes, durations and times as a person reads them, in the interface's
// language. Times are shown in Vietnam's time zone, where the staff and screens are.

import type { Lang } from "../i18n";

const TIME_ZONE = "Asia/Ho_Chi_Minh";
export const LOCALES: Record<Lang, string> = { vi: "vi-VN", en: "en-GB" };

/** An ISO time as a Date; the server writes nanoseconds, which not every browser reads. */
export function parseTime(iso: string): Date {
  return new Date(iso.replace(/(\.\d{3})\d+/, "$1"));
}

export function formatDateTime(iso: string | null | undefined, lang: Lang, withSeconds = false): string {
  if (!iso) return "—";
  const date = parseTime(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: TIME_ZONE,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: withSeconds ? "2-digit" : undefined,
    hour12: false,
  }).format(date);
}

export function formatBytes(bytes: number, lang: Lang): string {
  const units = ["B", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}

export function formatDuration(ms: number): string {
  const total = Math.round(ms / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mm = String(m).padStart(h ? 2 : 1, "0");
  return h ? `${h}:${mm}:${String(s).padStart(2, "0")}` : `${mm}:${String(s).padStart(2, "0")}`;
}

/** Parses "until 2026-05-01 10:15 UTC" out of a locked account's message. */
export function lockedUntil(message: string): string | null {
  const found = /(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(?::\d{2})?)\s*(?:UTC|Z)/.exec(message);
  return found ? `${found[1]}T${found[2].length === 5 ? `${found[2]}:00` : found[2]}Z` : null;
}

/** The time of day in Vietnam, "14:05" (or "14:05:09"). */
export function formatTime(iso: string | null | undefined, lang: Lang, withSeconds = false): string {
  if (!iso) return "—";
  const date = parseTime(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[lang], {
    timeZone: TIME_ZONE,
    hour: "2-digit",
    minute: "2-digit",
    second: withSeconds ? "2-digit" : undefined,
    hour12: false,
  }).format(date);
}

/** The day in Vietnam, as "2026-05-01", to tell whether two times fall on one day. */
export function vietnamDay(date: Date): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
}

/** "14:05" when `iso` falls on the same Vietnamese day as `now`, else the date too. */
export function formatUntil(iso: string | null | undefined, now: Date, lang: Lang): string {
  if (!iso) return "—";
  const date = parseTime(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return vietnamDay(date) === vietnamDay(now) ? formatTime(iso, lang) : formatDateTime(iso, lang);
}

/** Whole minutes from `now` to the next midnight in Vietnam (UTC+7, no summer time): 1–1440. */
export function minutesToEndOfDay(now: Date): number {
  const local = new Date(now.getTime() + 7 * 3600_000);
  const minutesIn = local.getUTCHours() * 60 + local.getUTCMinutes() + (local.getUTCSeconds() > 0 ? 1 : 0);
  return Math.min(1440, Math.max(1, 1440 - minutesIn));
}

/** Without accents ("Sảnh Đông" → "Sanh Dong"): the marks dropped, "đ" as "d". */
export function stripMarks(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").replace(/đ/g, "d").replace(/Đ/g, "D");
}

/** Lower case without accents ("Sảnh Đông" → "sanh dong"), for searches typed without them. */
export function fold(text: string): string {
  return stripMarks(text).toLowerCase();
}

/** Characters as the server counts them (Unicode scalar values of the trimmed text). */
export function charCount(text: string): number {
  return [...text.trim()].length;
}
