// A screen's screenshots: take one now (the screen captures its window and sends it
// within seconds when it holds its live link), the newest large with when the
// screen took it (its own clock) and when it arrived, the earlier ones as thumbnails.

import { useEffect, useState } from "preact/hooks";
import { askScreenshot, listScreenshots, screenshotUrl } from "../../api/routes";
import type { FleetScreen, ScreenshotAsked, ScreenshotInfo } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Icon } from "../../components/Icon";
import { Notice } from "../../components/Notice";
import { useLang, useT } from "../../i18n";
import { formatBytes, formatDateTime } from "../../lib/format";
import { useAction } from "../../lib/use-action";
import { useLoad } from "../../lib/use-load";

/** How often the list is asked again while a screenshot is awaited. */
const POLL_MS = 2000;
/** After this, the screen is taken not to answer. */
const GIVE_UP_MS = 45_000;

type Waiting = { asked: ScreenshotAsked; since: number };

export function ScreenshotDialog({ screen, take, onClose }: { screen: FleetScreen; take: boolean; onClose: () => void }) {
  const t = useT();
  const lang = useLang();
  const [tick, setTick] = useState(0);
  const list = useLoad(() => listScreenshots(screen.id), [screen.id, tick]);
  const { busy, error, run } = useAction();
  const [waiting, setWaiting] = useState<Waiting | null>(null);
  const [gaveUp, setGaveUp] = useState(false);
  const [chosen, setChosen] = useState<number | null>(null);

  async function takeOne() {
    setGaveUp(false);
    await run(async () => {
      const asked = await askScreenshot(screen.id);
      setWaiting({ asked, since: Date.now() });
    });
  }

  useEffect(() => {
    if (take) void takeOne();
  }, []);

  const shots = list.data?.screenshots ?? [];
  const arrived = waiting ? shots.find((s) => s.request === waiting.asked.request) : undefined;

  // While a screenshot is awaited, ask for the list again every few seconds.
  useEffect(() => {
    if (!waiting) return;
    if (arrived) {
      setWaiting(null);
      setChosen(arrived.id);
      return;
    }
    if (Date.now() - waiting.since > GIVE_UP_MS) {
      setWaiting(null);
      setGaveUp(true);
      return;
    }
    const timer = setTimeout(() => setTick((n) => n + 1), POLL_MS);
    return () => clearTimeout(timer);
  }, [waiting, arrived, list.data]);

  const shown = shots.find((s) => s.id === chosen) ?? shots[0] ?? null;
  const kind = (shot: ScreenshotInfo) => (shot.request === "scheduled" ? t("shots.scheduled") : t("shots.asked"));

  return (
    <Dialog
      title={t("shots.title", { name: screen.name })}
      onClose={onClose}
      wide
      testId="screenshot-dialog"
      actions={
        <>
          <button type="button" class="button" onClick={onClose}>
            {t("close")}
          </button>
          <button type="button" class="button primary" onClick={() => void takeOne()} disabled={busy || waiting !== null} data-testid="take-screenshot-again">
            <Icon name="camera" size={16} />
            {t("shots.take")}
          </button>
        </>
      }
    >
      <ErrorNotice error={error} testId="screenshot-error" />
      <ErrorNotice error={list.error} />
      {waiting && (
        <p class="shot-waiting" role="status" data-testid="screenshot-waiting">
          <span class="spinner" aria-hidden="true" />
          {t("shots.waiting")}
        </p>
      )}
      {waiting && !waiting.asked.streaming && <Notice kind="warning" title={t("shots.noLink")} testId="screenshot-no-link" />}
      {gaveUp && <Notice kind="warning" title={t("shots.noAnswer")} testId="screenshot-no-answer" />}
      {!shown && !list.loading && !waiting && <p class="empty">{t("shots.none")}</p>}
      {shown && (
        <figure class="shot-main" data-testid="screenshot-shown" data-id={shown.id}>
          <a href={screenshotUrl(screen.id, shown.id)} target="_blank" rel="noopener" title={t("shots.fullSize")}>
            <img src={screenshotUrl(screen.id, shown.id)} alt={t("shots.alt", { name: screen.name, time: formatDateTime(shown.taken_at, lang, true) })} width={shown.width} height={shown.height} />
          </a>
          <figcaption>
            <span class="chip">{kind(shown)}</span>
            <span data-testid="screenshot-taken">
              {t("shots.takenAt", { time: formatDateTime(shown.taken_at, lang, true) })}
            </span>
            <span class="muted" data-testid="screenshot-received">
              {t("shots.receivedAt", { time: formatDateTime(shown.received_at, lang, true) })}
            </span>
            <span class="muted">
              {shown.width}×{shown.height} · {formatBytes(shown.bytes, lang)}
            </span>
          </figcaption>
        </figure>
      )}
      {shots.length > 1 && (
        <section aria-label={t("shots.earlier")}>
          <h3 class="shot-heading">{t("shots.earlier")}</h3>
          <ul class="shot-strip" data-testid="screenshot-thumbnails">
            {shots.map((shot) => (
              <li key={shot.id}>
                <button type="button" class="shot-thumb" aria-pressed={shot.id === shown?.id} onClick={() => setChosen(shot.id)} title={kind(shot)}>
                  <img src={screenshotUrl(screen.id, shot.id)} alt="" loading="lazy" />
                  <span>{formatDateTime(shot.taken_at, lang, true)}</span>
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </Dialog>
  );
}
