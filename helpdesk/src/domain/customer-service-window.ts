/**
 * The 24-hour customer-service window of Meta's WhatsApp Cloud API: a business may send free-form
 * messages (text, media, interactive) only within 24 hours of the customer's last message to it;
 * outside the window only an approved template may be sent, and the Cloud API refuses anything else
 * with error 131047 "Re-engagement message" (Meta, "Customer service windows" and "Error codes").
 *
 * WPPConnect is a linked device with no such rule, so the window applies to the `cloud` provider
 * only. Bot replies always answer an inbound message and are inside the window by construction; this
 * rule is for an agent's reply, checked before the reply is queued so the agent sees why at once.
 * Pure: no I/O.
 */
/** Length of the customer-service window: 24 hours, in milliseconds (Meta, "Customer service windows"). */
export const CUSTOMER_SERVICE_WINDOW_MS = 24 * 3_600_000;

/** Providers whose messaging policy has a customer-service window. */
const PROVIDERS_WITH_WINDOW: ReadonlySet<string> = new Set(['cloud']);

/** The code an agent's refused reply carries (AppError details and API answers). */
export const OUTSIDE_WINDOW_CODE = 'outside_customer_service_window';

export type FreeFormReplyCheck =
  | {
      allowed: true;
      /** When the window closes; null when the provider has no window. */
      closesAt: Date | null;
    }
  | {
      allowed: false;
      code: typeof OUTSIDE_WINDOW_CODE;
      /** A sentence for the agent. */
      reason: string;
      /** When the window closed; null when the customer never wrote on this ticket. */
      closedAt: Date | null;
    };

/**
 * Whether an agent may send a free-form reply on a ticket now.
 * @param input.provider the ticket's provider (`wppconnect` or `cloud`).
 * @param input.lastInboundAt the ticket's last inbound message time (`tickets.last_inbound_at`),
 *   or null when the customer has not written on it.
 * @param input.now the current time.
 * @returns allowed with the closing time, or refused with a reason naming the window and when it
 *   closed. Exactly 24 hours after the last inbound message the window is closed.
 */
export function checkFreeFormReply(input: {
  provider: string;
  lastInboundAt: Date | null;
  now: Date;
}): FreeFormReplyCheck {
  if (!PROVIDERS_WITH_WINDOW.has(input.provider)) return { allowed: true, closesAt: null };
  if (!input.lastInboundAt) {
    return {
      allowed: false,
      code: OUTSIDE_WINDOW_CODE,
      reason:
        'the customer has not written on this ticket, so WhatsApp allows only a template message (the 24-hour customer-service window is closed)',
      closedAt: null,
    };
  }
  const closesAt = new Date(input.lastInboundAt.getTime() + CUSTOMER_SERVICE_WINDOW_MS);
  if (input.now.getTime() < closesAt.getTime()) return { allowed: true, closesAt };
  return {
    allowed: false,
    code: OUTSIDE_WINDOW_CODE,
    reason: `the 24-hour customer-service window closed at ${closesAt.toISOString()} (24 hours after the customer's last message); WhatsApp allows only a template message until the customer writes again`,
    closedAt: closesAt,
  };
}
