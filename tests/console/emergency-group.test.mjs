// One emergency message on a group of channels, from the console, on the real server:
// three channels, an approver on two of them (and a viewer on the third, which is
// never offered). The approver chooses both, checks the preview, confirms a dialog
// naming them and raises the message in one request; the admin API, the page and a
// screen enrolled on each channel all have the same words, the third channel has
// nothing. Demoted on one channel, the approver's next group raise is refused with
// the server's reason and nothing is raised anywhere. The group is withdrawn at once.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import { enrolDevice } from "./device.mjs";
import { assertAccessible, goTo, launchBrowser, openConsole, screenshot, signIn, startServer } from "./harness.mjs";

const APPROVER = { name: "lan.pheduyet", password: "phe-duyet-nhom-kenh-2023" };
const CHOSEN = ["hall-a", "hall-b"];
const OTHER = "hall-c";
const ROLES = [
  { channel: "hall-a", role: "approver" },
  { channel: "hall-b", role: "approver" },
  { channel: OTHER, role: "viewer" },
];
const VI = "Mất điện khu vực: xin quý khách bình tĩnh và đi theo biển chỉ dẫn màu xanh ra lối thoát gần nhất.";
const EN = "Power cut in this area: please stay calm and follow the green signs to the nearest exit.";

const row = (channel) => `[data-testid=emergency-group] tr[data-channel="${channel}"]`;

describe("an emergency message on a group of channels", () => {
  let server;
  let browser;
  let approver;
  /** A screen enrolled on each channel, by channel. */
  const screens = {};
  const stateOf = async (channel) => (await server.admin("GET", `/v1/admin/channels/${channel}/emergency`)).json();

  before(async () => {
    server = await startServer();
    for (const name of [...CHOSEN, OTHER]) {
      const created = await server.admin("POST", "/v1/admin/channels", { name });
      assert.ok(created.ok, `channel ${name}: ${created.status} ${await created.text()}`);
      screens[name] = await enrolDevice(server, name, `Màn hình ${name}`);
    }
    server.addUser(APPROVER.name, APPROVER.password, false, ROLES.map((g) => `${g.channel}=${g.role}`));
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.stop();
  });

  test("only the channels the approver approves on are offered; the preview shows the words", async () => {
    approver = await openConsole(browser, server);
    const { page } = approver;
    await signIn(page, APPROVER.name, APPROVER.password);
    await goTo(page, "emergency");
    await page.waitForSelector("[data-testid=emergency-group]");
    const offered = await page.locator("[data-testid=group-channel]").evaluateAll((boxes) => boxes.map((b) => b.value));
    assert.deepEqual(offered, CHOSEN, "the third channel, where the approver only views, is not offered");
    assert.equal(await page.locator(row(OTHER)).count(), 0);
    for (const channel of CHOSEN) await page.waitForSelector(`${row(channel)}[data-state=none]`);
    assert.match(await page.textContent("[data-testid=group-chosen]"), /Đã chọn 1\/2 kênh/, "the current channel at first");
    assert.match(await page.textContent("[data-testid=raise]"), /^\s*Phát tin khẩn cấp\s*$/);

    await page.check("[data-testid=group-all]");
    for (const channel of CHOSEN) assert.equal(await page.isChecked(`${row(channel)} [data-testid=group-channel]`), true);
    assert.match(await page.textContent("[data-testid=group-chosen]"), /Đã chọn 2\/2 kênh/);
    assert.match(await page.textContent("[data-testid=raise]"), /Phát tin lên 2 kênh/);
    await page.fill("#em-text-vi", VI);
    await page.fill("#em-text-en", EN);
    const preview = await page.locator("[data-testid=preview] [data-testid=preview-line]").allTextContents();
    assert.deepEqual(preview, [VI, EN], "the preview shows the words, Vietnamese first");
    assert.match(await page.textContent("[data-testid=preview] figcaption"), /các kênh hall-a, hall-b/);
    await screenshot(page, "40-emergency-group-form-vi", { fullPage: true });
    await assertAccessible(page, "the emergency page with the group of channels");

    // Unchecking one of two leaves the select-all box half-set.
    await page.uncheck(`${row("hall-b")} [data-testid=group-channel]`);
    assert.equal(await page.locator("[data-testid=group-all]").evaluate((box) => box.indeterminate), true);
    await page.uncheck(`${row("hall-a")} [data-testid=group-channel]`);
    await page.waitForSelector("[data-testid=need-channel]");
    assert.equal(await page.isDisabled("[data-testid=raise]"), true, "nothing to raise on without a channel");
    await page.check("[data-testid=group-all]");
    await page.waitForSelector("[data-testid=need-channel]", { state: "detached" });
  });

  test("raised on both channels in one request after a confirmation naming them", async () => {
    const { page } = approver;
    await page.click("[data-testid=raise]");
    await page.waitForSelector("[data-testid=raise-confirm]");
    const asked = await page.textContent("[data-testid=raise-confirm]");
    assert.match(asked, /Phát tin khẩn cấp lên 2 kênh\?/);
    assert.match(asked, /Mọi màn hình của các kênh hall-a, hall-b/);
    assert.match(asked, /15 phút/);
    assert.doesNotMatch(asked, new RegExp(OTHER));
    assert.deepEqual(await page.locator("[data-testid=confirm-channels] li").allTextContents(), CHOSEN);
    await assertAccessible(page, "the group raise confirmation");
    const requests = [];
    page.on("request", (r) => r.method() === "POST" && requests.push(new URL(r.url()).pathname));
    await page.click("[data-testid=raise-confirm] .dialog-actions .button.danger");
    await page.waitForSelector("[data-testid=emergency-done]");
    assert.deepEqual(requests, ["/v1/admin/emergency"], "one request for the group");
    assert.match(await page.textContent("[data-testid=emergency-done]"), /Đã phát tin khẩn cấp trên các kênh hall-a, hall-b, hiển thị đến \d{2}:\d{2}/);

    // The page: both channels on air with the same words, and their times.
    for (const channel of CHOSEN) {
      await page.waitForSelector(`${row(channel)}[data-state=active]`);
      assert.deepEqual(await page.locator(`${row(channel)} [data-testid=group-text]`).allTextContents(), [VI, EN]);
      const times = await page.textContent(`${row(channel)} [data-testid=group-times]`);
      assert.match(times, /Phát lúc .*\d{2}\/\d{2}\/\d{4}.*\d{2}:\d{2}|Phát lúc .*\d{2}:\d{2}.*\d{2}\/\d{2}\/\d{4}/);
      assert.match(times, /đến \d{2}:\d{2}/);
    }
    await page.waitForSelector("[data-testid=emergency-state][data-active=true]");
    assert.deepEqual(await page.locator("[data-testid=emergency-state] [data-testid=emergency-text]").allTextContents(), [VI, EN]);
    await screenshot(page, "41-emergency-group-active-vi", { fullPage: true });
    await assertAccessible(page, "the emergency page with the group on air");

    // The admin API: the same message on both, none on the third.
    const [a, b] = await Promise.all(CHOSEN.map(stateOf));
    for (const state of [a, b]) {
      assert.equal(state.active, true, `${state.channel} is on air`);
      assert.deepEqual(state.message.text, { en: EN, vi: VI });
      assert.equal(state.message.withdrawn, false);
      assert.equal(Math.round((Date.parse(state.message.expires_at) - Date.parse(state.message.issued_at)) / 60_000), 15);
    }
    const other = await stateOf(OTHER);
    assert.equal(other.active, false);
    assert.equal(other.message, null, "nothing was ever raised on the third channel");

    // A screen of each channel fetches the same words with its own token; the third's, none.
    for (const channel of CHOSEN) {
      const fetched = await screens[channel].emergency();
      assert.equal(fetched.channel, channel);
      assert.deepEqual(fetched.text, { en: EN, vi: VI });
    }
    assert.equal(await screens[OTHER].emergency(), null);
  });

  test("the page in English names the group the same way", async () => {
    const { context, page } = await openConsole(browser, server, { lang: "en" });
    await signIn(page, APPROVER.name, APPROVER.password);
    await goTo(page, "emergency");
    for (const channel of CHOSEN) await page.waitForSelector(`${row(channel)}[data-state=active]`);
    assert.match(await page.textContent("[data-testid=emergency-group] h2"), /Channels for the message/);
    assert.match(await page.textContent(`${row("hall-b")} [data-testid=group-state]`), /On air/);
    assert.match(await page.textContent(`${row("hall-b")} [data-testid=group-times]`), /Raised at .*until \d{2}:\d{2}/);
    await page.check("[data-testid=group-all]");
    assert.match(await page.textContent("[data-testid=raise]"), /Raise on 2 channels/);
    assert.match(await page.textContent("[data-testid=group-withdraw]"), /Withdraw on 2 channels/);
    await page.fill("#em-text-vi", VI);
    await page.fill("#em-text-en", EN);
    await page.click("[data-testid=raise]");
    await page.waitForSelector("[data-testid=raise-confirm]");
    assert.match(await page.textContent("[data-testid=raise-confirm]"), /Every screen of channels hall-a, hall-b shows this at once/);
    await screenshot(page, "42-emergency-group-confirm-en");
    await page.click("[data-testid=raise-confirm] .dialog-actions .button:not(.danger)");
    await page.waitForSelector("[data-testid=raise-confirm]", { state: "detached" });
    await screenshot(page, "43-emergency-group-active-en", { fullPage: true });
    await assertAccessible(page, "the emergency page in English with the group on air");
    await context.close();
  });

  test("demoted on one channel, a group raise is refused with the server's reason and nothing changes", async () => {
    const { page } = approver;
    const before = await Promise.all(CHOSEN.map(stateOf));
    const demoted = ROLES.map((g) => (g.channel === "hall-b" ? { ...g, role: "viewer" } : g));
    const changed = await server.admin("PUT", `/v1/admin/users/${APPROVER.name}`, { is_admin: false, roles: demoted });
    assert.ok(changed.ok, `${changed.status} ${await changed.text()}`);
    try {
      // The page still offers hall-b (it read the roles at sign-in); the server is the judge.
      await page.check("[data-testid=group-all]");
      await page.fill("#em-text-vi", "Thử lại");
      await page.click("[data-testid=raise]");
      await page.click("[data-testid=raise-confirm] .dialog-actions .button.danger");
      await page.waitForSelector("[data-testid=raise-error]");
      const error = await page.textContent("[data-testid=raise-error]");
      assert.match(error, /Bạn không có quyền thực hiện thao tác này/, "the console's title for forbidden");
      assert.match(error, /viewer on channel "hall-b"; this needs an approver/, `the server's own reason: ${error}`);
      const now = await Promise.all(CHOSEN.map(stateOf));
      assert.deepEqual(now, before, "nothing was raised on hall-a either");
      await screenshot(page, "44-emergency-group-refused-vi", { fullPage: true });
    } finally {
      const restored = await server.admin("PUT", `/v1/admin/users/${APPROVER.name}`, { is_admin: false, roles: ROLES });
      assert.ok(restored.ok);
    }
  });

  test("the group is withdrawn at once; each channel shows withdrawn with its time", async () => {
    const { page } = approver;
    await page.reload();
    await page.waitForSelector(`${row("hall-b")}[data-state=active]`);
    await page.check("[data-testid=group-all]");
    await page.click("[data-testid=group-withdraw]");
    await page.waitForSelector("[data-testid=group-withdraw-confirm]");
    const asked = await page.textContent("[data-testid=group-withdraw-confirm]");
    assert.match(asked, /Rút tin khẩn cấp trên 2 kênh\?/);
    assert.match(asked, /các kênh hall-a, hall-b/);
    await assertAccessible(page, "the group withdraw confirmation");
    await page.click("[data-testid=group-withdraw-confirm] .dialog-actions .button.primary");
    await page.waitForSelector("[data-testid=emergency-done]");
    assert.match(await page.textContent("[data-testid=emergency-done]"), /Đã rút tin khẩn cấp trên các kênh hall-a, hall-b/);
    for (const channel of CHOSEN) {
      await page.waitForSelector(`${row(channel)}[data-state=withdrawn]`);
      assert.match(await page.textContent(`${row(channel)} [data-testid=group-state]`), /Đã rút/);
      assert.match(await page.textContent(`${row(channel)} [data-testid=group-times]`), /Rút lúc .*\d{2}:\d{2}/);
      const state = await stateOf(channel);
      assert.equal(state.active, false);
      assert.equal(state.message.withdrawn, true);
      assert.deepEqual((await screens[channel].emergency()).text, {}, "screens get a withdrawal");
    }
    await page.waitForSelector("[data-testid=emergency-state][data-active=false]");
    assert.equal(await page.isDisabled("[data-testid=group-withdraw]"), true, "nothing left on air to withdraw");
    assert.equal((await stateOf(OTHER)).message, null, "the third channel never had one");
    await screenshot(page, "45-emergency-group-withdrawn-vi", { fullPage: true });
    await assertAccessible(page, "the emergency page after the group was withdrawn");
  });
});
