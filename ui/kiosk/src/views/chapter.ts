import type { Chapter, Scene } from "../backend/types";
import { button, h } from "../ui/dom";
import { ordinal } from "../ui/format";
import { icon } from "../ui/icons";
import { picture } from "../ui/image";
import { onSwipe } from "../ui/swipe";
import type { View, ViewContext } from "../view";
import { renderSurvey } from "./survey";
import { createVideoPlayer, type VideoPlayer } from "../video-player";

/**
 * A chapter, one scene at a time: the scene's picture, film or survey, its title,
 * its paragraphs and its highlights; previous / next, progress dots and swipes.
 */
export function renderChapter(ctx: ViewContext, chapter: Chapter, startScene: number): View {
  const { t, content } = ctx;
  const chapterIndex = content.chapters.indexOf(chapter);
  const scenes = chapter.scenes;
  let index = Math.min(Math.max(0, startScene), Math.max(0, scenes.length - 1));
  let player: VideoPlayer | null = null;

  const stage = h("div", { class: "scene-stage" });

  const prev = button(
    { class: "btn btn-nav scene-prev", testid: "scene-prev", label: t("previous") },
    () => goTo(index - 1, -1),
    icon("prev"),
    h("span", { text: t("previous") }),
  );
  const next = button(
    { class: "btn btn-nav btn-nav-next scene-next", testid: "scene-next", label: t("next") },
    () => goTo(index + 1, 1),
    h("span", { text: t("next") }),
    icon("next"),
  );
  const dots = h("div", { class: "scene-dots", attrs: { role: "tablist" } });
  const dotEls = scenes.map((s, i) =>
    button({ class: "scene-dot", label: s.title, attrs: { role: "tab" } }, () => goTo(i, i > index ? 1 : -1), h("span", { class: "scene-dot-mark" })),
  );
  dots.append(...dotEls);
  const counter = h("div", { class: "scene-counter" });
  const nav = h("nav", { class: "scene-nav" }, prev, h("div", { class: "scene-progress" }, dots, counter), next);

  const el = h(
    "section",
    {
      class: "screen screen-chapter",
      dataset: { testid: "chapter", chapterId: chapter.id },
      style: chapter.accent ? { "--accent": chapter.accent } : {},
    },
    stage,
    nav,
  );

  function sceneView(scene: Scene, i: number): HTMLElement {
    player?.destroy();
    player = null;
    let mediaEl: HTMLElement;
    if (scene.survey) {
      mediaEl = renderSurvey(ctx, chapter, scene, scene.survey);
    } else if (scene.video_url) {
      player = createVideoPlayer({ src: scene.video_url, poster: scene.image_url, t });
      mediaEl = player.el;
    } else {
      mediaEl = picture(scene.image_url ?? chapter.cover_url, "scene-picture");
    }

    // Focusable, because long words (larger text, a wordy language) may make it scroll.
    const text = h(
      "div",
      { class: "scene-text", attrs: { tabindex: "0" } },
      h(
        "div",
        { class: "scene-kicker" },
        h("span", { class: "scene-kicker-num", text: ordinal(chapterIndex + 1) }),
        h("span", { class: "scene-kicker-title", text: chapter.title }),
      ),
      h("h1", { class: "scene-title", dataset: { testid: "scene-title" }, text: scene.title }),
      h("div", { class: "scene-body" }, ...scene.body.map((p) => h("p", { text: p }))),
      scene.highlights.length
        ? h("ul", { class: "scene-chips" }, ...scene.highlights.map((x) => h("li", { class: "chip", text: x })))
        : null,
      i === scenes.length - 1 ? nextChapterTeaser() : null,
    );

    return h(
      "article",
      {
        class: scene.survey ? "scene scene-with-survey" : "scene",
        dataset: { sceneId: scene.id, hasVideo: String(!!scene.video_url && !scene.survey) },
      },
      h("div", { class: scene.survey ? "scene-media scene-media-survey" : "scene-media" }, mediaEl),
      text,
    );
  }

  /** On the last scene: the way on to the next chapter. */
  function nextChapterTeaser(): HTMLElement | null {
    const nextChapter = content.chapters[chapterIndex + 1];
    if (!nextChapter) return null;
    return button(
      {
        class: "next-chapter",
        testid: "next-chapter",
        dataset: { chapterId: nextChapter.id },
        style: nextChapter.accent ? { "--accent": nextChapter.accent } : {},
      },
      () => ctx.go({ screen: "chapter", chapterId: nextChapter.id, scene: 0 }),
      h("span", { class: "next-chapter-label", text: t("next") }),
      h(
        "span",
        { class: "next-chapter-title" },
        h("span", { class: "next-chapter-num", text: ordinal(chapterIndex + 2) }),
        h("span", { text: nextChapter.title }),
      ),
      icon("arrow"),
    );
  }

  let current: HTMLElement | null = null;
  function render(direction: number): void {
    const scene = scenes[index];
    const old = current;
    current = scene ? sceneView(scene, index) : h("article", { class: "scene" });
    if (old) {
      old.remove();
    }
    if (direction !== 0 && !ctx.reducedMotion) current.classList.add(direction > 0 ? "scene-enter-next" : "scene-enter-prev");
    stage.appendChild(current);

    prev.disabled = index <= 0;
    next.disabled = index >= scenes.length - 1;
    dotEls.forEach((d, i) => {
      d.classList.toggle("is-active", i === index);
      d.classList.toggle("is-done", i < index);
      d.setAttribute("aria-selected", String(i === index));
    });
    counter.textContent = `${index + 1} / ${scenes.length}`;
    ctx.replace({ screen: "chapter", chapterId: chapter.id, scene: index });
  }

  function goTo(i: number, direction: number): void {
    if (i < 0 || i >= scenes.length || i === index) return;
    index = i;
    render(direction);
  }

  const unswipe = onSwipe(stage, () => goTo(index + 1, 1), () => goTo(index - 1, -1));
  render(0);

  return {
    el,
    destroy() {
      unswipe();
      player?.destroy();
      player = null;
    },
  };
}
