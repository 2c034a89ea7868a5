// The channels one emergency message can go to: those the signed-in person approves
// on (offered only when there are two or more), the ones chosen (the current channel
// at first), and the state of each offered channel, loaded together.

import { useEffect, useState } from "preact/hooks";
import { getEmergency } from "../../api/routes";
import type { EmergencyState } from "../../api/types";
import { channels as channelStore } from "../../lib/channels";
import { can } from "../../lib/roles";
import { useChannel } from "../../lib/use-channel";
import { useLoad } from "../../lib/use-load";
import { useStore } from "../../lib/store";

export type Group = {
  /** Channels to choose from; empty when the person approves on one channel only. */
  offered: string[];
  /** The channels a message goes to, in the order offered. */
  chosen: string[];
  choose: (channels: string[]) => void;
  /** The state of each offered channel, by name. */
  states: Record<string, EmergencyState> | null;
  reload: () => void;
};

async function statesOf(names: string[]): Promise<Record<string, EmergencyState>> {
  const states = await Promise.all(names.map((name) => getEmergency(name)));
  return Object.fromEntries(states.map((state) => [state.channel, state]));
}

export function useGroup(): Group {
  const { channel, me, canApprove } = useChannel();
  const { rows } = useStore(channelStore);
  const approved = rows.map((row) => row.name).filter((name) => can(me, name, "approver"));
  const offered = canApprove && approved.length > 1 ? approved : [];
  const [chosen, setChosen] = useState<string[]>(canApprove && channel ? [channel] : []);
  useEffect(() => setChosen(canApprove && channel ? [channel] : []), [channel, canApprove]);
  const { data, reload } = useLoad(() => (offered.length ? statesOf(offered) : Promise.resolve(null)), [offered.join("\n")]);
  const choose = (names: string[]) => setChosen(approved.filter((name) => names.includes(name)));
  return { offered, chosen: offered.length ? chosen : chosen.filter((name) => name === channel), choose, states: data, reload };
}
