/**
 * WPPConnect ack -> provider-neutral delivery status (pure).
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/model/enum/ack-type.d.ts (`AckType`)
 */
import type { AckType } from '@wppconnect-team/wppconnect';
import {
  FIELD_LIMITS,
  type DeliveryState,
  type SidecarDeliveryStatus,
} from '@whatsapp-helpdesk/contract/sidecar-events';
import { cleanString } from '@whatsapp-helpdesk/contract/normalise';
import { fitId } from './sanitize';
import type { WppAck } from './wpp-types';

/**
 * WPPConnect's `AckType` by name. A value import of the enum would load WPPConnect (and Puppeteer) into
 * this pure module, so the values are repeated here; the `satisfies` clause makes `tsc` fail if they, or
 * the set of names, ever differ from the installed WPPConnect's.
 */
export const ACK_TYPE = {
  MD_DOWNGRADE: -7,
  INACTIVE: -6,
  CONTENT_UNUPLOADABLE: -5,
  CONTENT_TOO_BIG: -4,
  CONTENT_GONE: -3,
  EXPIRED: -2,
  FAILED: -1,
  CLOCK: 0,
  SENT: 1,
  RECEIVED: 2,
  READ: 3,
  PLAYED: 4,
  PEER: 5,
} as const satisfies { readonly [Name in keyof typeof AckType]: (typeof AckType)[Name] };

/** Delivery state of each forwarded `AckType`; the others (CLOCK: still pending, PEER, unknown) are not forwarded. */
const ACK_STATES: ReadonlyMap<number, DeliveryState> = new Map<number, DeliveryState>([
  [ACK_TYPE.MD_DOWNGRADE, 'failed'],
  [ACK_TYPE.INACTIVE, 'failed'],
  [ACK_TYPE.CONTENT_UNUPLOADABLE, 'failed'],
  [ACK_TYPE.CONTENT_TOO_BIG, 'failed'],
  [ACK_TYPE.CONTENT_GONE, 'failed'],
  [ACK_TYPE.EXPIRED, 'failed'],
  [ACK_TYPE.FAILED, 'failed'],
  [ACK_TYPE.SENT, 'sent'],
  [ACK_TYPE.RECEIVED, 'delivered'],
  [ACK_TYPE.READ, 'read'],
  // A voice note or video the customer played was read as well.
  [ACK_TYPE.PLAYED, 'read'],
]);

/** `AckType` name of a failure value, for the status's `error` (`ack_FAILED`, `ack_EXPIRED`, ...). */
const FAILURE_NAMES: ReadonlyMap<number, string> = new Map(
  Object.entries(ACK_TYPE)
    .filter(([, value]) => value < ACK_TYPE.CLOCK)
    .map(([name, value]) => [value, name]),
);

/**
 * Map an `AckType` to a delivery state.
 * @returns `sent` (SENT), `delivered` (RECEIVED), `read` (READ, PLAYED), `failed` (FAILED and the other
 *   named negative values), or `null` for values not forwarded (CLOCK: pending, PEER, unknown values).
 */
export function ackToState(ack: number): DeliveryState | null {
  return ACK_STATES.get(ack) ?? null;
}

/**
 * Whether an ack is about a message this account sent. WhatsApp Web fires `change:ack` for every message,
 * the customer's own included (an inbound voice note our phone played reaches PLAYED): only ours have a
 * delivery status to forward. Read from `id.fromMe`, or from the `true_`/`false_` prefix of a string id.
 */
export function isOwnMessageAck(ack: WppAck): boolean {
  const id = ack?.id;
  if (typeof id === 'string') return id.startsWith('true_');
  if (!id || typeof id !== 'object') return false;
  if (typeof id.fromMe === 'boolean') return id.fromMe;
  return typeof id._serialized === 'string' && id._serialized.startsWith('true_');
}

/**
 * Serialized message id of an ack, whether WPPConnect gave an `Id` object or a string; '' if absent.
 * Cleaned and fitted like inbound ids (`fitId`, 256 characters: the helpdesk's limit).
 */
export function ackMessageId(ack: WppAck): string {
  const id = typeof ack?.id === 'string' ? ack.id : ack?.id?._serialized;
  return typeof id === 'string' ? fitId(cleanString(id), FIELD_LIMITS.providerMessageId) : '';
}

/**
 * @param ack - the object `client.onAck` delivered.
 * @param channel - SESSION_NAME.
 * @param now - when the ack was observed (`Ack.t` is the message's own send time, not the ack's).
 * @returns the status, or `null` when the ack is not forwarded (a customer's message, pending, peer, no id).
 */
export function toDeliveryStatus(
  ack: WppAck,
  channel: string,
  now: Date = new Date(),
): SidecarDeliveryStatus | null {
  if (!isOwnMessageAck(ack)) return null;
  const status = ackToState(ack.ack);
  const providerMessageId = ackMessageId(ack);
  if (!status || !providerMessageId) return null;
  return {
    provider: 'wppconnect',
    channel,
    providerMessageId,
    status,
    error: status === 'failed' ? `ack_${FAILURE_NAMES.get(ack.ack) ?? ack.ack}` : null,
    timestamp: now.toISOString(),
  };
}
