/**
 * Which inbound WPPConnect messages reach the helpdesk (SPEC section 4, "Inbound"). Edits, deletions and
 * reactions in the same chats are filtered the same way (normalize-change.ts).
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/model/message.d.ts (`fromMe`, `isGroupMsg`, `broadcast`)
 */
import type { WppMessage } from './wpp-types';

export type SkipReason =
  'status_broadcast' | 'own_message' | 'group_message' | 'broadcast_or_newsletter' | 'notification';

/**
 * WhatsApp's system notices (security code changed, group changes, call and broadcast notices): WPPConnect's
 * WAPI `processMessageObj` drops `isNotification` messages from `onMessage`, these types are the same notices
 * should one arrive unflagged. Never a customer's message.
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/model/enum/message-type.d.ts (`MessageType`)
 */
const NOTIFICATION_TYPES = new Set([
  'notification',
  'notification_template',
  'group_notification',
  'gp2',
  'broadcast_notification',
  'e2e_notification',
]);

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
  if (NOTIFICATION_TYPES.has(message.type) || message.isNotification === true) return 'notification';
  return null;
}
