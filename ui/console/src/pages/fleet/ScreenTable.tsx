// The screens as a table (as cards on a narrow window): status, when each last
// reported, its release against the channel's, what it shows, its disk, its errors;
// a screenshot of each taken on request, and those taken before; admins revoke a
// screen's token.

import type { FleetScreen, ScreenStatus } from "../../api/types";
import { Icon } from "../../components/Icon";
import { useLang, useT } from "../../i18n";
import { formatBytes, formatDateTime, formatTime } from "../../lib/format";
import { LOW_DISK_BYTES, ago, isBehind, onScreen, secondsBetween } from "./facts";

function StatusBadge({ status }: { status: ScreenStatus }) {
  const t = useT();
  return (
    <span class={`badge status-${status}`} data-testid="screen-status" data-status={status}>
      <span class="dot" aria-hidden="true" />
      {t(`status.${status}`)}
    </span>
  );
}

type Props = {
  screens: FleetScreen[];
  /** The server's time of the answer: ages are counted from it, not from this computer's clock. */
  now: string;
  /** A column for the channel (when more than one is shown). */
  showChannel: boolean;
  /** Admins: set where a screen stands. */
  onLocate?: (screen: FleetScreen) => void;
  /** Take a screenshot of a screen now (`take`), or look at those it sent. */
  onScreenshot: (screen: FleetScreen, take: boolean) => void;
  /** Admins: revoke a screen's token. */
  onRevoke?: (screen: FleetScreen) => void;
};

function Row({ screen, now, showChannel, onLocate, onScreenshot, onRevoke }: Omit<Props, "screens"> & { screen: FleetScreen }) {
  const t = useT();
  const lang = useLang();
  const hb = screen.heartbeat;
  const age = secondsBetween(screen.last_seen, now);
  const showing = onScreen(hb);
  const free = hb?.free_disk_bytes ?? null;
  const low = free !== null && free < LOW_DISK_BYTES;
  const version = hb?.release_version ?? null;
  const app = hb?.app_version?.trim() || null;
  const failed = hb?.failed_rounds ?? 0;
  return (
    <tr data-screen={screen.id} data-name={screen.name} data-status={screen.status} class={`screen-row row-${screen.status}`}>
      <th scope="row" class="screen-cell">
        <span class="screen-name">{screen.name}</span>
        <span class="screen-location" data-testid="screen-location">
          <Icon name="pin" size={14} />
          {screen.location?.trim() ? screen.location : <span class="muted">{t("fleet.noLocation")}</span>}
          {onLocate && (
            <button
              type="button"
              class="icon-button small-icon"
              onClick={() => onLocate(screen)}
              aria-label={t("fleet.setLocationOf", { name: screen.name })}
              title={t("fleet.setLocationOf", { name: screen.name })}
              data-testid="set-location"
            >
              <Icon name="edit" size={15} />
            </button>
          )}
        </span>
        <span class="screen-actions">
          <button type="button" class="button small" onClick={() => onScreenshot(screen, true)} data-testid="take-screenshot" title={t("shots.takeHint")}>
            <Icon name="camera" size={15} />
            {t("shots.take")}
          </button>
          <button type="button" class="button ghost small" onClick={() => onScreenshot(screen, false)} data-testid="show-screenshots">
            {t("shots.show")}
          </button>
          {screen.token_revoked_at ? (
            <span class="badge badge-locked" title={t("fleet.revokedHint", { time: formatDateTime(screen.token_revoked_at, lang, true) })} data-testid="token-revoked">
              {t("fleet.revoked")}
            </span>
          ) : (
            onRevoke && (
              <button type="button" class="button ghost small" onClick={() => onRevoke(screen)} data-testid="revoke-token">
                {t("fleet.revoke")}
              </button>
            )
          )}
        </span>
      </th>
      {showChannel && (
        <td data-label={t("fleet.channel")}>
          <span class="chip">{screen.channel}</span>
        </td>
      )}
      <td data-label={t("fleet.status")}>
        <div class="status-cell">
          <StatusBadge status={screen.status} />
          {screen.streaming ? (
            <span class="stream on" title={t("fleet.streamHint")} data-testid="streaming" data-streaming="true">
              <Icon name="stream" size={15} />
              {t("fleet.streaming")}
            </span>
          ) : (
            <span class="stream" title={t("fleet.noStreamHint")} data-testid="streaming" data-streaming="false">
              {t("fleet.notStreaming")}
            </span>
          )}
        </div>
      </td>
      <td data-label={t("fleet.lastSeen")} data-testid="last-seen" class="nowrap">
        {age === null ? (
          <span class="muted">{t("fleet.never")}</span>
        ) : (
          <time dateTime={screen.last_seen ?? undefined} title={formatDateTime(screen.last_seen, lang, true)} class="has-title">
            {ago(t, age)}
          </time>
        )}
      </td>
      <td data-label={t("fleet.release")} data-testid="release">
        {version === null ? (
          <span class="muted">{hb ? t("fleet.noRelease") : "—"}</span>
        ) : (
          <span class="release-cell" title={screen.live_version != null ? t("fleet.liveIs", { v: screen.live_version }) : undefined}>
            <strong>v{version}</strong>
            {isBehind(screen) ? (
              <span class="badge badge-review" data-testid="behind">
                {t("fleet.behind", { v: screen.live_version ?? "" })}
              </span>
            ) : (
              screen.live_version != null && <span class="muted small">{t("fleet.latest")}</span>
            )}
          </span>
        )}
      </td>
      <td data-label={t("fleet.onScreen")} class="on-screen" data-testid="on-screen">
        {showing ? (
          <span title={showing.since ? t("fleet.sinceItem", { time: formatTime(showing.since, lang, true) }) : undefined}>
            {showing.playlist && <span class="muted">{showing.playlist} / </span>}
            {showing.item ?? "—"}
          </span>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
      <td data-label={t("fleet.disk")} class="num" data-testid="disk">
        {free === null ? (
          <span class="muted">—</span>
        ) : (
          <span class={low ? "disk low" : "disk"} title={low ? t("fleet.lowDiskHint") : undefined}>
            {low && <Icon name="warning" size={14} />}
            {formatBytes(free, lang)}
            {low && <span class="visually-hidden"> ({t("fleet.lowDisk")})</span>}
          </span>
        )}
      </td>
      <td data-label={t("fleet.lastError")} class="last-error" data-testid="last-error">
        {hb?.last_error ? (
          <span class="error-text" title={hb.last_error}>
            {hb.last_error}
          </span>
        ) : (
          <span class="muted">—</span>
        )}
        {failed > 0 && <span class="hint small">{t("fleet.failedRounds", { n: failed })}</span>}
      </td>
      <td data-label={t("fleet.app")} class="nowrap">
        {app ? <code>{app}</code> : <span class="muted">—</span>}
      </td>
    </tr>
  );
}

export function ScreenTable({ screens, now, showChannel, onLocate, onScreenshot, onRevoke }: Props) {
  const t = useT();
  return (
    <div class="table-wrap card flush fleet-wrap">
      <table class="table fleet-table stack-table" data-testid="fleet">
        <caption class="visually-hidden">{t("fleet.table")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("fleet.screen")}</th>
            {showChannel && <th scope="col">{t("fleet.channel")}</th>}
            <th scope="col">{t("fleet.status")}</th>
            <th scope="col">{t("fleet.lastSeen")}</th>
            <th scope="col">{t("fleet.release")}</th>
            <th scope="col">{t("fleet.onScreen")}</th>
            <th scope="col" class="num">
              {t("fleet.disk")}
            </th>
            <th scope="col">{t("fleet.lastError")}</th>
            <th scope="col">{t("fleet.app")}</th>
          </tr>
        </thead>
        <tbody>
          {screens.map((screen) => (
            <Row key={screen.id} screen={screen} now={now} showChannel={showChannel} onLocate={onLocate} onScreenshot={onScreenshot} onRevoke={onRevoke} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
