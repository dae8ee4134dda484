/**
 * Which inbound WPPConnect messages reach the helpdesk (SPEC section 4, "Inbound").
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/model/message.d.ts (`fromMe`, `isGroupMsg`, `broadcast`)
 */
import type { WppMessage } from './wpp-types';

export type SkipReason = 'status_broadcast' | 'own_message' | 'group_message' | 'broadcast_or_newsletter';

/**
 * Decide whether a message is forwarded.
 * @param message - the object `client.onMessage` delivered.
 * @param options.forwardGroups - FORWARD_GROUPS from config.
 * @returns `null` to forward, or why it is skipped. Pure, never throws.
 */
export function skipReason(message: WppMessage, options: { forwardGroups: boolean }): SkipReason | null {
  const from = typeof message.from === 'string' ? message.from : '';
  if (from === 'status@broadcast' || message.isStatusV3 === true) return 'status_broadcast';
  if (message.fromMe === true) return 'own_message';
  if (from.endsWith('@broadcast') || from.endsWith('@newsletter') || message.broadcast === true) {
    return 'broadcast_or_newsletter';
  }
  if ((message.isGroupMsg === true || from.endsWith('@g.us')) && !options.forwardGroups)
    return 'group_message';
  return null;
}
