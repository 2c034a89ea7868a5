// The schedule: the fallback, the week calendar, conflicts, and the entries as a table
// (the calendar's text version) with add, change and remove.

import { useState } from "preact/hooks";
import type { ContentPack, ScheduleEntry, Signage } from "../../api/types";
import { EmptyRow } from "../../components/EmptyRow";
import { Icon } from "../../components/Icon";
import { Notice } from "../../components/Notice";
import { useT } from "../../i18n";
import { conflicts, dateOf, dayNumber, DAYS, endTime, hhmm, mondayOf, planWeek, timeOf, todayInVietnam } from "../../lib/week";
import { EntryDialog } from "./EntryDialog";
import { WeekCalendar } from "./WeekCalendar";

export function ScheduleSection({
  signage,
  disabled,
  edit,
}: {
  signage: Signage;
  disabled: boolean;
  edit: (change: (pack: ContentPack) => void) => void;
}) {
  const t = useT();
  const [monday, setMonday] = useState(mondayOf(todayInVietnam()));
  const [editing, setEditing] = useState<number | "new" | null>(null);
  const { schedule } = signage;
  const playlists = signage.playlists.map((p) => p.id);
  const plan = planWeek(schedule, monday);
  const found = conflicts(plan);
  const sunday = dateOf(dayNumber(monday) + 6);
  const changeSchedule = (change: (s: Signage) => void) => edit((p) => p.signage && change(p.signage));

  const daysText = (entry: ScheduleEntry) =>
    entry.days.length === 0 || entry.days.length === 7 ? t("schedule.everyDay") : entry.days.map((d) => t(`dayShort.${d}`)).join(", ");
  const windowText = (entry: ScheduleEntry) => {
    if (!entry.window) return t("schedule.wholeDay");
    const [s, e] = [hhmm(entry.window.start), hhmm(entry.window.end)];
    return e <= s ? `${s}–${e} (${t("schedule.nextDay")})` : `${s}–${e}`;
  };
  const datesText = (entry: ScheduleEntry) =>
    entry.from_date || entry.until_date ? `${entry.from_date ?? "…"} → ${entry.until_date ?? "…"}` : t("schedule.always");

  return (
    <section class="card schedule" aria-labelledby="schedule-title">
      <div class="card-head">
        <h2 id="schedule-title">{t("schedule.title")}</h2>
        <span class="tz-note" data-testid="timezone">
          <Icon name="globe" size={16} />
          {t("schedule.timezone")}
        </span>
      </div>
      <div class="toolbar">
        <div class="field inline">
          <label for="fallback">{t("schedule.fallback")}</label>
          <select
            id="fallback"
            value={schedule.fallback}
            disabled={disabled}
            onChange={(e) => {
              const value = e.currentTarget.value;
              changeSchedule((s) => (s.schedule.fallback = value));
            }}
          >
            {playlists.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </div>
        <span class="savebar-spacer" />
        <div class="week-nav" role="group" aria-label={t("calendar.week")}>
          <button type="button" class="button small" onClick={() => setMonday(dateOf(dayNumber(monday) - 7))}>
            ‹ {t("calendar.previous")}
          </button>
          <button type="button" class="button small" onClick={() => setMonday(mondayOf(todayInVietnam()))}>
            {t("calendar.thisWeek")}
          </button>
          <button type="button" class="button small" onClick={() => setMonday(dateOf(dayNumber(monday) + 7))}>
            {t("calendar.next")} ›
          </button>
          <span class="week-label" aria-live="polite">
            {monday} → {sunday}
          </span>
        </div>
      </div>
      <div class="legend">
        <span class="legend-fallback">{t("calendar.fallbackLegend", { id: schedule.fallback })}</span>
        <span class="legend-conflict">{t("calendar.conflictLegend")}</span>
      </div>
      <WeekCalendar schedule={schedule} playlists={playlists} plan={plan} onPick={(i) => !disabled && setEditing(i)} />
      {found.length > 0 && (
        <Notice kind="warning" title={t("calendar.conflicts", { n: found.length })} testId="conflicts">
          <ul>
            {found.map((c, i) => (
              <li key={i}>
                {t("calendar.conflictLine", {
                  day: t(`day.${DAYS[c.day]}`),
                  start: timeOf(c.start),
                  end: endTime(c.end),
                  list: c.entries.map((e) => `#${e + 1} ${schedule.entries[e].playlist}`).join(", "),
                  priority: schedule.entries[c.entries[0]].priority,
                })}
              </li>
            ))}
          </ul>
        </Notice>
      )}
      <div class="table-wrap">
        <table class="table" data-testid="entries">
          <caption class="visually-hidden">{t("schedule.entries")}</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">{t("schedule.playlist")}</th>
              <th scope="col">{t("schedule.days")}</th>
              <th scope="col">{t("schedule.hours")}</th>
              <th scope="col">{t("schedule.dates")}</th>
              <th scope="col">{t("schedule.priority")}</th>
              {!disabled && <th scope="col"><span class="visually-hidden">{t("actions")}</span></th>}
            </tr>
          </thead>
          <tbody>
            {schedule.entries.length === 0 && <EmptyRow cols={7} text={t("schedule.noEntries", { id: schedule.fallback })} />}
            {schedule.entries.map((entry, i) => (
              <tr key={i}>
                <td>{i + 1}</td>
                <td><strong>{entry.playlist}</strong></td>
                <td>{daysText(entry)}</td>
                <td>{windowText(entry)}</td>
                <td>{datesText(entry)}</td>
                <td>{entry.priority}</td>
                {!disabled && (
                  <td class="row-actions">
                    <button type="button" class="button small" onClick={() => setEditing(i)} aria-label={t("schedule.editNamed", { n: i + 1 })}>
                      <Icon name="edit" />
                      {t("edit")}
                    </button>
                    <button
                      type="button"
                      class="button small ghost danger-text"
                      onClick={() => changeSchedule((s) => s.schedule.entries.splice(i, 1))}
                      aria-label={t("schedule.removeNamed", { n: i + 1 })}
                    >
                      <Icon name="trash" />
                      {t("remove")}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {!disabled && (
        <button type="button" class="button" onClick={() => setEditing("new")} disabled={playlists.length === 0}>
          <Icon name="plus" />
          {t("schedule.addEntry")}
        </button>
      )}
      {editing !== null && (
        <EntryDialog
          entry={editing === "new" ? null : schedule.entries[editing]}
          playlists={playlists}
          onClose={() => setEditing(null)}
          onRemove={
            editing === "new"
              ? undefined
              : () => {
                  changeSchedule((s) => s.schedule.entries.splice(editing, 1));
                  setEditing(null);
                }
          }
          onSave={(entry) => {
            changeSchedule((s) => {
              if (editing === "new") s.schedule.entries.push(entry);
              else s.schedule.entries[editing] = entry;
            });
            setEditing(null);
          }}
        />
      )}
    </section>
  );
}
