// Every table of a report, each with its CSV file: columns worded and numbers
// formatted in the interface's language; each cell keeps the raw value the CSV has.

import type { ReportKind, ReportTable } from "../../api/types";
import { reportCsvUrl, type ReportRange } from "../../api/routes";
import { EmptyRow } from "../../components/EmptyRow";
import { Icon } from "../../components/Icon";
import { useLang, useT } from "../../i18n";
import { columnLabel, formatCell, isNumeric, rawCell, tableLabel } from "../../lib/reports";

/** A table of more columns than this takes the whole width; narrower ones go two by two. */
const WIDE_FROM = 4;

function Table({ report, range, table }: { report: ReportKind; range: ReportRange; table: ReportTable }) {
  const t = useT();
  const lang = useLang();
  const title = tableLabel(t, table.name);
  const headingId = `report-table-${table.name}`;
  const numeric = table.columns.map(isNumeric);
  return (
    <section class={table.columns.length > WIDE_FROM ? "card flush report-table wide" : "card flush report-table"} data-table={table.name}>
      <div class="report-table-head">
        <h2 id={headingId}>{title}</h2>
        <a
          class="button small"
          href={reportCsvUrl(report, range, table.name)}
          download
          aria-label={t("reports.csvOf", { table: title })}
          data-testid="csv-link"
        >
          <Icon name="download" size={16} />
          {t("reports.csv")}
        </a>
      </div>
      {/* A long table scrolls in its box, which the keyboard can reach to scroll it too. */}
      <div class="table-wrap" role="region" aria-labelledby={headingId} tabIndex={0}>
        <table class="table" aria-labelledby={headingId}>
          <thead>
            <tr>
              {table.columns.map((column, i) => (
                <th key={column} scope="col" class={numeric[i] ? "num" : undefined} data-column={column}>
                  {columnLabel(t, column)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {table.rows.length === 0 && <EmptyRow cols={table.columns.length} text={t("reports.noRows")} />}
            {table.rows.map((row, r) => (
              <tr key={r}>
                {row.map((cell, i) => (
                  <td key={i} class={numeric[i] ? "num" : undefined} data-column={table.columns[i]} data-raw={rawCell(cell)}>
                    {formatCell(cell, table.columns[i], lang, t)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export function ReportTables({ report, range, tables }: { report: ReportKind; range: ReportRange; tables: ReportTable[] }) {
  return (
    <div class="report-tables">
      {tables.map((table) => (
        <Table key={table.name} report={report} range={range} table={table} />
      ))}
    </div>
  );
}
