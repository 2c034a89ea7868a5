// A report's chart, drawn by Chart.js (./chart-config, fetched on first use): made
// anew whenever the report or the language changes, the old one destroyed first.
// Its words for those who cannot see it are the summary beside it, and the tables
// below.

import { useEffect, useRef } from "preact/hooks";
import type { ReportPage } from "../../api/types";
import { useLang, useT } from "../../i18n";
import { chartSummary, formatDay, uptimeBars } from "../../lib/reports";

/** Room for each screen's bar in the up time chart. */
const BAR_ROOM_PX = 36;

export function ReportChart({ page }: { page: ReportPage }) {
  const t = useT();
  const lang = useLang();
  const canvas = useRef<HTMLCanvasElement>(null);

  useEffect(() => {
    let chart: { destroy(): void } | null = null;
    let gone = false;
    void import("./chart-config").then(({ makeChart }) => {
      const target = canvas.current;
      if (gone || !target) return;
      chart = makeChart(target, page, t, lang);
      target.dataset.drawn = page.report;
    });
    return () => {
      gone = true;
      chart?.destroy();
      if (canvas.current) delete canvas.current.dataset.drawn;
    };
  }, [page, lang]);

  const height = page.report === "uptime" ? Math.max(160, uptimeBars(page).length * BAR_ROOM_PX + 70) : 320;
  const range = { from: formatDay(page.from, lang), to: formatDay(page.to, lang) };
  return (
    <figure class="card report-chart">
      <div class="report-chart-box" style={{ height: `${height}px` }}>
        <canvas
          ref={canvas}
          role="img"
          aria-label={t("reports.chart", { report: t(`reports.kind.${page.report}`), ...range })}
          aria-describedby="report-chart-summary"
          data-testid="report-chart"
        />
      </div>
      <figcaption id="report-chart-summary" class="visually-hidden" data-testid="chart-summary">
        {chartSummary(t, page, lang)}
      </figcaption>
    </figure>
  );
}
