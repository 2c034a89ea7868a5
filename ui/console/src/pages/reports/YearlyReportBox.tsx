// The province's yearly report as a PDF: a year, the report's language, and a link
// to it. The link is an ordinary one (copy it, open it in a new tab); a click fetches
// the file here so that a refusal shows as words in the page, not as a download of
// the server's error.

import { useState } from "preact/hooks";
import { getYearlyReport, yearlyReportUrl } from "../../api/routes";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Icon } from "../../components/Icon";
import { useLang, useT, type Lang } from "../../i18n";
import { vietnamDay } from "../../lib/format";
import { useAction } from "../../lib/use-action";

/** The first year screens reported: the year of the TOP 1 ICF award. */
const FIRST_YEAR = 2023;

function save(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function YearlyReportBox({ channel }: { channel: string }) {
  const t = useT();
  const pageLang = useLang();
  const thisYear = Number(vietnamDay(new Date()).slice(0, 4));
  const [year, setYear] = useState(thisYear);
  const [lang, setReportLang] = useState<Lang>(pageLang);
  const { busy, error, run } = useAction();
  const years = Array.from({ length: Math.max(1, thisYear - FIRST_YEAR + 1) }, (_, i) => thisYear - i);
  const name = `yearly-report-${year}-${lang}.pdf`;
  const scope = channel ? t("reports.yearlyChannel", { channel }) : t("reports.yearlyAll");

  return (
    <section class="card yearly-report" aria-labelledby="yearly-title" data-testid="yearly-report">
      <h2 id="yearly-title">{t("reports.yearly")}</h2>
      <p class="hint">{t("reports.yearlyHint", { scope })}</p>
      <div class="toolbar">
        <div class="field inline">
          <label for="yearly-year">{t("reports.year")}</label>
          <select id="yearly-year" value={year} onChange={(e) => setYear(Number(e.currentTarget.value))}>
            {years.map((y) => (
              <option key={y} value={y}>
                {y}
              </option>
            ))}
          </select>
        </div>
        <div class="field inline">
          <label for="yearly-lang">{t("reports.yearlyLang")}</label>
          <select id="yearly-lang" value={lang} onChange={(e) => setReportLang(e.currentTarget.value as Lang)}>
            <option value="vi">{t("reports.langVi")}</option>
            <option value="en">{t("reports.langEn")}</option>
          </select>
        </div>
        <a
          class="button primary"
          href={yearlyReportUrl(year, lang, channel)}
          download={name}
          aria-disabled={busy || undefined}
          data-testid="yearly-link"
          onClick={(e) => {
            e.preventDefault();
            if (busy) return;
            void run(async () => save(await getYearlyReport(year, lang, channel), name));
          }}
        >
          <Icon name="download" size={16} />
          {busy ? t("reports.yearlyBusy") : t("reports.yearlyDownload", { year })}
        </a>
      </div>
      <ErrorNotice error={error} testId="yearly-error" />
    </section>
  );
}
