// Reports in the console, on the real server: three screens on two channels send what
// visitors did over the last days (the events a kiosk reports); the console's tables
// show the same counts the test makes from those events, the channel picker narrows
// them, the range stays in the address, an empty range says so in words, a bad one
// shows the server's reason, each CSV file holds its table's rows, the chart is
// drawn, and the yearly report is a PDF. In Vietnamese and English, and for a viewer
// of one channel; someone without any role has no reports.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { after, before, describe, test } from "node:test";
import { enrolDevice } from "./device.mjs";
import { ADMIN, assertAccessible, fetchIn, goTo, launchBrowser, openConsole, screenshot, signIn, startServer } from "./harness.mjs";

const VIEWER = { name: "lan.sanh", password: "xem-bao-cao-sanh-2023" };
const NEWCOMER = { name: "khach.moi", password: "chua-co-quyen-nao-2023" };

const vietnamDay = (date) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Ho_Chi_Minh", year: "numeric", month: "2-digit", day: "2-digit" }).format(date);
const addDays = (day, n) => {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
};
const TODAY = vietnamDay(new Date());
const WEEK = { from: addDays(TODAY, -6), to: TODAY };
const EMPTY = { from: "2025-01-01", to: "2025-01-31" };
const keyOf = (report, { from, to }, channel = "") => `${report}|${from}|${to}|${channel}`;

/** A small generator of varied but repeatable choices. */
function dice(seed) {
  let state = seed;
  return (sides) => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return Math.floor(state / 65536) % sides;
  };
}

const LOCALES = ["vi", "en", "ko", "ja", "zh"];
const CHAPTERS = ["award", "invest", "talent", "innovation"];
const BROCHURES = ["invest-guide", "top1-icf-award"];
const ITEMS = ["film-25-years", "poster-top1", "film-innovation"];
const PARTS = ["home", "story", "brochures"];

/** `n` events of every counted kind on days 1 to 5 before today, daytime in Việt Nam. */
function makeEvents(prefix, n, roll) {
  const events = [];
  for (let i = 0; i < n; i += 1) {
    const day = addDays(TODAY, -(1 + roll(5)));
    const at = `${day}T0${1 + roll(8)}:${String(roll(60)).padStart(2, "0")}:00Z`;
    const locale = LOCALES[roll(LOCALES.length)];
    const id = `${prefix}-${i}`;
    const kind = ["language_choice", "chapter_view", "brochure_download", "touch", "item_end", "item_end", "survey_answer"][roll(7)];
    const data = {
      language_choice: () => ({ locale }),
      chapter_view: () => ({ chapter: CHAPTERS[roll(CHAPTERS.length)], locale }),
      brochure_download: () => ({ brochure: BROCHURES[roll(BROCHURES.length)], locale }),
      touch: () => ({ screen: PARTS[roll(PARTS.length)] }),
      item_end: () => {
        const skipped = roll(4) === 0;
        return { item: ITEMS[roll(ITEMS.length)], planned_ms: 30000, actual_ms: skipped ? 0 : 30000, skip_reason: skipped ? "not_playable" : null };
      },
      survey_answer: () => ({ survey: "why-binh-duong", option: ["invest", "study", "visit"][roll(3)], chapter: "award", scene: "vote", locale }),
    }[kind]();
    events.push({ id, kind, at, data });
  }
  return events;
}

/** Counts of `events` of `kind` per `key(data)`, as an object sorted by key. */
function count(events, kind, key) {
  const counts = {};
  for (const e of events.filter((e) => e.kind === kind)) counts[key(e.data)] = (counts[key(e.data)] ?? 0) + 1;
  return Object.fromEntries(Object.entries(counts).sort());
}

/** A number as shown in `lang` ("1.234" in Vietnamese, "1,234" in English). */
const shown = (text, lang = "vi") => Number(text.trim().replace(lang === "vi" ? /\./g : /,/g, "").replace(",", "."));

/** A table of the page: each row's cells with their column, raw value (as CSV has it) and visible text. */
function readTable(page, name) {
  return page.$$eval(`[data-table="${name}"] tbody tr`, (rows) =>
    rows
      .map((row) => [...row.querySelectorAll("td[data-column]")].map((td) => ({ column: td.dataset.column, raw: td.dataset.raw, text: td.textContent })))
      .filter((cells) => cells.length > 0),
  );
}

/** `{raw value of keyColumn → shown number of valueColumn}` of a table, sorted by key. */
async function column(page, name, keyColumn, valueColumn, lang = "vi") {
  const rows = await readTable(page, name);
  const pairs = rows.map((cells) => [cells.find((c) => c.column === keyColumn).raw, shown(cells.find((c) => c.column === valueColumn).text, lang)]);
  return Object.fromEntries(pairs.sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Waits for the report answering exactly this choice. */
function waitReport(page, key) {
  return page.waitForSelector(`[data-testid=report][data-key="${key}"]`);
}

async function openTab(page, report, range, channel = "") {
  await page.click(`#report-tab-${report}`);
  await waitReport(page, keyOf(report, range, channel));
}

/** How many pixels of the chart's canvas are painted, once Chart.js has drawn `report`. */
async function paintedPixels(page, report) {
  await page.waitForSelector(`[data-testid=report-chart][data-drawn=${report}]`);
  return page.$eval("[data-testid=report-chart]", (canvas) => {
    const { data } = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height);
    let painted = 0;
    for (let i = 3; i < data.length; i += 4) if (data[i] > 0) painted += 1;
    return { painted, total: data.length / 4 };
  });
}

/** A CSV file's rows (fields may be quoted, with "" for a quote). */
function parseCsv(text) {
  const rows = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), (i += 1);
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") row.push(field), (field = "");
    else if (c === "\n") row.push(field), rows.push(row), (row = []), (field = "");
    else if (c !== "\r") field += c;
  }
  if (field !== "" || row.length > 0) row.push(field), rows.push(row);
  return rows;
}

/** Whether a CSV field and a table's raw cell say the same (fractions to 4 places in the CSV). */
const same = (a, b) => a === b || (a !== "" && b !== "" && !Number.isNaN(Number(a)) && Math.abs(Number(a) - Number(b)) < 1e-4);

describe("reports", () => {
  let server;
  let browser;
  let admin;
  const sent = { booth: [], hall: [] };
  /** The country of the screen that sent each event (by id). */
  const countryOf = new Map();
  const all = () => [...sent.booth, ...sent.hall];

  before(async () => {
    server = await startServer();
    for (const name of ["booth", "hall"]) {
      const created = await server.admin("POST", "/v1/admin/channels", { name });
      assert.ok(created.ok, `channel ${name}: ${created.status} ${await created.text()}`);
    }
    server.addUser(VIEWER.name, VIEWER.password, false, ["hall=viewer"]);
    server.addUser(NEWCOMER.name, NEWCOMER.password, false, []);
    const roll = dice(2023);
    const screens = [
      ["booth", await enrolDevice(server, "booth", "Gian hàng Tokyo"), "JP"],
      ["booth", await enrolDevice(server, "booth", "Gian hàng Seoul"), "KR"],
      ["hall", await enrolDevice(server, "hall", "Sảnh WTC"), "VN"],
    ];
    for (const [channel, screen, country] of screens) {
      const placed = await server.admin("PUT", `/v1/admin/devices/${screen.id}`, { country });
      assert.ok(placed.ok, `country of ${screen.name}: ${placed.status} ${await placed.text()}`);
      const events = makeEvents(screen.name, 160, roll);
      for (const e of events) countryOf.set(e.id, country);
      await screen.sendEvents(events);
      // A cut connection: the screen sends half of the same batch again, counted once.
      await screen.sendEvents(events.slice(0, 80));
      sent[channel].push(...events);
    }
    // A busy booth: over a thousand touches, to read thousands as people write them.
    const [, tokyo] = screens[0];
    const touches = Array.from({ length: 1200 }, (_, i) => ({
      id: `tokyo-touch-${i}`,
      kind: "touch",
      at: `${addDays(TODAY, -2)}T03:${String(i % 60).padStart(2, "0")}:00Z`,
      data: { screen: PARTS[i % PARTS.length] },
    }));
    await tokyo.sendEvents(touches);
    sent.booth.push(...touches);
    // A second heartbeat a little later: some up time for every screen.
    await new Promise((r) => setTimeout(r, 1500));
    for (const [, screen] of screens) await screen.sendEvents([]);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    server?.stop();
  });

  test("the tables show what the screens sent, the chart is drawn, the range is in the address", async () => {
    admin = await openConsole(browser, server);
    const { page } = admin;
    await signIn(page, ADMIN.name, ADMIN.password);
    await goTo(page, "reports");
    assert.equal(await page.textContent("main h1"), "Báo cáo");
    // By default the last 30 days of playback.
    await waitReport(page, keyOf("play", { from: addDays(TODAY, -29), to: TODAY }));
    await page.click("[data-quick='7d']");
    await waitReport(page, keyOf("play", WEEK));
    assert.equal(await page.getAttribute("[data-quick='7d']", "aria-pressed"), "true");
    const hash = await page.evaluate(() => location.hash);
    assert.match(hash, new RegExp(`^#/reports\\?report=play&from=${WEEK.from}&to=${WEEK.to}`));

    const playedToTheEnd = all().filter((e) => e.kind === "item_end" && e.data.skip_reason === null);
    assert.deepEqual(await column(page, "items", "item", "planned"), count(all(), "item_end", (d) => d.item));
    assert.deepEqual(await column(page, "items", "item", "played"), count(playedToTheEnd, "item_end", (d) => d.item));
    const headers = await page.$$eval("[data-table=items] thead th", (ths) => ths.map((th) => th.textContent));
    assert.deepEqual(headers.slice(0, 4), ["Nội dung", "Theo lịch", "Đã phát", "Bị bỏ qua"]);
    const { painted, total } = await paintedPixels(page, "play");
    assert.ok(painted > total * 0.02, `the chart is drawn (${painted} of ${total} pixels painted)`);
    assert.match(await page.getAttribute("[data-testid=report-chart]", "aria-label"), /Biểu đồ Trình chiếu/);
    assert.match(await page.textContent("[data-testid=chart-summary]"), /Đã phát: \d+; Bị bỏ qua: \d+/);
    await screenshot(page, "60-reports-play-vi");
    await screenshot(page, "61-reports-play-vi-full", { fullPage: true });
    await assertAccessible(page, "the playback report");

    await openTab(page, "languages", WEEK);
    const languages = count(all(), "language_choice", (d) => d.locale);
    assert.deepEqual(await column(page, "languages", "locale", "choices"), languages);
    const choices = Object.values(languages).reduce((a, b) => a + b, 0);
    const [first] = await readTable(page, "languages");
    const share = first.find((c) => c.column === "share").text.replace(/\u00a0/g, " ");
    const expected = ((languages[first[0].raw] / choices) * 100).toLocaleString("vi-VN", { maximumFractionDigits: 1 });
    assert.equal(share, `${expected} %`, "a share in Vietnamese: 42,5 %");
    assert.match(first[0].text, /^Tiếng .+ \([a-z]{2}\)$/, "a language by its name and tag");
    const byCountry = {};
    for (const e of all().filter((e) => e.kind === "language_choice")) {
      const key = `${countryOf.get(e.id)} / ${e.data.locale}`;
      byCountry[key] = (byCountry[key] ?? 0) + 1;
    }
    const countryRows = await readTable(page, "countries");
    const cell = (cells, column) => cells.find((c) => c.column === column);
    assert.deepEqual(
      Object.fromEntries(countryRows.map((cells) => [`${cell(cells, "country").raw} / ${cell(cells, "locale").raw}`, shown(cell(cells, "choices").text)]).sort()),
      Object.fromEntries(Object.entries(byCountry).sort()),
    );
    assert.ok(countryRows.some((cells) => cell(cells, "country").text === "Nhật Bản"), "a country by its name");
    assert.ok((await paintedPixels(page, "languages")).painted > 0);
    assert.equal(await page.locator("canvas").count(), 1, "one chart at a time");
    await screenshot(page, "62-reports-languages-vi", { fullPage: true });

    await openTab(page, "chapters", WEEK);
    assert.deepEqual(await column(page, "chapters", "chapter", "views"), count(all(), "chapter_view", (d) => d.chapter));
    await openTab(page, "brochures", WEEK);
    assert.deepEqual(await column(page, "brochures", "brochure", "downloads"), count(all(), "brochure_download", (d) => d.brochure));
    await openTab(page, "touches", WEEK);
    const touches = all().filter((e) => e.kind === "touch").length;
    assert.ok(touches > 1000);
    assert.equal(shown(await page.textContent("[data-testid=report-total] strong")), touches);
    assert.match(await page.textContent("[data-testid=report-total] strong"), /^\d\.\d{3}$/, "thousands as Vietnamese write them");
    assert.deepEqual(await column(page, "parts", "part", "touches"), count(all(), "touch", (d) => d.screen));
    await openTab(page, "surveys", WEEK);
    assert.deepEqual(
      await column(page, "answers", "answer", "answers"),
      count(all(), "survey_answer", (d) => d.option),
    );
    await openTab(page, "uptime", WEEK);
    const screens = (await readTable(page, "screens")).map((cells) => cells.find((c) => c.column === "screen").raw).sort();
    assert.deepEqual(screens, ["Gian hàng Seoul", "Gian hàng Tokyo", "Sảnh WTC"]);
    assert.ok((await paintedPixels(page, "uptime")).painted > 0, "the up time bars are drawn");
    await screenshot(page, "63-reports-uptime-vi");
    await assertAccessible(page, "the up time report");
    assert.equal(await page.locator("canvas").count(), 1, "one chart at a time");
  });

  test("a channel narrows the report, a reload keeps the choice, an empty range says so, a bad one shows why", async () => {
    const { page } = admin;
    await openTab(page, "languages", WEEK);
    await page.selectOption("#report-channel", "hall");
    await waitReport(page, keyOf("languages", WEEK, "hall"));
    assert.deepEqual(await column(page, "languages", "locale", "choices"), count(sent.hall, "language_choice", (d) => d.locale));
    assert.match(await page.textContent("[data-testid=report]"), /Kênh: hall/);

    await page.reload();
    await waitReport(page, keyOf("languages", WEEK, "hall"));
    assert.equal(await page.getAttribute("#report-tab-languages", "aria-selected"), "true");
    assert.equal(await page.inputValue("#report-channel"), "hall");
    assert.equal(await page.inputValue("#report-from"), WEEK.from);
    assert.equal(await page.inputValue("#report-to"), WEEK.to);

    await page.selectOption("#report-channel", "");
    await page.fill("#report-from", EMPTY.from);
    await page.fill("#report-to", EMPTY.to);
    await waitReport(page, keyOf("languages", EMPTY));
    assert.equal(await page.textContent("[data-testid=report-nothing] strong"), "Không có dữ liệu trong khoảng 01/01/2025 – 31/01/2025.");
    assert.equal(await page.locator("[data-testid=report-chart]").count(), 0, "no empty chart");
    await screenshot(page, "64-reports-nothing-vi");
    await assertAccessible(page, "a report with nothing recorded");

    await page.fill("#report-from", "2025-02-10");
    const error = page.locator("[data-testid=report-error]");
    await error.waitFor();
    assert.match(await error.textContent(), /Khoảng thời gian không hợp lệ\..*from \(2025-02-10\) is after to \(2025-01-31\)/);
    await screenshot(page, "65-reports-bad-range-vi");
    await assertAccessible(page, "a report with a bad range");
  });

  test("each table's CSV link downloads the rows the table shows", async () => {
    const { page } = admin;
    await page.click("[data-quick='7d']");
    await waitReport(page, keyOf("languages", WEEK));
    for (const table of ["languages", "countries"]) {
      const link = page.locator(`[data-table=${table}] [data-testid=csv-link]`);
      const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
      assert.equal(download.suggestedFilename(), `languages-${table}-${WEEK.from}-${WEEK.to}.csv`);
      const csv = parseCsv(readFileSync(await download.path(), "utf8"));
      const columns = await page.$$eval(`[data-table=${table}] thead th`, (ths) => ths.map((th) => th.dataset.column));
      assert.deepEqual(csv[0], columns, "the CSV's header is the table's columns");
      const rows = (await readTable(page, table)).map((cells) => cells.map((c) => c.raw));
      assert.equal(csv.length - 1, rows.length, `${table}: as many rows`);
      rows.forEach((row, r) => row.forEach((cell, i) => assert.ok(same(csv[r + 1][i], cell), `${table} row ${r} column ${columns[i]}: ${csv[r + 1][i]} ≠ ${cell}`)));
      const answer = await page.evaluate(async (href) => {
        const response = await fetch(href);
        return { status: response.status, type: response.headers.get("content-type"), disposition: response.headers.get("content-disposition") };
      }, await link.getAttribute("href"));
      assert.equal(answer.status, 200);
      assert.match(answer.type, /^text\/csv/);
      assert.match(answer.disposition, /^attachment/);
    }
  });

  test("the yearly report is a PDF", async () => {
    const { page } = admin;
    const year = TODAY.slice(0, 4);
    const link = page.locator("[data-testid=yearly-link]");
    assert.match(await link.textContent(), new RegExp(`Tải báo cáo năm ${year} \\(PDF\\)`));
    const href = await link.getAttribute("href");
    assert.equal(href, `/v1/admin/yearly-report?year=${year}&lang=vi`);
    const answer = await page.evaluate(async (href) => {
      const response = await fetch(href);
      const bytes = new Uint8Array(await response.arrayBuffer());
      return { status: response.status, type: response.headers.get("content-type"), head: String.fromCharCode(...bytes.slice(0, 5)), size: bytes.length };
    }, href);
    assert.equal(answer.status, 200);
    assert.equal(answer.type, "application/pdf");
    assert.equal(answer.head, "%PDF-");
    await page.selectOption("#yearly-lang", "en");
    const [download] = await Promise.all([page.waitForEvent("download", { timeout: 120_000 }), link.click()]);
    assert.equal(download.suggestedFilename(), `yearly-report-${year}-en.pdf`);
    assert.equal(readFileSync(await download.path()).subarray(0, 5).toString(), "%PDF-");
    assert.equal(await page.locator("[data-testid=yearly-error]").count(), 0);
  });

  test("in English: words, dates and numbers as English readers write them", async () => {
    const { context, page } = await openConsole(browser, server, { lang: "en" });
    await signIn(page, ADMIN.name, ADMIN.password);
    await page.evaluate((week) => (location.hash = `/reports?report=touches&from=${week.from}&to=${week.to}`), WEEK);
    await waitReport(page, keyOf("touches", WEEK));
    assert.equal(await page.textContent("main h1"), "Reports");
    const touches = all().filter((e) => e.kind === "touch").length;
    assert.match(await page.textContent("[data-testid=report-total]"), /^\d,\d{3} touches$/);
    assert.equal(shown(await page.textContent("[data-testid=report-total] strong"), "en"), touches);
    const [part] = await readTable(page, "parts");
    assert.match(part.find((c) => c.column === "share").text, /^\d+(\.\d)?%$/, "a share in English: 42.5%");
    const headers = await page.$$eval("[data-table=parts] thead th", (ths) => ths.map((th) => th.textContent));
    assert.deepEqual(headers, ["Part of the interface", "Touches", "Share"]);
    assert.equal(await page.textContent("[data-table=parts] [data-testid=csv-link]"), "Download CSV");
    assert.ok((await paintedPixels(page, "touches")).painted > 0);
    await screenshot(page, "66-reports-touches-en", { fullPage: true });
    await assertAccessible(page, "the touches report in English");

    await openTab(page, "play", WEEK);
    assert.ok((await paintedPixels(page, "play")).painted > 0);
    await screenshot(page, "67-reports-play-en");
    await page.fill("#report-from", EMPTY.from);
    await page.fill("#report-to", EMPTY.to);
    await waitReport(page, keyOf("play", EMPTY));
    assert.equal(await page.textContent("[data-testid=report-nothing] strong"), "Nothing was recorded from 1 Jan 2025 to 31 Jan 2025.");
    await context.close();
  });

  test("a viewer of one channel reads only that channel; someone without a role has no reports", async () => {
    const viewer = await openConsole(browser, server);
    await signIn(viewer.page, VIEWER.name, VIEWER.password);
    await goTo(viewer.page, "reports");
    await viewer.page.click("[data-quick='7d']");
    await openTab(viewer.page, "chapters", WEEK);
    const options = await viewer.page.$$eval("#report-channel option", (os) => os.map((o) => o.value));
    assert.deepEqual(options, ["", "hall"]);
    assert.deepEqual(await column(viewer.page, "chapters", "chapter", "views"), count(sent.hall, "chapter_view", (d) => d.chapter));
    const refused = await fetchIn(viewer.page, "GET", "/v1/admin/reports/chapters?channel=booth");
    assert.equal(refused.status, 403);
    await viewer.context.close();

    const newcomer = await openConsole(browser, server);
    await signIn(newcomer.page, NEWCOMER.name, NEWCOMER.password);
    assert.equal(await newcomer.page.locator("nav a[data-page=reports]").count(), 0, "no reports in the navigation");
    await newcomer.page.evaluate(() => (location.hash = "/reports"));
    await newcomer.page.waitForSelector("main h1");
    assert.notEqual(await newcomer.page.textContent("main h1"), "Báo cáo");
    await newcomer.context.close();
  });
});
