/**
 * A choice of one WhatsApp number (by its key) or none ("every number", "any"), from the
 * workspace's list of channels.
 */
import type { ChannelView } from '../../channel-types';
import { useChannels } from '../../useChannels';

/**
 * @param value a channel's key, '' for none; `noneLabel` the words for none (already translated);
 *   `onChange` gets the chosen key, '' for none.
 */
export function ChannelSelect({
  value,
  noneLabel,
  onChange,
}: {
  value: ChannelView['key'] | '';
  noneLabel: string;
  onChange: (key: ChannelView['key'] | '') => void;
}) {
  const { list: channels } = useChannels();
  return (
    <select value={value} onChange={(event) => onChange(event.target.value)}>
      <option value="">{noneLabel}</option>
      {(channels ?? []).map((channel) => (
        <option key={channel.id} value={channel.key}>
          {channel.name}
        </option>
      ))}
    </select>
  );
}
