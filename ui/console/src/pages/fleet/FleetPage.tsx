// The fleet: every screen the person may see, how recently each reported, what it
// plays and whether anything needs attention; counts per status, filters, the
// alert history. Refreshed every 15 s in place (the old answer stays until the new
// one has come). Admins set where a screen stands and revoke a screen's token;
// anyone who sees a screen may take a screenshot of it.

import { useEffect, useRef, useState } from "preact/hooks";
import { listAlerts } from "../../api/routes";
import type { FleetScreen, ScreenStatus } from "../../api/types";
import { ChannelSelect } from "../../components/ChannelSelect";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Icon } from "../../components/Icon";
import { Notice } from "../../components/Notice";
import { PageHeader } from "../../components/PageHeader";
import { useLang, useT } from "../../i18n";
import { channels, chooseChannel } from "../../lib/channels";
import { PAGE_POLL_MS, refreshFleet, useFleet } from "../../lib/fleet";
import { fold, formatTime } from "../../lib/format";
import { session } from "../../lib/session";
import { useStore } from "../../lib/store";
import { useLoad } from "../../lib/use-load";
import { AlertHistory } from "./AlertHistory";
import { STATUSES, byAttention, span } from "./facts";
import { LocationDialog } from "./LocationDialog";
import { RevokeDialog } from "./RevokeDialog";
import { ScreenshotDialog } from "./ScreenshotDialog";
import { ScreenTable } from "./ScreenTable";

export function FleetPage() {
  const t = useT();
  const lang = useLang();
  const { me } = useStore(session);
  const { current } = useStore(channels);
  const { data, error } = useFleet(PAGE_POLL_MS);
  // Every channel at first (the banner's screens may be on any); choosing one here
  // chooses it in the header too, and the header's choice filters here.
  const [all, setAll] = useState(true);
  const [status, setStatus] = useState<ScreenStatus | "">("");
  const [search, setSearch] = useState("");
  const [locating, setLocating] = useState<FleetScreen | null>(null);
  const [revoking, setRevoking] = useState<FleetScreen | null>(null);
  const [shooting, setShooting] = useState<{ screen: FleetScreen; take: boolean } | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const alerts = useLoad(() => listAlerts(100), [data?.now]);

  // A success note is news, not state: it goes after a while.
  useEffect(() => {
    if (!saved) return;
    const timer = setTimeout(() => setSaved(null), 8000);
    return () => clearTimeout(timer);
  }, [saved]);

  const shownChannel = useRef(current);
  useEffect(() => {
    if (shownChannel.current !== current) setAll(false);
    shownChannel.current = current;
  }, [current]);

  const screens = data?.screens ?? [];
  const inChannel = all ? screens : screens.filter((s) => s.channel === current);
  const counts = Object.fromEntries(STATUSES.map((s) => [s, inChannel.filter((screen) => screen.status === s).length])) as Record<ScreenStatus, number>;
  const words = fold(search.trim());
  const shown = inChannel
    .filter((s) => !status || s.status === status)
    .filter((s) => !words || fold(`${s.name} ${s.location ?? ""}`).includes(words))
    .sort(byAttention);
  const history = (alerts.data?.alerts ?? []).filter((a) => all || a.channel === current);
  const summary = STATUSES.filter((s) => counts[s] > 0)
    .map((s) => t(`statusCount.${s}`, { n: counts[s] }))
    .join(" · ");

  return (
    <>
      <PageHeader title={t("fleet.title")} subtitle={t("fleet.subtitle")}>
        <button
          type="button"
          class="button"
          onClick={() => {
            void refreshFleet(true);
            alerts.reload();
          }}
        >
          {t("refresh")}
        </button>
      </PageHeader>
      {saved && <Notice kind="success" title={saved} testId="location-saved" />}
      <ErrorNotice error={error} />
      {data && (
        <>
          <div class="fleet-meta">
            <p class="fleet-counts" data-testid="fleet-counts" aria-live="polite">
              {summary || t("fleet.shown", { shown: 0, total: 0 })}
            </p>
            <p class="as-of" title={t("fleet.asOfHint", { time: span(t, data.offline_after_s) })}>
              <Icon name="clock" size={15} />
              <time dateTime={data.now} data-testid="fleet-as-of">
                {t("fleet.asOf", { time: formatTime(data.now, lang, true) })}
              </time>
            </p>
          </div>
          <ul class="status-tiles" aria-label={t("fleet.summary")}>
            {STATUSES.map((s) => (
              <li key={s}>
                <button
                  type="button"
                  class={`status-tile tile-${s}`}
                  aria-pressed={status === s}
                  onClick={() => setStatus(status === s ? "" : s)}
                  title={t("fleet.showOnly", { status: t(`status.${s}`).toLowerCase() })}
                  data-testid={`tile-${s}`}
                >
                  <span class={counts[s] ? "tile-count" : "tile-count zero"}>{counts[s]}</span>
                  <span class="tile-label">
                    <span class="dot" aria-hidden="true" />
                    {t(`status.${s}`)}
                  </span>
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
      <div class="toolbar fleet-filters" role="group" aria-label={t("fleet.filters")}>
        <ChannelSelect
          id="fleet-channel"
          label={t("fleet.channel")}
          allLabel={t("fleet.allChannels")}
          value={all ? "" : current}
          onChange={(value) => {
            if (!value) return setAll(true);
            setAll(false);
            shownChannel.current = value;
            chooseChannel(value);
          }}
        />
        <div class="field inline">
          <label for="fleet-status">{t("fleet.status")}</label>
          <select id="fleet-status" value={status} onChange={(e) => setStatus(e.currentTarget.value as ScreenStatus | "")}>
            <option value="">{t("fleet.anyStatus")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`status.${s}`)}
              </option>
            ))}
          </select>
        </div>
        <div class="field inline search-field">
          <label for="fleet-search">{t("fleet.search")}</label>
          <input id="fleet-search" type="search" value={search} placeholder={t("fleet.searchPlaceholder")} onInput={(e) => setSearch(e.currentTarget.value)} />
        </div>
        <span class="muted" data-testid="fleet-shown">
          {t("fleet.shown", { shown: shown.length, total: inChannel.length })}
        </span>
      </div>
      {data && screens.length === 0 && <p class="empty">{t("fleet.none")}</p>}
      {data && screens.length > 0 && shown.length === 0 && (
        <p class="empty">
          {t("fleet.noMatch")}{" "}
          <button
            type="button"
            class="button small"
            onClick={() => {
              setStatus("");
              setSearch("");
              setAll(true);
            }}
          >
            {t("fleet.clearFilters")}
          </button>
        </p>
      )}
      {data && shown.length > 0 && (
        <ScreenTable screens={shown} now={data.now} showChannel={all} onLocate={me?.is_admin ? setLocating : undefined} onScreenshot={(screen, take) => setShooting({ screen, take })} onRevoke={me?.is_admin ? setRevoking : undefined} />
      )}
      {!data && !error && <p class="muted">{t("loading")}</p>}
      <ErrorNotice error={alerts.error} />
      <AlertHistory alerts={history} loading={alerts.loading && !alerts.data} />
      {shooting && <ScreenshotDialog key={shooting.screen.id} screen={shooting.screen} take={shooting.take} onClose={() => setShooting(null)} />}
      {revoking && (
        <RevokeDialog
          screen={revoking}
          onClose={() => setRevoking(null)}
          onDone={(revoked) => {
            setSaved(t("fleet.revokedDone", { name: revoked.name }));
            setRevoking(null);
            void refreshFleet(true);
          }}
        />
      )}
      {locating && (
        <LocationDialog
          screen={locating}
          onClose={() => setLocating(null)}
          onDone={(screen) => {
            setSaved(t("fleet.locationSaved", { name: screen.name }));
            setLocating(null);
            void refreshFleet(true);
          }}
        />
      )}
    </>
  );
}
