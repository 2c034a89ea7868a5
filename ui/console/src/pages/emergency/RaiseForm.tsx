// An approver's form for a new emergency message: the words per language (280
// characters each, counted as the server counts them), how long it shows, a live
// preview of the screen, and a confirmation naming the channel (or every channel of
// the group, all raised in one request) before it goes out.
// The server is the judge of what is valid; its reason is shown as it says it.

import { useState } from "preact/hooks";
import { raiseEmergency, raiseOnChannels } from "../../api/routes";
import type { Issued, LocaleInfo } from "../../api/types";
import { ConfirmDialog } from "../../components/Dialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Icon } from "../../components/Icon";
import { useLang, useT } from "../../i18n";
import { charCount, formatTime, formatUntil, minutesToEndOfDay } from "../../lib/format";
import { useAction } from "../../lib/use-action";
import { useNow } from "../../lib/use-now";
import { EmergencyPreview, type Line } from "./EmergencyPreview";
import type { IssuedOnChannels } from "../../api/types";

const MAX_CHARS = 280;
const MAX_MINUTES = 1440;

type Choice = "15" | "60" | "240" | "eod" | "custom";
const PRESETS: Array<{ choice: Choice; key: "emergency.d15" | "emergency.d60" | "emergency.d240" | "emergency.dEndOfDay" | "emergency.dCustom" }> = [
  { choice: "15", key: "emergency.d15" },
  { choice: "60", key: "emergency.d60" },
  { choice: "240", key: "emergency.d240" },
  { choice: "eod", key: "emergency.dEndOfDay" },
  { choice: "custom", key: "emergency.dCustom" },
];

function minutesOf(choice: Choice, custom: string, now: Date): number {
  if (choice === "eod") return minutesToEndOfDay(now);
  if (choice === "custom") return custom.trim() === "" ? Number.NaN : Number(custom);
  return Number(choice);
}

type Props = {
  /** The channels it goes to: one, or a group raised in one request. */
  channels: string[];
  /** The languages to write in, in order. */
  locales: LocaleInfo[];
  /** A message is on air (a new one replaces it). */
  active: boolean;
  /** Just before the request goes out. */
  onSend: () => void;
  onRaised: (issued: IssuedOnChannels["issued"]) => void;
};

/** One channel by its own route (as ever), a group by the group's. */
async function raiseOn(channels: string[], body: { text: Record<string, string>; minutes: number }): Promise<Record<string, Issued>> {
  if (channels.length === 1) return { [channels[0]]: await raiseEmergency(channels[0], body) };
  return (await raiseOnChannels({ channels, ...body })).issued;
}

export function RaiseForm({ channels, locales, active, onSend, onRaised }: Props) {
  const t = useT();
  const lang = useLang();
  const now = useNow(15_000);
  const [texts, setTexts] = useState<Record<string, string>>({});
  const [choice, setChoice] = useState<Choice>("15");
  const [custom, setCustom] = useState("30");
  const [confirming, setConfirming] = useState(false);
  const { busy, error, setError, run } = useAction();
  const [needText, setNeedText] = useState(false);
  const channel = channels.join(", ");
  const group = channels.length > 1;

  const minutes = minutesOf(choice, custom, now);
  const minutesOk = Number.isInteger(minutes) && minutes >= 1 && minutes <= MAX_MINUTES;
  const until = minutesOk ? new Date(now.getTime() + minutes * 60_000).toISOString() : null;
  const lines: Line[] = locales.map((l) => ({ locale: l.tag, text: (texts[l.tag] ?? "").trim() })).filter((l) => l.text !== "");
  const body = { text: Object.fromEntries(lines.map((l) => [l.locale, l.text])), minutes };
  const durationWords = minutes >= 60 && minutes % 60 === 0 ? t("span.hours", { n: minutes / 60 }) : t("span.minutes", { n: minutes });

  function ask(event: Event) {
    event.preventDefault();
    setError(null);
    setNeedText(lines.length === 0);
    if (lines.length === 0 || Number.isNaN(minutes) || channels.length === 0) return;
    setConfirming(true);
  }

  async function raise() {
    onSend();
    await run(async () => {
      // The confirmation closes whether the message went out or not.
      try {
        const issued = await raiseOn(channels, body);
        setTexts({});
        onRaised(issued);
      } finally {
        setConfirming(false);
      }
    });
  }

  return (
    <section class="card raise-card" aria-labelledby="raise-title" data-testid="raise-form">
      <div class="card-head">
        <h2 id="raise-title">{t("emergency.form")}</h2>
        {active && <p class="hint strong">{t("emergency.replaces")}</p>}
      </div>
      <div class="raise-layout">
        <form class="form" onSubmit={ask} noValidate>
          <ErrorNotice error={error} testId="raise-error" />
          <fieldset class="locale-field">
            <legend>{t("emergency.words")}</legend>
            <p class="hint">{t("emergency.wordsHint")}</p>
            <div class="em-texts">
              {locales.map((locale) => {
                const id = `em-text-${locale.tag}`;
                const count = charCount(texts[locale.tag] ?? "");
                const over = count > MAX_CHARS;
                return (
                  <div key={locale.tag} class={over ? "field invalid" : "field"}>
                    <label for={id}>
                      <span class="locale-name">
                        {locale.name} <span class="locale-tag">{locale.tag}</span>
                      </span>
                      {locale.tag !== "vi" && locale.tag !== "en" && <span class="muted small"> · {t("emergency.optional")}</span>}
                    </label>
                    <textarea
                      id={id}
                      lang={locale.tag}
                      rows={3}
                      value={texts[locale.tag] ?? ""}
                      onInput={(e) => {
                        const value = e.currentTarget.value;
                        setTexts((all) => ({ ...all, [locale.tag]: value }));
                        if (value.trim()) setNeedText(false);
                      }}
                      aria-describedby={`${id}-count`}
                      aria-invalid={over || undefined}
                    />
                    <p id={`${id}-count`} class={over ? "field-error counter" : "hint counter"} data-testid={`count-${locale.tag}`}>
                      {over ? `${t("emergency.count", { n: count, max: MAX_CHARS })} · ${t("emergency.over", { n: count - MAX_CHARS })}` : t("emergency.count", { n: count, max: MAX_CHARS })}
                    </p>
                  </div>
                );
              })}
            </div>
            {needText && (
              <p class="field-error" role="alert" data-testid="need-text">
                {t("emergency.needText")}
              </p>
            )}
          </fieldset>
          <fieldset class="duration-field">
            <legend>{t("emergency.duration")}</legend>
            <div class="segmented">
              {PRESETS.map(({ choice: value, key }) => (
                <label key={value} class={choice === value ? "segment selected" : "segment"}>
                  <input type="radio" name="em-duration" value={value} checked={choice === value} onChange={() => setChoice(value)} />
                  {t(key)}
                </label>
              ))}
            </div>
            {choice === "custom" && (
              <div class={minutesOk ? "field custom-minutes" : "field custom-minutes invalid"}>
                <label for="em-minutes">{t("emergency.minutes")}</label>
                <input
                  id="em-minutes"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={MAX_MINUTES}
                  step={1}
                  value={custom}
                  onInput={(e) => setCustom(e.currentTarget.value)}
                  aria-describedby="em-minutes-hint"
                />
                <p id="em-minutes-hint" class={minutesOk ? "hint" : "field-error"}>
                  {t("emergency.minutesRule")}
                </p>
              </div>
            )}
            <p class="shows-until" data-testid="shows-until">
              <Icon name="clock" size={16} />
              {until ? t("emergency.showsUntil", { time: formatUntil(until, now, lang) }) : "—"}
            </p>
          </fieldset>
          {channels.length === 0 && (
            <p class="field-error" role="alert" data-testid="need-channel">
              {t("emergency.needChannel")}
            </p>
          )}
          <button type="submit" class="button danger raise-button" disabled={channels.length === 0} data-testid="raise">
            <Icon name="emergency" />
            {group ? t("emergency.raiseGroup", { n: channels.length }) : t("emergency.raise")}
          </button>
        </form>
        <div class="raise-preview">
          <h3>{t("emergency.preview")}</h3>
          <EmergencyPreview lines={lines} time={formatTime(now.toISOString(), lang)} caption={group ? t("emergency.previewGroupCaption", { channels: channel }) : t("emergency.previewCaption", { channel })} testId="preview" />
        </div>
      </div>
      {confirming && (
        <ConfirmDialog
          title={group ? t("emergency.confirmGroupTitle", { n: channels.length }) : t("emergency.confirmTitle", { channel })}
          message={
            <>
              <p>
                {group
                  ? t("emergency.confirmGroupMessage", { channels: channel, duration: durationWords, time: until ? formatUntil(until, now, lang) : "—" })
                  : t("emergency.confirmMessage", { channel, duration: durationWords, time: until ? formatUntil(until, now, lang) : "—" })}
              </p>
              {group && (
                <ul class="chips" aria-label={t("emergency.group")} data-testid="confirm-channels">
                  {channels.map((name) => (
                    <li key={name} class="chip">
                      {name}
                    </li>
                  ))}
                </ul>
              )}
              <ul class="confirm-lines">
                {lines.map((line) => (
                  <li key={line.locale} lang={line.locale}>
                    <span class="locale-tag">{line.locale}</span> {line.text}
                  </li>
                ))}
              </ul>
            </>
          }
          confirm={t("emergency.confirm")}
          danger
          busy={busy}
          onClose={() => setConfirming(false)}
          onConfirm={() => void raise()}
          testId="raise-confirm"
        />
      )}
    </section>
  );
}
