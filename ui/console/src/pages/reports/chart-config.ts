// The Chart.js side of a report's chart (loaded with the reports page only): the
// days as stacked bars of the report's series, a line per language for the languages
// report, a horizontal bar per screen for up time; colours from the console's palette
// (tokens.css), words, days and numbers in the interface's language.

import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from "chart.js";
import type { ReportPage } from "../../api/types";
import type { Lang, T } from "../../i18n";
import { LOCALES } from "../../lib/format";
import { formatCount, formatDay, formatShare, formatShortDay, seriesLabel, uptimeBars } from "../../lib/reports";

Chart.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

/** Series colours, in order: the palette's teal, blue, gold, navy, red, brown. */
const SERIES_COLOURS = ["--teal-600", "--gold-500", "--blue-600", "--navy-900", "--danger", "--review-text", "--blue-800", "--muted"];

const css = (name: string) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
const colour = (i: number) => css(SERIES_COLOURS[i % SERIES_COLOURS.length]);

function axisTitle(text: string) {
  return { display: true, text, color: css("--muted"), font: { weight: 600 as const } };
}

function daysChart(page: ReportPage, t: T, lang: Lang): ChartConfiguration<"bar" | "line"> {
  const line = page.report === "languages";
  const many = page.days.length > 45;
  return {
    type: line ? "line" : "bar",
    data: {
      labels: page.days.map((d) => formatShortDay(d.day, lang)),
      datasets: page.series.map((series, i) => ({
        label: seriesLabel(t, page, series, lang),
        data: page.days.map((d) => d.values[i] ?? 0),
        backgroundColor: colour(i),
        borderColor: colour(i),
        borderWidth: line ? 2 : 0,
        pointRadius: line && !many ? 3 : 0,
        // Smooth without swinging past the points (never below zero).
        cubicInterpolationMode: "monotone" as const,
        maxBarThickness: 36,
      })),
    },
    options: {
      locale: LOCALES[lang],
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: "index", intersect: false },
      scales: {
        x: { stacked: !line, title: axisTitle(t("reports.axis.day")), grid: { display: false }, ticks: { autoSkip: true, maxRotation: 0 } },
        y: {
          stacked: !line,
          beginAtZero: true,
          // Room above the tallest bar, so the top label stays clear of the legend.
          grace: "8%",
          title: axisTitle(t("reports.axis.count")),
          ticks: { precision: 0, callback: (value) => formatCount(Number(value), lang) },
        },
      },
      plugins: {
        legend: { position: "top", align: "start", labels: { boxWidth: 14, boxHeight: 14, padding: 16 } },
        tooltip: {
          callbacks: {
            title: (items) => (items[0] ? formatDay(page.days[items[0].dataIndex]?.day ?? "", lang) : ""),
            label: (item) => `${item.dataset.label}: ${formatCount(Number(item.raw), lang)}`,
          },
        },
      },
    },
  };
}

function uptimeChart(page: ReportPage, t: T, lang: Lang): ChartConfiguration<"bar"> {
  const bars = uptimeBars(page);
  return {
    type: "bar",
    data: {
      labels: bars.map((b) => b.screen),
      datasets: [
        {
          label: t("reports.axis.uptime"),
          data: bars.map((b) => (b.uptime === null ? null : Math.round(b.uptime * 1000) / 10)) as number[],
          backgroundColor: colour(0),
          maxBarThickness: 24,
        },
      ],
    },
    options: {
      locale: LOCALES[lang],
      indexAxis: "y",
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      scales: {
        x: { min: 0, max: 100, title: axisTitle(t("reports.axis.uptime")), ticks: { callback: (value) => formatShare(Number(value) / 100, lang) } },
        y: { grid: { display: false } },
      },
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (item) => formatShare(Number(item.raw) / 100, lang) } },
      },
    },
  };
}

/** Draws `page` on `canvas`; the caller destroys the chart when done with it. */
export function makeChart(canvas: HTMLCanvasElement, page: ReportPage, t: T, lang: Lang): Chart {
  Chart.defaults.font.family = css("--font");
  Chart.defaults.font.size = 13;
  Chart.defaults.color = css("--text");
  Chart.defaults.borderColor = css("--border");
  const config = page.report === "uptime" ? uptimeChart(page, t, lang) : daysChart(page, t, lang);
  return new Chart(canvas, config as ChartConfiguration);
}
