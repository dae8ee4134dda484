/**
 * The inbound edge of the WhatsApp Cloud API against odd input (issue 11): long fields shortened
 * rather than the item dropped, unreadable items kept as `unknown` with a note, NUL characters
 * removed, deep nesting capped, and media over MEDIA_MAX_BYTES stored at once without retries —
 * through the real HTTP stack, PostgreSQL, Redis, BullMQ workers and the stand-in Graph API. Each
 * message is stored exactly once and Meta gets its 200.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { query } from '../support/database';
import { startTestHelpdesk, waitFor, type TestHelpdesk } from '../support/harness';
import { message, messagesValue, notification, type Sender } from '../support/cloud-payloads';
import type { StandInGraphApi } from '../support/stand-in-graph-api';

interface StoredMessage {
  type: string;
  text: string | null;
  error: string | null;
  raw: unknown;
  customer_name: string | null;
  attachments: number;
  filename: string | null;
}

describe('the inbound edge (Cloud API)', () => {
  let helpdesk: TestHelpdesk;
  let graph: StandInGraphApi;

  const storedAs = (providerMessageId: string) =>
    query<StoredMessage>(
      helpdesk.database.url,
      `SELECT m.type, m.text, m.error, m.raw, c.name AS customer_name,
              (SELECT count(*)::int FROM attachments a WHERE a.message_id = m.id) AS attachments,
              (SELECT a.original_filename FROM attachments a WHERE a.message_id = m.id LIMIT 1) AS filename
         FROM messages m JOIN tickets t ON t.id = m.ticket_id JOIN customers c ON c.id = t.customer_id
        WHERE m.provider = 'cloud' AND m.provider_message_id = $1`,
      [providerMessageId],
    );
  const settled = () =>
    waitFor(
      async () => {
        const counts = await helpdesk.context.queues.inbound.getJobCounts(
          'waiting',
          'active',
          'delayed',
          'prioritized',
        );
        return Object.values(counts).every((count) => count === 0);
      },
      10_000,
      'the inbound queue settled',
    );
  /**
   * Posts the notification, expects 200 with every item accepted, waits for each message, posts it
   * again (Meta redelivers) and checks each is stored exactly once. @returns the rows, in order.
   */
  const postAndStoreOnce = async (
    body: Record<string, unknown>,
    ids: string[],
    rawBody?: string,
  ): Promise<StoredMessage[]> => {
    const response = await helpdesk.postCloud(body, { rawBody });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { accepted: ids.length, rejected: 0 });
    await waitFor(
      async () => (await Promise.all(ids.map(storedAs))).every((found) => found.length > 0),
      10_000,
      'every message stored',
    );
    assert.equal((await helpdesk.postCloud(body, { rawBody })).status, 200, 'the redelivery is accepted');
    await settled();
    const rows = await Promise.all(ids.map(storedAs));
    assert.deepEqual(
      rows.map((found) => found.length),
      ids.map(() => 1),
      'each stored exactly once',
    );
    return rows.map((found) => found[0]!);
  };

  before(async () => {
    helpdesk = await startTestHelpdesk({ provider: 'cloud', env: { MEDIA_MAX_BYTES: '1000' } });
    graph = helpdesk.graph!;
  });
  after(async () => {
    assert.deepEqual(graph.violations, [], 'the stand-in Graph API found no broken rule');
    await helpdesk.stop();
  });

  it('when a document has a 300-character Arabic filename, a text 70,000 characters and a share 120 cards, then each is stored once, shortened', async () => {
    const from: Sender = { waId: '201001231001', name: 'Long' };
    const filename = `${'وصفة طبية للصيدلية '.repeat(16).slice(0, 296)}.pdf`;
    graph.media.set('doc-long', { body: Buffer.from('doc-long'), mimeType: 'application/pdf' });
    const document = message.document(from, { id: 'doc-long', filename });
    const text = message.text(from, 'ا'.repeat(70_000));
    const share = message.contacts(from) as Record<string, unknown>;
    share.contacts = Array.from({ length: 120 }, (_, index) => ({
      name: { formatted_name: `Contact ${index + 1}` },
      phones: [{ phone: `+20 100 123 ${String(index).padStart(4, '0')}` }],
    }));
    const [storedDocument, storedText, storedShare] = await postAndStoreOnce(
      notification(messagesValue(from, [document, text, share])),
      [document.id, text.id, share.id as string],
    );
    assert.equal(storedDocument!.type, 'document');
    assert.equal(storedDocument!.attachments, 1);
    assert.equal(storedDocument!.filename!.length, 255);
    assert.ok(storedDocument!.filename!.endsWith('….pdf'));
    assert.equal(storedText!.type, 'text');
    assert.equal(storedText!.text!.length, 65_536);
    assert.equal(storedShare!.type, 'contact');
    assert.match(storedShare!.text!, /^Contact 1: \+20 100 123 0000\n/);
    assert.match(storedShare!.text!, /Contact 120: \+20 100 123 0119$/);
  });

  it('when an item cannot be read but has an id and a sender, then it is stored once as unknown with a note', async () => {
    const from: Sender = { waId: '201001231002', name: 'Odd' };
    const odd = message.image(from, { id: 'img-odd', bytes: Buffer.from('x') }) as Record<string, unknown>;
    odd.image = 'not an object';
    const [row] = await postAndStoreOnce(notification(messagesValue(from, [odd])), [odd.id as string]);
    assert.equal(row!.type, 'unknown');
    assert.equal(row!.attachments, 0);
    assert.match(row!.error ?? '', /Could not be read in full.*type image: image/);
    assert.equal((row!.raw as { message: { image: string } }).message.image, 'not an object');
  });

  it('when the profile name, text and raw hold NUL characters, then the message is stored, and so is the next one of that customer', async () => {
    const from: Sender = { waId: '201001231003', name: 'Sa\u0000ra' };
    const first = { ...message.text(from, 'hel\u0000lo'), ['odd\u0000key']: 'va\u0000lue' };
    const [row] = await postAndStoreOnce(notification(messagesValue(from, [first])), [first.id]);
    assert.equal(row!.text, 'hello');
    assert.equal(row!.customer_name, 'Sara');
    assert.equal((row!.raw as { message: Record<string, string> }).message.oddkey, 'value');
    const second = message.text(from, 'again');
    const [next] = await postAndStoreOnce(notification(messagesValue(from, [second])), [second.id]);
    assert.equal(next!.text, 'again');
  });

  it('when a message is nested 5,000 levels deep, then Meta gets its 200 and the message is stored with the depth capped', async () => {
    const from: Sender = { waId: '201001231004', name: 'Deep' };
    const deep = { ...message.text(from, 'deep'), extra: 'NESTED' };
    const body = notification(messagesValue(from, [deep]));
    // Written by hand: JSON.stringify itself cannot go 5,000 levels deep.
    const rawBody = JSON.stringify(body).replace(
      '"NESTED"',
      `${'{"a":'.repeat(5000)}"bottom"${'}'.repeat(5000)}`,
    );
    const [row] = await postAndStoreOnce(body, [deep.id], rawBody);
    assert.equal(row!.text, 'deep');
    assert.match(JSON.stringify(row!.raw), /nested deeper than 32 levels/);
  });

  it('when an image is larger than MEDIA_MAX_BYTES, then the message is stored at once with the reason, downloaded once', async () => {
    const from: Sender = { waId: '201001231005', name: 'Big' };
    const bytes = Buffer.alloc(2000, 1);
    graph.media.set('img-big', { body: bytes, mimeType: 'image/png' });
    const image = message.image(from, { id: 'img-big', bytes });
    const [row] = await postAndStoreOnce(notification(messagesValue(from, [image])), [image.id]);
    assert.equal(row!.attachments, 0);
    assert.match(row!.error ?? '', /stored without it: media is larger than 1000 bytes$/);
    assert.deepEqual(
      graph.requests.filter((request) => request === 'GET /download/img-big'),
      ['GET /download/img-big'],
      'one download, no retry',
    );
  });
});
