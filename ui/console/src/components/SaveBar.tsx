// The draft's bar above an editor: its state and revision, unsaved edits, missing
// translations, Save; and what to do when someone else saved in between.

import { useState } from "preact/hooks";
import { useLang, useT } from "../i18n";
import { draftStore, keepEditing, reloadTheirs, save } from "../lib/draft";
import { formatDateTime } from "../lib/format";
import { useStore } from "../lib/store";
import { ConfirmDialog } from "./Dialog";
import { ErrorNotice } from "./ErrorNotice";
import { Icon } from "./Icon";
import { Notice } from "./Notice";
import { StateBadge } from "./StateBadge";

export function SaveBar({ channel, canEdit, missing }: { channel: string; canEdit: boolean; missing?: number }) {
  const t = useT();
  const lang = useLang();
  const state = useStore(draftStore(channel));
  const [confirmReplace, setConfirmReplace] = useState(false);
  const { server, dirty, saving, conflict, replaces, saveError, justSaved } = state;
  if (!server) return null;

  const onSave = () => (replaces ? setConfirmReplace(true) : void save(channel));

  return (
    <div class="savebar-wrap">
      <div class="savebar" role="region" aria-label={t("save.region")}>
        <StateBadge state={server.state} />
        <span class="savebar-meta">
          {server.revision === 0
            ? t("save.untouched", { v: server.base_version })
            : `${t("save.revision", { n: server.revision })} · ${t("overview.savedBy", { who: server.updated_by, when: formatDateTime(server.updated_at, lang) })}`}
        </span>
        {missing !== undefined && missing > 0 && (
          <span class="missing-count" data-testid="missing-count">
            <Icon name="warning" size={16} />
            {t("story.missingCount", { n: missing })}
          </span>
        )}
        <span class="savebar-spacer" />
        <span class="savebar-status" aria-live="polite" data-testid="save-status">
          {saving ? t("save.saving") : dirty ? t("save.unsaved") : justSaved ? t("save.saved") : ""}
        </span>
        {canEdit && (
          <button type="button" class="button primary" onClick={onSave} disabled={!dirty || saving} data-testid="save">
            {replaces ? t("save.replace") : t("save.save")}
          </button>
        )}
      </div>
      {canEdit && server.state === "in_review" && dirty && <p class="hint savebar-hint">{t("save.backToEditing")}</p>}
      {server.revision > 0 && server.live_version !== server.base_version && (
        <Notice kind="warning" title={t("save.liveMovedTitle", { v: server.live_version })} testId="live-moved">
          {t("save.liveMovedHint", { base: server.base_version, live: server.live_version })}
        </Notice>
      )}
      {conflict && (
        <Notice
          kind="error"
          title={t("save.conflictTitle")}
          testId="conflict"
          actions={
            <>
              <button type="button" class="button" onClick={() => void reloadTheirs(channel)}>
                {t("save.reloadTheirs")}
              </button>
              <button type="button" class="button primary" onClick={() => keepEditing(channel)}>
                {t("save.keepEditing")}
              </button>
            </>
          }
        >
          <p class="server-message">{conflict.message}</p>
          <p>{t("save.conflictHint")}</p>
        </Notice>
      )}
      {replaces && !conflict && (
        <Notice kind="warning" title={t("save.staleTitle")} testId="stale">
          {t("save.staleHint", { who: replaces.updated_by, when: formatDateTime(replaces.updated_at, lang) })}
        </Notice>
      )}
      <ErrorNotice error={saveError} testId="save-error" />
      {confirmReplace && replaces && (
        <ConfirmDialog
          title={t("save.replaceTitle")}
          message={t("save.replaceMessage", { who: replaces.updated_by, when: formatDateTime(replaces.updated_at, lang) })}
          confirm={t("save.replace")}
          danger
          onClose={() => setConfirmReplace(false)}
          onConfirm={() => {
            setConfirmReplace(false);
            void save(channel);
          }}
        />
      )}
    </div>
  );
}
