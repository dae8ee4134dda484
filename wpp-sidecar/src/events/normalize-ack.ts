/**
 * WPPConnect ack -> provider-neutral delivery status (pure).
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/model/enum/ack-type.d.ts (`AckType`)
 */
import {
  FIELD_LIMITS,
  type DeliveryState,
  type SidecarDeliveryStatus,
} from '@whatsapp-helpdesk/contract/sidecar-events';
import { cleanString } from '@whatsapp-helpdesk/contract/normalise';
import { fitId } from './sanitize';
import type { WppAck } from './wpp-types';

const FAILURE_NAMES: Record<number, string> = {
  [-7]: 'MD_DOWNGRADE',
  [-6]: 'INACTIVE',
  [-5]: 'CONTENT_UNUPLOADABLE',
  [-4]: 'CONTENT_TOO_BIG',
  [-3]: 'CONTENT_GONE',
  [-2]: 'EXPIRED',
  [-1]: 'FAILED',
};

/**
 * Map an `AckType` to a delivery state.
 * @returns `sent` (1), `delivered` (2), `read` (3 read, 4 played), `failed` (negative), or `null` for
 *   values not forwarded (0 pending/clock, 5 peer, unknown).
 */
export function ackToState(ack: number): DeliveryState | null {
  if (ack < 0) return 'failed';
  if (ack === 1) return 'sent';
  if (ack === 2) return 'delivered';
  if (ack === 3 || ack === 4) return 'read';
  return null;
}

/**
 * Serialized message id of an ack, whether WPPConnect gave an `Id` object or a string; '' if absent.
 * Cleaned and fitted like inbound ids (`fitId`, 256 characters: the helpdesk's limit).
 */
export function ackMessageId(ack: WppAck): string {
  const id = typeof ack.id === 'string' ? ack.id : ack.id?._serialized;
  return typeof id === 'string' ? fitId(cleanString(id), FIELD_LIMITS.providerMessageId) : '';
}

/**
 * @param ack - the object `client.onAck` delivered.
 * @param channel - SESSION_NAME.
 * @param now - when the ack was observed (`Ack.t` is the message's own send time, not the ack's).
 * @returns the status, or `null` when the ack is not forwarded (pending, peer, no id).
 */
export function toDeliveryStatus(
  ack: WppAck,
  channel: string,
  now: Date = new Date(),
): SidecarDeliveryStatus | null {
  const status = ackToState(ack.ack);
  const providerMessageId = ackMessageId(ack);
  if (!status || !providerMessageId) return null;
  return {
    provider: 'wppconnect',
    channel,
    providerMessageId,
    status,
    error: status === 'failed' ? `ack_${FAILURE_NAMES[ack.ack] ?? ack.ack}` : null,
    timestamp: now.toISOString(),
  };
}
