// The current channel and what the signed-in person may do on it.

import type { Me, Role } from "../api/types";
import { channels } from "./channels";
import { can, roleOn } from "./roles";
import { session } from "./session";
import { useStore } from "./store";

type ChannelAccess = {
  channel: string;
  me: Me;
  role: Role | null;
  canEdit: boolean;
  canApprove: boolean;
};

export function useChannel(): ChannelAccess {
  const { current } = useStore(channels);
  const { me } = useStore(session);
  return {
    channel: current,
    me: me!,
    role: roleOn(me, current),
    canEdit: can(me, current, "editor"),
    canApprove: can(me, current, "approver"),
  };
}
