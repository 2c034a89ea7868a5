// The channel's releases, newest first; an approver can bring an old one back (a
// rollback publishes its content again as a new version), after confirming.

import { useState } from "preact/hooks";
import { listReleases, rollback } from "../api/routes";
import type { Published, ReleaseRow } from "../api/types";
import { ConfirmDialog } from "../components/Dialog";
import { ErrorNotice } from "../components/ErrorNotice";
import { Icon } from "../components/Icon";
import { Notice } from "../components/Notice";
import { PageHeader } from "../components/PageHeader";
import { useLang, useT } from "../i18n";
import { loadChannels } from "../lib/channels";
import { loadDraft } from "../lib/draft";
import { formatDateTime } from "../lib/format";
import { useAction } from "../lib/use-action";
import { useChannel } from "../lib/use-channel";
import { useLoad } from "../lib/use-load";

export function ReleasesPage() {
  const t = useT();
  const lang = useLang();
  const { channel, me, canApprove } = useChannel();
  const { data, error, loading, reload } = useLoad(() => listReleases(channel), [channel]);
  const [target, setTarget] = useState<ReleaseRow | null>(null);
  const { busy, error: failure, run } = useAction();
  const [result, setResult] = useState<Published | null>(null);
  const releases = data?.releases ?? [];

  async function confirm() {
    if (!target) return;
    await run(async () => {
      // The confirmation closes whether the rollback went through or not.
      try {
        setResult(await rollback(channel, target.version));
      } finally {
        setTarget(null);
      }
      reload();
      void loadChannels(me);
      void loadDraft(channel, true);
    });
  }

  return (
    <>
      <PageHeader title={t("releases.title")} subtitle={t("releases.subtitle", { channel })} />
      {result && <Notice kind="success" title={t("releases.rolledBack", { v: result.version })} testId="rolled-back" />}
      <ErrorNotice error={failure ?? error} />
      {!loading && releases.length === 0 && <p class="empty">{t("releases.none")}</p>}
      {releases.length > 0 && (
        <div class="table-wrap card flush">
          <table class="table" data-testid="releases">
            <caption class="visually-hidden">{t("releases.title")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("releases.version")}</th>
                <th scope="col">{t("releases.published")}</th>
                <th scope="col" class="num">{t("releases.files")}</th>
                <th scope="col">{t("releases.manifest")}</th>
                {canApprove && <th scope="col"><span class="visually-hidden">{t("actions")}</span></th>}
              </tr>
            </thead>
            <tbody>
              {releases.map((row, i) => (
                <tr key={row.version} data-version={row.version}>
                  <td>
                    <strong>v{row.version}</strong> {i === 0 && <span class="badge badge-live">{t("releases.live")}</span>}
                  </td>
                  <td>{formatDateTime(row.published_at, lang)}</td>
                  <td class="num">{row.blobs}</td>
                  <td>
                    <code title={row.manifest_sha256}>{row.manifest_sha256.slice(0, 16)}…</code>
                  </td>
                  {canApprove && (
                    <td class="row-actions">
                      {i > 0 && (
                        <button type="button" class="button small" onClick={() => setTarget(row)} aria-label={t("releases.rollbackTo", { v: row.version })}>
                          <Icon name="releases" />
                          {t("releases.rollback")}
                        </button>
                      )}
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {target && (
        <ConfirmDialog
          title={t("releases.confirmTitle", { v: target.version })}
          message={t("releases.confirmMessage", { v: target.version, channel, live: releases[0]?.version ?? "—" })}
          confirm={t("releases.rollback")}
          danger
          busy={busy}
          onClose={() => setTarget(null)}
          onConfirm={() => void confirm()}
          testId="rollback-confirm"
        />
      )}
    </>
  );
}
