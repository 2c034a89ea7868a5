// Above every page: the screens that went offline (the fleet's open alerts), named,
// with a way to the fleet page. Polled every 30 s, shared with the fleet page.

import { useT } from "../i18n";
import { BANNER_POLL_MS, useFleet } from "../lib/fleet";
import { href, route } from "../lib/router";
import { useStore } from "../lib/store";
import { Icon } from "./Icon";

/** Screens named in the sentence; the rest are counted. */
const NAMED = 3;

export function FleetBanner() {
  const t = useT();
  const page = useStore(route);
  const { data } = useFleet(BANNER_POLL_MS);
  const alerts = data?.alerts ?? [];
  if (alerts.length === 0) return null;
  const where = new Map((data?.screens ?? []).map((s) => [s.id, s.location]));
  const named = alerts.slice(0, NAMED).map((alert) => {
    const location = where.get(alert.device)?.trim();
    return `${alert.device_name}${location ? ` – ${location}` : ""} (${alert.channel})`;
  });
  const rest = alerts.length - named.length;
  return (
    <section class="fleet-banner" aria-label={t("banner.label")} data-testid="fleet-banner">
      <Icon name="warning" size={22} />
      <p role="status">
        <strong>{alerts.length === 1 ? t("banner.one") : t("banner.many", { n: alerts.length })}</strong>{" "}
        <span data-testid="fleet-banner-names">
          {named.join(", ")}
          {rest > 0 && `, ${t("banner.more", { n: rest })}`}
        </span>
      </p>
      {page !== "fleet" && (
        <a class="button small" href={href("fleet")}>
          <Icon name="fleet" />
          {t("banner.link")}
        </a>
      )}
    </section>
  );
}
