// The reports page's pure parts: which report and days the address asks for, the
// quick ranges, and how a report's numbers, days, languages and columns read in the
// interface's language.

import type { Cell, ReportKind, ReportPage } from "../api/types";
import type { Key, Lang, T } from "../i18n";
import { LOCALES, vietnamDay } from "./format";

/** Every report, in the order of the tabs (the server's order). */
export const REPORTS: ReportKind[] = ["play", "touches", "languages", "chapters", "brochures", "surveys", "uptime"];

/** What the reader chose: kept in the page's address. */
export type ReportState = { report: ReportKind; from: string; to: string; channel: string };
export type Range = { from: string; to: string };

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** `day` ("2026-03-09") moved by `n` days. */
export function addDays(day: string, n: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + n);
  return date.toISOString().slice(0, 10);
}

export type QuickPick = "7d" | "30d" | "year";
export const QUICK_PICKS: QuickPick[] = ["7d", "30d", "year"];

/** A quick range ending today in Việt Nam. */
export function quickRange(pick: QuickPick, now = new Date()): Range {
  const to = vietnamDay(now);
  if (pick === "year") return { from: `${to.slice(0, 4)}-01-01`, to };
  return { from: addDays(to, pick === "7d" ? -6 : -29), to };
}

/** The quick pick `range` is, if any. */
export function quickPickOf(range: Range, now = new Date()): QuickPick | null {
  return QUICK_PICKS.find((pick) => {
    const quick = quickRange(pick, now);
    return quick.from === range.from && quick.to === range.to;
  }) ?? null;
}

/** The address's choice ("report=play&from=…"); what it leaves out is the last 30 days of the play report. */
export function readState(query: string, now = new Date()): ReportState {
  const params = new URLSearchParams(query);
  const asked = params.get("report") ?? "";
  const report = (REPORTS as string[]).includes(asked) ? (asked as ReportKind) : "play";
  const from = params.get("from") ?? "";
  const to = params.get("to") ?? "";
  // Like the server: a missing end is today, a missing start 29 days before the end.
  const end = DAY.test(to) ? to : vietnamDay(now);
  const start = DAY.test(from) ? from : addDays(end, -29);
  return { report, from: start, to: end, channel: params.get("channel") ?? "" };
}

export function stateParams(state: ReportState): Record<string, string> {
  return { report: state.report, from: state.from, to: state.to, channel: state.channel };
}

// Numbers and days as the reader reads them.

export function formatCount(n: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 0 }).format(n);
}

/** A fraction as a percent: "42,5 %" in Vietnamese, "42.5%" in English. */
export function formatShare(fraction: number, lang: Lang): string {
  const number = new Intl.NumberFormat(LOCALES[lang], { maximumFractionDigits: 1 }).format(fraction * 100);
  return lang === "vi" ? `${number}\u00a0%` : `${number}%`;
}

export function formatDecimal(n: number, lang: Lang): string {
  return new Intl.NumberFormat(LOCALES[lang], { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(n);
}

const asDate = (day: string) => new Date(`${day}T00:00:00Z`);

/** "01/03/2026" in Vietnamese, "1 Mar 2026" in English. */
export function formatDay(day: string, lang: Lang): string {
  if (!DAY.test(day)) return day;
  const options: Intl.DateTimeFormatOptions =
    lang === "vi" ? { day: "2-digit", month: "2-digit", year: "numeric" } : { day: "numeric", month: "short", year: "numeric" };
  return new Intl.DateTimeFormat(LOCALES[lang], { ...options, timeZone: "UTC" }).format(asDate(day));
}

/** A day on the chart's axis: "01/03", "1 Mar". */
export function formatShortDay(day: string, lang: Lang): string {
  if (!DAY.test(day)) return day;
  // Written out for Vietnamese: some browsers give "01-03" for a day and month alone.
  if (lang === "vi") return `${day.slice(8, 10)}/${day.slice(5, 7)}`;
  return new Intl.DateTimeFormat(LOCALES[lang], { day: "numeric", month: "short", timeZone: "UTC" }).format(asDate(day));
}

function displayName(code: string, type: "language" | "region", lang: Lang): string {
  try {
    return new Intl.DisplayNames(LOCALES[lang], { type, fallback: "code" }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** "Tiếng Nhật (ja)", "Japanese (ja)"; the tag itself when the browser has no name for it. */
export function languageName(tag: string, lang: Lang): string {
  const name = displayName(tag, "language", lang);
  return name && name !== tag ? `${name} (${tag})` : tag;
}

/** "Việt Nam" for "VN". */
export function countryName(code: string, lang: Lang): string {
  return /^[A-Za-z]{2}$/.test(code) ? displayName(code.toUpperCase(), "region", lang) : code;
}

// Columns: the server's stable keys, worded and formatted.

const COLUMNS = [
  "item", "planned", "played", "skipped", "skip_reasons", "planned_s", "played_s", "screen", "channel", "location",
  "country", "touches", "part", "share", "locale", "choices", "chapter", "views", "brochure", "downloads", "survey",
  "answer", "answers", "online_h", "uptime",
] as const;
type Column = (typeof COLUMNS)[number];
const COUNTS = new Set<string>(["planned", "played", "skipped", "planned_s", "played_s", "touches", "choices", "views", "downloads", "answers"]);
const FRACTIONS = new Set<string>(["share", "uptime"]);

/** Whether a column holds numbers (right-aligned). */
export function isNumeric(column: string): boolean {
  return COUNTS.has(column) || FRACTIONS.has(column) || column === "online_h";
}

export function columnLabel(t: T, column: string): string {
  return (COLUMNS as readonly string[]).includes(column) ? t(`reports.col.${column as Column}`) : column;
}

const TABLES = [
  "items", "screens", "parts", "languages", "countries", "chapters", "chapter_languages", "brochures",
  "brochure_languages", "answers", "answer_languages",
] as const;

export function tableLabel(t: T, table: string): string {
  return (TABLES as readonly string[]).includes(table) ? t(`reports.table.${table as (typeof TABLES)[number]}`) : table;
}

/** A cell as the reader reads it; "—" for nothing. */
export function formatCell(value: Cell, column: string, lang: Lang, t: T): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "number") {
    if (FRACTIONS.has(column)) return formatShare(value, lang);
    if (column === "online_h") return formatDecimal(value, lang);
    return formatCount(value, lang);
  }
  if (value === "" && (column === "locale" || column === "country" || column === "part")) return t("reports.unknown");
  if (column === "locale") return languageName(value, lang);
  if (column === "country") return countryName(value, lang);
  return value;
}

/** A cell as the CSV file writes it (for comparing the two, and for the table's data). */
export function rawCell(value: Cell): string {
  return value === null || value === undefined ? "" : String(value);
}

// The chart.

const SERIES_WORDS: Record<string, Key> = {
  played: "reports.series.played",
  skipped: "reports.series.skipped",
  touches: "reports.series.touches",
  views: "reports.series.views",
  downloads: "reports.series.downloads",
  answers: "reports.series.answers",
};

/** A series' name in the legend: a language for the languages report, else a measure. */
export function seriesLabel(t: T, page: ReportPage, series: string, lang: Lang): string {
  if (page.report === "languages") return series ? languageName(series, lang) : t("reports.unknown");
  const key = SERIES_WORDS[series];
  return key ? t(key) : series;
}

/** Each series' sum over the days. */
export function seriesTotals(page: ReportPage): number[] {
  return page.series.map((_, i) => page.days.reduce((sum, day) => sum + (day.values[i] ?? 0), 0));
}

/** Each screen's up time (name, fraction or null) from the uptime report's table. */
export function uptimeBars(page: ReportPage): Array<{ screen: string; uptime: number | null }> {
  const table = page.tables.find((t) => t.name === "screens");
  if (!table) return [];
  const screen = table.columns.indexOf("screen");
  const uptime = table.columns.indexOf("uptime");
  return table.rows.map((row) => ({
    screen: String(row[screen] ?? ""),
    uptime: typeof row[uptime] === "number" ? (row[uptime] as number) : null,
  }));
}

/** The chart in words, for those who cannot see it. */
export function chartSummary(t: T, page: ReportPage, lang: Lang): string {
  const parts =
    page.report === "uptime"
      ? uptimeBars(page).map((bar) => `${bar.screen}: ${bar.uptime === null ? "—" : formatShare(bar.uptime, lang)}`)
      : seriesTotals(page).map((n, i) => `${seriesLabel(t, page, page.series[i], lang)}: ${formatCount(n, lang)}`);
  const intro = t(page.report === "uptime" ? "reports.summaryUptime" : "reports.summaryTotals", {
    from: formatDay(page.from, lang),
    to: formatDay(page.to, lang),
  });
  return `${intro} ${parts.join("; ")}. ${t("reports.summaryTables")}`;
}
