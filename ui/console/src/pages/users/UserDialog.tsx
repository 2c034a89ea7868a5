// Adds a person, changes their roles, or sets a new password (which also unlocks).

import { useState } from "preact/hooks";
import { changeUser, createUser } from "../../api/routes";
import type { RoleGrant, User } from "../../api/types";
import { Dialog } from "../../components/Dialog";
import { ErrorNotice } from "../../components/ErrorNotice";
import { useT } from "../../i18n";
import { useAction } from "../../lib/use-action";
import { RolesEditor } from "./RolesEditor";

export type UserDialogMode = { kind: "add" } | { kind: "roles"; user: User } | { kind: "password"; user: User };

export function UserDialog({ mode, channels, onDone, onClose }: { mode: UserDialogMode; channels: string[]; onDone: (user: User) => void; onClose: () => void }) {
  const t = useT();
  const user = mode.kind === "add" ? null : mode.user;
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [isAdmin, setIsAdmin] = useState(user?.is_admin ?? false);
  const [roles, setRoles] = useState<RoleGrant[]>(user?.roles ?? []);
  const { busy, error, run } = useAction();
  const short = mode.kind !== "roles" && password.length > 0 && password.length < 10;

  async function submit(event: Event) {
    event.preventDefault();
    await run(async () => {
      const saved =
        mode.kind === "add"
          ? await createUser({ name: name.trim(), password, is_admin: isAdmin, roles })
          : mode.kind === "roles"
            ? await changeUser(mode.user.name, { is_admin: isAdmin, roles })
            : await changeUser(mode.user.name, { is_admin: mode.user.is_admin, roles: mode.user.roles, password });
      onDone(saved);
    });
  }

  const title =
    mode.kind === "add" ? t("users.add") : mode.kind === "roles" ? t("users.rolesOf", { name: mode.user.name }) : t("users.passwordOf", { name: mode.user.name });
  return (
    <Dialog title={title} onClose={onClose} testId="user-dialog">
      <form class="form" onSubmit={submit}>
        <ErrorNotice error={error} testId="user-error" />
        {mode.kind === "add" && (
          <div class="field">
            <label for="user-name">{t("users.name")}</label>
            <input id="user-name" value={name} autoComplete="off" required onInput={(e) => setName(e.currentTarget.value)} aria-describedby="user-name-hint" />
            <p id="user-name-hint" class="hint">
              {t("users.nameHint")}
            </p>
          </div>
        )}
        {mode.kind !== "roles" && (
          <div class={short ? "field invalid" : "field"}>
            <label for="user-password">{mode.kind === "add" ? t("signin.password") : t("users.newPassword")}</label>
            <input
              id="user-password"
              type="password"
              autoComplete="new-password"
              value={password}
              required
              onInput={(e) => setPassword(e.currentTarget.value)}
              aria-describedby="user-password-hint"
            />
            <p id="user-password-hint" class={short ? "field-error" : "hint"}>
              {mode.kind === "password" ? t("users.passwordUnlocks") : t("users.passwordHint")}
            </p>
          </div>
        )}
        {mode.kind !== "password" && (
          <>
            <label class="check">
              <input type="checkbox" checked={isAdmin} onChange={(e) => setIsAdmin(e.currentTarget.checked)} />
              {t("users.isAdmin")}
            </label>
            <RolesEditor roles={roles} channels={channels} onChange={setRoles} />
          </>
        )}
        <div class="dialog-actions inline">
          <button type="button" class="button" onClick={onClose}>
            {t("cancel")}
          </button>
          <button type="submit" class="button primary" disabled={busy}>
            {mode.kind === "add" ? t("users.create") : t("save.save")}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
