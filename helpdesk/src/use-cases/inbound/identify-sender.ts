/** Who sent an inbound message, by the rules of the driver it came through. */
import { whatsappNumberAsE164 } from '../../domain/phone';
import { SkipEventError } from '../../errors';
import type { CustomerIdentity } from '../../store/customers-by-identity';
import type { WhatsAppDriver } from '../../whatsapp/driver';
import type { InboundMessage } from '../../whatsapp/inbound-event';

/** Who sent a message: the phone in E.164 (by the driver's rules), lid, user id, name and username. */
export type SenderIdentity = CustomerIdentity;

/**
 * The sender of a message.
 * @throws SkipEventError when the sender cannot be identified (a phone that is not even an E.164
 *   length, or no phone, lid or user id).
 */
export function identifySender(driver: WhatsAppDriver, event: InboundMessage): SenderIdentity {
  // The driver's rules first; a number its metadata calls invalid is still WhatsApp's own account
  // number, kept as E.164 rather than losing the customer's message (domain/phone.ts).
  const phone = event.from.phone
    ? (driver.normalisePhone(event.from.phone) ?? whatsappNumberAsE164(event.from.phone))
    : null;
  if (event.from.phone && !phone) {
    throw new SkipEventError(`from.phone "${event.from.phone}" is not a valid phone number`);
  }
  if (!phone && !event.from.lid && !event.from.userId) {
    throw new SkipEventError('the sender has no phone, lid or user id');
  }
  return {
    phone,
    lid: event.from.lid ?? null,
    userId: event.from.userId ?? null,
    name: event.from.name ?? null,
    username: event.from.username ?? null,
  };
}
