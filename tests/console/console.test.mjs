// The console from end to end, on the real server: an admin adds an editor and an
// approver; the editor uploads a film and a picture, writes a scene in Vietnamese and
// English, schedules a playlist and submits; the editor cannot publish; the approver
// reads the changes and publishes; a headless screen activates the new version; a
// rollback needs a confirmation; the audit log shows every step. Every page is
// screenshotted and checked with axe-core.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { join } from "node:path";
import { enrolDevice } from "./device.mjs";
import { ADMIN, assertAccessible, csrfOf, fetchIn, goTo, launchBrowser, openConsole, screenshot, signIn, startServer, waitSaved } from "./harness.mjs";
import { makeMedia } from "./media.mjs";

const EDITOR = { name: "lan.bientap", password: "bien-tap-vien-2023" };
const APPROVER = { name: "minh.pheduyet", password: "nguoi-phe-duyet-2023" };
const SCENE = {
  id: "trien-lam-wtc",
  title: {
    vi: "Gian hàng Bình Dương tại WTC",
    en: "The Bình Dương booth at WTC",
    ko: "WTC 빈즈엉 부스",
    ja: "WTCのビンズオン・ブース",
    "zh-Hans": "WTC平阳展位",
    "zh-Hant": "WTC平陽展位",
  },
  body: {
    vi: "Khách tham quan gặp gỡ đội ngũ Thành phố thông minh Bình Dương ngay tại gian hàng.\n\nQuét mã QR để mang brochure về điện thoại.",
    en: "Visitors meet the Bình Dương Smart City team at the booth.\n\nScan the QR code to take a brochure home on your phone.",
    ko: "방문객은 부스에서 빈즈엉 스마트시티 팀을 만납니다.\n\nQR 코드를 스캔하여 브로슈어를 휴대폰에 담아 가세요.",
    ja: "ブースでビンズオン・スマートシティのチームにお会いいただけます。\n\nQRコードを読み取り、パンフレットをスマートフォンでお持ち帰りください。",
    "zh-Hans": "访客可在展位与平阳智慧城市团队见面。\n\n扫描二维码，将宣传册带回手机。",
    "zh-Hant": "訪客可在展位與平陽智慧城市團隊見面。\n\n掃描 QR 碼，將簡介手冊帶回手機。",
  },
  highlights: {
    vi: "TOP 1 ICF 2023\nHợp tác đầu tư",
    en: "TOP 1 ICF 2023\nInvestment partnerships",
    ko: "TOP 1 ICF 2023\n투자 협력",
    ja: "TOP 1 ICF 2023\n投資パートナーシップ",
    "zh-Hans": "TOP 1 ICF 2023\n投资合作",
    "zh-Hant": "TOP 1 ICF 2023\n投資合作",
  },
};
/** The languages the default content offers after Vietnamese (media/pack.toml). */
const TRANSLATED = ["en", "ko", "ja", "zh-Hans", "zh-Hant"];

describe("the console from authoring to a screen", () => {
  let server;
  let browser;
  let media;
  let screen;
  let admin;
  let editor;
  let approver;

  before(async () => {
    server = await startServer();
    server.publishDefault("booth");
    media = makeMedia(join(server.dir, "media"));
    screen = await enrolDevice(server, "booth", "Màn hình gian hàng 1");
    assert.match(screen.sync(), /^activated booth version 1/);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.stop();
  });

  test("the admin signs in and adds an editor and an approver for channel booth", async () => {
    admin = await openConsole(browser, server);
    const { page } = admin;
    await page.waitForSelector("#signin-name");
    await screenshot(page, "01-sign-in");
    await assertAccessible(page, "the sign-in page");

    await signIn(page, ADMIN.name, ADMIN.password);
    await page.waitForSelector("[data-channel=booth] [data-testid=live-version]");
    assert.match(await page.textContent("[data-channel=booth] [data-testid=live-version]"), /Phiên bản 1/);
    await screenshot(page, "02-overview");
    await assertAccessible(page, "the overview");

    await goTo(page, "users");
    for (const [person, role] of [
      [EDITOR, "editor"],
      [APPROVER, "approver"],
    ]) {
      await page.click(".page-actions button");
      await page.waitForSelector("[data-testid=user-dialog] #user-name");
      await page.fill("#user-name", person.name);
      await page.fill("#user-password", person.password);
      await page.click("[data-testid=user-dialog] .roles-editor > button");
      await page.selectOption("#grant-channel-0", "booth");
      await page.selectOption("#grant-role-0", role);
      if (role === "editor") {
        await screenshot(page, "03-add-user");
        await assertAccessible(page, "the add-user dialog");
      }
      await page.click("[data-testid=user-dialog] button[type=submit]");
      await page.waitForSelector(`tr[data-user="${person.name}"]`);
    }
    assert.match(await page.textContent(`tr[data-user="${EDITOR.name}"]`), /Biên tập viên · booth/);
    assert.match(await page.textContent(`tr[data-user="${APPROVER.name}"]`), /Người phê duyệt · booth/);
    await screenshot(page, "04-users");
    await assertAccessible(page, "the users page");
  });

  test("the editor uploads a film and a picture, with their facts", async () => {
    editor = await openConsole(browser, server);
    const { page } = editor;
    await signIn(page, EDITOR.name, EDITOR.password);
    assert.equal(await page.locator("nav a[data-page=users]").count(), 0, "only admins see Users");
    await goTo(page, "media");
    await page.setInputFiles("#upload-input", [media.film, media.picture]);
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=upload-row][data-state=done]").length === 2, null, {
      timeout: 60_000,
    });
    const film = page.locator('[data-testid=media-card][data-name="phim-gioi-thieu.mp4"]');
    await film.waitFor();
    const facts = await film.locator(".media-facts").textContent();
    assert.match(facts, /640×360/);
    assert.match(facts, /0:03/);
    assert.match(facts, /Có tiếng/);
    const picture = page.locator('[data-testid=media-card][data-name="toan-canh-binh-duong.png"]');
    assert.match(await picture.locator(".media-facts").textContent(), /960×540/);

    // Drag and drop: a small SVG picture dropped on the drop zone.
    await page.evaluate(() => {
      const svg =
        '<svg xmlns="http://www.w3.org/2000/svg" width="160" height="90"><rect width="160" height="90" fill="#0b3d6e"/><circle cx="80" cy="45" r="30" fill="#e8a317"/></svg>';
      const data = new DataTransfer();
      data.items.add(new File([svg], "huy-hieu-keo-tha.svg", { type: "image/svg+xml" }));
      const zone = document.querySelector("[data-testid=dropzone]");
      for (const type of ["dragover", "drop"]) zone.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
    });
    await page.waitForSelector('[data-testid=upload-row][data-state=done]:has-text("huy-hieu-keo-tha.svg")', { timeout: 30_000 });
    await page.waitForSelector('[data-testid=media-card][data-name="huy-hieu-keo-tha.svg"]');

    await page.fill("#media-search", "phim-gioi");
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=media-card]").length === 1);
    await page.fill("#media-search", "");
    await page.selectOption("#media-kind", "video");
    await page.waitForFunction(() =>
      [...document.querySelectorAll("[data-testid=media-card] .media-kind .badge")].every((b) => b.textContent === "Phim"),
    );
    await page.selectOption("#media-kind", "");
    await page.waitForSelector('[data-testid=media-card][data-name="toan-canh-binh-duong.png"]');
    await screenshot(page, "05-media-uploaded");
    await page.click(".clear-done");
    await page.locator('[data-testid=media-card][data-name="attract image 1"] .used-in summary').click();
    await screenshot(page, "05-media");
    await assertAccessible(page, "the media library");
  });

  test("the editor writes a scene in Vietnamese and English, with a picture and a film", async () => {
    const { page } = editor;
    await goTo(page, "story");
    await page.click(".outline-add >> nth=0");
    await page.waitForSelector("[data-testid=scene-editor]");
    await page.fill("#scene-id", SCENE.id);
    await page.fill("#scene-title-vi", SCENE.title.vi);
    await page.fill("#scene-body-vi", SCENE.body.vi);
    await page.fill("#scene-highlights-vi", SCENE.highlights.vi);
    // Every other language is still missing: each field marked with words and counted.
    const missing = () => page.locator("[data-testid=scene-editor] [data-testid=missing-mark]").count();
    assert.equal(await missing(), 3 * TRANSLATED.length);
    assert.match(await page.textContent("[data-testid=missing-count]"), /\d+ chỗ thiếu bản dịch/);
    await screenshot(page, "06-story-missing-translation");

    for (const [done, lang] of TRANSLATED.entries()) {
      await page.fill(`[id="scene-title-${lang}"]`, SCENE.title[lang]);
      await page.fill(`[id="scene-body-${lang}"]`, SCENE.body[lang]);
      await page.fill(`[id="scene-highlights-${lang}"]`, SCENE.highlights[lang]);
      assert.equal(await missing(), 3 * (TRANSLATED.length - done - 1), `after ${lang}`);
    }

    await page.click('[data-testid=scene-editor] button[aria-label="Chọn: Hình ảnh"]');
    await page.waitForSelector("[data-testid=media-picker]");
    await screenshot(page, "07-media-picker");
    await assertAccessible(page, "the media picker");
    await page.click('[data-testid=media-picker] .picker-item[data-name="toan-canh-binh-duong.png"]');
    await page.click('[data-testid=scene-editor] button[aria-label="Chọn: Phim"]');
    await page.click('[data-testid=media-picker] .picker-item[data-name="phim-gioi-thieu.mp4"]');
    const slots = await page.locator("[data-testid=scene-editor] [data-testid=slot-name]").allTextContents();
    assert.deepEqual(slots, ["toan-canh-binh-duong.png", "phim-gioi-thieu.mp4"]);

    await page.click("[data-testid=save]");
    await waitSaved(page);
    await screenshot(page, "08-story");
    await assertAccessible(page, "the story editor");

    await page.click("#tab-brochures");
    await page.waitForSelector(".brochure-card .qr img");
    await screenshot(page, "09-story-brochures");
    await assertAccessible(page, "the brochures tab");
    await page.click("#tab-social");
    await page.waitForSelector(".social-card .qr img");
    await screenshot(page, "10-story-social");
    await assertAccessible(page, "the social tab");

    const { body: draft } = await fetchIn(page, "GET", "/v1/admin/channels/booth/draft");
    const scene = draft.content.chapters[0].scenes.find((s) => s.id === SCENE.id);
    assert.deepEqual(scene.title, SCENE.title);
    assert.deepEqual(scene.highlights.en, ["TOP 1 ICF 2023", "Investment partnerships"]);
    assert.ok(scene.image && scene.video);
  });

  test("the editor makes an evening playlist, reorders it and schedules it across midnight", async () => {
    const { page } = editor;
    await goTo(page, "signage");
    await page.fill("#new-playlist", "buoi-toi");
    await page.click(".new-playlist button[type=submit]");
    await page.waitForSelector('[data-testid=playlist-editor] h3:has-text("buoi-toi")');

    const addItem = async (fill) => {
      await page.click("[data-testid=playlist-editor] > .button");
      await page.waitForSelector("[data-testid=add-item]");
      await fill();
      await page.click("[data-testid=add-item] .dialog-actions .button.primary");
      await page.waitForSelector("[data-testid=add-item]", { state: "detached" });
    };
    await addItem(async () => {
      await page.selectOption("#item-kind", "video");
      await page.click('[data-testid=add-item] button[aria-label="Chọn: Phim"]');
      await page.click('[data-testid=media-picker] .picker-item[data-name="phim-gioi-thieu.mp4"]');
    });
    await addItem(async () => {
      await page.selectOption("#item-kind", "scene");
      await page.selectOption("#item-scene", `award/${SCENE.id}`);
      await page.fill("#item-seconds", "15");
    });
    await addItem(async () => {
      await page.selectOption("#item-kind", "message");
      await page.fill("#item-message-vi", "Chào mừng quý khách đến gian hàng Bình Dương");
      await page.fill("#item-message-en", "Welcome to the Bình Dương booth");
      await page.fill("#item-seconds", "8");
    });
    const order = () => page.locator("[data-testid=playlist-editor] .playlist-item").evaluateAll((items) => items.map((i) => i.dataset.item));
    assert.deepEqual(await order(), ["video-1", "scene-2", "message-3"]);
    // The keyboard way: move the message up.
    await page.click('button[aria-label="Đưa message-3 lên trên"]');
    assert.deepEqual(await order(), ["video-1", "message-3", "scene-2"]);
    // The mouse way: drag the scene onto the first place.
    await page.dragAndDrop('.playlist-item[data-item="scene-2"]', '.playlist-item[data-item="video-1"]');
    assert.deepEqual(await order(), ["scene-2", "video-1", "message-3"]);
    await page.fill("#seconds-video-1", "20");

    await page.click(".schedule > .button");
    await page.waitForSelector("[data-testid=entry-dialog]");
    await page.selectOption("#entry-playlist", "buoi-toi");
    await page.fill("#entry-priority", "10");
    await page.check('[data-testid=entry-dialog] label:has-text("Thứ Sáu") input');
    await page.check('[data-testid=entry-dialog] label:has-text("Thứ Bảy") input');
    await page.fill("#entry-start", "17:00");
    await page.fill("#entry-end", "02:00");
    assert.match(await page.textContent("[data-testid=entry-dialog]"), /kéo sang sáng hôm sau/);
    await screenshot(page, "11-schedule-entry");
    await assertAccessible(page, "the schedule entry dialog");
    await page.click("[data-testid=entry-dialog] .dialog-actions .button.primary");

    // Friday 17:00–24:00, Saturday 00:00–02:00 and 17:00–24:00, Sunday 00:00–02:00.
    const blocks = await page.locator('.cal-block[data-playlist="buoi-toi"]').count();
    assert.ok(blocks >= 3, `blocks of buoi-toi: ${blocks}`);
    assert.equal(await page.locator('.calendar-col[data-day=sunday] .cal-block[data-playlist="buoi-toi"]').count(), 1);
    // Friday 17:00–17:30 both "invest" and "buoi-toi" apply at priority 10.
    assert.equal(await page.locator(".calendar-col[data-day=friday] .cal-block[data-conflict=true]").count(), 1);
    assert.match(await page.textContent("[data-testid=conflicts]"), /Thứ Sáu 17:00–17:30/);
    assert.match(await page.textContent("[data-testid=timezone]"), /Asia\/Ho_Chi_Minh \(giờ địa phương của màn hình\)/);

    await page.click("[data-testid=save]");
    await waitSaved(page);
    await screenshot(page, "12-signage", { fullPage: true });
    await page.locator("[data-testid=week-calendar]").scrollIntoViewIfNeeded();
    await screenshot(page, "12-signage-calendar");
    await assertAccessible(page, "playlists and schedule");

    const { body: draft } = await fetchIn(page, "GET", "/v1/admin/channels/booth/draft");
    const evening = draft.content.signage.playlists.find((p) => p.id === "buoi-toi");
    assert.deepEqual(
      evening.items.map((i) => [i.id, i.seconds]),
      [
        ["scene-2", 15],
        ["video-1", 20],
        ["message-3", 8],
      ],
    );
    const entry = draft.content.signage.schedule.entries.find((e) => e.playlist === "buoi-toi");
    assert.deepEqual(entry.window, { start: "17:00:00", end: "02:00:00" });
    assert.deepEqual(entry.days, ["friday", "saturday"]);
  });

  test("the editor submits for review and cannot publish", async () => {
    const { page } = editor;
    await goTo(page, "review");
    await page.waitForSelector("[data-testid=diff] .diff-row");
    await page.fill("#submit-note", "Thêm cảnh gian hàng WTC và danh sách phát buổi tối.");
    await page.click("[data-testid=submit]");
    await page.waitForSelector("[data-testid=submitted]");
    assert.match(await page.textContent("[data-testid=draft-state]"), /Chờ duyệt/);
    assert.equal(await page.locator("[data-testid=approve]").count(), 0, "an editor sees no publish button");
    await screenshot(page, "13-review-editor");
    await assertAccessible(page, "the review page of an editor");

    const { body: draft } = await fetchIn(page, "GET", "/v1/admin/channels/booth/draft");
    const refused = await fetchIn(page, "POST", "/v1/admin/channels/booth/draft/approve", { revision: draft.revision }, {
      "X-CSRF-Token": await csrfOf(page),
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, "forbidden");
  });

  test("the approver reads the changes and publishes", async () => {
    approver = await openConsole(browser, server);
    const { page } = approver;
    await signIn(page, APPROVER.name, APPROVER.password);
    await goTo(page, "review");
    await page.waitForSelector("[data-testid=diff] .diff-row");
    const diff = await page.textContent("[data-testid=diff]");
    assert.match(diff, /Gian hàng Bình Dương tại WTC/);
    assert.match(diff, /The Bình Dương booth at WTC/);
    assert.match(diff, /buoi-toi/);
    const added = await page.textContent("[data-testid=blobs-added]");
    assert.match(added, /phim-gioi-thieu\.mp4/);
    assert.match(added, /toan-canh-binh-duong\.png/);
    assert.notEqual(await page.textContent("[data-testid=bytes-to-transfer]"), "0 B");
    await screenshot(page, "14-review-approver", { fullPage: true });
    await assertAccessible(page, "the review page of an approver");

    await page.click("[data-testid=approve]");
    await page.waitForSelector("[data-testid=approve-confirm]");
    await screenshot(page, "15-approve-confirm");
    await assertAccessible(page, "the publish confirmation");
    await page.click("[data-testid=approve-confirm] .dialog-actions .button.primary");
    await page.waitForSelector("[data-testid=published]");
    assert.match(await page.textContent("[data-testid=published]"), /phiên bản 2/);
  });

  test("a headless screen activates the new version", () => {
    assert.match(screen.sync(), /^activated booth version 2/);
    const { version, content } = screen.activeContent();
    assert.equal(version, 2);
    const scene = content.chapters[0].scenes.find((s) => s.id === SCENE.id);
    assert.deepEqual(scene.title, SCENE.title);
    assert.ok(content.signage.playlists.some((p) => p.id === "buoi-toi"));
  });

  test("releases: a rollback asks first, then publishes the old content as a new version", async () => {
    const { page } = approver;
    await goTo(page, "releases");
    await page.waitForSelector("tr[data-version='2']");
    assert.match(await page.textContent("tr[data-version='2']"), /Đang chạy/);
    await screenshot(page, "16-releases");
    await assertAccessible(page, "the releases page");
    await page.click("tr[data-version='1'] .row-actions button");
    await page.waitForSelector("[data-testid=rollback-confirm]");
    await screenshot(page, "17-rollback-confirm");
    await assertAccessible(page, "the rollback confirmation");
    await page.click("[data-testid=rollback-confirm] .dialog-actions .button.danger");
    await page.waitForSelector("[data-testid=rolled-back]");
    assert.match(await page.textContent("[data-testid=rolled-back]"), /phiên bản 3/);
    assert.match(screen.sync(), /^activated booth version 3/);
    const { content } = screen.activeContent();
    assert.ok(!content.chapters[0].scenes.some((s) => s.id === SCENE.id), "version 3 has version 1's content");
  });

  test("the audit log shows each step, filtered by person and channel", async () => {
    const { page } = admin;
    await goTo(page, "audit");
    await page.waitForSelector("tr[data-action='draft.approve']");
    const actions = await page.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.action));
    for (const action of ["user.add", "session.sign_in", "media.upload", "draft.save", "draft.submit", "draft.approve", "release.rollback"]) {
      assert.ok(actions.includes(action), `the audit log has ${action}: ${actions.join(", ")}`);
    }
    await screenshot(page, "18-audit");
    await assertAccessible(page, "the audit log");

    await page.fill("#audit-actor", EDITOR.name);
    await page.waitForFunction(
      (name) => {
        const rows = [...document.querySelectorAll("tbody tr[data-action]")];
        return rows.length > 0 && rows.every((r) => r.children[1].textContent === name);
      },
      EDITOR.name,
    );
    const editorActions = await page.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.action));
    assert.ok(editorActions.includes("draft.submit") && editorActions.includes("media.upload"));
    await page.fill("#audit-actor", "");
    await page.selectOption("#audit-channel", "booth");
    await page.waitForFunction(() => [...document.querySelectorAll("tbody tr[data-action]")].every((r) => r.children[3].textContent === "booth"));
    await screenshot(page, "19-audit-booth");
  });

  test("tablet sizes and the English interface", async () => {
    for (const [viewport, pageName, shot] of [
      [{ width: 1024, height: 768 }, "story", "20-tablet-landscape-story"],
      [{ width: 768, height: 1024 }, "signage", "21-tablet-portrait-signage"],
      [{ width: 768, height: 1024 }, "review", "22-tablet-portrait-review"],
    ]) {
      const { context, page } = await openConsole(browser, server, { viewport });
      await signIn(page, EDITOR.name, EDITOR.password);
      await goTo(page, pageName);
      await page.waitForSelector(".savebar, .review-layout");
      await page.waitForTimeout(300);
      await screenshot(page, shot);
      await assertAccessible(page, `${pageName} at ${viewport.width}×${viewport.height}`);
      await context.close();
    }

    const { page } = admin;
    await goTo(page, "overview");
    await page.click('.lang-switch button[lang="en"]');
    await page.waitForSelector('nav a[data-page=media]:has-text("Media library")');
    await page.reload();
    await page.waitForSelector('nav a[data-page=media]:has-text("Media library")');
    assert.equal(await page.getAttribute("html", "lang"), "en");
    await screenshot(page, "23-overview-english");
    await assertAccessible(page, "the overview in English");
    await goTo(page, "signage");
    await page.waitForSelector("[data-testid=week-calendar]");
    assert.match(await page.textContent("[data-testid=timezone]"), /Asia\/Ho_Chi_Minh \(screen's local time\)/);
    await screenshot(page, "24-signage-english");
  });
});
