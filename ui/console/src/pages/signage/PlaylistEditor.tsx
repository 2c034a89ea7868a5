// One playlist's items in order: drag to reorder (or the up/down buttons, for the
// keyboard), durations editable, items added and removed.

import { useState } from "preact/hooks";
import type { ContentPack, Playlist, PlaylistItem } from "../../api/types";
import { Icon, type IconName } from "../../components/Icon";
import { MediaThumb } from "../../components/MediaThumb";
import { useLang, useT, type T } from "../../i18n";
import type { Lang } from "../../i18n";
import { formatDuration } from "../../lib/format";
import { useLibrary } from "../../lib/library";
import { anyText } from "../../lib/locales";
import { move } from "../../lib/slug";
import { AddItemDialog } from "./AddItemDialog";

const KIND_ICON: Record<PlaylistItem["show"]["kind"], IconName> = {
  video: "film",
  image: "image",
  scene: "scene",
  brochure: "qr",
  message: "message",
  tour: "pin",
};

function describe(item: PlaylistItem, pack: ContentPack, find: ReturnType<typeof useLibrary>, lang: Lang, t: T): string {
  const show = item.show;
  switch (show.kind) {
    case "video":
      return find(show.video)?.name ?? `${show.video.slice(0, 12)}…`;
    case "image":
      return find(show.image)?.name ?? `${show.image.slice(0, 12)}…`;
    case "scene": {
      const chapter = pack.chapters.find((c) => c.id === show.chapter);
      const scene = chapter?.scenes.find((s) => s.id === show.scene);
      if (!chapter || !scene) return t("playlist.missingScene", { id: `${show.chapter}/${show.scene}` });
      return `${anyText(chapter.title, lang) || chapter.id} › ${anyText(scene.title, lang) || scene.id}`;
    }
    case "brochure": {
      const brochure = pack.brochures.find((b) => b.id === show.brochure);
      return brochure ? anyText(brochure.title, lang) || brochure.id : t("playlist.missingBrochure", { id: show.brochure });
    }
    case "message":
      return `“${anyText(show.text, lang)}”`;
    case "tour":
      return pack.tour ? t("playlist.tourStops", { title: anyText(pack.tour.title, lang), n: pack.tour.stops.length }) : t("playlist.missingTour");
  }
}

export function PlaylistEditor({
  pack,
  playlist,
  disabled,
  edit,
}: {
  pack: ContentPack;
  playlist: Playlist;
  disabled: boolean;
  edit: (change: (playlist: Playlist) => void) => void;
}) {
  const t = useT();
  const lang = useLang();
  const find = useLibrary();
  const [dragging, setDragging] = useState<number | null>(null);
  const [over, setOver] = useState<number | null>(null);
  const [adding, setAdding] = useState(false);
  const [announce, setAnnounce] = useState("");

  function moveItem(from: number, to: number) {
    if (from === to || to < 0 || to >= playlist.items.length) return;
    const id = playlist.items[from].id;
    edit((p) => move(p.items, from, to - from));
    setAnnounce(t("playlist.moved", { id, n: to + 1, total: playlist.items.length }));
  }

  const total = playlist.items.reduce((sum, item) => {
    const film = item.show.kind === "video" ? find(item.show.video)?.duration_ms : undefined;
    return sum + (item.seconds !== null ? item.seconds * 1000 : (film ?? 10_000));
  }, 0);

  return (
    <section class="card playlist-editor" aria-labelledby="playlist-heading" data-testid="playlist-editor">
      <div class="card-head">
        <h3 id="playlist-heading">
          {t("playlist.items", { id: playlist.id })}
        </h3>
        <span class="muted">{t("playlist.total", { n: playlist.items.length, time: formatDuration(total) })}</span>
      </div>
      <p class="visually-hidden" aria-live="polite">
        {announce}
      </p>
      {playlist.items.length === 0 && <p class="empty">{t("playlist.empty")}</p>}
      <ol class="playlist-items">
        {playlist.items.map((item, i) => {
          const film = item.show.kind === "video" ? find(item.show.video) : undefined;
          const picture = item.show.kind === "image" ? find(item.show.image) : film;
          const classes = ["playlist-item", dragging === i ? "dragging" : "", over === i && dragging !== i ? "drop-target" : ""];
          return (
            <li
              key={item.id}
              class={classes.join(" ")}
              data-item={item.id}
              draggable={!disabled}
              onDragStart={(e) => {
                setDragging(i);
                e.dataTransfer?.setData("text/plain", item.id);
                if (e.dataTransfer) e.dataTransfer.effectAllowed = "move";
              }}
              onDragOver={(e) => {
                if (dragging === null) return;
                e.preventDefault();
                setOver(i);
              }}
              onDrop={(e) => {
                e.preventDefault();
                if (dragging !== null) moveItem(dragging, i);
                setDragging(null);
                setOver(null);
              }}
              onDragEnd={() => {
                setDragging(null);
                setOver(null);
              }}
            >
              {!disabled && (
                <span class="grip" aria-hidden="true">
                  <Icon name="grip" />
                </span>
              )}
              <span class="item-index">{i + 1}</span>
              {picture ? <MediaThumb item={picture} size="sm" /> : <span class="thumb thumb-sm thumb-icon"><Icon name={KIND_ICON[item.show.kind]} /></span>}
              <div class="item-text">
                <span class="item-kind">{t(`show.${item.show.kind}`)}</span>
                <span class="item-desc">{describe(item, pack, find, lang, t)}</span>
              </div>
              <div class="item-seconds">
                <label for={`seconds-${item.id}`}>{t("playlist.secondsShort")}</label>
                <input
                  id={`seconds-${item.id}`}
                  type="number"
                  min={1}
                  inputMode="numeric"
                  value={item.seconds ?? ""}
                  placeholder={film?.duration_ms ? formatDuration(film.duration_ms) : item.show.kind === "video" ? t("playlist.filmLength") : "10"}
                  disabled={disabled}
                  aria-describedby={`desc-${item.id}`}
                  onInput={(e) => {
                    const raw = e.currentTarget.value.trim();
                    const n = Math.round(Number(raw));
                    edit((p) => (p.items[i].seconds = raw === "" || !(n >= 1) ? null : n));
                  }}
                />
                <span id={`desc-${item.id}`} class="visually-hidden">
                  {item.id}
                </span>
              </div>
              {!disabled && (
                <div class="item-actions">
                  <button type="button" class="icon-button" disabled={i === 0} onClick={() => moveItem(i, i - 1)} aria-label={t("playlist.up", { id: item.id })}>
                    <Icon name="up" />
                  </button>
                  <button
                    type="button"
                    class="icon-button"
                    disabled={i === playlist.items.length - 1}
                    onClick={() => moveItem(i, i + 1)}
                    aria-label={t("playlist.down", { id: item.id })}
                  >
                    <Icon name="down" />
                  </button>
                  <button type="button" class="icon-button danger-text" onClick={() => edit((p) => p.items.splice(i, 1))} aria-label={t("playlist.remove", { id: item.id })}>
                    <Icon name="trash" />
                  </button>
                </div>
              )}
            </li>
          );
        })}
      </ol>
      {!disabled && (
        <button type="button" class="button" onClick={() => setAdding(true)}>
          <Icon name="plus" />
          {t("playlist.addItem")}
        </button>
      )}
      {adding && (
        <AddItemDialog
          pack={pack}
          taken={playlist.items.map((item) => item.id)}
          onClose={() => setAdding(false)}
          onAdd={(item) => {
            edit((p) => p.items.push(item));
            setAdding(false);
          }}
        />
      )}
    </section>
  );
}
