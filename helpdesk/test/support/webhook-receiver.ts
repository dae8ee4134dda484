/**
 * A local receiver of the helpdesk's outgoing webhooks for tests (real HTTP on loopback). It
 * recomputes `X-Helpdesk-Signature` = sha256=HMAC-SHA256(secret, "<timestamp>.<raw body>") and
 * checks the timestamp, as the README tells a receiver to.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  headers: IncomingMessage['headers'];
  body: string;
  /** The signature matched and the timestamp was within 5 minutes. */
  verified: boolean;
}

/**
 * A local receiver: answers `statuses` in turn (then 200), verifying each request with `secret`.
 * While `hold.value` is true it answers nothing: each request's body goes to `held` instead, and
 * its delivery stays in flight until the sender gives up on it.
 */
export async function startReceiver(statuses: number[] = []): Promise<{
  url: string;
  received: Received[];
  held: string[];
  hold: { value: boolean };
  secret: { value: string };
  server: Server;
}> {
  const received: Received[] = [];
  const held: string[] = [];
  const hold = { value: false };
  const secret = { value: '' };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      if (hold.value) {
        held.push(body);
        return;
      }
      const timestamp = String(request.headers['x-helpdesk-timestamp'] ?? '');
      const expected = `sha256=${createHmac('sha256', secret.value).update(`${timestamp}.${body}`).digest('hex')}`;
      const given = String(request.headers['x-helpdesk-signature'] ?? '');
      const fresh = Math.abs(Date.now() / 1000 - Number(timestamp)) < 300;
      const verified =
        fresh &&
        given.length === expected.length &&
        timingSafeEqual(Buffer.from(given), Buffer.from(expected));
      received.push({ headers: request.headers, body, verified });
      response.statusCode = statuses.shift() ?? 200;
      response.end();
    });
  });
  server.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    held,
    hold,
    secret,
    server,
  };
}

/** A POSTed event as the receiver parsed it. */
export interface ReceivedEvent {
  id: string;
  type: string;
  occurredAt: string;
  data: Record<string, unknown> & { ticketId: string; ticketNumber: number };
  delivery: string;
  verified: boolean;
}

export function eventsAt(receiver: { received: Received[] }): ReceivedEvent[] {
  return receiver.received.map((item) => ({
    ...(JSON.parse(item.body) as Omit<ReceivedEvent, 'delivery' | 'verified'>),
    delivery: String(item.headers['x-helpdesk-delivery']),
    verified: item.verified,
  }));
}
