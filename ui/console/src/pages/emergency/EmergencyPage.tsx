// The channel's emergency message: what its screens show now (the words per
// language, until when), and for approvers the form to raise a new one and a way to
// withdraw the one on air, each after a confirmation. Everyone else reads. An
// approver on several channels may choose some of them and raise or withdraw on all
// at once, and sees what each one shows.

import { useEffect, useState } from "preact/hooks";
import { getDraft, getEmergency, withdrawEmergency } from "../../api/routes";
import type { EmergencyState, LocaleInfo } from "../../api/types";
import { ConfirmDialog } from "../../components/Dialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Icon } from "../../components/Icon";
import { Notice } from "../../components/Notice";
import { PageHeader } from "../../components/PageHeader";
import { useLang, useT } from "../../i18n";
import { formatDateTime, formatTime, formatUntil, parseTime } from "../../lib/format";
import { useAction } from "../../lib/use-action";
import { useChannel } from "../../lib/use-channel";
import { useLoad } from "../../lib/use-load";
import { useNow } from "../../lib/use-now";
import { ChannelGroup } from "./ChannelGroup";
import { EmergencyPreview, type Line } from "./EmergencyPreview";
import type { IssuedOnChannels } from "../../api/types";
import { RaiseForm } from "./RaiseForm";
import { useGroup } from "./use-group";

const FIRST: LocaleInfo[] = [
  { tag: "vi", name: "Tiếng Việt" },
  { tag: "en", name: "English" },
];

/** Vietnamese and English, then the other languages of the channel's content. */
async function channelLocales(channel: string): Promise<LocaleInfo[]> {
  let others: LocaleInfo[] = [];
  try {
    others = (await getDraft(channel)).content.locales;
  } catch {
    // No draft or release yet: Vietnamese and English are enough.
  }
  const first = FIRST.map((l) => others.find((o) => o.tag === l.tag) ?? l);
  return [...first, ...others.filter((o) => !FIRST.some((f) => f.tag === o.tag))];
}

/** The words of a message in the form's order of languages, then any others. */
function linesOf(text: Record<string, string>, order: LocaleInfo[]): Line[] {
  const rank = (tag: string) => {
    const i = order.findIndex((l) => l.tag === tag);
    return i < 0 ? order.length : i;
  };
  return Object.entries(text)
    .map(([locale, words]) => ({ locale, text: words }))
    .sort((a, b) => rank(a.locale) - rank(b.locale));
}

function CurrentState({ state, locales, canWithdraw, onWithdraw }: { state: EmergencyState; locales: LocaleInfo[]; canWithdraw: boolean; onWithdraw: () => void }) {
  const t = useT();
  const lang = useLang();
  const now = useNow(15_000);
  const message = state.message;
  const names = new Map(locales.map((l) => [l.tag, l.name]));
  if (!state.active || !message) {
    return (
      <section class="card em-state em-off" aria-labelledby="em-state-title" data-testid="emergency-state" data-active="false">
        <div class="em-state-head">
          <span class="em-state-icon ok" aria-hidden="true">
            <Icon name="check" size={22} />
          </span>
          <div>
            <h2 id="em-state-title">{t("emergency.none")}</h2>
            <p class="muted">{t("emergency.noneHint", { channel: state.channel })}</p>
            {message && (
              <p class="muted small" data-testid="emergency-last">
                {message.withdrawn
                  ? t("emergency.lastWithdrawn", { time: formatDateTime(message.issued_at, lang) })
                  : t("emergency.lastExpired", { time: formatDateTime(message.expires_at, lang) })}
              </p>
            )}
          </div>
        </div>
      </section>
    );
  }
  const lines = linesOf(message.text, locales);
  const left = Math.max(1, Math.ceil((parseTime(message.expires_at).getTime() - now.getTime()) / 60_000));
  const until = formatUntil(message.expires_at, now, lang);
  return (
    <section class="card em-state em-on" aria-labelledby="em-state-title" data-testid="emergency-state" data-active="true">
      <div class="em-state-body">
        <div class="em-state-text">
          <div class="em-state-head">
            <span class="em-state-icon" aria-hidden="true">
              <Icon name="emergency" size={22} />
            </span>
            <div>
              <h2 id="em-state-title">
                <span class="badge badge-onair">
                  <span class="dot" aria-hidden="true" />
                  {t("emergency.active")}
                </span>{" "}
                <span data-testid="emergency-until">{t("emergency.until", { time: until })}</span>
              </h2>
              <p class="muted">{t("emergency.activeLine", { channel: state.channel, time: until })}</p>
            </div>
          </div>
          <dl class="em-lines" aria-label={t("emergency.texts")}>
            {lines.map((line) => (
              <div key={line.locale} data-locale={line.locale}>
                <dt>
                  {names.get(line.locale) ?? line.locale} <span class="locale-tag">{line.locale}</span>
                </dt>
                <dd lang={line.locale} data-testid="emergency-text">
                  {line.text}
                </dd>
              </div>
            ))}
          </dl>
          <p class="em-times muted small">
            {t("emergency.issuedAt", { time: formatDateTime(message.issued_at, lang) })} · {t("emergency.minutesLeft", { n: left })}
          </p>
          {canWithdraw && (
            <div class="button-row">
              <button type="button" class="button" onClick={onWithdraw} data-testid="withdraw">
                <Icon name="undo" />
                {t("emergency.withdraw")}
              </button>
            </div>
          )}
        </div>
        <EmergencyPreview lines={lines} time={formatTime(message.issued_at, lang)} caption={t("emergency.onAirCaption", { channel: state.channel })} testId="on-air-preview" />
      </div>
    </section>
  );
}

export function EmergencyPage() {
  const t = useT();
  const lang = useLang();
  const { channel, canApprove } = useChannel();
  const { data, error, reload } = useLoad(() => (channel ? getEmergency(channel) : Promise.resolve(null)), [channel]);
  const locales = useLoad(() => (channel ? channelLocales(channel) : Promise.resolve(FIRST)), [channel]);
  const [done, setDone] = useState<string | null>(null);
  const [withdrawing, setWithdrawing] = useState(false);
  const { busy, error: failure, setError: setFailure, run } = useAction();
  const group = useGroup();
  const reloadAll = () => {
    reload();
    group.reload();
  };

  // Others may raise or withdraw too, and a message comes down by itself: look again
  // every 30 s, and just after the one on air expires.
  useEffect(() => {
    const every = setInterval(reloadAll, 30_000);
    const expires = data?.active && data.message ? parseTime(data.message.expires_at).getTime() - Date.now() + 1000 : null;
    const atExpiry = expires !== null && expires < 2 ** 31 - 1 ? setTimeout(reload, Math.max(1000, expires)) : undefined;
    return () => {
      clearInterval(every);
      clearTimeout(atExpiry);
    };
  }, [data?.message?.expires_at, data?.active]);
  useEffect(() => {
    setDone(null);
    setFailure(null);
  }, [channel]);

  async function withdraw() {
    setDone(null);
    await run(async () => {
      // The confirmation closes whether the withdrawal went through or not.
      try {
        await withdrawEmergency(channel);
        setDone(t("emergency.withdrawn"));
        reloadAll();
      } finally {
        setWithdrawing(false);
      }
    });
  }

  function raised(issued: IssuedOnChannels["issued"]) {
    const names = Object.keys(issued);
    const time = formatUntil(Object.values(issued)[0]?.expires_at, new Date(), lang);
    setDone(names.length === 1 && names[0] === channel ? t("emergency.raised", { time }) : t("emergency.raisedGroup", { channels: names.join(", "), time }));
    reloadAll();
  }

  const order = locales.data ?? FIRST;
  if (!channel) {
    return (
      <>
        <PageHeader title={t("emergency.title")} />
        <p class="empty">{t("overview.none")}</p>
      </>
    );
  }
  return (
    <>
      <PageHeader title={t("emergency.title")} subtitle={t("emergency.subtitle", { channel })} />
      {done && <Notice kind="success" title={done} testId="emergency-done" />}
      <ErrorNotice error={failure ?? error} />
      {data && <CurrentState state={data} locales={order} canWithdraw={canApprove} onWithdraw={() => setWithdrawing(true)} />}
      {!data && !error && <p class="muted">{t("loading")}</p>}
      {canApprove && group.offered.length > 0 && (
        <ChannelGroup
          group={group}
          onSend={() => {
            setDone(null);
            setFailure(null);
          }}
          onWithdrawn={(issued) => {
            setDone(t("emergency.groupWithdrawn", { channels: Object.keys(issued).join(", ") }));
            reloadAll();
          }}
        />
      )}
      {canApprove ? (
        locales.data && (
          <RaiseForm
            key={channel}
            channels={group.chosen}
            locales={locales.data}
            active={(!!data?.active && group.chosen.includes(channel)) || group.chosen.some((c) => group.states?.[c]?.active)}
            onSend={() => {
              setDone(null);
              setFailure(null);
            }}
            onRaised={raised}
          />
        )
      ) : (
        <Notice kind="info" title={t("emergency.readOnly")} testId="emergency-read-only" />
      )}
      {withdrawing && (
        <ConfirmDialog
          title={t("emergency.withdrawTitle", { channel })}
          message={t("emergency.withdrawMessage", { channel })}
          confirm={t("emergency.withdraw")}
          busy={busy}
          onClose={() => setWithdrawing(false)}
          onConfirm={() => void withdraw()}
          testId="withdraw-confirm"
        />
      )}
    </>
  );
}
