import type { Chapter, Scene, Survey } from "../backend/types";
import { button, h } from "../ui/dom";
import { icon } from "../ui/icons";
import { picture } from "../ui/image";
import type { ViewContext } from "../view";

/** How long the chosen answer shows as chosen before the thank-you. */
const CHOSEN_MS = 650;

let nextId = 0;

/**
 * A scene's survey where its picture would be: the question and one large button
 * per answer. A visitor answers once per visit; afterwards (also on coming back to
 * the scene, or in another language) the panel thanks them and shows their answer.
 */
export function renderSurvey(ctx: ViewContext, chapter: Chapter, scene: Scene, survey: Survey): HTMLElement {
  const { t } = ctx;
  const questionId = `survey-q-${++nextId}`;

  const panel = h("section", {
    class: "survey",
    dataset: { testid: "survey", surveyId: survey.id },
    attrs: { "aria-labelledby": questionId },
  });
  const backdrop = picture(scene.image_url ?? chapter.cover_url, "survey-backdrop");
  backdrop.setAttribute("aria-hidden", "true");
  const body = h("div", { class: "survey-inner" });
  panel.append(backdrop, body);

  const question = () =>
    h("h2", { class: "survey-question", dataset: { testid: "survey-question" }, attrs: { id: questionId }, text: survey.question });

  function ask(): void {
    const buttons = survey.options.map((option, i) =>
      button(
        {
          class: "survey-option",
          testid: "survey-option",
          dataset: { optionId: option.id },
          style: { "--i": String(i) },
        },
        () => choose(option.id, buttons),
        h("span", { class: "survey-option-mark", attrs: { "aria-hidden": "true" } }, icon("check", "icon survey-option-check")),
        h("span", { class: "survey-option-label", text: option.label }),
      ),
    );
    const grid = h(
      "div",
      {
        class: "survey-options",
        dataset: { count: String(survey.options.length) },
        attrs: { role: "group", "aria-labelledby": questionId },
      },
      ...buttons,
    );
    body.replaceChildren(
      h("div", { class: "survey-head" }, question(), h("p", { class: "survey-hint", text: t("survey_choose") })),
      grid,
    );
  }

  function choose(optionId: string, buttons: HTMLButtonElement[]): void {
    if (ctx.surveys.chosen(survey.id)) return;
    ctx.surveys.answer({ survey: survey.id, option: optionId, chapter: chapter.id, scene: scene.id });
    for (const b of buttons) {
      b.disabled = true;
      b.classList.toggle("is-chosen", b.dataset.optionId === optionId);
      b.setAttribute("aria-pressed", String(b.dataset.optionId === optionId));
    }
    panel.classList.add("is-answering");
    window.setTimeout(() => thank(optionId, true), ctx.reducedMotion ? 0 : CHOSEN_MS);
  }

  function thank(optionId: string, justNow: boolean): void {
    const chosen = survey.options.find((o) => o.id === optionId);
    panel.classList.remove("is-answering");
    panel.classList.add("is-answered");
    body.replaceChildren(
      h(
        "div",
        {
          class: `survey-thanks${justNow ? " is-new" : ""}`,
          dataset: { testid: "survey-thanks", optionId },
          attrs: { role: "status", "aria-live": "polite" },
        },
        h("span", { class: "survey-thanks-mark", attrs: { "aria-hidden": "true" } }, icon("check")),
        h("p", { class: "survey-thanks-title", text: t("survey_thanks") }),
        h("p", { class: "survey-thanks-question", attrs: { id: questionId }, text: survey.question }),
        chosen
          ? h(
              "p",
              { class: "survey-thanks-answer" },
              h("span", { class: "survey-thanks-answer-label", text: t("survey_your_answer") }),
              h("span", { class: "survey-thanks-answer-value", text: chosen.label }),
            )
          : null,
      ),
    );
  }

  const already = ctx.surveys.chosen(survey.id);
  if (already) thank(already, false);
  else ask();
  return panel;
}
