// Screens and emergency messages from the console, on the real server: two real
// screens (kioskctl sync rounds, each followed by the heartbeat a kiosk sends)
// report on channel booth; one stops, the console
// shows it offline, the banner names it on every page and a webhook hears of it
// once; it reports again and the alert clears. An admin says where a screen stands.
// An approver raises an emergency message after checking its preview, a screen
// fetches the same words, a viewer only reads it, an over-long text is refused with
// the server's reason, the approver withdraws it, and the audit log names them.
// An admin revokes a screen's token after confirming; the screen is refused at once.

import assert from "node:assert/strict";
import { createServer } from "node:http";
import { after, before, describe, test } from "node:test";
import { enrolDevice } from "./device.mjs";
import { ADMIN, assertAccessible, freePort, goTo, launchBrowser, openConsole, screenshot, signIn, startServer, until } from "./harness.mjs";

const APPROVER = { name: "thu.pheduyet", password: "phe-duyet-khan-cap-2023" };
const VIEWER = { name: "an.xem", password: "chi-xem-thoi-2023" };
const OFFLINE_AFTER_S = 10;
const VI = "Sự cố kỹ thuật: xin quý khách di chuyển ra cửa Đông theo hướng dẫn của nhân viên.";
const EN = "Technical incident: please walk to the East exit and follow the staff's directions.";
const LOCATION = "Sảnh A, tầng trệt";

/** A webhook receiver on 127.0.0.1: remembers every request, answers 204. */
async function startHook() {
  const port = await freePort();
  const received = [];
  const server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => (body += chunk));
    request.on("end", () => {
      let json = null;
      try {
        json = JSON.parse(body);
      } catch {
        // Kept as text: the assertion says what came.
      }
      received.push({ method: request.method, path: request.url, type: request.headers["content-type"], body: json ?? body });
      response.writeHead(204).end();
    });
  });
  await new Promise((done) => server.listen(port, "127.0.0.1", done));
  return { url: `http://127.0.0.1:${port}/hook`, received, close: () => server.close() };
}

/** Syncs a screen every 2 s, as a running kiosk would, until stopped. */
function keepSyncing(screen) {
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        await screen.syncAsync();
      } catch (error) {
        console.error(`${screen.name}: ${error.message}`);
      }
      await new Promise((r) => setTimeout(r, 2000));
    }
  })();
  return async () => {
    running = false;
    await loop;
  };
}

const row = (screen) => `tr[data-screen="${screen.id}"]`;

describe("screens, alerts and emergency messages", () => {
  let server;
  let hook;
  let browser;
  let hallA;
  let hallB;
  let admin;
  let approver;
  /** The screens syncing every 2 s, and how to stop each. */
  const keepers = new Map();
  const keep = (screen) => keepers.set(screen, keepSyncing(screen));
  const stop = async (screen) => {
    await keepers.get(screen)?.();
    keepers.delete(screen);
  };

  before(async () => {
    hook = await startHook();
    server = await startServer({ config: [`offline_after_s = ${OFFLINE_AFTER_S}`, "[alerts]", `webhook = "${hook.url}"`] });
    server.publishDefault("booth");
    server.addUser(APPROVER.name, APPROVER.password, false, ["booth=approver"]);
    server.addUser(VIEWER.name, VIEWER.password, false, ["booth=viewer"]);
    hallA = await enrolDevice(server, "booth", "Màn hình sảnh A");
    hallB = await enrolDevice(server, "booth", "Màn hình sảnh B");
    assert.match(hallA.sync(), /^activated booth version 1/);
    assert.match(hallB.sync(), /^activated booth version 1/);
    await hallA.report();
    await hallB.report();
    keep(hallA);
    keep(hallB);
    browser = await launchBrowser();
  });

  after(async () => {
    for (const screen of [...keepers.keys()]) await stop(screen);
    await browser?.close();
    server?.stop();
    hook?.close();
  });

  test("both screens show online, with their release, disk and app", async () => {
    admin = await openConsole(browser, server);
    const { page } = admin;
    await signIn(page, ADMIN.name, ADMIN.password);
    await goTo(page, "fleet");
    for (const screen of [hallA, hallB]) {
      await page.waitForSelector(`${row(screen)}[data-status=online]`);
      const text = await page.textContent(row(screen));
      assert.match(text, new RegExp(screen.name));
      assert.match(await page.textContent(`${row(screen)} [data-testid=screen-status]`), /Trực tuyến/);
      assert.match(await page.textContent(`${row(screen)} [data-testid=release]`), /v1\s*mới nhất/);
      assert.match(await page.textContent(`${row(screen)} [data-testid=disk]`), /\d+(,\d)? (GB|MB|KB)/);
      assert.match(await page.textContent(`${row(screen)} [data-testid=last-seen]`), /trước|vừa xong/);
      const exact = await page.getAttribute(`${row(screen)} [data-testid=last-seen] time`, "title");
      assert.match(exact, /\d{2}\/\d{2}\/\d{4}/, "the exact time on hover");
    }
    assert.match(await page.textContent("[data-testid=fleet-counts]"), /^2 trực tuyến$/);
    assert.match(await page.textContent("[data-testid=fleet-as-of]"), /Số liệu lúc \d{2}:\d{2}:\d{2}/);
    assert.equal(await page.locator("[data-testid=fleet-banner]").count(), 0, "no banner while every screen reports");

    await page.fill("#fleet-search", "sanh b");
    await page.waitForFunction(() => document.querySelectorAll("tr[data-screen]").length === 1);
    assert.match(await page.textContent("tr[data-screen]"), /Màn hình sảnh B/);
    await page.fill("#fleet-search", "");
    await page.selectOption("#fleet-status", "offline");
    await page.waitForSelector("text=Không có màn hình nào khớp bộ lọc.");
    await page.selectOption("#fleet-status", "");
    await page.waitForFunction(() => document.querySelectorAll("tr[data-screen]").length === 2);
    await screenshot(page, "30-fleet-online");
    await assertAccessible(page, "the fleet page");
  });

  test("an admin sets where a screen stands; a location too long is refused with the server's reason", async () => {
    const { page } = admin;
    await page.click(`${row(hallA)} [data-testid=set-location]`);
    await page.waitForSelector("[data-testid=location-dialog] #screen-location");
    await page.fill("#screen-location", "x".repeat(121));
    await page.click("[data-testid=location-dialog] button[type=submit]");
    await page.waitForSelector("[data-testid=location-error]");
    assert.match(await page.textContent("[data-testid=location-error]"), /120/);
    await assertAccessible(page, "the location dialog");
    await page.fill("#screen-location", LOCATION);
    await page.click("[data-testid=location-dialog] button[type=submit]");
    await page.waitForSelector("[data-testid=location-saved]");
    await page.waitForFunction(
      ([selector, location]) => document.querySelector(selector)?.textContent.includes(location),
      [`${row(hallA)} [data-testid=screen-location]`, LOCATION],
    );
    const fleet = await (await server.admin("GET", "/v1/admin/fleet")).json();
    assert.equal(fleet.screens.find((s) => s.id === hallA.id).location, LOCATION);
  });

  test("a screen that stops syncing shows offline, the banner names it on every page, the webhook hears once", async () => {
    const { page } = admin;
    await stop(hallA);
    // Hall A stops; hall B carries on. Within the threshold and a check, plus one 15-second refresh of
    // the page (nobody presses Refresh), it shows offline.
    await page.waitForSelector(`${row(hallA)}[data-status=offline]`, { timeout: (OFFLINE_AFTER_S + 3 + 15 + 10) * 1000 });
    assert.equal(await page.getAttribute(row(hallB), "data-status"), "online");
    assert.match(await page.textContent(`${row(hallA)} [data-testid=screen-status]`), /Mất kết nối/);
    assert.match(await page.textContent("[data-testid=fleet-counts]"), /1 trực tuyến · 1 mất kết nối/);
    await page.waitForSelector("[data-testid=fleet-banner]");
    await page.waitForSelector(`[data-testid=alert-history] tr[data-device="${hallA.id}"][data-state=open]`);
    await screenshot(page, "31-fleet-offline-banner", { fullPage: true });
    await assertAccessible(page, "the fleet page with a screen offline");

    await until(() => hook.received.length >= 1, "the webhook got no alert", 20_000);
    // A little longer: a second delivery would come now if there were one.
    await new Promise((r) => setTimeout(r, 3000));
    const forA = hook.received.filter((r) => r.body?.device === hallA.id);
    assert.equal(forA.length, 1, `exactly one POST for the screen: ${JSON.stringify(hook.received)}`);
    assert.equal(hook.received.length, 1, "nothing for the screen that kept reporting");
    const [{ method, path, type, body }] = forA;
    assert.equal(method, "POST");
    assert.equal(path, "/hook");
    assert.match(type ?? "", /application\/json/);
    assert.equal(body.device_name, "Màn hình sảnh A");
    assert.equal(body.channel, "booth");
    assert.equal(body.kind, "offline");
    assert.equal(body.cleared_at, null);
    assert.equal(typeof body.id, "number");
    for (const key of ["since", "raised_at"]) assert.ok(!Number.isNaN(Date.parse(body[key].replace(/(\.\d{3})\d+/, "$1"))), `${key} is a time`);
    assert.ok("notified_at" in body);

    await goTo(page, "overview");
    const banner = page.locator("[data-testid=fleet-banner]");
    await banner.waitFor();
    const said = await banner.textContent();
    assert.match(said, /1 màn hình đang mất kết nối/);
    assert.match(said, new RegExp(`Màn hình sảnh A – ${LOCATION} \\(booth\\)`));
    assert.doesNotMatch(said, /sảnh B/);
    await screenshot(page, "32-overview-banner");
    await assertAccessible(page, "the overview with the alert banner");
    await banner.locator("a").click();
    await page.waitForSelector("nav a[data-page=fleet][aria-current=page]");

    const tablet = await openConsole(browser, server, { viewport: { width: 768, height: 1024 } });
    await signIn(tablet.page, ADMIN.name, ADMIN.password);
    await goTo(tablet.page, "fleet");
    await tablet.page.waitForSelector(`${row(hallA)}[data-status=offline]`);
    await tablet.page.waitForTimeout(300);
    await screenshot(tablet.page, "33-fleet-tablet", { fullPage: true });
    await assertAccessible(tablet.page, "the fleet page at 768×1024");
    await tablet.context.close();
  });

  test("the screen reports again: the banner goes and the alert shows cleared", async () => {
    const { page } = admin;
    keep(hallA);
    await goTo(page, "overview");
    // The banner asks every 30 s; the server clears the alert at its next check.
    await page.waitForSelector("[data-testid=fleet-banner]", { state: "detached", timeout: 45_000 });
    await goTo(page, "fleet");
    await page.waitForSelector(`${row(hallA)}[data-status=online]`);
    const cleared = `[data-testid=alert-history] tr[data-device="${hallA.id}"][data-state=cleared]`;
    await page.waitForSelector(cleared);
    assert.match(await page.textContent(`${cleared} [data-testid=alert-cleared]`), /\d{2}:\d{2}:\d{2}/);
    assert.match(await page.textContent(`${cleared} [data-testid=alert-notified]`), /\d{2}:\d{2}:\d{2}/, "the webhook took it");
    assert.equal(hook.received.filter((r) => r.body?.device === hallA.id).length, 1, "still one POST");
    await screenshot(page, "34-fleet-cleared", { fullPage: true });
    await stop(hallA);
    await stop(hallB);
  });

  test("an admin revokes a screen's token after confirming: the screen is refused at once, the audit log names the admin", async () => {
    const { page } = admin;
    await goTo(page, "fleet");
    await page.waitForSelector(`${row(hallB)} [data-testid=revoke-token]`);
    await page.click(`${row(hallB)} [data-testid=revoke-token]`);
    await page.waitForSelector("[data-testid=revoke-dialog]");
    assert.match(await page.textContent("[data-testid=revoke-dialog]"), /Màn hình sảnh B/);
    assert.match(await page.textContent("[data-testid=revoke-dialog]"), /mã đăng ký mới/);
    await assertAccessible(page, "the revoke confirmation");
    await page.click("[data-testid=revoke-dialog] .dialog-actions .button:not(.danger)");
    await page.waitForSelector("[data-testid=revoke-dialog]", { state: "detached" });
    await hallB.report();
    assert.equal(await page.locator(`${row(hallB)} [data-testid=token-revoked]`).count(), 0, "cancelled: nothing revoked");

    await page.click(`${row(hallB)} [data-testid=revoke-token]`);
    await page.click("[data-testid=revoke-dialog] .dialog-actions .button.danger");
    await page.waitForSelector("[data-testid=location-saved]");
    assert.match(await page.textContent("[data-testid=location-saved]"), /Đã thu hồi token của Màn hình sảnh B/);
    await page.waitForSelector(`${row(hallB)} [data-testid=token-revoked]`);
    assert.equal(await page.locator(`${row(hallB)} [data-testid=revoke-token]`).count(), 0);
    await assert.rejects(hallB.report(), /report: 401 .*token_revoked/);
    await hallA.report();
    await screenshot(page, "38-fleet-token-revoked", { fullPage: true });

    await goTo(page, "audit");
    const line = page.locator("tr[data-action='device.revoke']");
    await line.waitFor();
    assert.match(await line.textContent(), /Thu hồi token màn hình/);
    assert.equal(await line.locator("td").nth(1).textContent(), ADMIN.name);
    assert.match(await line.textContent(), /Màn hình sảnh B/);
    await goTo(page, "fleet");
  });

  test("an approver checks the preview and raises a message in Vietnamese and English for 15 minutes", async () => {
    approver = await openConsole(browser, server);
    const { page } = approver;
    await signIn(page, APPROVER.name, APPROVER.password);
    await goTo(page, "emergency");
    await page.waitForSelector("[data-testid=emergency-state][data-active=false]");
    assert.match(await page.textContent("[data-testid=emergency-state]"), /Không có tin khẩn cấp/);
    await page.waitForSelector("[data-testid=raise-form]");
    await page.fill("#em-text-vi", VI);
    await page.fill("#em-text-en", EN);
    const preview = await page.locator("[data-testid=preview] [data-testid=preview-line]").allTextContents();
    assert.deepEqual(preview, [VI, EN], "the preview shows the words, Vietnamese first and large");
    assert.equal(await page.getAttribute("[data-testid=preview] .em-main", "lang"), "vi");
    assert.match(await page.textContent("[data-testid=count-vi]"), new RegExp(`^${[...VI].length}/280`));
    assert.equal(await page.locator("input[name=em-duration][value='15']").isChecked(), true, "15 minutes unless chosen");
    await screenshot(page, "35-emergency-form-preview", { fullPage: true });
    await assertAccessible(page, "the emergency form");

    await page.click("[data-testid=raise]");
    await page.waitForSelector("[data-testid=raise-confirm]");
    const asked = await page.textContent("[data-testid=raise-confirm]");
    assert.match(asked, /Mọi màn hình của kênh booth/);
    assert.match(asked, /15 phút/);
    await assertAccessible(page, "the raise confirmation");
    await page.click("[data-testid=raise-confirm] .dialog-actions .button.danger");
    await page.waitForSelector("[data-testid=emergency-state][data-active=true]");
    await page.waitForSelector("[data-testid=emergency-done]");
    const texts = await page.locator("[data-testid=emergency-state] [data-testid=emergency-text]").allTextContents();
    assert.deepEqual(texts, [VI, EN]);
    assert.match(await page.textContent("[data-testid=emergency-until]"), /^đến \d{2}:\d{2}/);
    await screenshot(page, "36-emergency-active", { fullPage: true });
    await assertAccessible(page, "the emergency page with a message on air");

    const fetched = await hallA.emergency();
    assert.equal(fetched.channel, "booth");
    assert.deepEqual(fetched.text, { en: EN, vi: VI });
    const minutes = (Date.parse(fetched.expires_at) - Date.parse(fetched.issued_at)) / 60_000;
    assert.equal(Math.round(minutes), 15);
  });

  test("a viewer sees the message, read-only", async () => {
    const { context, page } = await openConsole(browser, server);
    await signIn(page, VIEWER.name, VIEWER.password);
    await goTo(page, "emergency");
    await page.waitForSelector("[data-testid=emergency-state][data-active=true]");
    const texts = await page.locator("[data-testid=emergency-text]").allTextContents();
    assert.deepEqual(texts, [VI, EN]);
    await page.waitForSelector("[data-testid=emergency-read-only]");
    assert.equal(await page.locator("[data-testid=raise], [data-testid=raise-form], [data-testid=withdraw]").count(), 0);
    await assertAccessible(page, "the emergency page of a viewer");
    await goTo(page, "fleet");
    await page.waitForSelector(`${row(hallA)}`);
    assert.equal(await page.locator("[data-testid=set-location]").count(), 0, "only admins set locations");
    assert.equal(await page.locator("[data-testid=revoke-token]").count(), 0, "only admins revoke tokens");
    await context.close();
  });

  test("a text of 281 characters is refused with the server's reason, and nothing is raised", async () => {
    const { page } = approver;
    const onAir = await hallA.emergency();
    await page.fill("#em-text-vi", "Đ".repeat(281));
    await page.fill("#em-text-en", "");
    assert.match(await page.textContent("[data-testid=count-vi]"), /281\/280.*Vượt 1 ký tự/);
    await page.click("[data-testid=raise]");
    await page.click("[data-testid=raise-confirm] .dialog-actions .button.danger");
    await page.waitForSelector("[data-testid=raise-error]");
    const error = await page.textContent("[data-testid=raise-error]");
    assert.match(error, /Tin khẩn cấp chưa hợp lệ/);
    assert.match(error, /280/, "the server's own reason");
    const now = await hallA.emergency();
    assert.equal(now.issued_at, onAir.issued_at, "the message on air is unchanged");
    assert.deepEqual(now.text, onAir.text);
    await screenshot(page, "37-emergency-refused", { fullPage: true });
  });

  test("the approver withdraws it; the audit log names who raised and withdrew it", async () => {
    const { page } = approver;
    await page.click("[data-testid=withdraw]");
    await page.waitForSelector("[data-testid=withdraw-confirm]");
    assert.match(await page.textContent("[data-testid=withdraw-confirm]"), /kênh booth/);
    await page.click("[data-testid=withdraw-confirm] .dialog-actions .button.primary");
    await page.waitForSelector("[data-testid=emergency-state][data-active=false]");
    assert.match(await page.textContent("[data-testid=emergency-last]"), /đã được rút/);
    const fetched = await hallA.emergency();
    assert.deepEqual(fetched.text, {}, "screens get a withdrawal");

    const { page: adminPage } = admin;
    await goTo(adminPage, "audit");
    await adminPage.waitForSelector("tr[data-action='emergency.withdraw']");
    for (const action of ["emergency.raise", "emergency.withdraw"]) {
      const rows = adminPage.locator(`tr[data-action='${action}']`);
      assert.equal(await rows.count(), 1, `one ${action}`);
      assert.equal(await rows.locator("td").nth(1).textContent(), APPROVER.name);
      assert.equal(await rows.locator("td").nth(3).textContent(), "booth");
    }
    assert.match(await adminPage.textContent("tr[data-action='emergency.raise']"), /Phát tin khẩn cấp/);
    assert.match(await adminPage.textContent("tr[data-action='emergency.withdraw']"), /Rút tin khẩn cấp/);
    assert.ok(await adminPage.locator("tr[data-action='device.location']").count() >= 1, "the location change is in the log");
  });
});
