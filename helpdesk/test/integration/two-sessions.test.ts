/**
 * Two WhatsApp numbers in one sidecar: sessions "main" (the default) and "branch-2". Each customer
 * is answered from the number they wrote to: tickets carry the session's name as their channel,
 * one phone writing to both numbers has a ticket on each, the bot's and agents' replies reach the
 * stand-in sidecar through that session's routes (`/api/sessions/:name/send-message`,
 * `…/send-media`), and inbound media is fetched through `/api/sessions/:name/media/:id`. A ticket
 * on a number the sidecar does not hold fails its sends rather than answering from another number.
 * Through the real HTTP stack, PostgreSQL, Redis and BullMQ workers; first against the stand-in
 * sidecar (which records the routes), then against the real wpp-sidecar on its fake WhatsApp (one
 * fake phone per session).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestSidecar, type TestSidecar } from '../../../wpp-sidecar/test/test-sidecar';
import { fixtures } from '../../../wpp-sidecar/test/wpp-fixtures';
import { query } from '../support/database';
import { startTestHelpdesk, textEvent, waitFor, WEBHOOK_SECRET, type TestHelpdesk } from '../support/harness';
import type { RecordedSend } from '../support/stand-in-sidecar';
import { createAgent, type TestAgent } from '../api/api-support';

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

const MAIN_CUSTOMER = '+201001200001';
const BRANCH_CUSTOMER = '+201001200002';
const BOTH_CUSTOMER = '+201001200003';

describe('two WhatsApp numbers (sidecar sessions main and branch-2)', () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk();
    helpdesk.sidecar.sessions = ['main', 'branch-2'];
    // Away with no capacity: nothing is assigned to them, and an admin may reply to any ticket.
    admin = await createAgent(helpdesk, {
      name: 'Admin',
      role: 'admin',
      capacity: 0,
      availability: 'away',
    });
  });
  after(() => helpdesk.stop());

  const sendsTo = (phone: string): RecordedSend[] =>
    helpdesk.sidecar.sends.filter((send) => send.to === phone);
  /** The customer's tickets, oldest first, with their channel. */
  const ticketsOf = (phone: string) =>
    query<{ id: string; channel: string; provider: string }>(
      helpdesk.database.url,
      `SELECT t.id, t.channel, t.provider FROM tickets t JOIN customers c ON c.id = t.customer_id
        WHERE c.phone = $1 ORDER BY t.number`,
      [phone],
    );
  const ticketOn = async (phone: string, channel: string) => {
    const ticket = (await ticketsOf(phone)).find((candidate) => candidate.channel === channel);
    assert.ok(ticket, `${phone} has a ticket on ${channel}`);
    return ticket;
  };

  it('when a customer writes to each number, then each ticket carries its number’s channel and the bot answers from that number', async () => {
    for (const [phone, channel] of [
      [MAIN_CUSTOMER, 'main'],
      [BRANCH_CUSTOMER, 'branch-2'],
    ] as const) {
      const response = await helpdesk.postWppconnect(textEvent(phone, 'السلام عليكم', { channel }));
      assert.equal(response.status, 202);
    }
    for (const phone of [MAIN_CUSTOMER, BRANCH_CUSTOMER]) {
      await waitFor(() => sendsTo(phone).length >= 2, 10_000, `welcome and menu to ${phone}`);
    }

    assert.deepEqual(
      (await ticketsOf(MAIN_CUSTOMER)).map((t) => [t.provider, t.channel]),
      [['wppconnect', 'main']],
    );
    assert.deepEqual(
      (await ticketsOf(BRANCH_CUSTOMER)).map((t) => [t.provider, t.channel]),
      [['wppconnect', 'branch-2']],
    );
    assert.deepEqual(
      sendsTo(MAIN_CUSTOMER).map((send) => send.route),
      ['/api/sessions/main/send-message', '/api/sessions/main/send-message'],
    );
    assert.deepEqual(
      sendsTo(BRANCH_CUSTOMER).map((send) => send.route),
      ['/api/sessions/branch-2/send-message', '/api/sessions/branch-2/send-message'],
    );
  });

  it('when one phone writes to both numbers, then it has two tickets, one on each channel', async () => {
    await helpdesk.postWppconnect(textEvent(BOTH_CUSTOMER, 'hello main', { channel: 'main' }));
    await helpdesk.postWppconnect(textEvent(BOTH_CUSTOMER, 'hello branch', { channel: 'branch-2' }));
    const tickets = await waitFor(
      async () => {
        const found = await ticketsOf(BOTH_CUSTOMER);
        return found.length === 2 ? found : null;
      },
      10_000,
      'two tickets',
    );
    assert.deepEqual(tickets.map((t) => t.channel).sort(), ['branch-2', 'main']);
    const [customers] = await query<{ count: number }>(
      helpdesk.database.url,
      `SELECT count(*)::int AS count FROM customers WHERE phone = $1`,
      [BOTH_CUSTOMER],
    );
    assert.equal(customers!.count, 1, 'one customer, two tickets');
    const texts = await query<{ channel: string; text: string }>(
      helpdesk.database.url,
      `SELECT t.channel, m.text FROM messages m JOIN tickets t ON t.id = m.ticket_id
         JOIN customers c ON c.id = t.customer_id
        WHERE c.phone = $1 AND m.direction = 'inbound' ORDER BY t.channel`,
      [BOTH_CUSTOMER],
    );
    assert.deepEqual(
      texts.map((m) => [m.channel, m.text]),
      [
        ['branch-2', 'hello branch'],
        ['main', 'hello main'],
      ],
    );
  });

  it('when an agent replies on each ticket, then each reply goes out through its ticket’s session', async () => {
    const replies = [
      { phone: MAIN_CUSTOMER, channel: 'main', text: 'رد من الرقم الرئيسي' },
      { phone: BRANCH_CUSTOMER, channel: 'branch-2', text: 'رد من الفرع الثاني' },
      { phone: BOTH_CUSTOMER, channel: 'main', text: 'both, from main' },
      { phone: BOTH_CUSTOMER, channel: 'branch-2', text: 'both, from branch 2' },
    ];
    for (const reply of replies) {
      const ticket = await ticketOn(reply.phone, reply.channel);
      const answer = await admin.api.post(`/api/tickets/${ticket.id}/messages`, { text: reply.text });
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
    }
    for (const reply of replies) {
      const send = await waitFor(
        () => sendsTo(reply.phone).find((candidate) => candidate.text === reply.text),
        10_000,
        `"${reply.text}" sent`,
      );
      assert.equal(send.session, reply.channel, reply.text);
      assert.equal(send.route, `/api/sessions/${reply.channel}/send-message`, reply.text);
    }
    // Nothing a customer was sent went out from the other number.
    assert.ok(sendsTo(MAIN_CUSTOMER).every((send) => send.session === 'main'));
    assert.ok(sendsTo(BRANCH_CUSTOMER).every((send) => send.session === 'branch-2'));
    const statuses = await waitFor(
      async () => {
        const rows = await query<{ delivery_status: string }>(
          helpdesk.database.url,
          `SELECT delivery_status FROM messages WHERE text = ANY($1)`,
          [replies.map((reply) => reply.text)],
        );
        return rows.every((row) => row.delivery_status === 'sent') ? rows : null;
      },
      10_000,
      'replies marked sent',
    );
    assert.equal(statuses.length, replies.length);
  });

  it('when an agent sends a photo on the branch-2 ticket, then it goes through branch-2’s send-media', async () => {
    const ticket = await ticketOn(BRANCH_CUSTOMER, 'branch-2');
    const form = new FormData();
    form.set('text', 'وصفتك');
    form.set('file', new Blob([PNG], { type: 'image/png' }), 'rx.png');
    const response = await admin.api.fetch(`/api/tickets/${ticket.id}/messages`, {
      method: 'POST',
      body: form,
    });
    assert.equal(response.status, 201, await response.text());
    const send = await waitFor(
      () => sendsTo(BRANCH_CUSTOMER).find((candidate) => candidate.path === '/api/send-media'),
      10_000,
      'photo sent',
    );
    assert.equal(send.route, '/api/sessions/branch-2/send-media');
    assert.equal(send.type, 'image');
    assert.equal(send.caption, 'وصفتك');
    assert.equal(send.bytes, PNG.length);
  });

  it('when the branch-2 customer sends a photo, then it is fetched through branch-2’s media route and stored', async () => {
    const mediaId = `${createHash('sha256').update(PNG).digest('hex')}.png`;
    helpdesk.sidecar.media.set(mediaId, { body: PNG, mimeType: 'image/png' });
    const event = textEvent(BRANCH_CUSTOMER, '', { channel: 'branch-2' });
    Object.assign(event.message, {
      type: 'image',
      text: null,
      caption: 'my prescription',
      // As the sidecar names it: its shared media route, whichever session the photo came to.
      media: {
        id: mediaId,
        mimeType: 'image/png',
        filename: null,
        size: PNG.length,
        sha256: null,
        url: `${helpdesk.sidecar.url}/api/media/${mediaId}`,
      },
    });
    assert.equal((await helpdesk.postWppconnect(event)).status, 202);
    const [attachment] = await waitFor(
      () =>
        query<{ storage_key: string; size: number; channel: string }>(
          helpdesk.database.url,
          `SELECT a.storage_key, a.size, t.channel FROM attachments a JOIN messages m ON m.id = a.message_id
             JOIN tickets t ON t.id = m.ticket_id WHERE m.provider_message_id = $1`,
          [event.message.providerMessageId],
        ).then((rows) => (rows.length ? rows : null)),
      10_000,
      'photo stored',
    );
    assert.deepEqual(
      helpdesk.sidecar.mediaFetches.filter((fetch) => fetch.id === mediaId),
      [{ id: mediaId, session: 'branch-2', route: `/api/sessions/branch-2/media/${mediaId}` }],
    );
    assert.equal(attachment!.channel, 'branch-2');
    assert.equal(attachment!.size, PNG.length);
    assert.deepEqual(await readFile(join(helpdesk.uploadsDir, attachment!.storage_key)), PNG);
  });

  it('when the driver is asked for a number’s state, then it answers that session’s, and unknown for a number the sidecar lacks', async () => {
    const driver = await helpdesk.context.drivers.forChannel('wppconnect', 'branch-2');
    const branch = await driver.getStatus('branch-2');
    assert.deepEqual(
      { channel: branch.channel, state: branch.state, phone: branch.phone },
      { channel: 'branch-2', state: 'connected', phone: '+201000000001' },
    );
    const gone = await driver.getStatus('closed-branch');
    assert.equal(gone.state, 'unknown');
    assert.match(gone.detail ?? '', /HTTP 404 .*no session named/);
  });

  it('when a ticket’s number is not a session of the sidecar, then its replies fail and none goes out from another number', async () => {
    const phone = '+201001200009';
    await helpdesk.postWppconnect(textEvent(phone, 'hello', { channel: 'closed-branch' }));
    const failed = await waitFor(
      async () => {
        const rows = await query<{ delivery_status: string; error: string | null }>(
          helpdesk.database.url,
          `SELECT m.delivery_status, m.error FROM messages m JOIN tickets t ON t.id = m.ticket_id
             JOIN customers c ON c.id = t.customer_id
            WHERE c.phone = $1 AND m.direction = 'outbound'`,
          [phone],
        );
        return rows.length > 0 && rows.every((row) => row.delivery_status === 'failed') ? rows : null;
      },
      10_000,
      'the bot’s replies failed',
    );
    assert.match(failed[0]!.error ?? '', /no session named \\?"closed-branch\\?"/);
    assert.deepEqual(sendsTo(phone), []);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('two WhatsApp numbers on the real wpp-sidecar', () => {
  const apiKey = 'shared-sidecar-api-key-0123456789';
  let helpdesk: TestHelpdesk;
  let sidecar: TestSidecar;
  let admin: TestAgent;

  before(async () => {
    const sidecarPort = await freePort();
    helpdesk = await startTestHelpdesk({
      env: { SIDECAR_URL: `http://127.0.0.1:${sidecarPort}`, SIDECAR_API_KEY: apiKey },
    });
    sidecar = await startTestSidecar({
      env: {
        SIDECAR_PORT: String(sidecarPort),
        SIDECAR_API_KEY: apiKey,
        SIDECAR_WEBHOOK_SECRET: WEBHOOK_SECRET,
        HELPDESK_WEBHOOK_URL: `${helpdesk.url}/webhooks/wppconnect`,
        SESSION_NAME: 'main',
      },
      waitFor: 'connected',
    });
    const created = await fetch(`${sidecar.sidecar.url}/api/sessions`, {
      method: 'POST',
      headers: { 'x-api-key': apiKey, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'branch-2' }),
    });
    assert.equal(created.status, 201, await created.text());
    await sidecar.sidecar.waitForState('connected', 5000, 'branch-2');
    admin = await createAgent(helpdesk, {
      name: 'Admin',
      role: 'admin',
      capacity: 0,
      availability: 'away',
    });
  });
  after(async () => {
    await sidecar?.stop();
    await helpdesk?.stop();
  });

  const main = () => sidecar.phones.client('main');
  const branch = () => sidecar.phones.client('branch-2');
  const sentTo = (phone: 'main' | 'branch-2', chat: string) =>
    (phone === 'main' ? main() : branch()).sent.filter((call) => call.to === chat);

  it('when a customer writes to each number, then the welcome comes back from that number and the tickets carry its channel', async () => {
    main().emitMessage(fixtures.text('201001300001@c.us', 'to the main number'));
    branch().emitMessage(fixtures.text('201001300002@c.us', 'to branch 2'));
    await waitFor(() => sentTo('main', '201001300001@c.us').length >= 2, 20_000, 'main answers');
    await waitFor(() => sentTo('branch-2', '201001300002@c.us').length >= 2, 20_000, 'branch-2 answers');
    assert.deepEqual(sentTo('branch-2', '201001300001@c.us'), [], 'branch-2 never wrote to main’s customer');
    assert.deepEqual(sentTo('main', '201001300002@c.us'), [], 'main never wrote to branch-2’s customer');
    const tickets = await query<{ phone: string; channel: string }>(
      helpdesk.database.url,
      `SELECT c.phone, t.channel FROM tickets t JOIN customers c ON c.id = t.customer_id ORDER BY c.phone`,
    );
    assert.deepEqual(
      tickets.map((t) => [t.phone, t.channel]),
      [
        ['+201001300001', 'main'],
        ['+201001300002', 'branch-2'],
      ],
    );
  });

  it('when an agent replies to the branch-2 ticket, then branch-2’s phone sends it', async () => {
    const [ticket] = await query<{ id: string }>(
      helpdesk.database.url,
      `SELECT t.id FROM tickets t JOIN customers c ON c.id = t.customer_id WHERE c.phone = $1`,
      ['+201001300002'],
    );
    const before = main().sent.length;
    const answer = await admin.api.post(`/api/tickets/${ticket!.id}/messages`, { text: 'من الفرع الثاني' });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    await waitFor(
      () => sentTo('branch-2', '201001300002@c.us').some((call) => call.content === 'من الفرع الثاني'),
      20_000,
      'the reply sent by branch-2',
    );
    assert.equal(main().sent.length, before, 'main sent nothing');
  });

  it('when the branch-2 customer sends a photo, then the helpdesk stores the bytes on the branch-2 ticket', async () => {
    const photo = fixtures.image('201001300002@c.us', 4096);
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4092, 9)]);
    branch().setMedia(photo.id, bytes);
    branch().emitMessage(photo);
    const [attachment] = await waitFor(
      () =>
        query<{ size: number; sha256: string; channel: string }>(
          helpdesk.database.url,
          `SELECT a.size, a.sha256, t.channel FROM attachments a JOIN messages m ON m.id = a.message_id
             JOIN tickets t ON t.id = m.ticket_id WHERE m.provider_message_id = $1`,
          [photo.id],
        ).then((rows) => (rows.length ? rows : null)),
      20_000,
      'attachment',
    );
    assert.deepEqual(attachment, {
      size: 4096,
      sha256: createHash('sha256').update(bytes).digest('hex'),
      channel: 'branch-2',
    });
  });
});
