/**
 * One end-to-end suite every WhatsApp driver passes (STYLE.md: one conformance suite run against
 * every backend). A provider fixture says how to post a customer's text, menu choice, image and a
 * delivery status the provider's way, and how to read what reached its stand-in; the suite then
 * checks that everything above the driver behaves the same: tickets, assignment, welcome and menu,
 * classification, delivery states, media, idempotency. Switching provider is configuration only.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_BOT_TEXTS } from '../../src/domain/bot-texts';
import { listTicketReports } from '../../src/use-cases/reports/list-ticket-reports';
import { query } from '../support/database';
import { waitFor, type TestHelpdesk } from '../support/harness';

export interface Customer {
  /** E.164. */
  phone: string;
  name: string;
}

/** A message as it reached the provider's stand-in. */
export interface SentMessage {
  /** `menu`: the service menu, rendered the provider's way. */
  kind: 'text' | 'menu';
  /** The text, or the menu's body. */
  text: string;
  /** The menu's option titles in order (menus only). */
  optionTitles?: string[];
  providerMessageId: string;
}

export interface ProviderFixture {
  provider: 'wppconnect' | 'cloud';
  /** HTTP status of an accepted webhook (the sidecar expects 202, Meta 200). */
  acceptedStatus: number;
  /** How the menu looks on this provider, for the assertion message. */
  menuShape: string;
  start(): Promise<TestHelpdesk>;
  /** Posts a customer's text message; returns the response and the provider message id. */
  postText(
    helpdesk: TestHelpdesk,
    customer: Customer,
    text: string,
    options?: { id?: string },
  ): Promise<{ response: Response; providerMessageId: string }>;
  /** Posts the customer's choice of a menu option, the provider's way. */
  postMenuChoice(
    helpdesk: TestHelpdesk,
    customer: Customer,
    option: { id: string; title: string; number: number },
  ): Promise<Response>;
  /** Makes `bytes` available at the provider and posts an image message carrying it. */
  postImage(helpdesk: TestHelpdesk, customer: Customer, bytes: Buffer, mediaId: string): Promise<Response>;
  /** Posts a delivery status for a message the helpdesk sent. */
  postStatus(
    helpdesk: TestHelpdesk,
    customer: Customer,
    providerMessageId: string,
    status: 'sent' | 'delivered' | 'read' | 'failed',
    error?: { code: number; title: string; details: string },
  ): Promise<Response>;
  /** What reached the stand-in for this customer, in order. */
  sent(helpdesk: TestHelpdesk, customer: Customer): SentMessage[];
  /** The requests that fetched a media item at the stand-in, in order. */
  mediaFetches(helpdesk: TestHelpdesk, mediaId: string): string[];
  /** The requests a media download makes on this provider (e.g. the Cloud API's two steps). */
  expectedMediaFetches(helpdesk: TestHelpdesk, mediaId: string): string[];
  /** Problems the stand-in found in the helpdesk's requests (must stay empty). */
  violations(helpdesk: TestHelpdesk): string[];
}

/** A real 1×1 PNG. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);

/** Registers the suite for one provider. */
export function runDriverConformance(fixture: ProviderFixture): void {
  describe(`driver conformance (${fixture.provider})`, () => {
    let helpdesk: TestHelpdesk;
    const tickets = () => listTicketReports(helpdesk.context.pool);
    const ticketOf = async (phone: string) =>
      (await tickets()).find((ticket) => ticket.customerPhone === phone);
    const outbound = (phone: string) =>
      query<{ provider_message_id: string; delivery_status: string; error: string | null; type: string }>(
        helpdesk.database.url,
        `SELECT m.provider_message_id, m.delivery_status, m.error, m.type FROM messages m
           JOIN tickets t ON t.id = m.ticket_id JOIN customers c ON c.id = t.customer_id
          WHERE c.phone = $1 AND m.direction = 'outbound' ORDER BY m.created_at`,
        [phone],
      );
    const mona: Customer = { phone: '+201001234567', name: 'Mona' };
    const omar: Customer = { phone: '+201001110001', name: 'Omar' };

    before(async () => {
      helpdesk = await fixture.start();
      for (const name of ['first', 'second']) {
        const added = await helpdesk.cli(
          'agents:add',
          '--name',
          name,
          '--email',
          `${name}@pharmacy.test`,
          '--password',
          'password-123',
          '--capacity',
          '5',
        );
        assert.equal(added.status, 0, added.stderr);
        assert.equal(
          (await helpdesk.cli('agents:availability', `${name}@pharmacy.test`, 'online')).status,
          0,
        );
      }
    });
    after(async () => {
      assert.deepEqual(fixture.violations(helpdesk), [], 'the stand-in found no broken rule');
      await helpdesk.stop();
    });

    it('when a new customer writes, then an assigned ticket opens and the welcome and menu arrive', async () => {
      const first = await fixture.postText(helpdesk, omar, 'hello');
      assert.equal(first.response.status, fixture.acceptedStatus);
      const omarTicket = await waitFor(
        async () => (await ticketOf(omar.phone))?.assignee && ticketOf(omar.phone),
        10_000,
        'first ticket assigned',
      );

      const { response } = await fixture.postText(helpdesk, mona, 'Good morning');
      assert.equal(response.status, fixture.acceptedStatus);
      await waitFor(() => fixture.sent(helpdesk, mona).length === 2, 10_000, 'welcome and menu');
      const ticket = await waitFor(
        async () => (await ticketOf(mona.phone))?.assignee && ticketOf(mona.phone),
        10_000,
        'assigned',
      );
      assert.equal(ticket!.status, 'open');
      assert.notEqual(ticket!.assignee, omarTicket!.assignee, 'the least-loaded agent gets it');
      const [welcome, menu] = fixture.sent(helpdesk, mona);
      assert.equal(welcome!.kind, 'text');
      assert.equal(welcome!.text, DEFAULT_BOT_TEXTS.welcome.en);
      assert.equal(menu!.kind, 'menu', `the menu is ${fixture.menuShape}`);
      assert.deepEqual(
        menu!.optionTitles,
        DEFAULT_BOT_TEXTS.menu.map((option) => option.title.en),
      );
      const rows = await outbound(mona.phone);
      assert.deepEqual(
        rows.map((row) => [row.type, row.delivery_status, row.provider_message_id]),
        [
          ['text', 'sent', welcome!.providerMessageId],
          ['interactive', 'sent', menu!.providerMessageId],
        ],
        'each reply is recorded with the provider message id',
      );
    });

    it('when the customer chooses a menu option, then the ticket is classified and a confirmation arrives', async () => {
      const option = DEFAULT_BOT_TEXTS.menu[1]!;
      const response = await fixture.postMenuChoice(helpdesk, mona, {
        id: option.id,
        title: option.title.en,
        number: 2,
      });
      assert.equal(response.status, fixture.acceptedStatus);
      const ticket = await waitFor(
        async () => (await ticketOf(mona.phone))?.category && ticketOf(mona.phone),
        10_000,
        'classified',
      );
      assert.equal(ticket!.category, 'order_status');
      await waitFor(() => fixture.sent(helpdesk, mona).length === 3, 10_000, 'confirmation');
      assert.match(fixture.sent(helpdesk, mona)[2]!.text, /Order status/);
      assert.equal((await tickets()).filter((t) => t.customerPhone === mona.phone).length, 1);
    });

    it('when delivery statuses arrive, then the messages move forward and a failure keeps its reason', async () => {
      const [welcome, menu, confirmation] = fixture.sent(helpdesk, mona);
      for (const status of ['delivered', 'read'] as const) {
        assert.equal(
          (await fixture.postStatus(helpdesk, mona, welcome!.providerMessageId, status)).status,
          fixture.acceptedStatus,
        );
      }
      await fixture.postStatus(helpdesk, mona, menu!.providerMessageId, 'delivered');
      await fixture.postStatus(helpdesk, mona, confirmation!.providerMessageId, 'failed', {
        code: 131026,
        title: 'Message Undeliverable',
        details: 'Unable to deliver message.',
      });
      const rows = await waitFor(
        async () => {
          const found = await outbound(mona.phone);
          const states = found.map((row) => row.delivery_status).join(',');
          return states === 'read,delivered,failed' ? found : null;
        },
        10_000,
        'statuses applied',
      );
      assert.match(rows[2]!.error ?? '', /131026|Undeliverable/);
      // A late "delivered" never undoes "read".
      await fixture.postStatus(helpdesk, mona, welcome!.providerMessageId, 'delivered');
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal((await outbound(mona.phone))[0]!.delivery_status, 'read');
    });

    it('when a customer sends an image, then its bytes are fetched, checked and stored by content hash', async () => {
      const sha256 = createHash('sha256').update(PNG).digest('hex');
      const response = await fixture.postImage(helpdesk, mona, PNG, 'media-conformance-1');
      assert.equal(response.status, fixture.acceptedStatus);
      const [attachment] = await waitFor(
        () =>
          query<{ storage_key: string; mime_type: string; size: number; sha256: string }>(
            helpdesk.database.url,
            `SELECT storage_key, mime_type, size, sha256 FROM attachments`,
          ).then((rows) => (rows.length ? rows : null)),
        10_000,
        'attachment stored',
      );
      assert.deepEqual(attachment, {
        storage_key: `${sha256}.png`,
        mime_type: 'image/png',
        size: PNG.length,
        sha256,
      });
      assert.deepEqual(await readFile(join(helpdesk.uploadsDir, `${sha256}.png`)), PNG);
      assert.deepEqual(
        fixture.mediaFetches(helpdesk, 'media-conformance-1'),
        fixture.expectedMediaFetches(helpdesk, 'media-conformance-1'),
      );
    });

    it('when the same message is delivered twice, then nothing doubles', async () => {
      const ali: Customer = { phone: '+201001234570', name: 'Ali' };
      const { providerMessageId } = await fixture.postText(helpdesk, ali, 'hello twice');
      await fixture.postText(helpdesk, ali, 'hello twice', { id: providerMessageId });
      await waitFor(() => fixture.sent(helpdesk, ali).length === 2, 10_000, 'welcome and menu');
      await fixture.postText(helpdesk, ali, 'hello twice', { id: providerMessageId });
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const mine = (await tickets()).filter((ticket) => ticket.customerPhone === ali.phone);
      assert.equal(mine.length, 1);
      assert.equal(mine[0]!.messages.filter((message) => message.direction === 'inbound').length, 1);
      assert.equal(fixture.sent(helpdesk, ali).length, 2, 'one welcome, one menu');
    });
  });
}
