// A person's roles: one row per channel (or every channel, "*"), each with its role.

import type { Role, RoleGrant } from "../../api/types";
import { Icon } from "../../components/Icon";
import { useT } from "../../i18n";

const ROLES: Role[] = ["viewer", "editor", "approver"];

export function RolesEditor({ roles, channels, onChange }: { roles: RoleGrant[]; channels: string[]; onChange: (roles: RoleGrant[]) => void }) {
  const t = useT();
  const options = ["*", ...channels];
  const set = (i: number, grant: RoleGrant) => onChange(roles.map((g, j) => (j === i ? grant : g)));
  return (
    <fieldset class="roles-editor">
      <legend>{t("users.roles")}</legend>
      {roles.length === 0 && <p class="muted">{t("users.noRoles")}</p>}
      {roles.map((grant, i) => (
        <div class="role-row" key={i}>
          <div class="field">
            <label for={`grant-channel-${i}`}>{t("users.channel")}</label>
            <select id={`grant-channel-${i}`} value={grant.channel} onChange={(e) => set(i, { ...grant, channel: e.currentTarget.value })}>
              {[...new Set([...options, grant.channel])].map((c) => (
                <option key={c} value={c}>
                  {c === "*" ? t("users.everyChannel") : c}
                </option>
              ))}
            </select>
          </div>
          <div class="field">
            <label for={`grant-role-${i}`}>{t("users.role")}</label>
            <select id={`grant-role-${i}`} value={grant.role} onChange={(e) => set(i, { ...grant, role: e.currentTarget.value as Role })}>
              {ROLES.map((role) => (
                <option key={role} value={role}>
                  {t(`role.${role}`)}
                </option>
              ))}
            </select>
          </div>
          <button type="button" class="icon-button danger-text" onClick={() => onChange(roles.filter((_, j) => j !== i))} aria-label={t("users.removeRole", { n: i + 1 })}>
            <Icon name="trash" />
          </button>
        </div>
      ))}
      <button type="button" class="button small" onClick={() => onChange([...roles, { channel: channels[0] ?? "*", role: "viewer" }])}>
        <Icon name="plus" />
        {t("users.addRole")}
      </button>
      <p class="hint">{t("users.rolesHint")}</p>
    </fieldset>
  );
}
