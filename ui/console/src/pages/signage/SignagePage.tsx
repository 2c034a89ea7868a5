// Playlists and their schedule for unattended screens (content.signage of the draft).

import { useEffect, useState } from "preact/hooks";
import type { ContentPack } from "../../api/types";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Icon } from "../../components/Icon";
import { Notice } from "../../components/Notice";
import { PageHeader } from "../../components/PageHeader";
import { SaveBar } from "../../components/SaveBar";
import { useT } from "../../i18n";
import { draftStore, editDraft, loadDraft } from "../../lib/draft";
import { useStore } from "../../lib/store";
import { useChannel } from "../../lib/use-channel";
import { idProblem } from "../story/IdField";
import { PlaylistEditor } from "./PlaylistEditor";
import { ScheduleSection } from "./ScheduleSection";

export function SignagePage() {
  const t = useT();
  const { channel, canEdit } = useChannel();
  const state = useStore(draftStore(channel));
  const [selected, setSelected] = useState(0);
  const [newId, setNewId] = useState("");

  useEffect(() => {
    if (channel) void loadDraft(channel);
  }, [channel]);

  const pack = state.content;
  const header = <PageHeader title={t("signage.title")} subtitle={t("signage.subtitle", { channel })} />;
  if (!pack) return <>{header}{state.error ? <ErrorNotice error={state.error} /> : <p class="muted">{t("loading")}</p>}</>;

  const edit = (change: (pack: ContentPack) => void) => editDraft(channel, change);
  const signage = pack.signage;
  if (!signage) {
    return (
      <>
        {header}
        <SaveBar channel={channel} canEdit={canEdit} />
        <Notice kind="info" title={t("signage.none")}>
          {canEdit && (
            <button
              type="button"
              class="button primary"
              onClick={() => edit((p) => (p.signage = { playlists: [{ id: "main", items: [] }], schedule: { fallback: "main", entries: [] } }))}
            >
              {t("signage.create")}
            </button>
          )}
        </Notice>
      </>
    );
  }

  const index = Math.min(selected, signage.playlists.length - 1);
  const playlist = signage.playlists[index];
  const ids = signage.playlists.map((p) => p.id);
  const used = (id: string) => signage.schedule.fallback === id || signage.schedule.entries.some((e) => e.playlist === id);
  const newIdProblem = newId && idProblem(newId, ids, t);

  return (
    <>
      {header}
      <SaveBar channel={channel} canEdit={canEdit} />
      <div class="signage-layout">
        <section class="card playlists" aria-labelledby="playlists-title">
          <h2 id="playlists-title">{t("signage.playlists")}</h2>
          <ul class="playlist-list">
            {signage.playlists.map((p, i) => (
              <li key={p.id}>
                <button type="button" class="outline-item" aria-current={i === index ? "true" : undefined} onClick={() => setSelected(i)} data-playlist={p.id}>
                  <span class="outline-text">{p.id}</span>
                  <span class="muted">{t("signage.itemCount", { n: p.items.length })}</span>
                </button>
              </li>
            ))}
          </ul>
          {canEdit && (
            <form
              class="new-playlist"
              onSubmit={(e) => {
                e.preventDefault();
                if (!newId || newIdProblem) return;
                edit((p) => p.signage!.playlists.push({ id: newId, items: [] }));
                setSelected(signage.playlists.length);
                setNewId("");
              }}
            >
              <div class={newIdProblem ? "field invalid" : "field"}>
                <label for="new-playlist">{t("signage.newPlaylist")}</label>
                <input id="new-playlist" value={newId} spellcheck={false} onInput={(e) => setNewId(e.currentTarget.value.trim())} aria-describedby="new-playlist-hint" />
                <p id="new-playlist-hint" class={newIdProblem ? "field-error" : "hint"}>
                  {newIdProblem || t("story.idHint")}
                </p>
              </div>
              <button type="submit" class="button small" disabled={!newId || !!newIdProblem}>
                <Icon name="plus" />
                {t("signage.addPlaylist")}
              </button>
            </form>
          )}
          {canEdit && playlist && (
            <button
              type="button"
              class="button small ghost danger-text"
              disabled={used(playlist.id)}
              title={used(playlist.id) ? t("signage.inUse") : undefined}
              onClick={() => {
                edit((p) => p.signage!.playlists.splice(index, 1));
                setSelected(0);
              }}
            >
              <Icon name="trash" />
              {t("signage.removePlaylist", { id: playlist.id })}
            </button>
          )}
        </section>
        {playlist && (
          <PlaylistEditor
            pack={pack}
            playlist={playlist}
            disabled={!canEdit}
            edit={(change) => edit((p) => change(p.signage!.playlists[index]))}
          />
        )}
      </div>
      <ScheduleSection signage={signage} disabled={!canEdit} edit={edit} />
    </>
  );
}
