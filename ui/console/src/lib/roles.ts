// What a signed-in person may do, from Me.roles: roles per channel (or "*"), each
// including the ones below it; an admin is an approver everywhere. The server is the
// real guard; the console only hides what would be refused.

import type { Me, Role } from "../api/types";

const RANK: Record<Role, number> = { viewer: 1, editor: 2, approver: 3 };

export function roleOn(me: Me | null, channel: string): Role | null {
  if (!me) return null;
  if (me.is_admin) return "approver";
  let best: Role | null = null;
  for (const grant of me.roles) {
    if (grant.channel !== channel && grant.channel !== "*") continue;
    if (best === null || RANK[grant.role] > RANK[best]) best = grant.role;
  }
  return best;
}

export function can(me: Me | null, channel: string, needs: Role): boolean {
  const role = roleOn(me, channel);
  return role !== null && RANK[role] >= RANK[needs];
}

/** Whether the person has a role on some channel (or administers): reports are for them. */
export function seesAnyChannel(me: Me | null): boolean {
  return !!me && (me.is_admin || me.roles.length > 0);
}

/** Whether the person may see this channel at all. */
export function seesChannel(me: Me | null, channel: string): boolean {
  return roleOn(me, channel) !== null;
}
