/**
 * The real wpp-sidecar and a real helpdesk together: WhatsApp is the only stand-in (the sidecar's
 * fake WPPConnect client, fed message objects shaped as WPPConnect emits them). A customer's
 * message travels sidecar → signed webhook → helpdesk → ticket, and the helpdesk's welcome comes
 * back out as a `sendText` call to the customer's `@c.us` id; media and delivery acks too; and
 * long, heavy or odd messages (issue 11) are stored once each instead of being dead-lettered.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startSidecar, type RunningSidecar } from '../../../wpp-sidecar/src/app';
import { FakeWppClient } from '../../../wpp-sidecar/test/fake-wppconnect-client';
import { testEnv, type TestEnv } from '../../../wpp-sidecar/test/helpers';
import { ack, fixtures, hostile } from '../../../wpp-sidecar/test/wpp-fixtures';
import { listTicketReports } from '../../src/use-cases/reports/list-ticket-reports';
import { query } from '../support/database';
import {
  addOnlineAgent,
  startTestHelpdesk,
  WEBHOOK_SECRET,
  waitFor,
  type TestHelpdesk,
} from '../support/harness';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const apiKey = 'shared-sidecar-api-key-0123456789';

describe('wpp-sidecar and helpdesk together', () => {
  let helpdesk: TestHelpdesk;
  let sidecarEnv: TestEnv;
  let sidecar: RunningSidecar;
  const fake = new FakeWppClient();

  before(async () => {
    const sidecarPort = await freePort();
    helpdesk = await startTestHelpdesk({
      env: { SIDECAR_URL: `http://127.0.0.1:${sidecarPort}`, SIDECAR_API_KEY: apiKey },
    });
    sidecarEnv = await testEnv({
      SIDECAR_PORT: String(sidecarPort),
      SIDECAR_API_KEY: apiKey,
      SIDECAR_WEBHOOK_SECRET: WEBHOOK_SECRET,
      HELPDESK_WEBHOOK_URL: `${helpdesk.url}/webhooks/wppconnect`,
      SESSION_NAME: 'pharmacy',
    });
    sidecar = await startSidecar({
      config: sidecarEnv.config,
      clientFactory: fake.factory(),
      printQrToTerminal: false,
    });
    await sidecar.waitForState('connected');
    await addOnlineAgent(helpdesk, 'sara@pharmacy.test', 5);
  });
  after(async () => {
    await sidecar?.stop();
    await sidecarEnv?.cleanup();
    await helpdesk?.stop();
  });

  it("when a customer writes on WhatsApp, then a ticket opens and the welcome goes back to the customer's @c.us id", async () => {
    fake.emitMessage(fixtures.text('201001234567@c.us', 'السلام عليكم، أريد إعادة صرف روشتة'));
    const sent = await waitFor(
      () => (fake.sent.length >= 2 ? fake.sent : null),
      20_000,
      'welcome and menu through the sidecar',
    );
    assert.deepEqual(
      sent.map((call) => [call.method, call.to]),
      [
        ['sendText', '201001234567@c.us'],
        ['sendText', '201001234567@c.us'],
      ],
    );
    assert.match(sent[0]!.content, /أهلاً/);
    assert.match(sent[1]!.content, /^1\. /m);

    // Assignment runs beside the sending: wait for it rather than race it.
    const ticket = await waitFor(
      async () => {
        const [report] = await listTicketReports(helpdesk.context.pool);
        return report?.assignee ? report : null;
      },
      10_000,
      'the ticket assigned',
    );
    assert.equal(ticket.customerPhone, '+201001234567');
    assert.equal(ticket.channel, 'pharmacy');
    assert.equal(ticket.assignee, 'sara@pharmacy.test');
    await waitFor(
      async () =>
        (await listTicketReports(helpdesk.context.pool))[0]!.messages.filter(
          (m) => m.deliveryStatus === 'sent',
        ).length === 2,
      5000,
      'sends recorded',
    );
  });

  it('when WhatsApp acknowledges delivery of the welcome, then its delivery status becomes delivered', async () => {
    const welcome = fake.sent[0]!;
    fake.emitAck(ack(welcome.id!, 2));
    await waitFor(
      () =>
        query<{ delivery_status: string }>(
          helpdesk.database.url,
          `SELECT delivery_status FROM messages WHERE provider_message_id = $1`,
          [welcome.id],
        ).then((rows) => rows[0]?.delivery_status === 'delivered'),
      10_000,
      'delivered',
    );
  });

  it('when the customer sends a photo, then the helpdesk stores the bytes it fetched from the sidecar', async () => {
    const photo = fixtures.image('201001234567@c.us', 4096);
    const bytes = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(4092, 7)]);
    fake.setMedia(photo.id, bytes);
    fake.emitMessage(photo);
    const [attachment] = await waitFor(
      () =>
        query<{ size: number; mime_type: string }>(
          helpdesk.database.url,
          `SELECT a.size, a.mime_type FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.provider_message_id = $1`,
          [photo.id],
        ).then((rows) => (rows.length ? rows : null)),
      20_000,
      'attachment',
    );
    assert.deepEqual(attachment, { size: 4096, mime_type: 'image/jpeg' });
  });

  it('when a customer sends a long-named document, a heavy contact share, NULs and a deeply nested message, then each is stored once and nothing is dead-lettered', async () => {
    const chat = '201007778889@c.us';
    const document = hostile.longArabicFilename(chat);
    fake.setMedia(document.id, Buffer.from('%PDF-1.4 lab results'));
    const contacts = hostile.contactShare(12, 60_000, chat);
    const withNul = hostile.withNul(chat);
    const deep = hostile.deeplyNested(5000, chat);
    const next = fixtures.text(chat, 'the next message');
    const all = [document, contacts, withNul, deep, next];
    for (const message of all) fake.emitMessage(message);

    const ids = all.map((m) => m.id);
    const rows = await waitFor(
      () =>
        query<{ provider_message_id: string; copies: number; type: string; text: string | null }>(
          helpdesk.database.url,
          `SELECT provider_message_id, count(*)::int AS copies, min(type) AS type, min(text) AS text
             FROM messages WHERE provider_message_id = ANY($1) GROUP BY provider_message_id`,
          [ids],
        ).then((found) => (found.length === all.length ? found : null)),
      60_000,
      'the five messages stored',
    );
    const byId = new Map(rows.map((row) => [row.provider_message_id, row]));
    for (const id of ids) assert.equal(byId.get(id)?.copies, 1, `${id} stored exactly once`);

    const [attachment] = await query<{ original_filename: string | null }>(
      helpdesk.database.url,
      `SELECT a.original_filename FROM attachments a JOIN messages m ON m.id = a.message_id
        WHERE m.provider_message_id = $1`,
      [document.id],
    );
    const filename = attachment?.original_filename ?? '';
    assert.ok(filename.length > 0 && filename.length <= 255, `filename of ${filename.length} characters`);
    assert.ok(filename.endsWith('.pdf'), filename);

    const card = byId.get(contacts.id)!;
    assert.equal(card.text?.match(/BEGIN:VCARD/g)?.length, 12);
    assert.doesNotMatch(card.text ?? '', /PHOTO/);

    const nul = byId.get(withNul.id)!;
    assert.ok(nul.text && !nul.text.includes('\u0000'), `text ${JSON.stringify(nul.text)}`);
    const [customer] = await query<{ name: string | null }>(
      helpdesk.database.url,
      `SELECT name FROM customers WHERE phone = $1`,
      ['+201007778889'],
    );
    assert.ok(customer?.name && !customer.name.includes('\u0000'), `name ${JSON.stringify(customer?.name)}`);

    assert.equal(byId.get(deep.id)!.text, 'see the quoted chain');
    assert.equal(byId.get(next.id)!.text, 'the next message');

    const outbox = await fetch(`${sidecar.url}/api/outbox`, { headers: { 'x-api-key': apiKey } });
    const stats = (await outbox.json()) as { counts: { failed: number }; failed: unknown[] };
    assert.equal(stats.counts.failed, 0, `dead letters: ${JSON.stringify(stats.failed)}`);
  });
});
