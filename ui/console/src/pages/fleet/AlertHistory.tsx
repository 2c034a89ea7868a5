// Every time a screen went offline, newest first: when it went quiet, when the alert
// was raised and cleared, and when the webhook took it.

import type { FleetAlert } from "../../api/types";
import { EmptyRow } from "../../components/EmptyRow";
import { useLang, useT } from "../../i18n";
import { formatDateTime } from "../../lib/format";

export function AlertHistory({ alerts, loading }: { alerts: FleetAlert[]; loading: boolean }) {
  const t = useT();
  const lang = useLang();
  return (
    <section class="card flush alert-history" aria-labelledby="alerts-title">
      <div class="section-head">
        <h2 id="alerts-title">{t("alerts.title")}</h2>
        <p class="hint">{t("alerts.subtitle")}</p>
      </div>
      <div class="table-wrap">
        <table class="table alert-table stack-table" data-testid="alert-history">
          <thead>
            <tr>
              <th scope="col">{t("alerts.device")}</th>
              <th scope="col">{t("alerts.channel")}</th>
              <th scope="col">{t("alerts.since")}</th>
              <th scope="col">{t("alerts.raised")}</th>
              <th scope="col">{t("alerts.cleared")}</th>
              <th scope="col">{t("alerts.notified")}</th>
            </tr>
          </thead>
          <tbody>
            {!loading && alerts.length === 0 && <EmptyRow cols={6} text={t("alerts.none")} />}
            {alerts.map((alert) => (
              <tr key={alert.id} data-alert={alert.id} data-device={alert.device} data-state={alert.cleared_at ? "cleared" : "open"}>
                <td data-label={t("alerts.device")}>
                  <strong>{alert.device_name}</strong>
                </td>
                <td data-label={t("alerts.channel")}>{alert.channel}</td>
                <td data-label={t("alerts.since")} class="nowrap">
                  {formatDateTime(alert.since, lang, true)}
                </td>
                <td data-label={t("alerts.raised")} class="nowrap">
                  {formatDateTime(alert.raised_at, lang, true)}
                </td>
                <td data-label={t("alerts.cleared")} class="nowrap" data-testid="alert-cleared">
                  {alert.cleared_at ? (
                    formatDateTime(alert.cleared_at, lang, true)
                  ) : (
                    <span class="badge status-offline">
                      <span class="dot" aria-hidden="true" />
                      {t("alerts.open")}
                    </span>
                  )}
                </td>
                <td data-label={t("alerts.notified")} class="nowrap" data-testid="alert-notified">
                  {alert.notified_at ? formatDateTime(alert.notified_at, lang, true) : <span class="muted">{t("alerts.notNotified")}</span>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
