// One scene: its id, title, body and highlights in every language side by side, and
// its picture and film from the media library.

import type { LocaleInfo, Scene } from "../../api/types";
import { LocaleList, LocaleText } from "../../components/LocaleFields";
import { MediaSlot } from "../../components/MediaPicker";
import { useT } from "../../i18n";
import { sceneMissing } from "../../lib/locales";
import { IdField } from "./IdField";

type Props = {
  scene: Scene;
  chapterTitle: string;
  locales: LocaleInfo[];
  disabled: boolean;
  edit: (change: (scene: Scene) => void) => void;
  siblings: string[];
};

export function SceneEditor({ scene, chapterTitle, locales, disabled, edit, siblings }: Props) {
  const t = useT();
  const missing = sceneMissing(scene, locales.map((l) => l.tag));
  return (
    <section class="editor" aria-labelledby="scene-heading" data-testid="scene-editor">
      <div class="editor-head">
        <div>
          <p class="eyebrow">{chapterTitle}</p>
          <h2 id="scene-heading">{t("story.scene")}: {scene.id}</h2>
        </div>
        {missing > 0 && (
          <span class="missing-count">
            {t("story.missingCount", { n: missing })}
          </span>
        )}
      </div>
      <IdField id="scene-id" value={scene.id} taken={siblings} disabled={disabled} onChange={(id) => edit((s) => (s.id = id))} />
      <LocaleText
        id="scene-title"
        label={t("story.title")}
        locales={locales}
        value={scene.title}
        disabled={disabled}
        onChange={(tag, text) => edit((s) => (s.title[tag] = text))}
      />
      <LocaleText
        id="scene-body"
        label={t("story.body")}
        hint={t("story.bodyHint")}
        locales={locales}
        value={scene.body}
        multiline
        rows={7}
        disabled={disabled}
        onChange={(tag, text) => edit((s) => (s.body[tag] = text))}
      />
      <LocaleList
        id="scene-highlights"
        label={t("story.highlights")}
        hint={t("story.highlightsHint")}
        locales={locales}
        value={scene.highlights}
        disabled={disabled}
        onChange={(tag, lines) => edit((s) => (s.highlights[tag] = lines))}
      />
      <div class="slot-row">
        <MediaSlot label={t("story.image")} kind="image" value={scene.image} disabled={disabled} onChange={(sha) => edit((s) => (s.image = sha))} />
        <MediaSlot label={t("story.film")} kind="video" value={scene.video} disabled={disabled} onChange={(sha) => edit((s) => (s.video = sha))} />
      </div>
    </section>
  );
}
