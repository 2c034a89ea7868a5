// Reports: one of seven (playback, touches, languages, chapters, brochures, surveys,
// up time) over the days and the channel the reader chose, all kept in the page's
// address; its total, its chart, every table with its CSV file, and the yearly
// report for the province. While a new answer comes the old one stays, dimmed.

import type { JSX } from "preact";
import { getReport } from "../../api/routes";
import type { ReportKind, ReportPage } from "../../api/types";
import { ErrorNotice } from "../../components/ErrorNotice";
import { PageHeader } from "../../components/PageHeader";
import { useLang, useT } from "../../i18n";
import { REPORTS, formatCount, formatDay, formatDecimal, readState, stateParams, type ReportState } from "../../lib/reports";
import { replaceQuery, routeQuery } from "../../lib/router";
import { useStore } from "../../lib/store";
import { useLoad } from "../../lib/use-load";
import { RangePicker } from "./RangePicker";
import { ReportChart } from "./ReportChart";
import { ReportTables } from "./ReportTables";
import { YearlyReportBox } from "./YearlyReportBox";

const keyOf = (s: ReportState) => `${s.report}|${s.from}|${s.to}|${s.channel}`;

function Tabs({ current, onChoose }: { current: ReportKind; onChoose: (report: ReportKind) => void }) {
  const t = useT();
  // Arrow keys move between tabs, as in any tab list.
  const onKeyDown = (e: JSX.TargetedKeyboardEvent<HTMLDivElement>) => {
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = REPORTS[(REPORTS.indexOf(current) + step + REPORTS.length) % REPORTS.length];
    onChoose(next);
    document.getElementById(`report-tab-${next}`)?.focus();
  };
  return (
    <div class="tabs report-tabs" role="tablist" aria-label={t("reports.kinds")} onKeyDown={onKeyDown}>
      {REPORTS.map((report) => (
        <button
          key={report}
          type="button"
          role="tab"
          id={`report-tab-${report}`}
          aria-selected={report === current}
          aria-controls="report-panel"
          tabIndex={report === current ? 0 : -1}
          class={report === current ? "tab active" : "tab"}
          data-report={report}
          onClick={() => onChoose(report)}
        >
          {t(`reports.kind.${report}`)}
        </button>
      ))}
    </div>
  );
}

function Headline({ page }: { page: ReportPage }) {
  const t = useT();
  const lang = useLang();
  const total = page.report === "uptime" ? formatDecimal(page.total / 3600, lang) : formatCount(page.total, lang);
  return (
    <div class="report-headline">
      <p class="report-total" data-testid="report-total">
        <strong>{total}</strong> {t(`reports.total.${page.report}`)}
      </p>
      <p class="muted">
        {t("reports.covers", { from: formatDay(page.from, lang), to: formatDay(page.to, lang) })}
        {page.channels.length > 0 && ` · ${t("reports.channels", { channels: page.channels.join(", ") })}`}
      </p>
    </div>
  );
}

function Report({ page, state }: { page: ReportPage; state: ReportState }) {
  const t = useT();
  const lang = useLang();
  if (page.total === 0) {
    return (
      <div class="empty report-nothing" data-testid="report-nothing">
        <p>
          <strong>{t("reports.nothing", { from: formatDay(page.from, lang), to: formatDay(page.to, lang) })}</strong>
        </p>
        <p>{t("reports.nothingHint")}</p>
      </div>
    );
  }
  return (
    <>
      <Headline page={page} />
      <ReportChart page={page} />
      <ReportTables report={page.report} range={state} tables={page.tables} />
    </>
  );
}

export function ReportsPage() {
  const t = useT();
  const query = useStore(routeQuery);
  const state = readState(query);
  const key = keyOf(state);
  const choose = (change: Partial<ReportState>) => replaceQuery("reports", stateParams({ ...state, ...change }));
  // The answer keeps the choice it answers, for its CSV links and to tell whether it is current.
  const loaded = useLoad(() => getReport(state.report, state).then((page) => ({ state, page })), [key]);
  const failed = loaded.error && !loaded.loading;
  const shown = failed ? null : loaded.data;
  const fresh = !!shown && keyOf(shown.state) === key && !loaded.loading;

  return (
    <>
      <PageHeader title={t("reports.title")} subtitle={t("reports.subtitle")} />
      <Tabs current={state.report} onChoose={(report) => choose({ report })} />
      <RangePicker state={state} onChange={choose} />
      <section
        class={loaded.loading && shown ? "report-panel stale" : "report-panel"}
        role="tabpanel"
        id="report-panel"
        aria-labelledby={`report-tab-${state.report}`}
        aria-busy={loaded.loading}
        data-testid="report"
        data-key={fresh ? key : ""}
      >
        <p class="hint report-about">{t(`reports.about.${state.report}`)}</p>
        {failed && <ErrorNotice error={loaded.error} testId="report-error" />}
        {!failed && !shown && <p class="muted">{t("loading")}</p>}
        {shown && <Report page={shown.page} state={shown.state} />}
      </section>
      <YearlyReportBox channel={state.channel} />
    </>
  );
}
