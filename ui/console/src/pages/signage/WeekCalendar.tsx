// The week as a Monday–Sunday × 24 h grid: which playlist plays when, the fallback as
// the background, and conflicts (equal priorities overlapping) hatched and named.

import type { Schedule } from "../../api/types";
import { Icon } from "../../components/Icon";
import { useT } from "../../i18n";
import { DAYS, endTime, timeOf, type Block, type WeekPlan } from "../../lib/week";

const HOURS = Array.from({ length: 24 }, (_, h) => h);

/** A steady colour per playlist (index into the CSS palette). */
function colourOf(playlist: string, all: string[]): number {
  const i = all.indexOf(playlist);
  return (i < 0 ? 0 : i) % 6;
}

export function WeekCalendar({
  schedule,
  playlists,
  plan,
  onPick,
}: {
  schedule: Schedule;
  playlists: string[];
  /** The schedule's plan of the week shown. */
  plan: WeekPlan;
  onPick: (entry: number) => void;
}) {
  const t = useT();
  const dayName = (d: number) => t(`day.${DAYS[d]}`);
  const dateLabel = (date: string) => {
    const [, m, d] = date.split("-");
    return `${d}/${m}`;
  };
  const describe = (b: Block) =>
    t("calendar.block", {
      playlist: b.playlist,
      day: dayName(b.day),
      start: timeOf(b.start),
      end: endTime(b.end),
      priority: schedule.entries[b.entry].priority,
    }) + (b.conflict ? ` — ${t("calendar.conflict")}` : "");

  return (
    <div class="calendar" role="group" aria-label={t("calendar.label")} data-testid="week-calendar">
      <div class="calendar-head">
        <span class="calendar-corner" />
        {plan.dates.map((date, d) => (
          <span key={date} class="calendar-day">
            <strong>{dayName(d)}</strong> <span class="muted">{dateLabel(date)}</span>
          </span>
        ))}
      </div>
      <div class="calendar-body">
        <div class="calendar-hours" aria-hidden="true">
          {HOURS.map((h) => (
            <span key={h}>{String(h).padStart(2, "0")}:00</span>
          ))}
        </div>
        {plan.dates.map((date, d) => (
          <div key={date} class="calendar-col" data-day={DAYS[d]}>
            <span class="fallback-label" aria-hidden="true">
              {schedule.fallback}
            </span>
            {plan.blocks
              .filter((b) => b.day === d)
              .map((b) => (
                <button
                  type="button"
                  key={`${b.start}-${b.entry}`}
                  class={`cal-block colour-${colourOf(b.playlist, playlists)}${b.conflict ? " conflict" : ""}`}
                  style={{ top: `${(b.start / 1440) * 100}%`, height: `${((b.end - b.start) / 1440) * 100}%` }}
                  onClick={() => onPick(b.entry)}
                  title={describe(b)}
                  data-playlist={b.playlist}
                  data-conflict={b.conflict ? "true" : undefined}
                >
                  {b.conflict && <Icon name="warning" size={12} />}
                  <span class="cal-name">{b.playlist}</span>{" "}
                  <span class={b.end - b.start >= 90 ? "cal-time" : "visually-hidden"}>
                    {timeOf(b.start)}–{endTime(b.end)}
                  </span>
                  <span class="visually-hidden">
                    {`, ${dayName(b.day)}, ${t("schedule.priority")} ${schedule.entries[b.entry].priority}`}
                    {b.conflict ? `, ${t("calendar.conflict")}` : ""}
                  </span>
                </button>
              ))}
          </div>
        ))}
      </div>
    </div>
  );
}
