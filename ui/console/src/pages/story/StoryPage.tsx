// The story editor for the channel's draft: chapters and scenes on the left, the
// chosen one on the right with every language side by side; brochures and social
// channels on their own tabs. Saved with the draft's revision.

import { useEffect, useState } from "preact/hooks";
import type { Chapter, ContentPack, Scene } from "../../api/types";
import { ConfirmDialog } from "../../components/Dialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Icon } from "../../components/Icon";
import { PageHeader } from "../../components/PageHeader";
import { SaveBar } from "../../components/SaveBar";
import { useLang, useT } from "../../i18n";
import { draftStore, editDraft, loadDraft } from "../../lib/draft";
import { anyText, chapterMissing, orderedLocales, packMissing, sceneMissing } from "../../lib/locales";
import { freeId, move } from "../../lib/slug";
import { useStore } from "../../lib/store";
import { useChannel } from "../../lib/use-channel";
import { BrochuresEditor } from "./BrochuresEditor";
import { ChapterEditor } from "./ChapterEditor";
import { SceneEditor } from "./SceneEditor";
import { SocialEditor } from "./SocialEditor";

type Tab = "story" | "brochures" | "social";
type Selected = { chapter: number; scene: number | null };

export function StoryPage() {
  const t = useT();
  const lang = useLang();
  const { channel, canEdit } = useChannel();
  const state = useStore(draftStore(channel));
  const [tab, setTab] = useState<Tab>("story");
  const [selected, setSelected] = useState<Selected>({ chapter: 0, scene: 0 });
  const [removing, setRemoving] = useState<Selected | null>(null);

  useEffect(() => {
    if (channel) void loadDraft(channel);
  }, [channel]);

  const pack = state.content;
  if (!channel) return <p class="empty">{t("header.noChannel")}</p>;
  if (!pack) {
    return (
      <>
        <PageHeader title={t("story.pageTitle")} subtitle={t("story.subtitle", { channel })} />
        {state.error ? <ErrorNotice error={state.error} /> : <p class="muted">{t("loading")}</p>}
      </>
    );
  }

  const locales = orderedLocales(pack);
  const tags = locales.map((l) => l.tag);
  const edit = (change: (pack: ContentPack) => void) => editDraft(channel, change);
  const disabled = !canEdit;
  const chapterIndex = Math.min(selected.chapter, pack.chapters.length - 1);
  const chapter: Chapter | undefined = pack.chapters[chapterIndex];
  const sceneIndex = selected.scene === null || !chapter ? null : Math.min(selected.scene, chapter.scenes.length - 1);
  const scene: Scene | undefined = sceneIndex === null ? undefined : chapter?.scenes[sceneIndex];

  function addScene(ci: number) {
    const taken = pack!.chapters[ci].scenes.map((s) => s.id);
    const id = freeId("scene", taken);
    edit((p) => p.chapters[ci].scenes.push({ id, title: {}, body: {}, highlights: {}, image: null, video: null }));
    setSelected({ chapter: ci, scene: taken.length });
  }
  function addChapter() {
    const id = freeId("chapter", pack!.chapters.map((c) => c.id));
    const cover = pack!.chapters[0]?.cover ?? pack!.brand.badge;
    edit((p) =>
      p.chapters.push({
        id,
        title: {},
        summary: {},
        cover,
        accent: null,
        scenes: [{ id: "scene-1", title: {}, body: {}, highlights: {}, image: null, video: null }],
      }),
    );
    setSelected({ chapter: pack!.chapters.length, scene: null });
  }
  function remove(target: Selected) {
    edit((p) => {
      if (target.scene === null) p.chapters.splice(target.chapter, 1);
      else p.chapters[target.chapter].scenes.splice(target.scene, 1);
    });
    setSelected({ chapter: Math.max(0, target.chapter - (target.scene === null ? 1 : 0)), scene: target.scene === null ? null : 0 });
    setRemoving(null);
  }
  function moveSelected(by: number) {
    if (sceneIndex === null) {
      edit((p) => move(p.chapters, chapterIndex, by));
      setSelected({ chapter: chapterIndex + by, scene: null });
    } else {
      edit((p) => move(p.chapters[chapterIndex].scenes, sceneIndex, by));
      setSelected({ chapter: chapterIndex, scene: sceneIndex + by });
    }
  }

  const tabs: Array<{ id: Tab; label: string }> = [
    { id: "story", label: t("story.tabStory") },
    { id: "brochures", label: t("story.tabBrochures") },
    { id: "social", label: t("story.tabSocial") },
  ];
  const siblingsOfScene = chapter && sceneIndex !== null ? chapter.scenes.filter((_, i) => i !== sceneIndex).map((s) => s.id) : [];
  const siblingsOfChapter = pack.chapters.filter((_, i) => i !== chapterIndex).map((c) => c.id);
  const count = sceneIndex === null ? pack.chapters.length : (chapter?.scenes.length ?? 0);
  const position = sceneIndex ?? chapterIndex;

  return (
    <>
      <PageHeader title={t("story.pageTitle")} subtitle={t("story.subtitle", { channel })} />
      <SaveBar channel={channel} canEdit={canEdit} missing={packMissing(pack)} />
      {!canEdit && <p class="hint">{t("story.readOnly")}</p>}
      <div class="tabs" role="tablist" aria-label={t("story.pageTitle")}>
        {tabs.map((item) => (
          <button
            key={item.id}
            type="button"
            role="tab"
            id={`tab-${item.id}`}
            aria-selected={tab === item.id}
            aria-controls={tab === item.id ? `panel-${item.id}` : undefined}
            class={tab === item.id ? "tab active" : "tab"}
            onClick={() => setTab(item.id)}
          >
            {item.label}
          </button>
        ))}
      </div>

      {tab === "story" && (
        <div class="story-layout" role="tabpanel" id="panel-story" aria-labelledby="tab-story">
          <nav class="outline card" aria-label={t("story.outline")}>
            <ol class="outline-chapters">
              {pack.chapters.map((c, ci) => {
                const cMissing = chapterMissing(c, tags);
                return (
                  <li key={ci}>
                    <button
                      type="button"
                      class="outline-item chapter"
                      aria-current={ci === chapterIndex && sceneIndex === null ? "true" : undefined}
                      onClick={() => setSelected({ chapter: ci, scene: null })}
                    >
                      <span class="outline-text">{anyText(c.title, lang) || c.id}</span>
                      {cMissing > 0 && <span class="count-pill" title={t("story.missingCount", { n: cMissing })}>{cMissing}</span>}
                    </button>
                    <ol class="outline-scenes">
                      {c.scenes.map((s, si) => {
                        const sMissing = sceneMissing(s, tags);
                        return (
                          <li key={si}>
                            <button
                              type="button"
                              class="outline-item"
                              data-scene={s.id}
                              aria-current={ci === chapterIndex && si === sceneIndex ? "true" : undefined}
                              onClick={() => setSelected({ chapter: ci, scene: si })}
                            >
                              <span class="outline-text">{anyText(s.title, lang) || s.id}</span>
                              {sMissing > 0 && (
                                <span class="count-pill" aria-label={t("story.missingCount", { n: sMissing })}>
                                  {sMissing}
                                </span>
                              )}
                            </button>
                          </li>
                        );
                      })}
                      {canEdit && (
                        <li>
                          <button type="button" class="outline-add" onClick={() => addScene(ci)} aria-label={`${t("story.addScene")}: ${anyText(c.title, lang) || c.id}`}>
                            <Icon name="plus" size={14} />
                            {t("story.addScene")}
                          </button>
                        </li>
                      )}
                    </ol>
                  </li>
                );
              })}
            </ol>
            {canEdit && (
              <button type="button" class="button small" onClick={addChapter}>
                <Icon name="plus" />
                {t("story.addChapter")}
              </button>
            )}
          </nav>

          <div class="editor-pane">
            {canEdit && chapter && (
              <div class="editor-tools">
                <button type="button" class="button small" disabled={position === 0} onClick={() => moveSelected(-1)}>
                  <Icon name="up" />
                  {t("moveUp")}
                </button>
                <button type="button" class="button small" disabled={position >= count - 1} onClick={() => moveSelected(1)}>
                  <Icon name="down" />
                  {t("moveDown")}
                </button>
                <button
                  type="button"
                  class="button small ghost danger-text"
                  disabled={sceneIndex !== null && count <= 1}
                  onClick={() => setRemoving({ chapter: chapterIndex, scene: sceneIndex })}
                >
                  <Icon name="trash" />
                  {sceneIndex === null ? t("story.removeChapter") : t("story.removeScene")}
                </button>
              </div>
            )}
            {chapter && scene && sceneIndex !== null && (
              <SceneEditor
                scene={scene}
                chapterTitle={`${t("story.chapter")}: ${anyText(chapter.title, lang) || chapter.id}`}
                locales={locales}
                disabled={disabled}
                siblings={siblingsOfScene}
                edit={(change) => edit((p) => change(p.chapters[chapterIndex].scenes[sceneIndex]))}
              />
            )}
            {chapter && sceneIndex === null && (
              <ChapterEditor
                chapter={chapter}
                locales={locales}
                disabled={disabled}
                siblings={siblingsOfChapter}
                edit={(change) => edit((p) => change(p.chapters[chapterIndex]))}
              />
            )}
          </div>
        </div>
      )}
      {tab === "brochures" && (
        <div role="tabpanel" id="panel-brochures" aria-labelledby="tab-brochures">
          <BrochuresEditor pack={pack} locales={locales} disabled={disabled} edit={edit} />
        </div>
      )}
      {tab === "social" && (
        <div role="tabpanel" id="panel-social" aria-labelledby="tab-social">
          <SocialEditor pack={pack} disabled={disabled} edit={edit} />
        </div>
      )}
      {removing && (
        <ConfirmDialog
          title={removing.scene === null ? t("story.removeChapter") : t("story.removeScene")}
          message={t("story.removeConfirm")}
          confirm={t("remove")}
          danger
          onClose={() => setRemoving(null)}
          onConfirm={() => remove(removing)}
        />
      )}
    </>
  );
}
