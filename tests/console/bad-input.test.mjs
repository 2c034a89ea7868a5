// What goes wrong, and what the console says: a wrong password, an account locked
// after five, a viewer calling an editor's route, a forged CSRF token, two editors
// saving the same draft, an upload cut off and resumed, files that are not media,
// an approver approving their own change, and a session lost during a save.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { statSync } from "node:fs";
import { join } from "node:path";
import { ADMIN, assertAccessible, csrfOf, fetchIn, goTo, launchBrowser, openConsole, screenshot, signIn, startServer, waitSaved } from "./harness.mjs";
import { makeMedia } from "./media.mjs";

const PASSWORD = "mat-khau-du-dai-2023";
describe("bad input and what the console says", () => {
  let server;
  let browser;
  let media;

  before(async () => {
    server = await startServer();
    server.publishDefault("booth");
    for (const [name, role] of [
      ["lan", "editor"],
      ["tuan", "editor"],
      ["hoa", "viewer"],
      ["khoa", "editor"],
    ]) {
      server.addUser(name, PASSWORD, false, [`booth=${role}`]);
    }
    media = makeMedia(join(server.dir, "media"));
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.stop();
  });

  const signedIn = async (name, password = PASSWORD, options) => {
    const opened = await openConsole(browser, server, options);
    await signIn(opened.page, name, password);
    return opened;
  };

  test("a wrong password says so; five in a row lock the account until a time", async () => {
    const { context, page } = await openConsole(browser, server);
    const attempt = async (password) => {
      await page.fill("#signin-name", "khoa");
      await page.fill("#signin-password", password);
      await page.click(".signin-form button[type=submit]");
      await page.waitForSelector("[data-testid=signin-error]");
      return page.textContent("[data-testid=signin-error]");
    };
    assert.match(await attempt("sai-mat-khau-1"), /Sai tên đăng nhập hoặc mật khẩu/);
    await screenshot(page, "30-wrong-password");
    await assertAccessible(page, "the sign-in page with an error");
    for (let i = 2; i <= 4; i++) assert.match(await attempt(`sai-mat-khau-${i}`), /Sai tên đăng nhập/);
    const locked = await attempt("sai-mat-khau-5");
    assert.match(locked, /Tài khoản đang bị khóa/);
    assert.match(locked, /khóa đến \d{2}:\d{2}/);
    // Even the right password is refused while locked.
    assert.match(await attempt(PASSWORD), /Tài khoản đang bị khóa/);
    await screenshot(page, "31-locked");
    await context.close();

    const admin = await signedIn(ADMIN.name, ADMIN.password);
    await goTo(admin.page, "users");
    await admin.page.waitForSelector('tr[data-user="khoa"] .badge-locked');
    await screenshot(admin.page, "32-users-locked");
    await admin.context.close();
  });

  test("a viewer reads but cannot change: no save button, and the route answers 403", async () => {
    const { context, page } = await signedIn("hoa");
    await goTo(page, "story");
    await page.waitForSelector("[data-testid=scene-editor]");
    assert.equal(await page.locator("[data-testid=save]").count(), 0);
    assert.ok(await page.isDisabled("#scene-title-vi"));
    await screenshot(page, "33-viewer-story");
    await assertAccessible(page, "the story page of a viewer");
    const { body: draft } = await fetchIn(page, "GET", "/v1/admin/channels/booth/draft");
    const refused = await fetchIn(page, "PUT", "/v1/admin/channels/booth/draft", { revision: draft.revision, content: draft.content }, {
      "X-CSRF-Token": await csrfOf(page),
    });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error, "forbidden");
    assert.match(refused.body.message, /viewer/);
    await context.close();
  });

  test("a change with a forged or missing CSRF token is refused", async () => {
    const { context, page } = await signedIn("lan");
    const { body: draft } = await fetchIn(page, "GET", "/v1/admin/channels/booth/draft");
    const body = { revision: draft.revision, content: draft.content };
    for (const headers of [{ "X-CSRF-Token": "0123456789abcdef0123456789abcdef" }, {}]) {
      const refused = await fetchIn(page, "PUT", "/v1/admin/channels/booth/draft", body, headers);
      assert.equal(refused.status, 403);
      assert.equal(refused.body.error, "csrf");
    }
    await context.close();
  });

  test("two editors save the same draft: the second sees the conflict, the first's text stays", async () => {
    const lan = await signedIn("lan");
    const tuan = await signedIn("tuan");
    for (const { page } of [lan, tuan]) {
      await goTo(page, "story");
      await page.waitForSelector("#scene-title-vi");
    }
    await lan.page.fill("#scene-title-vi", "Tiêu đề của Lan");
    await tuan.page.fill("#scene-title-vi", "Tiêu đề của Tuấn");
    await lan.page.click("[data-testid=save]");
    await waitSaved(lan.page);
    await tuan.page.click("[data-testid=save]");
    await tuan.page.waitForSelector("[data-testid=conflict]");
    const said = await tuan.page.textContent("[data-testid=conflict]");
    assert.match(said, /Người khác vừa lưu bản nháp này/);
    assert.match(said, /lan saved this draft/, "the server's message names who saved");
    assert.equal(await tuan.page.inputValue("#scene-title-vi"), "Tiêu đề của Tuấn", "the edit is kept on the page");
    await screenshot(tuan.page, "34-conflict");
    await assertAccessible(tuan.page, "the conflict message");

    const stored = await (await server.admin("GET", "/v1/admin/channels/booth/draft")).json();
    assert.equal(stored.content.chapters[0].scenes[0].title.vi, "Tiêu đề của Lan");

    // Keep editing: the save button now says it replaces theirs, and asks first.
    await tuan.page.click('[data-testid=conflict] button:has-text("Tiếp tục chỉnh sửa")');
    await tuan.page.waitForSelector("[data-testid=stale]");
    assert.equal(await tuan.page.textContent("[data-testid=save]"), "Lưu đè");
    await tuan.page.click("[data-testid=save]");
    await tuan.page.waitForSelector('dialog[open] h2:has-text("Thay thế bản của người khác?")');
    await tuan.page.click('dialog[open] button:has-text("Hủy")');
    const still = await (await server.admin("GET", "/v1/admin/channels/booth/draft")).json();
    assert.equal(still.content.chapters[0].scenes[0].title.vi, "Tiêu đề của Lan");
    await lan.context.close();
    await tuan.context.close();
  });

  test("an upload cut off in the middle goes on from where the server is", async () => {
    const { context, page } = await signedIn("lan");
    await goTo(page, "media");
    let pieces = 0;
    await page.route("**/v1/admin/uploads/*", (route) => {
      if (route.request().method() !== "PATCH") return route.continue();
      pieces += 1;
      // The second piece never arrives: the connection breaks.
      return pieces === 2 ? route.abort("connectionreset") : route.continue();
    });
    await page.setInputFiles("#upload-input", media.bigFilm);
    const row = page.locator('[data-testid=upload-row]:has-text("phim-dai.mp4")');
    await page.waitForSelector('[data-testid=upload-row][data-state=done]:has-text("phim-dai.mp4")', { timeout: 90_000 });
    assert.match(await row.textContent(), /tiếp tục sau 1 lần mất kết nối/);
    assert.ok(pieces >= 3, `pieces sent: ${pieces}`);
    await screenshot(page, "35-upload-resumed");
    const { body } = await fetchIn(page, "GET", "/v1/admin/media?q=phim-dai");
    assert.equal(body.media.length, 1);
    assert.equal(body.media[0].size, statSync(media.bigFilm).size);
    await context.close();
  });

  test("files that are not media are refused with the server's reason", async () => {
    const { context, page } = await signedIn("lan");
    await goTo(page, "media");
    await page.setInputFiles("#upload-input", [media.fakePdf, media.fakeFilm, media.text]);
    await page.waitForFunction(() => document.querySelectorAll("[data-testid=upload-row][data-state=refused]").length === 3, null, {
      timeout: 60_000,
    });
    const reason = (name) => page.locator(`[data-testid=upload-row]:has-text("${name}") [data-testid=upload-reason]`).textContent();
    assert.match(await reason("brochure-gia.pdf"), /not a PDF|not.*PDF/i);
    assert.match(await reason("khong-phai-phim.mp4"), /.+/);
    assert.match(await reason("ghi-chu.txt"), /Loại tệp không được hỗ trợ.*not a file a kiosk shows/s);
    await screenshot(page, "36-upload-refused");
    await assertAccessible(page, "refused uploads");
    const { body } = await fetchIn(page, "GET", "/v1/admin/media?q=gia");
    assert.equal(body.media.length, 0, "nothing of a refused file enters the library");
    await context.close();
  });

  test("a session lost during a save: sign in over the page, the edit is kept and saved", async () => {
    const { context, page } = await signedIn("lan");
    await goTo(page, "story");
    await page.waitForSelector("#scene-title-en");
    await page.fill("#scene-title-en", "Saved after signing in again");
    await context.clearCookies();
    await page.click("[data-testid=save]");
    await page.waitForSelector("[data-testid=reauth-dialog] #signin-password");
    assert.equal(await page.inputValue("#signin-name"), "lan");
    await screenshot(page, "37-sign-in-again");
    await assertAccessible(page, "the sign-in dialog");
    await page.fill("#signin-password", PASSWORD);
    await page.click("[data-testid=reauth-dialog] button[type=submit]");
    await waitSaved(page);
    assert.equal(await page.locator("[data-testid=reauth-dialog]").count(), 0);
    const stored = await (await server.admin("GET", "/v1/admin/channels/booth/draft")).json();
    assert.equal(stored.content.chapters[0].scenes[0].title.en, "Saved after signing in again");
    await context.close();
  });

  test("an approver who changed the draft is told the server's own_change reason", async () => {
    const { context, page } = await signedIn(ADMIN.name, ADMIN.password);
    await goTo(page, "story");
    await page.waitForSelector("#scene-title-en");
    await page.fill("#scene-title-en", "A night in New York, a dawn in Bình Dương");
    await page.click("[data-testid=save]");
    await waitSaved(page);
    await goTo(page, "review");
    await page.click("[data-testid=submit]");
    await page.waitForSelector("[data-testid=submitted]");
    await page.click("[data-testid=approve]");
    await page.click("[data-testid=approve-confirm] .dialog-actions .button.primary");
    await page.waitForSelector("[data-testid=review-error]");
    const said = await page.textContent("[data-testid=review-error]");
    assert.match(said, /Bạn không thể tự duyệt thay đổi của chính mình/);
    assert.match(said, /you changed this draft yourself/);
    await screenshot(page, "38-own-change");
    await assertAccessible(page, "the own-change refusal");
    await context.close();
  });
});
