// Adds or changes one schedule entry: which playlist, on which days, between which
// hours (a window may cross midnight), between which dates, at which priority.

import { useState } from "preact/hooks";
import type { Day, ScheduleEntry } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { useT } from "../../i18n";
import { DAYS, hhmm, minutesOf } from "../../lib/week";

const withSeconds = (time: string) => (time.length === 5 ? `${time}:00` : time);

export function EntryDialog({
  entry,
  playlists,
  onSave,
  onRemove,
  onClose,
}: {
  entry: ScheduleEntry | null;
  playlists: string[];
  onSave: (entry: ScheduleEntry) => void;
  onRemove?: () => void;
  onClose: () => void;
}) {
  const t = useT();
  const [playlist, setPlaylist] = useState(entry?.playlist ?? playlists[0] ?? "");
  const [priority, setPriority] = useState(String(entry?.priority ?? 10));
  const [days, setDays] = useState<Day[]>(entry?.days ?? []);
  const [wholeDay, setWholeDay] = useState(entry ? entry.window === null : false);
  const [start, setStart] = useState(hhmm(entry?.window?.start ?? "08:00"));
  const [end, setEnd] = useState(hhmm(entry?.window?.end ?? "17:00"));
  const [from, setFrom] = useState(entry?.from_date ?? "");
  const [until, setUntil] = useState(entry?.until_date ?? "");

  const crosses = !wholeDay && start && end && minutesOf(end) <= minutesOf(start);
  const datesWrong = from && until && until < from;
  const priorityValue = Number(priority);
  const valid = playlist && Number.isInteger(priorityValue) && !datesWrong && (wholeDay || (start && end));

  function toggle(day: Day) {
    setDays((old) => (old.includes(day) ? old.filter((d) => d !== day) : DAYS.filter((d) => d === day || old.includes(d))));
  }

  function submit() {
    onSave({
      playlist,
      priority: priorityValue,
      days,
      window: wholeDay ? null : { start: withSeconds(start), end: withSeconds(end) },
      from_date: from || null,
      until_date: until || null,
    });
  }

  return (
    <Dialog
      title={entry ? t("schedule.editEntry") : t("schedule.addEntry")}
      onClose={onClose}
      testId="entry-dialog"
      actions={
        <>
          {onRemove && (
            <button type="button" class="button ghost danger-text push-left" onClick={onRemove}>
              {t("schedule.removeEntry")}
            </button>
          )}
          <button type="button" class="button" onClick={onClose}>
            {t("cancel")}
          </button>
          <button type="button" class="button primary" disabled={!valid} onClick={submit}>
            {t("schedule.saveEntry")}
          </button>
        </>
      }
    >
      <div class="form-grid">
        <div class="field">
          <label for="entry-playlist">{t("schedule.playlist")}</label>
          <select id="entry-playlist" value={playlist} onChange={(e) => setPlaylist(e.currentTarget.value)}>
            {playlists.map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="entry-priority">{t("schedule.priority")}</label>
          <input id="entry-priority" type="number" step={1} value={priority} onInput={(e) => setPriority(e.currentTarget.value)} aria-describedby="entry-priority-hint" />
          <p id="entry-priority-hint" class="hint">
            {t("schedule.priorityHint")}
          </p>
        </div>
      </div>
      <fieldset class="field days-field">
        <legend>{t("schedule.days")}</legend>
        <div class="day-checks">
          {DAYS.map((day) => (
            <label key={day} class="check">
              <input type="checkbox" checked={days.includes(day)} onChange={() => toggle(day)} />
              {t(`day.${day}`)}
            </label>
          ))}
        </div>
        <p class="hint">{t("schedule.daysHint")}</p>
      </fieldset>
      <label class="check">
        <input type="checkbox" checked={wholeDay} onChange={(e) => setWholeDay(e.currentTarget.checked)} />
        {t("schedule.wholeDay")}
      </label>
      {!wholeDay && (
        <div class="form-grid">
          <div class="field">
            <label for="entry-start">{t("schedule.start")}</label>
            <input id="entry-start" type="time" value={start} onInput={(e) => setStart(e.currentTarget.value)} />
          </div>
          <div class="field">
            <label for="entry-end">{t("schedule.end")}</label>
            <input id="entry-end" type="time" value={end} onInput={(e) => setEnd(e.currentTarget.value)} />
          </div>
        </div>
      )}
      {crosses && <p class="hint strong">{t("schedule.crossesMidnight")}</p>}
      <div class="form-grid">
        <div class="field">
          <label for="entry-from">{t("schedule.from")}</label>
          <input id="entry-from" type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </div>
        <div class={datesWrong ? "field invalid" : "field"}>
          <label for="entry-until">{t("schedule.until")}</label>
          <input id="entry-until" type="date" value={until} onInput={(e) => setUntil(e.currentTarget.value)} aria-invalid={datesWrong ? true : undefined} />
          {datesWrong && <p class="field-error">{t("schedule.datesWrong")}</p>}
        </div>
      </div>
      <p class="hint">{t("schedule.datesHint")}</p>
    </Dialog>
  );
}
