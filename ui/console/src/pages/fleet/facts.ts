// What a screen's heartbeat says, read for people: how long ago, what is on screen,
// whether its release and its disk need attention.

import type { FleetScreen, Heartbeat, ScreenStatus } from "../../api/types";
import type { Key, T } from "../../i18n";
import { parseTime } from "../../lib/format";

export const STATUSES: ScreenStatus[] = ["online", "late", "offline", "never"];

/** Problems first: the order screens are listed in. */
const RANK: Record<ScreenStatus, number> = { offline: 0, late: 1, never: 2, online: 3 };

export function byAttention(a: FleetScreen, b: FleetScreen): number {
  return RANK[a.status] - RANK[b.status] || a.channel.localeCompare(b.channel) || a.name.localeCompare(b.name, "vi");
}

/** Under this, free disk is shown as a warning (a release may not fit). */
export const LOW_DISK_BYTES = 1_000_000_000;

/** Seconds from `from` to `to` (ISO times), never negative; null without `from`. */
export function secondsBetween(from: string | null, to: string): number | null {
  if (!from) return null;
  const span = (parseTime(to).getTime() - parseTime(from).getTime()) / 1000;
  return Number.isFinite(span) ? Math.max(0, Math.round(span)) : null;
}

/** "3 minutes ago" for an age in seconds. */
export function ago(t: T, seconds: number): string {
  if (seconds < 5) return t("ago.now");
  const unit = (one: Key, many: Key, n: number) => (n === 1 ? t(one) : t(many, { n }));
  if (seconds < 60) return unit("ago.second", "ago.seconds", seconds);
  if (seconds < 3600) return unit("ago.minute", "ago.minutes", Math.floor(seconds / 60));
  if (seconds < 86400) return unit("ago.hour", "ago.hours", Math.floor(seconds / 3600));
  return unit("ago.day", "ago.days", Math.floor(seconds / 86400));
}

/** A length of time: "10 minutes", "45 seconds". */
export function span(t: T, seconds: number): string {
  if (seconds < 120) return t("span.seconds", { n: seconds });
  if (seconds < 7200) return t("span.minutes", { n: Math.round(seconds / 60) });
  return t("span.hours", { n: Math.round(seconds / 3600) });
}

type OnScreen = { playlist: string | null; item: string | null; since: string | null };

const text = (value: unknown): string | null => (typeof value === "string" && value.trim() ? value : typeof value === "number" ? String(value) : null);

/** `heartbeat.current_item` as the app told it, if it says anything readable. */
export function onScreen(heartbeat: Heartbeat | null): OnScreen | null {
  const item = heartbeat?.current_item;
  if (!item || typeof item !== "object") return null;
  const fields = item as Record<string, unknown>;
  const found = { playlist: text(fields.playlist), item: text(fields.item), since: text(fields.since) };
  return found.playlist || found.item ? found : null;
}

/** True when the screen plays an older release than its channel's newest. */
export function isBehind(screen: FleetScreen): boolean {
  const version = screen.heartbeat?.release_version;
  return version != null && screen.live_version != null && version < screen.live_version;
}
