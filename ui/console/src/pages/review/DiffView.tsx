// The review's changes as an approver reads them: grouped by place, each with its
// language, what it was and what it becomes; then the files added and removed and the
// bytes every screen will fetch.

import type { ChangeKind, Review, ReviewBlob, ReviewChange as Change } from "../../api/types";
import { useLang, useT, type Key } from "../../i18n";
import { formatBytes } from "../../lib/format";

const SEP = " › ";
const CHANGE_KEYS: Record<ChangeKind, Key> = { added: "review.kind.added", removed: "review.kind.removed", changed: "review.kind.changed" };

/** `chapter "a" › scene "b" › title [en]` → group, field and locale. */
function splitPlace(place: string): { group: string; field: string; locale: string | null } {
  const parts = place.split(SEP);
  let last = parts.length > 1 ? parts.pop()! : parts[0];
  const group = parts.length > 0 && place.includes(SEP) ? parts.join(SEP) : last;
  const locale = /\s\[([A-Za-z0-9-]+)\]$/.exec(last);
  if (locale) last = last.slice(0, locale.index);
  return { group, field: place.includes(SEP) ? last : "", locale: locale ? locale[1] : null };
}

function groupChanges(changes: Change[]): Array<[string, Change[]]> {
  const groups = new Map<string, Change[]>();
  for (const change of changes) {
    const { group } = splitPlace(change.place);
    groups.set(group, [...(groups.get(group) ?? []), change]);
  }
  return [...groups.entries()];
}

function BlobTable({ title, blobs, testId }: { title: string; blobs: ReviewBlob[]; testId: string }) {
  const t = useT();
  const lang = useLang();
  return (
    <div class="blob-table">
      <h3>{title}</h3>
      {blobs.length === 0 ? (
        <p class="muted">{t("review.noFiles")}</p>
      ) : (
        <table class="table compact" data-testid={testId}>
          <thead>
            <tr>
              <th scope="col">{t("review.fileName")}</th>
              <th scope="col">{t("review.fileType")}</th>
              <th scope="col" class="num">{t("review.fileSize")}</th>
            </tr>
          </thead>
          <tbody>
            {blobs.map((blob) => (
              <tr key={blob.sha256}>
                <td>
                  {blob.name} <code class="muted">{blob.sha256.slice(0, 8)}</code>
                </td>
                <td>{blob.media_type}</td>
                <td class="num">{formatBytes(blob.size, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function DiffView({ review }: { review: Review }) {
  const t = useT();
  const lang = useLang();
  const groups = groupChanges(review.changes);
  return (
    <section class="diff" aria-labelledby="diff-title" data-testid="diff">
      <div class="card-head">
        <h2 id="diff-title">{t("review.changes")}</h2>
      </div>
      <dl class="diff-summary">
        <div>
          <dt>{t("review.changeCount")}</dt>
          <dd>{review.changes.length}</dd>
        </div>
        <div>
          <dt>{t("review.added")}</dt>
          <dd>{review.blobs_added.length}</dd>
        </div>
        <div>
          <dt>{t("review.removed")}</dt>
          <dd>{review.blobs_removed.length}</dd>
        </div>
        <div>
          <dt>{t("review.transfer")}</dt>
          <dd data-testid="bytes-to-transfer">{formatBytes(review.bytes_to_transfer, lang)}</dd>
        </div>
      </dl>
      {review.changes.length === 0 && <p class="empty">{t("review.noChanges")}</p>}
      {groups.map(([group, changes]) => (
        <div class="diff-group card" key={group}>
          <h3 class="diff-place">{group}</h3>
          <ul class="diff-list">
            {changes.map((change) => {
              const { field, locale } = splitPlace(change.place);
              return (
                <li key={change.place} class={`diff-row diff-${change.kind}`} data-place={change.place}>
                  <div class="diff-meta">
                    <span class={`badge badge-${change.kind}`}>{t(CHANGE_KEYS[change.kind as ChangeKind] ?? "review.kind.changed")}</span>
                    {field && <span class="diff-field">{field}</span>}
                    {locale && <span class="locale-tag">{locale}</span>}
                  </div>
                  <div class={change.before === null || change.after === null ? "diff-values single" : "diff-values"}>
                    {change.before !== null && (
                      <div class="diff-before">
                        <span class="diff-label">{t("review.before")}</span>
                        <del lang={locale ?? undefined}>{change.before}</del>
                      </div>
                    )}
                    {change.after !== null && (
                      <div class="diff-after">
                        <span class="diff-label">{t("review.after")}</span>
                        <ins lang={locale ?? undefined}>{change.after}</ins>
                      </div>
                    )}
                  </div>
                </li>
              );
            })}
          </ul>
        </div>
      ))}
      <div class="blob-tables">
        <BlobTable title={t("review.filesAdded")} blobs={review.blobs_added} testId="blobs-added" />
        <BlobTable title={t("review.filesRemoved")} blobs={review.blobs_removed} testId="blobs-removed" />
      </div>
    </section>
  );
}
