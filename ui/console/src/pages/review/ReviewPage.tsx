// Review and publish: an editor submits the draft with a note; an approver reads the
// changes and approves (publishes) or sends the draft back with a note. Editors never
// get a publish button; the server refuses them all the same.

import { useEffect, useState } from "preact/hooks";
import { approveDraft, getReview, rejectDraft, submitDraft } from "../../api/routes";
import type { Published } from "../../api/types";
import { ConfirmDialog } from "../../components/Dialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Icon } from "../../components/Icon";
import { Notice } from "../../components/Notice";
import { PageHeader } from "../../components/PageHeader";
import { StateBadge } from "../../components/StateBadge";
import { useLang, useT } from "../../i18n";
import { loadChannels } from "../../lib/channels";
import { draftChanged, draftStore, loadDraft, save } from "../../lib/draft";
import { formatDateTime } from "../../lib/format";
import { useStore } from "../../lib/store";
import { useAction } from "../../lib/use-action";
import { useChannel } from "../../lib/use-channel";
import { useLoad } from "../../lib/use-load";
import { DiffView } from "./DiffView";

export function ReviewPage() {
  const t = useT();
  const lang = useLang();
  const { channel, me, canEdit, canApprove } = useChannel();
  const state = useStore(draftStore(channel));
  const review = useLoad(() => getReview(channel), [channel, state.server?.revision, state.server?.state]);
  const [note, setNote] = useState("");
  const { busy, error, setError, run } = useAction();
  const [published, setPublished] = useState<Published | null>(null);
  const [done, setDone] = useState<"submitted" | "rejected" | null>(null);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    if (channel) void loadDraft(channel, !draftStore(channel).get().dirty);
    setError(null);
    setPublished(null);
    setDone(null);
  }, [channel]);

  const draft = state.server;
  const header = <PageHeader title={t("review.title")} subtitle={t("review.subtitle", { channel })} />;
  if (!draft) return <>{header}{state.error ? <ErrorNotice error={state.error} /> : <p class="muted">{t("loading")}</p>}</>;

  const inReview = draft.state === "in_review";
  const ownChange = draft.editors.includes(me.name) || draft.submitted_by === me.name;

  const submit = () =>
    run(async () => {
      const next = await submitDraft(channel, { revision: draft.revision, note: note.trim() });
      draftChanged(channel, next);
      setNote("");
      setDone("submitted");
    });
  const reject = () =>
    run(async () => {
      const next = await rejectDraft(channel, { revision: draft.revision, note: note.trim() });
      draftChanged(channel, next);
      setNote("");
      setDone("rejected");
    });
  const approve = () =>
    run(async () => {
      setConfirming(false);
      const result = await approveDraft(channel, { revision: draft.revision });
      setPublished(result);
      await loadDraft(channel, true);
      void loadChannels(me);
    });

  return (
    <>
      {header}
      <div class="review-layout">
        <div class="review-main">
          <ErrorNotice error={review.error} />
          {review.data ? <DiffView review={review.data} /> : !review.error && <p class="muted">{t("loading")}</p>}
        </div>
        <div class="review-side">
          <section class="card review-status" aria-labelledby="status-title">
            <div class="card-head">
              <h2 id="status-title">{t("review.status")}</h2>
              <StateBadge state={draft.state} />
            </div>
            <dl class="facts row">
              <div>
                <dt>{t("review.base")}</dt>
                <dd>{draft.base_version ? t("overview.version", { v: draft.base_version }) : t("overview.nothingLive")}</dd>
              </div>
              <div>
                <dt>{t("save.revisionLabel")}</dt>
                <dd>{draft.revision}</dd>
              </div>
              <div>
                <dt>{t("review.editors")}</dt>
                <dd>{draft.editors.length ? draft.editors.join(", ") : "—"}</dd>
              </div>
              {draft.submitted_by && (
                <div>
                  <dt>{t("overview.submitted")}</dt>
                  <dd>{t("overview.savedBy", { who: draft.submitted_by, when: formatDateTime(draft.submitted_at, lang) })}</dd>
                </div>
              )}
            </dl>
            {draft.note && (
              <blockquote class="note" data-testid="draft-note">
                <span class="note-label">{t("review.note")}</span>
                {draft.note}
              </blockquote>
            )}
          </section>

          {published && (
            <Notice kind="success" title={t("review.published", { v: published.version })} testId="published">
              {t("review.publishedHint")}
            </Notice>
          )}
          {done === "submitted" && <Notice kind="success" title={t("review.submitted")} testId="submitted" />}
          {done === "rejected" && <Notice kind="success" title={t("review.rejected")} testId="rejected" />}
          <ErrorNotice error={error} testId="review-error" />

          {canEdit && !inReview && (
            <section class="card" aria-labelledby="submit-title">
              <h2 id="submit-title">{t("review.submitTitle")}</h2>
              {state.dirty ? (
                <Notice
                  kind="warning"
                  title={t("review.unsaved")}
                  actions={
                    <button type="button" class="button primary" onClick={() => void save(channel)} disabled={state.saving}>
                      {t("save.save")}
                    </button>
                  }
                />
              ) : (
                <form
                  class="form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void submit();
                  }}
                >
                  <div class="field">
                    <label for="submit-note">{t("review.noteLabel")}</label>
                    <textarea id="submit-note" rows={3} value={note} onInput={(e) => setNote(e.currentTarget.value)} />
                  </div>
                  <button type="submit" class="button primary" disabled={busy} data-testid="submit">
                    <Icon name="send" />
                    {t("review.submit")}
                  </button>
                </form>
              )}
            </section>
          )}

          {inReview && !canApprove && (
            <Notice kind="info" title={t("review.waiting")}>
              {t("review.waitingHint")}
            </Notice>
          )}

          {canApprove && (
            <section class="card approve-card" aria-labelledby="approve-title">
              <h2 id="approve-title">{t("review.decide")}</h2>
              {!inReview && <p class="hint">{t("review.notSubmitted")}</p>}
              {inReview && ownChange && <Notice kind="warning">{t("review.ownHint")}</Notice>}
              <div class="field">
                <label for="decide-note">{t("review.sendBackNote")}</label>
                <textarea id="decide-note" rows={2} value={note} onInput={(e) => setNote(e.currentTarget.value)} disabled={!inReview} />
              </div>
              <div class="button-row">
                <button type="button" class="button primary" disabled={!inReview || busy} onClick={() => setConfirming(true)} data-testid="approve">
                  <Icon name="check" />
                  {t("review.approve")}
                </button>
                <button type="button" class="button" disabled={!inReview || busy || !note.trim()} onClick={() => void reject()} data-testid="reject">
                  <Icon name="undo" />
                  {t("review.sendBack")}
                </button>
              </div>
            </section>
          )}
        </div>
      </div>

      {confirming && (
        <ConfirmDialog
          title={t("review.approveTitle")}
          message={t("review.approveMessage", { channel, n: review.data?.changes.length ?? 0 })}
          confirm={t("review.approve")}
          busy={busy}
          onClose={() => setConfirming(false)}
          onConfirm={() => void approve()}
          testId="approve-confirm"
        />
      )}
    </>
  );
}
