// For an approver on several channels: the channels a message goes to (checkboxes,
// "select all"), what each one's screens show now (on air with its words and times,
// withdrawn, expired), and withdrawing on the chosen ones at once after a
// confirmation naming them.

import { useEffect, useRef, useState } from "preact/hooks";
import { withdrawOnChannels } from "../../api/routes";
import type { EmergencyState } from "../../api/types";
import { ConfirmDialog } from "../../components/Dialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Icon } from "../../components/Icon";
import { useLang, useT } from "../../i18n";
import { formatDateTime, formatUntil } from "../../lib/format";
import { useAction } from "../../lib/use-action";
import { useNow } from "../../lib/use-now";
import type { IssuedOnChannels } from "../../api/types";
import type { Group } from "./use-group";

type Shown = "active" | "withdrawn" | "expired" | "none";

function shownOf(state: EmergencyState): Shown {
  if (state.active) return "active";
  if (!state.message) return "none";
  return state.message.withdrawn ? "withdrawn" : "expired";
}

/** Vietnamese, then English, then the other languages, as the form orders them. */
function rank(locale: string): number {
  const i = ["vi", "en"].indexOf(locale);
  return i < 0 ? 2 : i;
}

function StateCells({ state }: { state: EmergencyState | undefined }) {
  const t = useT();
  const lang = useLang();
  const now = useNow(15_000);
  if (!state) return <td colSpan={3}>{t("loading")}</td>;
  const shown = shownOf(state);
  const message = state.message;
  const badge = {
    active: <span class="badge badge-onair">{t("emergency.active")}</span>,
    withdrawn: <span class="badge badge-neutral">{t("emergency.withdrawnBadge")}</span>,
    expired: <span class="badge badge-neutral">{t("emergency.expiredBadge")}</span>,
    none: <span class="badge badge-neutral">{t("emergency.none")}</span>,
  }[shown];
  return (
    <>
      <td data-testid="group-state">{badge}</td>
      <td>
        {shown === "active" &&
          Object.entries(message!.text)
            .sort(([a], [b]) => rank(a) - rank(b))
            .map(([locale, words]) => (
              <p key={locale} data-locale={locale}>
                <span class="locale-tag">{locale}</span>{" "}
                <span lang={locale} data-testid="group-text">
                  {words}
                </span>
              </p>
            ))}
      </td>
      <td class="small" data-testid="group-times">
        {shown === "active" && (
          <>
            {t("emergency.issuedAt", { time: formatDateTime(message!.issued_at, lang) })}
            <br />
            {t("emergency.until", { time: formatUntil(message!.expires_at, now, lang) })}
          </>
        )}
        {shown === "withdrawn" && t("emergency.withdrawnAt", { time: formatDateTime(message!.issued_at, lang) })}
        {shown === "expired" && t("emergency.expiredAt", { time: formatDateTime(message!.expires_at, lang) })}
        {shown === "none" && "—"}
      </td>
    </>
  );
}

type Props = {
  group: Group;
  /** Just before a request goes out. */
  onSend: () => void;
  onWithdrawn: (issued: IssuedOnChannels["issued"]) => void;
};

export function ChannelGroup({ group, onSend, onWithdrawn }: Props) {
  const t = useT();
  const { offered, chosen, choose, states } = group;
  const [confirming, setConfirming] = useState(false);
  const { busy, error, run } = useAction();
  const all = useRef<HTMLInputElement>(null);
  const some = chosen.length > 0 && chosen.length < offered.length;
  useEffect(() => {
    if (all.current) all.current.indeterminate = some;
  }, [some]);
  const anyOnAir = chosen.some((name) => states?.[name]?.active);
  const names = chosen.join(", ");

  async function withdraw() {
    onSend();
    await run(async () => {
      // The confirmation closes whether the withdrawal went through or not.
      try {
        const { issued } = await withdrawOnChannels({ channels: chosen });
        onWithdrawn(issued);
      } finally {
        setConfirming(false);
      }
    });
  }

  return (
    <section class="card" aria-labelledby="em-group-title" data-testid="emergency-group">
      <div class="card-head">
        <div>
          <h2 id="em-group-title">{t("emergency.group")}</h2>
          <p class="hint">{t("emergency.groupHint")}</p>
        </div>
        <p class="muted small" aria-live="polite" data-testid="group-chosen">
          {t("emergency.groupChosen", { n: chosen.length, total: offered.length })}
        </p>
      </div>
      <ErrorNotice error={error} testId="group-error" />
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">
                <label class="check">
                  <input ref={all} type="checkbox" checked={chosen.length === offered.length} onChange={(e) => choose(e.currentTarget.checked ? offered : [])} data-testid="group-all" />
                  {t("emergency.groupAll")}
                </label>
              </th>
              <th scope="col">{t("emergency.groupState")}</th>
              <th scope="col">{t("emergency.words")}</th>
              <th scope="col">{t("emergency.groupTimes")}</th>
            </tr>
          </thead>
          <tbody>
            {offered.map((name) => {
              const state = states?.[name];
              return (
                <tr key={name} data-channel={name} data-state={state ? shownOf(state) : "loading"}>
                  <td>
                    <label class="check">
                      <input
                        type="checkbox"
                        checked={chosen.includes(name)}
                        onChange={(e) => choose(e.currentTarget.checked ? [...chosen, name] : chosen.filter((c) => c !== name))}
                        data-testid="group-channel"
                        value={name}
                      />
                      <strong>{name}</strong>
                    </label>
                  </td>
                  <StateCells state={state} />
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
      <div class="button-row">
        <button type="button" class="button" disabled={!anyOnAir} onClick={() => setConfirming(true)} data-testid="group-withdraw">
          <Icon name="undo" />
          {chosen.length === 1 ? t("emergency.groupWithdrawOne", { channel: names }) : t("emergency.groupWithdraw", { n: chosen.length })}
        </button>
      </div>
      {confirming && (
        <ConfirmDialog
          title={chosen.length === 1 ? t("emergency.withdrawTitle", { channel: names }) : t("emergency.groupWithdrawTitle", { n: chosen.length })}
          message={chosen.length === 1 ? t("emergency.withdrawMessage", { channel: names }) : t("emergency.groupWithdrawMessage", { channels: names })}
          confirm={t("emergency.withdraw")}
          busy={busy}
          onClose={() => setConfirming(false)}
          onConfirm={() => void withdraw()}
          testId="group-withdraw-confirm"
        />
      )}
    </section>
  );
}
