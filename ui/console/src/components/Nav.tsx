// The left navigation; pages the person cannot use are left out.

import { useT } from "../i18n";
import { href, route, type Page } from "../lib/router";
import { seesAnyChannel } from "../lib/roles";
import { session } from "../lib/session";
import { useStore } from "../lib/store";
import { Icon } from "./Icon";

/** `admin`: for admins only; `viewer`: for anyone with a role on some channel. */
const ITEMS: Array<{ page: Page; admin?: boolean; viewer?: boolean }> = [
  { page: "overview" },
  { page: "fleet" },
  { page: "media" },
  { page: "story" },
  { page: "signage" },
  { page: "review" },
  { page: "releases" },
  { page: "emergency" },
  { page: "reports", viewer: true },
  { page: "audit" },
  { page: "users", admin: true },
];

export function Nav() {
  const t = useT();
  const current = useStore(route);
  const { me } = useStore(session);
  return (
    <nav class="sidenav" aria-label={t("nav.label")}>
      <ul>
        {ITEMS.filter((item) => (!item.admin || me?.is_admin) && (!item.viewer || seesAnyChannel(me))).map(({ page }) => (
          <li key={page}>
            <a href={href(page)} aria-current={current === page ? "page" : undefined} data-page={page}>
              <Icon name={page} size={20} />
              <span>{t(`nav.${page}`)}</span>
            </a>
          </li>
        ))}
      </ul>
      <p class="sidenav-foot">{t("nav.foot")}</p>
    </nav>
  );
}
