// Staff accounts (admins only): roles per channel, locked state, new passwords.

import { useState } from "preact/hooks";
import { listUsers } from "../../api/routes";
import type { User } from "../../api/types";
import { ErrorNotice } from "../../components/ErrorNotice";
import { Icon } from "../../components/Icon";
import { Notice } from "../../components/Notice";
import { PageHeader } from "../../components/PageHeader";
import { useLang, useT } from "../../i18n";
import { channels } from "../../lib/channels";
import { formatDateTime } from "../../lib/format";
import { useStore } from "../../lib/store";
import { useLoad } from "../../lib/use-load";
import { UserDialog, type UserDialogMode } from "./UserDialog";

function isLocked(user: User): boolean {
  return !!user.locked_until && new Date(user.locked_until).getTime() > Date.now();
}

export function UsersPage() {
  const t = useT();
  const lang = useLang();
  const { rows } = useStore(channels);
  const { data, error, reload } = useLoad(() => listUsers(), []);
  const [mode, setMode] = useState<UserDialogMode | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const users = data?.users ?? [];

  return (
    <>
      <PageHeader title={t("users.title")} subtitle={t("users.subtitle")}>
        <button type="button" class="button primary" onClick={() => setMode({ kind: "add" })}>
          <Icon name="plus" />
          {t("users.add")}
        </button>
      </PageHeader>
      {saved && <Notice kind="success" title={saved} testId="user-saved" />}
      <ErrorNotice error={error} />
      <div class="table-wrap card flush">
        <table class="table" data-testid="users">
          <caption class="visually-hidden">{t("users.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("users.name")}</th>
              <th scope="col">{t("users.roles")}</th>
              <th scope="col">{t("users.state")}</th>
              <th scope="col">{t("users.created")}</th>
              <th scope="col"><span class="visually-hidden">{t("actions")}</span></th>
            </tr>
          </thead>
          <tbody>
            {users.map((user) => (
              <tr key={user.name} data-user={user.name}>
                <td>
                  <strong>{user.name}</strong> {user.is_admin && <span class="badge badge-admin">{t("role.admin")}</span>}
                </td>
                <td>
                  {user.roles.length === 0 && !user.is_admin && <span class="muted">{t("users.noRoles")}</span>}
                  <ul class="chips">
                    {user.roles.map((g) => (
                      <li key={`${g.channel}-${g.role}`} class="chip">
                        {t(`role.${g.role}`)} · {g.channel === "*" ? t("users.everyChannel") : g.channel}
                      </li>
                    ))}
                  </ul>
                </td>
                <td data-testid="user-state">
                  {isLocked(user) ? (
                    <span class="badge badge-locked">
                      <Icon name="lock" size={14} />
                      {t("users.lockedUntil", { until: formatDateTime(user.locked_until, lang) })}
                    </span>
                  ) : user.failed_logins > 0 ? (
                    <span class="badge badge-review">{t("users.failed", { n: user.failed_logins })}</span>
                  ) : (
                    <span class="badge badge-live">{t("users.active")}</span>
                  )}
                </td>
                <td class="nowrap">{formatDateTime(user.created_at, lang)}</td>
                <td class="row-actions">
                  <button type="button" class="button small" onClick={() => setMode({ kind: "roles", user })} aria-label={t("users.rolesOf", { name: user.name })}>
                    <Icon name="edit" />
                    {t("users.rolesButton")}
                  </button>
                  <button type="button" class="button small" onClick={() => setMode({ kind: "password", user })} aria-label={t("users.passwordOf", { name: user.name })}>
                    <Icon name="key" />
                    {t("users.passwordButton")}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {mode && (
        <UserDialog
          mode={mode}
          channels={rows.map((r) => r.name)}
          onClose={() => setMode(null)}
          onDone={(user) => {
            setSaved(mode.kind === "add" ? t("users.added", { name: user.name }) : t("users.changed", { name: user.name }));
            setMode(null);
            reload();
          }}
        />
      )}
    </>
  );
}
