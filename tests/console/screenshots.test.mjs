// Screenshots from the console, on the real server: a viewer of the booth asks a
// screen for a screenshot; the screen (here headless: it holds its event stream and
// answers with a PNG over the device API, as the kiosk app does with its window)
// hears the request and uploads; the console shows the picture with the screen's
// time and when it arrived, and earlier ones as thumbnails to choose from.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { enrolDevice } from "./device.mjs";
import { assertAccessible, goTo, launchBrowser, openConsole, repo, screenshot, signIn, startServer, until } from "./harness.mjs";

const VIEWER = { name: "lan.xem", password: "chi-xem-man-hinh-2023" };

/** Holds the screen's event stream and calls `onRequest(id)` for each screenshot request. */
function listen(server, screen, onRequest) {
  const abort = new AbortController();
  const done = (async () => {
    const response = await fetch(`${server.url}/v1/channels/booth/events`, {
      headers: { Authorization: `Bearer ${screen.token}` },
      signal: abort.signal,
    });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    let buffer = "";
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += decoder.decode(value, { stream: true });
      let end;
      while ((end = buffer.indexOf("\n\n")) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.split("\n").includes("event: screenshot")) {
          const data = JSON.parse(block.split("\n").find((l) => l.startsWith("data: ")).slice(6));
          await onRequest(data);
        }
      }
    }
  })().catch((error) => {
    if (error.name !== "AbortError") throw error;
  });
  return () => {
    abort.abort();
    return done;
  };
}

describe("screenshots of a screen", () => {
  let server;
  let browser;
  let screen;
  let stopListening;
  let viewer;
  /** The pictures the screen sends, in turn. */
  const pictures = [];
  const asked = [];

  before(async () => {
    server = await startServer();
    server.publishDefault("booth");
    server.addUser(VIEWER.name, VIEWER.password, false, ["booth=viewer"]);
    screen = await enrolDevice(server, "booth", "Quầy WTC 1");
    assert.match(screen.sync(), /^activated booth version 1/);
    await screen.report();
    browser = await launchBrowser();
    // What the screen "shows": two of the story's pictures, rendered to PNG.
    const painter = await browser.newPage({ viewport: { width: 960, height: 540 } });
    for (const name of ["award-cover.svg", "innovation-campus.svg"]) {
      const svg = readFileSync(join(repo, "media/images", name)).toString("base64");
      await painter.setContent(`<body style="margin:0"><img style="width:960px;height:540px;object-fit:cover" src="data:image/svg+xml;base64,${svg}"></body>`);
      pictures.push(await painter.screenshot());
    }
    await painter.close();
    stopListening = listen(server, screen, async ({ device, request }) => {
      assert.equal(device, screen.id, "only this screen's requests reach its stream");
      asked.push(request);
      const picture = pictures[(asked.length - 1) % pictures.length];
      const response = await fetch(`${server.url}/v1/screenshots/${request}`, {
        method: "PUT",
        headers: { Authorization: `Bearer ${screen.token}`, "Content-Type": "image/png", "X-Taken-At": new Date().toISOString() },
        body: picture,
      });
      assert.equal(response.status, 201, await response.text());
    });
    await until(async () => {
      const fleet = await (await server.admin("GET", "/v1/admin/fleet")).json();
      return fleet.screens[0]?.streaming;
    }, "the screen holds no event stream");
  });

  after(async () => {
    await stopListening?.();
    await browser?.close();
    server?.stop();
  });

  test("a viewer takes a screenshot and sees it with the screen's time and when it arrived", async () => {
    viewer = await openConsole(browser, server);
    const { page } = viewer;
    await signIn(page, VIEWER.name, VIEWER.password);
    await goTo(page, "fleet");
    const row = `tr[data-screen="${screen.id}"]`;
    await page.waitForSelector(`${row} [data-testid=take-screenshot]`);
    await screenshot(page, "34-fleet-take-screenshot");
    await page.click(`${row} [data-testid=take-screenshot]`);
    await page.waitForSelector("[data-testid=screenshot-dialog] [data-testid=screenshot-shown] img");
    await until(() => asked.length === 1, "the screen heard no request");
    await page.waitForFunction(() => document.querySelector("[data-testid=screenshot-shown] img")?.naturalWidth === 960);
    assert.match(await page.textContent("[data-testid=screenshot-taken]"), /^Chụp lúc \d{2}:\d{2}:\d{2},? \d{2}\/\d{2}\/\d{4} \(giờ của màn hình\)$/);
    assert.match(await page.textContent("[data-testid=screenshot-received]"), /^Nhận lúc \d{2}:\d{2}:\d{2},? \d{2}\/\d{2}\/\d{4}$/);
    assert.match(await page.textContent("[data-testid=screenshot-shown] figcaption"), /Theo yêu cầu.*960×540/);
    assert.equal(await page.locator("[data-testid=screenshot-thumbnails]").count(), 0, "one screenshot, no strip");
    await screenshot(page, "35-screenshot-of-a-screen");

    await page.click("[data-testid=take-screenshot-again]");
    await until(() => asked.length === 2, "the screen heard no second request");
    await page.waitForSelector("[data-testid=screenshot-thumbnails] li:nth-child(2)");
    const shown = await page.getAttribute("[data-testid=screenshot-shown]", "data-id");
    const listed = await (await server.admin("GET", `/v1/admin/devices/${screen.id}/screenshots`)).json();
    assert.equal(Number(shown), listed.screenshots[0].id, "the newest is shown");
    assert.equal(listed.screenshots[0].request, asked[1]);
    await page.click("[data-testid=screenshot-thumbnails] li:nth-child(2) button");
    await page.waitForFunction((id) => document.querySelector("[data-testid=screenshot-shown]")?.dataset.id === String(id), listed.screenshots[1].id);
    await screenshot(page, "36-screenshots-with-thumbnails");
    await assertAccessible(page, "the screenshot dialog");
  });
});
