/**
 * Signed sidecar webhook requests for the benchmark: the same wire format the wpp-sidecar sends.
 */
import { createHmac } from 'node:crypto';
import { textEvent } from '../test/support/sidecar-events';

/** The phone of customer number `customer` (0-based): +2010 and 8 digits. */
function customerPhone(customer: number): string {
  return `+2010${String(10_000_000 + customer).slice(-8)}`;
}

/** The provider message id of `eventBody`'s message (to find it once stored). */
export function eventMessageId(runId: string, customer: number, sequence: number): string {
  return `false_${customerPhone(customer).slice(1)}@c.us_${runId}_${sequence}`;
}

/**
 * A text message event body from customer number `customer` (0-based), unique per `sequence`, to
 * the sidecar session `channel` (default `bench`, the channel `npm run bench` configures).
 */
export function eventBody(
  runId: string,
  customer: number,
  sequence: number,
  text: string,
  channel = 'bench',
): string {
  const id = eventMessageId(runId, customer, sequence);
  return JSON.stringify(
    textEvent(customerPhone(customer), text, { id, name: `Customer ${customer}`, channel }),
  );
}

/** The headers the helpdesk verifies: timestamp and HMAC-SHA256 of `<timestamp>.<body>`. */
export function signedHeaders(secret: string, body: string): Record<string, string> {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return {
    'content-type': 'application/json',
    'x-webhook-timestamp': timestamp,
    'x-webhook-signature': `sha256=${signature}`,
  };
}
