// One text in every language of the pack, side by side; an empty or absent
// translation is marked with words and colour.

import type { LocaleInfo, Localized } from "../api/types";
import { useT } from "../i18n";
import { hasText, missingList } from "../lib/locales";
import { Icon } from "./Icon";

type Common = {
  /** Unique within the page, for the inputs' ids. */
  id: string;
  label: string;
  locales: LocaleInfo[];
  disabled?: boolean;
  multiline?: boolean;
  rows?: number;
  hint?: string;
};

function MissingMark() {
  const t = useT();
  return (
    <span class="missing-mark" data-testid="missing-mark">
      <Icon name="warning" size={14} />
      {t("story.missing")}
    </span>
  );
}

function Column({
  id,
  locale,
  value,
  missing,
  multiline,
  rows,
  disabled,
  onInput,
}: {
  id: string;
  locale: LocaleInfo;
  value: string;
  missing: boolean;
  multiline?: boolean;
  rows?: number;
  disabled?: boolean;
  onInput: (value: string) => void;
}) {
  const inputId = `${id}-${locale.tag}`;
  return (
    <div class={missing ? "locale-col missing" : "locale-col"}>
      <label for={inputId}>
        <span class="locale-name">
          {locale.name} <span class="locale-tag">{locale.tag}</span>
        </span>
        {missing && <MissingMark />}
      </label>
      {multiline ? (
        <textarea
          id={inputId}
          lang={locale.tag}
          rows={rows ?? 4}
          value={value}
          disabled={disabled}
          onInput={(e) => onInput(e.currentTarget.value)}
        />
      ) : (
        <input id={inputId} lang={locale.tag} value={value} disabled={disabled} onInput={(e) => onInput(e.currentTarget.value)} />
      )}
    </div>
  );
}

/** A text per locale (title, body…). */
export function LocaleText({ value, onChange, ...props }: Common & { value: Localized<string>; onChange: (tag: string, text: string) => void }) {
  return (
    <fieldset class="locale-field" data-field={props.id}>
      <legend>{props.label}</legend>
      {props.hint && <p class="hint">{props.hint}</p>}
      <div class="locale-grid" style={{ "--cols": Math.min(props.locales.length, 3) }}>
        {props.locales.map((locale) => (
          <Column
            key={locale.tag}
            id={props.id}
            locale={locale}
            value={value[locale.tag] ?? ""}
            missing={!hasText(value, locale.tag)}
            multiline={props.multiline}
            rows={props.rows}
            disabled={props.disabled}
            onInput={(text) => onChange(locale.tag, text)}
          />
        ))}
      </div>
    </fieldset>
  );
}

/** A list per locale, one item per line (highlights). */
export function LocaleList({ value, onChange, ...props }: Common & { value: Localized<string[]>; onChange: (tag: string, lines: string[]) => void }) {
  const missing = missingList(value, props.locales.map((l) => l.tag));
  return (
    <fieldset class="locale-field" data-field={props.id}>
      <legend>{props.label}</legend>
      {props.hint && <p class="hint">{props.hint}</p>}
      <div class="locale-grid" style={{ "--cols": Math.min(props.locales.length, 3) }}>
        {props.locales.map((locale) => {
          const lines = value[locale.tag] ?? [];
          return (
            <Column
              key={locale.tag}
              id={props.id}
              locale={locale}
              value={lines.join("\n")}
              missing={missing.includes(locale.tag)}
              multiline
              rows={props.rows ?? 3}
              disabled={props.disabled}
              onInput={(text) => onChange(locale.tag, text.split("\n"))}
            />
          );
        })}
      </div>
    </fieldset>
  );
}
