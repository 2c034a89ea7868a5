// The days and the channel a report covers: two date fields, quick picks (last 7
// days, last 30 days, this year) and every channel or one.

import { ChannelSelect } from "../../components/ChannelSelect";
import { useT } from "../../i18n";
import { QUICK_PICKS, quickPickOf, quickRange, type ReportState } from "../../lib/reports";

export function RangePicker({ state, onChange }: { state: ReportState; onChange: (change: Partial<ReportState>) => void }) {
  const t = useT();
  const quick = quickPickOf(state);
  return (
    <div class="toolbar report-filters" role="group" aria-label={t("reports.filters")}>
      <div class="field inline">
        <label for="report-from">{t("reports.from")}</label>
        <input
          id="report-from"
          type="date"
          value={state.from}
          required
          onChange={(e) => e.currentTarget.value && onChange({ from: e.currentTarget.value })}
        />
      </div>
      <div class="field inline">
        <label for="report-to">{t("reports.to")}</label>
        <input id="report-to" type="date" value={state.to} required onChange={(e) => e.currentTarget.value && onChange({ to: e.currentTarget.value })} />
      </div>
      <div class="segmented" role="group" aria-label={t("reports.quick")}>
        {QUICK_PICKS.map((pick) => (
          <button key={pick} type="button" aria-pressed={quick === pick} data-quick={pick} onClick={() => onChange(quickRange(pick))}>
            {t(`reports.quick.${pick}`)}
          </button>
        ))}
      </div>
      <ChannelSelect
        id="report-channel"
        label={t("reports.channel")}
        allLabel={t("reports.allChannels")}
        value={state.channel}
        onChange={(channel) => onChange({ channel })}
      />
    </div>
  );
}
