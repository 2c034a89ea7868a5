// A channel to filter by among those the person may see, or every channel (the
// value "").

import { channels } from "../lib/channels";
import { useStore } from "../lib/store";

export function ChannelSelect({
  id,
  label,
  allLabel,
  value,
  onChange,
}: {
  id: string;
  label: string;
  /** The words of the first choice, every channel. */
  allLabel: string;
  value: string;
  onChange: (channel: string) => void;
}) {
  const { rows } = useStore(channels);
  return (
    <div class="field inline">
      <label for={id}>{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.currentTarget.value)}>
        <option value="">{allLabel}</option>
        {rows.map((row) => (
          <option key={row.name} value={row.name}>
            {row.name}
          </option>
        ))}
      </select>
    </div>
  );
}
