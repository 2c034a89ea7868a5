// The top bar: the TOP 1 ICF brand, the channel picker, the language switch and who
// is signed in.

import badge from "../../../../media/images/top1-icf-badge.svg?url";
import { setLang, useLang, useT } from "../i18n";
import { channels, chooseChannel } from "../lib/channels";
import { roleOn } from "../lib/roles";
import { session, signOut } from "../lib/session";
import { useStore } from "../lib/store";
import { Icon } from "./Icon";

export function Brand() {
  const t = useT();
  return (
    <div class="brand">
      <img src={badge} alt="" width="40" height="40" />
      <div class="brand-text">
        <span class="brand-name">{t("brand.name")}</span>
        <span class="brand-sub">{t("brand.console")}</span>
      </div>
    </div>
  );
}

export function LanguageSwitch() {
  const t = useT();
  const current = useLang();
  return (
    <div class="lang-switch" role="group" aria-label={t("lang.label")}>
      <Icon name="globe" />
      {(["vi", "en"] as const).map((code) => (
        <button
          type="button"
          key={code}
          lang={code}
          class={current === code ? "active" : ""}
          aria-pressed={current === code}
          onClick={() => setLang(code)}
          title={code === "vi" ? "Tiếng Việt" : "English"}
        >
          {code.toUpperCase()}
        </button>
      ))}
    </div>
  );
}

export function Header() {
  const t = useT();
  const { me } = useStore(session);
  const { rows, current } = useStore(channels);
  const role = roleOn(me, current);
  return (
    <header class="topbar">
      <Brand />
      <div class="topbar-tools">
        <div class="channel-picker">
          <label for="channel-picker">{t("header.channel")}</label>
          <select id="channel-picker" value={current} onChange={(e) => chooseChannel(e.currentTarget.value)}>
            {rows.length === 0 && <option value="">{t("header.noChannel")}</option>}
            {rows.map((row) => (
              <option key={row.name} value={row.name}>
                {row.name}
              </option>
            ))}
          </select>
        </div>
        <LanguageSwitch />
        {me && (
          <div class="whoami">
            <span class="whoami-name" data-testid="whoami">
              {me.name}
            </span>
            <span class="role-chip">{me.is_admin ? t("role.admin") : role ? t(`role.${role}`) : t("role.none")}</span>
            <button type="button" class="button ghost small" onClick={() => void signOut()}>
              <Icon name="logout" />
              <span>{t("header.signOut")}</span>
            </button>
          </div>
        )}
      </div>
    </header>
  );
}
