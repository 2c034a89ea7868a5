// The audit log: who did what, when, on which channel and from where; filtered by
// channel and person.

import { useState } from "preact/hooks";
import { listAudit } from "../api/routes";
import { ChannelSelect } from "../components/ChannelSelect";
import { EmptyRow } from "../components/EmptyRow";
import { ErrorNotice } from "../components/ErrorNotice";
import { PageHeader } from "../components/PageHeader";
import { useLang, useT, type Key } from "../i18n";
import { formatDateTime } from "../lib/format";
import { useDebounced } from "../lib/use-debounced";
import { useLoad } from "../lib/use-load";

/** Words for the action codes the console knows; others are shown as their code. */
const ACTIONS: Record<string, Key> = {
  "session.sign_in": "action.signIn",
  "session.sign_in_failed": "action.signInFailed",
  "session.sign_in_refused": "action.signInRefused",
  "session.sign_out": "action.signOut",
  "user.add": "action.userAdd",
  "user.change": "action.userChange",
  "media.upload": "action.upload",
  "media.refuse": "action.refuse",
  "channel.create": "action.channelCreate",
  "device.enrolment_code": "action.enrolmentCode",
  "device.location": "action.deviceLocation",
  "device.revoke": "action.deviceRevoke",
  "emergency.raise": "action.emergencyRaise",
  "emergency.withdraw": "action.emergencyWithdraw",
  "draft.save": "action.save",
  "draft.submit": "action.submit",
  "draft.approve": "action.approve",
  "draft.reject": "action.reject",
  "release.publish": "action.publish",
  "release.rollback": "action.rollback",
};

export function AuditPage() {
  const t = useT();
  const lang = useLang();
  const [channel, setChannel] = useState("");
  const [actor, setActor] = useState("");
  const query = useDebounced(actor, 300).trim();
  const { data, error, loading, reload } = useLoad(() => listAudit(channel, query, 500), [channel, query]);
  const entries = data?.entries ?? [];
  const people = [...new Set(entries.map((e) => e.actor))].sort();

  return (
    <>
      <PageHeader title={t("audit.title")} subtitle={t("audit.subtitle")}>
        <button type="button" class="button" onClick={reload}>
          {t("refresh")}
        </button>
      </PageHeader>
      <div class="toolbar">
        <ChannelSelect id="audit-channel" label={t("audit.channel")} allLabel={t("audit.allChannels")} value={channel} onChange={setChannel} />
        <div class="field inline">
          <label for="audit-actor">{t("audit.person")}</label>
          <input id="audit-actor" list="audit-people" value={actor} onInput={(e) => setActor(e.currentTarget.value)} />
          <datalist id="audit-people">
            {people.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
        </div>
        <span class="muted" aria-live="polite">
          {loading ? t("loading") : t("audit.count", { n: entries.length })}
        </span>
      </div>
      <ErrorNotice error={error} />
      <div class="table-wrap card flush">
        <table class="table audit-table" data-testid="audit">
          <caption class="visually-hidden">{t("audit.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("audit.time")}</th>
              <th scope="col">{t("audit.who")}</th>
              <th scope="col">{t("audit.action")}</th>
              <th scope="col">{t("audit.channel")}</th>
              <th scope="col">{t("audit.detail")}</th>
              <th scope="col">{t("audit.from")}</th>
            </tr>
          </thead>
          <tbody>
            {!loading && entries.length === 0 && <EmptyRow cols={6} text={t("audit.none")} />}
            {entries.map((entry) => (
              <tr key={entry.id} data-action={entry.action}>
                <td class="nowrap">{formatDateTime(entry.at, lang, true)}</td>
                <td>{entry.actor}</td>
                <td>
                  <span class={entry.action.includes("failed") || entry.action.includes("refused") ? "action-code warn" : "action-code"}>
                    {ACTIONS[entry.action] ? t(ACTIONS[entry.action]) : entry.action}
                  </span>
                  <code class="muted small">{entry.action}</code>
                </td>
                <td>{entry.channel ?? "—"}</td>
                <td class="detail">{entry.detail}</td>
                <td class="nowrap">{entry.remote ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
