/**
 * Signed sidecar webhook requests for the benchmark: the same wire format the wpp-sidecar sends.
 */
import { createHmac } from 'node:crypto';
import { textEvent } from '../test/support/harness';

/** A text message event body from customer number `customer` (0-based), unique per `sequence`. */
export function eventBody(runId: string, customer: number, sequence: number, text: string): string {
  const phone = `+2010${String(10_000_000 + customer).slice(-8)}`;
  const id = `false_${phone.slice(1)}@c.us_${runId}_${sequence}`;
  return JSON.stringify(textEvent(phone, text, { id, name: `Customer ${customer}`, channel: 'bench' }));
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
