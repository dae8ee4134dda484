/**
 * Inbound batches (several messages in one transaction) give each message the outcome it gets
 * alone: the same bot replies and ticket state, a redelivery recognised, an unidentifiable sender
 * skipped, and nothing written twice when a batch falls back to one message at a time.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SkipEventError } from '../../src/errors';
import { inboundJobDependencies } from '../../src/jobs/workers';
import { ingestInboundMessage } from '../../src/use-cases/inbound/ingest-message';
import { ingestInboundMessages } from '../../src/use-cases/inbound/ingest-messages';
import type { IngestResult } from '../../src/use-cases/inbound/save-messages';
import type { InboundMessage } from '../../src/whatsapp/inbound-event';
import { query } from '../support/database';
import {
  photoEvent,
  PIXEL_PNG,
  startTestHelpdesk,
  textEvent,
  waitFor,
  type TestHelpdesk,
} from '../support/harness';

const CONVERSATION = ['hello', '2', 'my order number is 1234', 'thank you'];

describe('inbound batches', () => {
  let helpdesk: TestHelpdesk;
  const deps = () => inboundJobDependencies(helpdesk.context);
  const item = (message: InboundMessage) => ({
    event: message,
    driver: helpdesk.context.drivers.driverOf(
      helpdesk.context.channels.find(message.provider, message.channel)!,
    ),
    lastAttempt: false,
  });
  const storeAlone = (message: InboundMessage) =>
    ingestInboundMessage({ ...deps(), ...item(message) }, message);
  /** What an agent sees of a customer's conversation: every message in thread order. */
  const thread = (phone: string) =>
    query<{ direction: string; author: string; type: string; kind: string | null; text: string }>(
      helpdesk.database.url,
      `SELECT m.direction, m.author, m.type, m.raw->>'kind' AS kind, m.text
         FROM messages m JOIN tickets t ON t.id = m.ticket_id JOIN customers c ON c.id = t.customer_id
        WHERE c.phone = $1 ORDER BY m.created_at`,
      [phone],
    );
  /** A photo from `phone` that the stand-in sidecar serves, after `delayMs` when given. */
  const photoFrom = (phone: string, mediaId: string, delayMs?: number): InboundMessage => {
    helpdesk.sidecar.media.set(mediaId, { body: PIXEL_PNG, mimeType: 'image/png' });
    if (delayMs) helpdesk.sidecar.slowMedia.set(mediaId, delayMs);
    return photoEvent(phone, mediaId, `${helpdesk.sidecar.url}/api/media/${mediaId}`).message;
  };
  const tickets = (phone: string) =>
    query<{ status: string; category: string | null; menu_pending: boolean; language: string | null }>(
      helpdesk.database.url,
      `SELECT t.status, t.category, t.menu_pending, t.language
         FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.phone = $1`,
      [phone],
    );

  before(async () => {
    helpdesk = await startTestHelpdesk({ inProcessWorkers: false, env: { BOT_LANGUAGE: 'en' } });
  });
  after(() => helpdesk.stop());

  it('when two customers’ conversations arrive interleaved in one batch, then each gets what it gets one message at a time', async () => {
    const [batched, other, alone] = ['+201005550001', '+201005550002', '+201005550003'];
    const items = CONVERSATION.flatMap((text) => [
      item(textEvent(batched, text).message),
      item(textEvent(other, `${text} too`).message),
    ]);
    const outcomes = await ingestInboundMessages(deps(), items);
    assert.ok(
      outcomes.every((outcome) => !(outcome instanceof Error) && !outcome.duplicate),
      'every message stored',
    );
    for (const text of CONVERSATION) await storeAlone(textEvent(alone, text).message);

    const batchedThread = await thread(batched);
    assert.deepEqual(
      batchedThread.map(({ text, ...rest }) => ({ ...rest, text: rest.direction === 'inbound' ? text : '' })),
      (await thread(alone)).map(({ text, ...rest }) => ({
        ...rest,
        text: rest.direction === 'inbound' ? text : '',
      })),
    );
    assert.deepEqual(
      batchedThread.filter((message) => message.direction === 'inbound').map((message) => message.text),
      CONVERSATION,
      "the customer's messages in the order they were sent",
    );
    assert.ok(
      batchedThread.some((message) => message.kind === 'welcome'),
      'the welcome went out',
    );
    assert.deepEqual(await tickets(batched), await tickets(alone));
    // Rows written by one transaction share its id (xmin): the batch was one transaction.
    const transactions = await query<{ phone: string; n: number }>(
      helpdesk.database.url,
      `SELECT c.phone, count(DISTINCT m.xmin::text)::int AS n
         FROM messages m JOIN tickets t ON t.id = m.ticket_id JOIN customers c ON c.id = t.customer_id
        WHERE c.phone = ANY($1) AND m.direction = 'inbound' GROUP BY c.phone ORDER BY c.phone`,
      [[batched, other, alone]],
    );
    assert.deepEqual(transactions, [
      { phone: batched, n: 1 },
      { phone: other, n: 1 },
      { phone: alone, n: CONVERSATION.length },
    ]);
    assert.equal((await tickets(batched))[0]!.category, 'order_status', 'classified by the menu answer');
  });

  it('when a batch holds a redelivered message, then it is reported as a duplicate and the others are stored once', async () => {
    const phone = '+201005550004';
    const first = textEvent(phone, 'hello').message;
    const stored = await storeAlone(first);
    const newcomer = textEvent('+201005550005', 'hello').message;
    const outcomes = await ingestInboundMessages(deps(), [
      item(textEvent(phone, 'anyone there?').message),
      item(first),
      item(newcomer),
    ]);
    const [later, redelivered, fresh] = outcomes as IngestResult[];
    assert.equal(redelivered!.duplicate, true);
    assert.equal(redelivered!.messageId, stored.messageId);
    assert.equal(later!.duplicate, false);
    assert.equal(fresh!.duplicate, false);
    const [counts] = await query<{ first: number; customers: number; tickets: number; welcomes: number }>(
      helpdesk.database.url,
      `SELECT (SELECT count(*)::int FROM messages WHERE provider_message_id = $1) AS first,
              (SELECT count(*)::int FROM customers WHERE phone = $2) AS customers,
              (SELECT count(*)::int FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.phone = $2) AS tickets,
              (SELECT count(*)::int FROM messages m JOIN tickets t ON t.id = m.ticket_id JOIN customers c ON c.id = t.customer_id
                WHERE c.phone = $2 AND m.raw->>'kind' = 'welcome') AS welcomes`,
      [first.providerMessageId, '+201005550005'],
    );
    assert.deepEqual(counts, { first: 1, customers: 1, tickets: 1, welcomes: 1 });
  });

  it('when a batch holds customers with resolved tickets and one known by lid, then tickets reopen or open as they would one at a time', async () => {
    const [recent, old, recentAlone, oldAlone] = [
      '+201005550011',
      '+201005550012',
      '+201005550013',
      '+201005550014',
    ];
    for (const phone of [recent, old, recentAlone, oldAlone])
      await storeAlone(textEvent(phone, 'hello').message);
    const resolve = (phones: string[], ago: string) =>
      query(
        helpdesk.database.url,
        `UPDATE tickets SET status = 'resolved', resolved_at = now() - $2::interval
          WHERE customer_id IN (SELECT id FROM customers WHERE phone = ANY($1))`,
        [phones, ago],
      );
    await resolve([recent, recentAlone], '10 minutes');
    await resolve([old, oldAlone], '3 days');
    const lid = '555000111222333@lid';
    const outcomes = await ingestInboundMessages(deps(), [
      item(textEvent(recent, 'one more thing').message),
      item(textEvent(null, 'hi from a lid', { lid }).message),
      item(textEvent(old, 'a new question').message),
      item(textEvent(recent, 'and another').message),
    ]);
    assert.ok(outcomes.every((outcome) => !(outcome instanceof Error)));
    await storeAlone(textEvent(recentAlone, 'one more thing').message);
    await storeAlone(textEvent(oldAlone, 'a new question').message);

    const history = (phone: string) =>
      query<{ status: string; events: string[] }>(
        helpdesk.database.url,
        `SELECT t.status, array_agg(e.type ORDER BY e.id) AS events
           FROM tickets t JOIN customers c ON c.id = t.customer_id JOIN ticket_events e ON e.ticket_id = t.id
          WHERE c.phone = $1 GROUP BY t.id, t.opened_at ORDER BY t.opened_at`,
        [phone],
      );
    assert.deepEqual(await history(recent), [{ status: 'open', events: ['opened', 'reopened'] }]);
    assert.deepEqual(await history(recent), await history(recentAlone));
    assert.deepEqual(
      (await history(old)).map((ticket) => ticket.status),
      ['resolved', 'open'],
    );
    assert.deepEqual(await history(old), await history(oldAlone));
    const lidTickets = await query(
      helpdesk.database.url,
      `SELECT t.id FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.lid = $1 AND t.status = 'open'`,
      [lid],
    );
    assert.equal(lidTickets.length, 1, 'the lid sender got a ticket');
  });

  it('when a batch holds a message whose sender cannot be identified, then that one is skipped and the rest stored', async () => {
    const outcomes = await ingestInboundMessages(deps(), [
      item(textEvent('+201005550006', 'hello').message),
      item(textEvent('12', 'hello').message),
      item(textEvent('+201005550007', 'hello').message),
    ]);
    assert.ok(outcomes[1] instanceof SkipEventError);
    assert.match(outcomes[1].message, /"12" is not a valid phone number/);
    assert.equal((outcomes[0] as IngestResult).duplicate, false);
    assert.equal((outcomes[2] as IngestResult).duplicate, false);
    assert.equal((await tickets('+201005550006')).length, 1);
    assert.equal((await tickets('+201005550007')).length, 1);
  });

  it('when a batch holds 1,000 customers’ first messages and one of them writes again at once, then the new message follows the menu in their thread', async () => {
    const phones = Array.from({ length: 1000 }, (_, index) => `+2010055${String(10_000 + index)}`);
    const first = await ingestInboundMessages(
      deps(),
      phones.map((phone) => item(textEvent(phone, 'hello').message)),
    );
    assert.ok(first.every((outcome) => !(outcome instanceof Error)));
    // The last customer of the batch answers the menu in the next transaction.
    const last = phones.at(-1)!;
    await ingestInboundMessages(deps(), [
      item(textEvent(last, '2').message),
      item(textEvent(phones[0]!, 'hi').message),
    ]);

    const lastThread = await thread(last);
    assert.deepEqual(
      lastThread.map((message) => message.kind ?? message.text),
      [
        'hello',
        'welcome',
        'menu',
        '2',
        ...lastThread.slice(4).map((message) => message.kind ?? message.text),
      ],
      'the answer after the welcome and the menu',
    );
    const [stamps] = await query<{ ahead_ms: number }>(
      helpdesk.database.url,
      `SELECT extract(epoch FROM max(m.created_at) - now()) * 1000 AS ahead_ms
         FROM messages m JOIN tickets t ON t.id = m.ticket_id JOIN customers c ON c.id = t.customer_id
        WHERE c.phone = ANY($1)`,
      [phones],
    );
    assert.ok(stamps!.ahead_ms < 100, `no message stamped ${stamps!.ahead_ms} ms in the future`);
  });

  it('when ten new customers write in one batch, then their tickets open in as many statements as two new customers’ do', async () => {
    /** Ingests one batch of first messages from `phones`, counting the statements it runs. */
    const statementsFor = async (phones: string[]) => {
      const pool = helpdesk.context.pool;
      let statements = 0;
      const counting = {
        async connect() {
          const client = await pool.connect();
          const query = client.query;
          client.query = function (this: typeof client, ...args: Parameters<typeof client.query>) {
            statements += 1;
            return (query as (...values: unknown[]) => unknown).apply(this, args);
          } as typeof client.query;
          return client;
        },
      } as unknown as typeof pool;
      const outcomes = await ingestInboundMessages(
        { ...deps(), pool: counting },
        phones.map((phone) => item(textEvent(phone, 'hello').message)),
      );
      assert.ok(outcomes.every((outcome) => !(outcome instanceof Error) && !outcome.duplicate));
      return statements;
    };
    const phones = (first: number, count: number) =>
      Array.from({ length: count }, (_, index) => `+2010055${String(first + index).padStart(5, '0')}`);
    const ten = phones(30000, 10);

    assert.equal(await statementsFor(ten), await statementsFor(phones(30100, 2)));

    const opened = await query<{ phone: string; number: number; status: string; welcomed: number }>(
      helpdesk.database.url,
      `SELECT c.phone, t.number, t.status::text AS status,
              (SELECT count(*)::int FROM messages m WHERE m.ticket_id = t.id AND m.raw->>'kind' = 'welcome') AS welcomed
         FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.phone = ANY($1) ORDER BY t.number`,
      [ten],
    );
    assert.deepEqual(
      opened.map(({ phone, status, welcomed }) => ({ phone, status, welcomed })),
      ten.map((phone) => ({ phone, status: 'open', welcomed: 1 })),
      'one open ticket each, numbered in the order they wrote, each customer welcomed',
    );
  });
  it('when a batch holds a customer’s photo and then their text, with another customer’s text, then the photo is stored and greeted first', async () => {
    const [photographer, other] = ['+201005560001', '+201005560002'];
    const photo = photoFrom(photographer, 'batch-photo-then-text');
    const outcomes = await ingestInboundMessages(deps(), [
      item(photo),
      item(textEvent(photographer, 'this is my prescription').message),
      item(textEvent(other, 'hello').message),
    ]);
    assert.ok(outcomes.every((outcome) => !(outcome instanceof Error) && !outcome.duplicate));
    const messages = await thread(photographer);
    assert.deepEqual(
      messages.filter((message) => message.direction === 'inbound').map((message) => message.type),
      ['image', 'text'],
      'the photo first, then the text sent after it',
    );
    assert.deepEqual(
      messages.slice(0, 4).map((message) => message.kind ?? message.type),
      ['image', 'welcome', 'menu', 'text'],
      'the bot greeted the photo, the first message, before the text came',
    );
  });

  it('when a batch holds two customers’ photos that download slowly, then both downloads run at once and each customer’s messages keep their order', async () => {
    const [first, second] = ['+201005570001', '+201005570002'];
    const slowMs = 4000;
    const stored = ingestInboundMessages(deps(), [
      item(photoFrom(first, 'batch-slow-photo-1', slowMs)),
      item(textEvent(first, 'my prescription').message),
      item(photoFrom(second, 'batch-slow-photo-2', slowMs)),
      item(textEvent(second, 'and mine').message),
    ]);
    // One after the other, the second download would start only when the first ended.
    await waitFor(
      () =>
        ['batch-slow-photo-1', 'batch-slow-photo-2'].every((id) =>
          helpdesk.sidecar.mediaRequests.includes(id),
        ),
      slowMs / 2,
      'both photos downloading at once',
    );
    const outcomes = await stored;
    assert.ok(outcomes.every((outcome) => !(outcome instanceof Error) && !outcome.duplicate));
    for (const phone of [first, second]) {
      assert.deepEqual(
        (await thread(phone))
          .filter((message) => message.direction === 'inbound')
          .map((message) => message.type),
        ['image', 'text'],
        `${phone}: the photo first, then the text sent after it`,
      );
    }
  });
});
