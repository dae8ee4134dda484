/**
 * The shapes of the channels and teams API (contract/src/api/channels.ts and teams.ts) as the
 * console reads and sends them, and the realtime `channel.state` event's data.
 */

import type {
  ChannelChangesBody,
  ChannelCreateBody,
  ChannelProvider,
  ChannelState,
  ChannelView,
} from '@whatsapp-helpdesk/contract/api';

export { CHANNEL_STATES } from '@whatsapp-helpdesk/contract/api';
export type {
  ChannelBotTexts,
  ChannelChangesBody,
  ChannelOverrides,
  ChannelProvider,
  ChannelQr,
  ChannelState,
  ChannelTestResult,
  ChannelView,
  Team,
} from '@whatsapp-helpdesk/contract/api';

/** `POST /api/channels` body. */
export type NewChannelBody = ChannelCreateBody;

type Settings = NonNullable<ChannelView['settings']>;
/** A WPPConnect channel's non-secret settings. */
export type WppconnectChannelSettings = Extract<Settings, { session: string }>;
/** A Cloud API channel's non-secret settings. */
export type CloudChannelSettings = Extract<Settings, { phoneNumberId: string }>;

/** The WPPConnect part of a PATCH body. */
export type WppconnectChanges = NonNullable<ChannelChangesBody['wppconnect']>;
/** The Cloud API part of a PATCH body. */
export type CloudChanges = NonNullable<ChannelChangesBody['cloud']>;

/** The realtime `channel.state` event's data (INTERFACES A). */
export interface ChannelStateEvent {
  channelId: string;
  /** The channel's key. */
  channel: string;
  name: string;
  provider: ChannelProvider;
  state: ChannelState;
  phone: string | null;
  since: string | null;
  detail: string | null;
}
