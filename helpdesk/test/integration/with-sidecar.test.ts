/**
 * The real wpp-sidecar and a real helpdesk together: WhatsApp is the only stand-in (the sidecar's
 * fake WPPConnect client, fed message objects shaped as WPPConnect emits them). A customer's
 * message travels sidecar → signed webhook → helpdesk → ticket, and the helpdesk's welcome comes
 * back out as a `sendText` call to the customer's `@c.us` id; media and delivery acks too.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startSidecar, type RunningSidecar } from '../../../wpp-sidecar/src/app';
import { FakeWppClient } from '../../../wpp-sidecar/test/fake-wppconnect-client';
import { testEnv, type TestEnv } from '../../../wpp-sidecar/test/helpers';
import { ack, fixtures } from '../../../wpp-sidecar/test/wpp-fixtures';
import { listTicketReports } from '../../src/services/ticket-report';
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

describe('wpp-sidecar and helpdesk together', () => {
  let helpdesk: TestHelpdesk;
  let sidecarEnv: TestEnv;
  let sidecar: RunningSidecar;
  const fake = new FakeWppClient();

  before(async () => {
    const sidecarPort = await freePort();
    const apiKey = 'shared-sidecar-api-key-0123456789';
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

    const [ticket] = await listTicketReports(helpdesk.context.db);
    assert.equal(ticket!.customerPhone, '+201001234567');
    assert.equal(ticket!.channel, 'pharmacy');
    assert.equal(ticket!.assignee, 'sara@pharmacy.test');
    await waitFor(
      async () =>
        (await listTicketReports(helpdesk.context.db))[0]!.messages.filter((m) => m.deliveryStatus === 'sent')
          .length === 2,
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
});
