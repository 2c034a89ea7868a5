// One chapter: id, title and summary per language, its cover picture and colour.

import type { Chapter, LocaleInfo } from "../../api/types";
import { LocaleText } from "../../components/LocaleFields";
import { MediaSlot } from "../../components/MediaPicker";
import { useT } from "../../i18n";
import { IdField } from "./IdField";

type Props = {
  chapter: Chapter;
  locales: LocaleInfo[];
  disabled: boolean;
  siblings: string[];
  edit: (change: (chapter: Chapter) => void) => void;
};

export function ChapterEditor({ chapter, locales, disabled, siblings, edit }: Props) {
  const t = useT();
  const accent = chapter.accent ?? "";
  return (
    <section class="editor" aria-labelledby="chapter-heading" data-testid="chapter-editor">
      <div class="editor-head">
        <h2 id="chapter-heading">{t("story.chapter")}: {chapter.id}</h2>
      </div>
      <IdField id="chapter-id" value={chapter.id} taken={siblings} disabled={disabled} onChange={(id) => edit((c) => (c.id = id))} />
      <LocaleText
        id="chapter-title"
        label={t("story.title")}
        locales={locales}
        value={chapter.title}
        disabled={disabled}
        onChange={(tag, text) => edit((c) => (c.title[tag] = text))}
      />
      <LocaleText
        id="chapter-summary"
        label={t("story.summary")}
        locales={locales}
        value={chapter.summary}
        multiline
        rows={3}
        disabled={disabled}
        onChange={(tag, text) => edit((c) => (c.summary[tag] = text))}
      />
      <div class="slot-row">
        <MediaSlot
          label={t("story.cover")}
          kind="image"
          value={chapter.cover}
          optional={false}
          disabled={disabled}
          onChange={(sha) => sha && edit((c) => (c.cover = sha))}
        />
        <div class="field">
          <label for="chapter-accent">{t("story.accent")}</label>
          <div class="accent-row">
            <input
              id="chapter-accent"
              type="color"
              value={/^#[0-9a-fA-F]{6}$/.test(accent) ? accent : "#0b4f8a"}
              disabled={disabled}
              onInput={(e) => {
                const value = e.currentTarget.value.toUpperCase();
                edit((c) => (c.accent = value));
              }}
            />
            <code>{accent || t("story.noAccent")}</code>
          </div>
        </div>
      </div>
    </section>
  );
}
