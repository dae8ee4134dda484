/**
 * The states of a WhatsApp session (the machine itself is session-manager.ts). Apart from it so
 * the metrics can name every state without importing the session manager, which records metrics.
 * The words are the contract's (`CHANNEL_STATES`): the helpdesk receives them in `session` events.
 */
import { CHANNEL_STATES, type ChannelState } from '@whatsapp-helpdesk/contract/sidecar-events';

/** Every session state, in the order a pairing normally passes through them. */
export const SESSION_STATES = CHANNEL_STATES;
export type SessionState = ChannelState;
