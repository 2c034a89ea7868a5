// The state of a channel's draft as a coloured badge with words (never colour alone).

import { useT } from "../i18n";

export function StateBadge({ state }: { state: string | null }) {
  const t = useT();
  if (state === null) return <span class="badge badge-neutral">{t("draft.none")}</span>;
  return (
    <span class={state === "in_review" ? "badge badge-review" : "badge badge-editing"} data-testid="draft-state">
      {state === "in_review" ? t("draft.inReview") : t("draft.editing")}
    </span>
  );
}
