/**
 * The WhatsApp Cloud API end to end, beyond the conformance suite: Meta's verification handshake,
 * bad input at `POST /webhooks/whatsapp-cloud`, a batch of every documented message type, partial
 * batches, business-scoped user ids, send error mapping and the two-step media flow's edge cases —
 * through the real HTTP stack, PostgreSQL, Redis, BullMQ workers and the stand-in Graph API.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { query } from '../support/database';
import { readJson, startTestHelpdesk, waitFor, type TestHelpdesk } from '../support/harness';
import {
  message,
  messagesValue,
  notification,
  PHONE_NUMBER_ID,
  status,
  statusesValue,
  VERIFY_TOKEN,
  wamid,
  type Sender,
} from '../support/cloud-payloads';
import { GRAPH_ERRORS, type StandInGraphApi } from '../support/stand-in-graph-api';

const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

describe('WhatsApp Cloud API webhook and sending', () => {
  let helpdesk: TestHelpdesk;
  let graph: StandInGraphApi;
  const logLines: Array<Record<string, unknown>> = [];

  const rows = <T extends Record<string, unknown>>(sql: string, values: unknown[] = []) =>
    query<T>(helpdesk.database.url, sql, values);
  const inboundOf = (providerMessageId: string) =>
    rows<{ type: string; text: string | null; error: string | null; attachments: number }>(
      `SELECT m.type, m.text, m.error, (SELECT count(*)::int FROM attachments a WHERE a.message_id = m.id) AS attachments
         FROM messages m WHERE m.provider = 'cloud' AND m.provider_message_id = $1`,
      [providerMessageId],
    ).then((found) => found[0] ?? null);
  const outboundTo = (phone: string) =>
    rows<{ delivery_status: string; error: string | null; provider_message_id: string | null }>(
      `SELECT m.delivery_status, m.error, m.provider_message_id FROM messages m
         JOIN tickets t ON t.id = m.ticket_id JOIN customers c ON c.id = t.customer_id
        WHERE c.phone = $1 AND m.direction = 'outbound' ORDER BY m.created_at`,
      [phone],
    );
  const sendsTo = (to: string) => graph.sends.filter((send) => send.to === to || send.recipient === to);

  before(async () => {
    const capture = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
          logLines.push(JSON.parse(line));
        callback();
      },
    });
    helpdesk = await startTestHelpdesk({ provider: 'cloud', log: pino({ level: 'warn' }, capture) });
    graph = helpdesk.graph!;
    const added = await helpdesk.cli(
      'agents:add',
      '--name',
      'Agent',
      '--email',
      'agent@pharmacy.test',
      '--password',
      'password-123',
      '--capacity',
      '50',
    );
    assert.equal(added.status, 0, added.stderr);
    assert.equal((await helpdesk.cli('agents:availability', 'agent@pharmacy.test', 'online')).status, 0);
  });
  after(async () => {
    assert.deepEqual(graph.violations, [], 'the stand-in Graph API found no broken rule');
    await helpdesk.stop();
  });

  describe('verification handshake (GET)', () => {
    const verify = (params: Record<string, string>) =>
      fetch(`${helpdesk.url}/webhooks/whatsapp-cloud?${new URLSearchParams(params)}`);

    it('when Meta presents the verify token, then the challenge is echoed as plain text', async () => {
      const response = await verify({
        'hub.mode': 'subscribe',
        'hub.verify_token': VERIFY_TOKEN,
        'hub.challenge': '1158201444',
      });
      assert.equal(response.status, 200);
      assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
      assert.equal(await response.text(), '1158201444');
    });

    it('when the verify token is wrong, then 403', async () => {
      const response = await verify({
        'hub.mode': 'subscribe',
        'hub.verify_token': 'not-the-token-0123456789',
        'hub.challenge': '1158201444',
      });
      assert.equal(response.status, 403);
      assert.equal((await readJson(response)).error, 'forbidden');
    });

    it('when the mode is not subscribe or the challenge is missing, then 403', async () => {
      assert.equal(
        (await verify({ 'hub.mode': 'unsubscribe', 'hub.verify_token': VERIFY_TOKEN, 'hub.challenge': '1' }))
          .status,
        403,
      );
      assert.equal((await verify({ 'hub.mode': 'subscribe', 'hub.verify_token': VERIFY_TOKEN })).status, 403);
    });
  });

  describe('bad input (POST)', () => {
    const body = () =>
      notification(messagesValue({ waId: '201009990001' }, [message.text({ waId: '201009990001' }, 'hi')]));

    it('when the signature is made with another secret, then 401 and nothing is queued', async () => {
      const response = await helpdesk.postCloud(body(), { secret: 'another-app-secret-0123456789' });
      assert.equal(response.status, 401);
      assert.equal((await readJson(response)).error, 'unauthorized');
      assert.equal(await helpdesk.context.queues.inbound.count(), 0);
    });

    it('when X-Hub-Signature-256 is missing or malformed, then 401', async () => {
      assert.equal((await helpdesk.postCloud(body(), { signature: null })).status, 401);
      assert.equal((await helpdesk.postCloud(body(), { signature: 'sha256=abc' })).status, 401);
    });

    it('when the body is truncated (signed as sent), then 400', async () => {
      const raw = JSON.stringify(body());
      const response = await helpdesk.postCloud(null, { rawBody: raw.slice(0, raw.length - 20) });
      assert.equal(response.status, 400);
      assert.match((await readJson(response)).message, /not valid JSON/);
    });

    it('when the body is not a WhatsApp notification, then 400 naming the field', async () => {
      const response = await helpdesk.postCloud({ object: 'page', entry: [] });
      assert.equal(response.status, 400);
      assert.match((await readJson(response)).message, /object: must be "whatsapp_business_account"/);
    });

    it('when one of three messages is malformed, then all three are stored, the third as unknown with the reason', async () => {
      const from: Sender = { waId: '201001230001', name: 'Batch' };
      const first = message.text(from, 'first');
      const broken = { ...message.text(from, 'second'), timestamp: 'not-a-time' };
      const third = message.text(from, 'third');
      const response = await helpdesk.postCloud(notification(messagesValue(from, [first, broken, third])));
      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { accepted: 3, rejected: 0 });
      await waitFor(
        async () => (await inboundOf(first.id)) && (await inboundOf(third.id)),
        10_000,
        'two stored',
      );
      const kept = await waitFor(() => inboundOf(broken.id), 10_000, 'the malformed one stored');
      assert.equal(kept.type, 'unknown');
      assert.equal(kept.text, 'second');
      assert.match(kept.error ?? '', /Could not be read in full.*timestamp: must be Unix seconds/);
    });
  });

  it('when a batch holds every documented message type across entries and changes, then each is stored with its type and media', async () => {
    const from: Sender = { waId: '201001230002', userId: 'EG.4455667788', name: 'All Types' };
    const other: Sender = { waId: '201001230003', name: 'Second Entry' };
    const quoted = wamid();
    const media = ['img-all', 'aud-voice', 'aud-file', 'vid-all', 'doc-all', 'stk-all'];
    graph.media.set('img-all', { body: PNG, mimeType: 'image/png' });
    for (const id of media.slice(1))
      graph.media.set(id, { body: Buffer.from(id), mimeType: 'application/octet-stream' });
    const batch = [
      message.text(from, 'I need my refill'),
      message.image(from, { id: 'img-all', bytes: PNG, caption: 'prescription' }),
      message.audio(from, { id: 'aud-voice', voice: true }),
      message.audio(from, { id: 'aud-file', voice: false }),
      message.video(from, { id: 'vid-all' }),
      message.document(from, { id: 'doc-all', filename: 'invoice.pdf' }),
      message.sticker(from, { id: 'stk-all' }),
      message.location(from),
      message.contacts(from),
      message.listReply(from, { id: 'order_status', title: 'Order status' }),
      message.buttonReply(from, { id: 'yes', title: 'Yes' }),
      message.button(from, { payload: 'STOP', text: 'Stop promotions' }, quoted),
      message.unsupported(from),
    ];
    const lone = message.text(other, 'from the second entry');
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '102290129340398',
          changes: [
            { field: 'messages', value: messagesValue(from, batch.slice(0, 7)) },
            { field: 'messages', value: messagesValue(from, batch.slice(7)) },
          ],
        },
        { id: '102290129340398', changes: [{ field: 'messages', value: messagesValue(other, [lone]) }] },
      ],
    };
    const response = await helpdesk.postCloud(body);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { accepted: batch.length + 1, rejected: 0 });
    const stored = await waitFor(
      async () => {
        const found = await Promise.all([...batch, lone].map((item) => inboundOf(item.id)));
        return found.every(Boolean) ? found : null;
      },
      15_000,
      'every message stored',
    );
    assert.deepEqual(
      stored.map((row) => row!.type),
      [
        'text',
        'image',
        'voice',
        'audio',
        'video',
        'document',
        'sticker',
        'location',
        'contact',
        'interactive',
        'interactive',
        'interactive',
        'unknown',
        'text',
      ],
    );
    assert.deepEqual(
      stored.map((row) => row!.attachments),
      [0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0],
      'each media message has its attachment',
    );
    assert.ok(stored.every((row) => row!.error === null));
    assert.match(stored[7]!.text!, /Tahrir Pharmacy.*30\.0444, 31\.2357/);
    assert.equal(stored[8]!.text, 'Dr. Hany Aziz: +20 100 123 4599');
  });

  describe('business-scoped user ids', () => {
    it('when a username user writes without a phone, then the customer is keyed by the user id and answered through `recipient`', async () => {
      const hidden: Sender = { userId: 'EG.1122334455667788', name: 'Hidden', username: '@hidden.user' };
      const response = await helpdesk.postCloud(
        notification(messagesValue(hidden, [message.text(hidden, 'hello')])),
      );
      assert.equal(response.status, 200);
      await waitFor(
        () => sendsTo('EG.1122334455667788').filter((send) => send.wamid).length === 2,
        10_000,
        'replies',
      );
      const customers = await rows<{ phone: string | null; user_id: string; username: string; name: string }>(
        `SELECT phone, user_id, username, name FROM customers WHERE user_id = 'EG.1122334455667788'`,
      );
      assert.deepEqual(customers, [
        { phone: null, user_id: 'EG.1122334455667788', username: '@hidden.user', name: 'Hidden' },
      ]);
      assert.ok(sendsTo('EG.1122334455667788').every((send) => send.to === undefined));
    });

    it('when the phone of a user-id customer becomes known, then the phone customer and the user-id customer merge into one', async () => {
      const byPhone: Sender = { waId: '201001230010', name: 'Sara' };
      const byUserId: Sender = { userId: 'EG.5566778899', name: 'Sara' };
      await helpdesk.postCloud(
        notification(messagesValue(byPhone, [message.text(byPhone, 'hi from my phone')])),
      );
      await helpdesk.postCloud(
        notification(messagesValue(byUserId, [message.text(byUserId, 'hi as a username')])),
      );
      await waitFor(
        async () =>
          (
            await rows<{ n: number }>(
              `SELECT count(*)::int AS n FROM customers WHERE phone = '+201001230010' OR user_id = 'EG.5566778899'`,
            )
          )[0]!.n === 2,
        10_000,
        'two customers',
      );
      const both: Sender = { waId: '201001230010', userId: 'EG.5566778899', name: 'Sara' };
      const last = message.text(both, 'now with both');
      await helpdesk.postCloud(notification(messagesValue(both, [last])));
      await waitFor(() => inboundOf(last.id), 10_000, 'stored');
      const customers = await rows<{ phone: string; user_id: string }>(
        `SELECT phone, user_id FROM customers WHERE phone = '+201001230010' OR user_id = 'EG.5566778899'`,
      );
      assert.deepEqual(customers, [{ phone: '+201001230010', user_id: 'EG.5566778899' }]);
      const open = await rows<{ n: number }>(
        `SELECT count(*)::int AS n FROM tickets t JOIN customers c ON c.id = t.customer_id
          WHERE c.phone = '+201001230010' AND t.status IN ('open', 'pending')`,
      );
      assert.deepEqual(open, [{ n: 1 }], 'one open ticket after the merge');
    });
  });

  describe('send errors', () => {
    const newCustomer = async (waId: string) => {
      const from: Sender = { waId, name: 'Customer' };
      const response = await helpdesk.postCloud(
        notification(messagesValue(from, [message.text(from, 'hello')])),
      );
      assert.equal(response.status, 200);
    };

    it('when Meta answers 131047, then the message fails at once with the 24-hour window as reason', async () => {
      graph.errorsByRecipient.set('201001230020', GRAPH_ERRORS.outsideWindow);
      await newCustomer('201001230020');
      const found = await waitFor(
        async () => {
          const messages = await outboundTo('+201001230020');
          return messages.length === 2 && messages.every((row) => row.delivery_status === 'failed')
            ? messages
            : null;
        },
        10_000,
        'failed',
      );
      for (const row of found)
        assert.match(row.error!, /^outside the 24-hour customer-service window.*131047/);
      await new Promise((resolve) => setTimeout(resolve, 600));
      assert.equal(sendsTo('201001230020').length, 2, 'one try per message, no retry');
    });

    it('when Meta answers 131026 (not a WhatsApp user), then the message fails without retry', async () => {
      graph.errorsByRecipient.set('201001230021', GRAPH_ERRORS.undeliverable);
      await newCustomer('201001230021');
      const found = await waitFor(
        async () => {
          const messages = await outboundTo('+201001230021');
          return messages.length === 2 && messages.every((row) => row.delivery_status === 'failed')
            ? messages
            : null;
        },
        10_000,
        'failed',
      );
      assert.match(found[0]!.error!, /cannot receive this message.*131026/);
      await new Promise((resolve) => setTimeout(resolve, 600));
      assert.equal(sendsTo('201001230021').length, 2);
    });

    for (const [name, error] of [
      ['130429 (throughput reached)', GRAPH_ERRORS.rateLimit],
      ['HTTP 429', GRAPH_ERRORS.tooManyRequests],
    ] as const) {
      it(`when Meta answers ${name} once, then the send is retried with backoff and succeeds`, async () => {
        const waId = name.startsWith('HTTP') ? '201001230022' : '201001230023';
        graph.nextSendErrors.push(error);
        await newCustomer(waId);
        await waitFor(
          async () => {
            const messages = await outboundTo(`+${waId}`);
            return messages.length === 2 && messages.every((row) => row.delivery_status === 'sent');
          },
          10_000,
          'sent after the retry',
        );
        const tries = sendsTo(waId);
        assert.equal(tries.length, 3, 'the rate-limited try, then the welcome and the menu');
        assert.equal(tries[0]!.errorCode, error.code);
      });
    }

    it('when a failed status with 131047 arrives, then the message is failed with the window named', async () => {
      const [sent] = await outboundTo('+201001230022');
      await helpdesk.postCloud(
        notification(
          statusesValue([
            status(
              sent!.provider_message_id!,
              'failed',
              { waId: '201001230022' },
              {
                code: 131047,
                title: 'Re-engagement message',
                details:
                  'More than 24 hours have passed since the recipient last replied to the sender number.',
              },
            ),
          ]),
        ),
      );
      const [row] = await waitFor(
        async () => {
          const found = await outboundTo('+201001230022');
          return found[0]!.delivery_status === 'failed' ? found : null;
        },
        10_000,
        'failed status applied',
      );
      assert.match(
        row!.error!,
        /^outside the 24-hour customer-service window.*131047: Re-engagement message/,
      );
    });
  });

  describe('media download', () => {
    it('when the media URL has expired on the first try, then a fresh URL is fetched and the image is stored', async () => {
      const from: Sender = { waId: '201001230030', name: 'Photo' };
      graph.media.set('img-expired', { body: PNG, mimeType: 'image/png' });
      graph.expireDownloads.add('img-expired');
      const image = message.image(from, { id: 'img-expired', bytes: PNG });
      await helpdesk.postCloud(notification(messagesValue(from, [image])));
      const row = await waitFor(
        async () => (await inboundOf(image.id))?.attachments && inboundOf(image.id),
        10_000,
        'stored',
      );
      assert.equal(row!.error, null);
      assert.deepEqual(
        graph.requests.filter((request) => request.endsWith('/img-expired')),
        [
          `GET /${graph.version}/img-expired`,
          'GET /download/img-expired',
          `GET /${graph.version}/img-expired`,
          'GET /download/img-expired',
        ],
      );
    });

    it('when Meta no longer knows the media id, then the message is kept without media and says why', async () => {
      const from: Sender = { waId: '201001230031', name: 'Gone' };
      const image = message.image(from, { id: 'img-unknown', bytes: PNG });
      await helpdesk.postCloud(notification(messagesValue(from, [image])));
      const row = await waitFor(() => inboundOf(image.id), 10_000, 'stored');
      assert.equal(row!.attachments, 0);
      assert.match(row!.error!, /stored without it: .*Cloud API error 100/);
    });
  });

  it('when the phone number id differs from CLOUD_API_PHONE_NUMBER_ID, then the change is rejected and logged', async () => {
    const from: Sender = { waId: '201001230040' };
    const response = await helpdesk.postCloud(
      notification(messagesValue(from, [message.text(from, 'wrong number')], '999000999000')),
    );
    assert.deepEqual(await response.json(), { accepted: 0, rejected: 1 });
    assert.ok(
      logLines.some((line) =>
        /phone number id 999000999000 is not this helpdesk's/.test(String(line.reason)),
      ),
    );
    assert.notEqual(PHONE_NUMBER_ID, '999000999000');
  });
});
