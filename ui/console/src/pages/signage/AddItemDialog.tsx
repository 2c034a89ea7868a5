// Adds an item to a playlist: a film or picture from the library, a scene of the
// story, a brochure's QR card, a message in every language or the pack's tour.

import { useState } from "preact/hooks";
import type { ContentPack, PlaylistItem, Show } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { LocaleText } from "../../components/LocaleFields";
import { MediaSlot } from "../../components/MediaPicker";
import { useLang, useT } from "../../i18n";
import { anyText, orderedLocales } from "../../lib/locales";
import { freeId } from "../../lib/slug";

type Kind = Show["kind"];
const KINDS: Kind[] = ["video", "image", "scene", "brochure", "message", "tour"];

export function AddItemDialog({
  pack,
  taken,
  onAdd,
  onClose,
}: {
  pack: ContentPack;
  taken: string[];
  onAdd: (item: PlaylistItem) => void;
  onClose: () => void;
}) {
  const t = useT();
  const lang = useLang();
  const [kind, setKind] = useState<Kind>("video");
  const [blob, setBlob] = useState<string | null>(null);
  const [scene, setScene] = useState(pack.chapters[0] ? `${pack.chapters[0].id}/${pack.chapters[0].scenes[0]?.id}` : "");
  const [brochure, setBrochure] = useState(pack.brochures[0]?.id ?? "");
  const [text, setText] = useState<Record<string, string>>({});
  const [seconds, setSeconds] = useState("");

  function show(): Show | null {
    switch (kind) {
      case "video":
        return blob ? { kind, video: blob } : null;
      case "image":
        return blob ? { kind, image: blob } : null;
      case "scene": {
        const [chapter, sceneId] = scene.split("/");
        return chapter && sceneId ? { kind, chapter, scene: sceneId } : null;
      }
      case "brochure":
        return brochure ? { kind, brochure } : null;
      case "message":
        return Object.values(text).some((v) => v.trim()) ? { kind, text } : null;
      case "tour":
        return pack.tour ? { kind } : null;
    }
  }
  const ready = show();
  const secondsValue = seconds.trim() === "" ? null : Math.max(1, Math.round(Number(seconds)));

  return (
    <Dialog
      title={t("playlist.addItem")}
      onClose={onClose}
      wide
      testId="add-item"
      actions={
        <>
          <button type="button" class="button" onClick={onClose}>
            {t("cancel")}
          </button>
          <button
            type="button"
            class="button primary"
            disabled={!ready}
            onClick={() => ready && onAdd({ id: freeId(kind, taken), show: ready, seconds: secondsValue })}
          >
            {t("playlist.add")}
          </button>
        </>
      }
    >
      <div class="form-grid">
        <div class="field">
          <label for="item-kind">{t("playlist.kind")}</label>
          <select id="item-kind" value={kind} onChange={(e) => {
            setKind(e.currentTarget.value as Kind);
            setBlob(null);
          }}>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`show.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field">
          <label for="item-seconds">{t("playlist.seconds")}</label>
          <input
            id="item-seconds"
            type="number"
            min={1}
            inputMode="numeric"
            value={seconds}
            placeholder={kind === "video" ? t("playlist.filmLength") : t("playlist.defaultSeconds")}
            onInput={(e) => setSeconds(e.currentTarget.value)}
          />
        </div>
      </div>
      {(kind === "video" || kind === "image") && (
        <MediaSlot
          key={kind}
          label={kind === "video" ? t("show.video") : t("show.image")}
          kind={kind}
          value={blob}
          optional={false}
          onChange={setBlob}
        />
      )}
      {kind === "scene" && (
        <div class="field">
          <label for="item-scene">{t("show.scene")}</label>
          <select id="item-scene" value={scene} onChange={(e) => setScene(e.currentTarget.value)}>
            {pack.chapters.map((c) => (
              <optgroup key={c.id} label={anyText(c.title, lang) || c.id}>
                {c.scenes.map((s) => (
                  <option key={s.id} value={`${c.id}/${s.id}`}>
                    {anyText(s.title, lang) || s.id}
                  </option>
                ))}
              </optgroup>
            ))}
          </select>
        </div>
      )}
      {kind === "brochure" && (
        <div class="field">
          <label for="item-brochure">{t("show.brochure")}</label>
          <select id="item-brochure" value={brochure} onChange={(e) => setBrochure(e.currentTarget.value)}>
            {pack.brochures.map((b) => (
              <option key={b.id} value={b.id}>
                {anyText(b.title, lang) || b.id}
              </option>
            ))}
          </select>
        </div>
      )}
      {kind === "message" && (
        <LocaleText
          id="item-message"
          label={t("show.message")}
          locales={orderedLocales(pack)}
          value={text}
          multiline
          rows={2}
          onChange={(tag, value) => setText((old) => ({ ...old, [tag]: value }))}
        />
      )}
    </Dialog>
  );
}
