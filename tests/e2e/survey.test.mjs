// A visitor survey on the real app in a real window (Xvfb), end to end: open the
// chapter, find the survey scene, answer in English, see the thank-you, and find
// the answer in the device's SQLite outbox as a `survey_answer` event, once. After
// the idle timeout the next visitor may answer again.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { chooseLanguage, shots, startKiosk } from "./harness.mjs";
import { until } from "./webdriver.mjs";

/** The survey of the default content (media/story/07-invest.toml). */
const SURVEY = { survey: "what-brings-you", chapter: "invest", scene: "your-visit" };

let kiosk;
let s;
const save = async (name) => writeFileSync(join(shots, `${name}.png`), await s.screenshot());
const visibleScreen = () => s.run("return document.body.dataset.screen || null");
/** The text of `css` once it has faded in (WebDriver reads no text while it is transparent). */
const shownText = (css) => until(async () => (await s.text(css)) || null, `no text in ${css}`);

/** The `data` of every `survey_answer` event in the outbox, oldest first. */
function answersInOutbox() {
  const out = execFileSync("python3", [
    "-c",
    "import sqlite3,sys,json; c=sqlite3.connect(sys.argv[1]); " +
      "print(json.dumps([json.loads(d) for (d,) in c.execute(\"select data from events where kind='survey_answer' order by seq\")]))",
    join(kiosk.dataDir, "kiosk.sqlite"),
  ]);
  return JSON.parse(out.toString());
}

/** From the home screen: the invest chapter, then "next" until the survey scene. */
async function openSurveyScene() {
  await s.click(`[data-testid="chapter-card"][data-chapter-id="${SURVEY.chapter}"]`);
  await until(async () => (await visibleScreen()) === "chapter", "chapter not shown");
  await until(async () => {
    if (await s.run('return !!document.querySelector(".view:not(.view-leaving) [data-testid=survey]")')) return true;
    await s.click('.view:not(.view-leaving) [data-testid="scene-next"]');
    await sleep(300);
    return false;
  }, "no survey scene in the chapter", 20_000, 100);
  const scene = await s.run('return document.querySelector(".view:not(.view-leaving) .scene[data-scene-id]").dataset.sceneId');
  assert.equal(scene, SURVEY.scene);
}

before(async () => {
  kiosk = await startKiosk({ width: 1920, height: 1080, idleSecs: 15 });
  s = kiosk.session;
});

after(async () => {
  if (kiosk) await kiosk.close();
});

test("the survey scene asks its question with large, named answer buttons", async () => {
  await until(async () => (await visibleScreen()) === "attract", "attract loop not shown", 30_000);
  await s.click('[data-testid="attract"]');
  await until(async () => (await visibleScreen()) === "home", "home not shown");
  await chooseLanguage(s, "en");
  await openSurveyScene();

  assert.equal(await shownText('[data-testid="survey-question"]'), "What brings you to Bình Dương?");
  const buttons = await s.run(`
    const group = document.querySelector("[data-testid=survey] [role=group]");
    const labelledBy = document.getElementById(group.getAttribute("aria-labelledby"));
    return {
      group: labelledBy && labelledBy.textContent,
      options: [...group.querySelectorAll("[data-testid=survey-option]")].map((b) => {
        const r = b.getBoundingClientRect();
        return { id: b.dataset.optionId, name: b.textContent.trim(), tag: b.tagName, w: r.width, h: r.height };
      }),
    };`);
  assert.equal(buttons.group, "What brings you to Bình Dương?", "the answers are grouped under the question");
  assert.deepEqual(
    buttons.options.map((o) => o.id),
    ["manufacturing", "research", "study", "trade", "tourism"],
  );
  for (const o of buttons.options) {
    assert.equal(o.tag, "BUTTON");
    assert.ok(o.name.length > 0, `${o.id} has an accessible name`);
    assert.ok(o.w >= 48 && o.h >= 48, `${o.id} is ${o.w}×${o.h} px, at least 48×48`);
  }
  assert.equal(buttons.options[1].name, "Research and innovation");
  await sleep(1200);
  await save("60-survey-en-landscape");
});

test("an answer is thanked and lands in the outbox as survey_answer", async () => {
  await s.click('[data-testid="survey-option"][data-option-id="research"]');
  await s.waitFor('[data-testid="survey-thanks"]');
  await until(async () => /Research and innovation/.test(await s.text('[data-testid="survey-thanks"]')), "the answer given");
  assert.match(await s.text('[data-testid="survey-thanks"]'), /^Thank you for sharing!/);

  const answers = await until(async () => {
    const found = answersInOutbox();
    return found.length ? found : null;
  }, "no survey_answer event in the outbox");
  assert.deepEqual(answers, [{ ...SURVEY, option: "research", locale: "en" }]);
  await sleep(1200);
  await save("61-survey-thanks-en-landscape");
});

test("the same visitor cannot answer twice", async () => {
  // Away and back: the scene still thanks, with no answer buttons.
  await s.click('.view:not(.view-leaving) [data-testid="scene-prev"]');
  await sleep(500);
  await s.click('.view:not(.view-leaving) [data-testid="scene-next"]');
  await s.waitFor('[data-testid="survey-thanks"]');
  const buttons = await s.run('return document.querySelectorAll("[data-testid=survey-option]").length');
  assert.equal(buttons, 0);
  // In Vietnamese too.
  await chooseLanguage(s, "vi");
  await until(async () => /Cảm ơn bạn đã chia sẻ!/.test(await s.text('[data-testid="survey-thanks"]')), "Vietnamese thanks");
  await until(
    async () => /Nghiên cứu và đổi mới sáng tạo/.test(await s.text('[data-testid="survey-thanks"]')),
    "the answer given, in Vietnamese",
  );
  await sleep(1000);
  assert.equal(answersInOutbox().length, 1);
});

test("after the idle timeout the next visitor answers again", async () => {
  await until(async () => (await visibleScreen()) === "attract", "attract loop did not return", 40_000, 500);
  await sleep(1000);
  await s.click('[data-testid="attract"]');
  await until(async () => (await visibleScreen()) === "home", "home not shown after idle");
  await openSurveyScene();
  await s.click('[data-testid="survey-option"][data-option-id="study"]');
  await s.waitFor('[data-testid="survey-thanks"]');
  const answers = await until(async () => {
    const found = answersInOutbox();
    return found.length === 2 ? found : null;
  }, "the second visitor's answer is not in the outbox");
  assert.deepEqual(answers[1], { ...SURVEY, option: "study", locale: "vi" });
});
