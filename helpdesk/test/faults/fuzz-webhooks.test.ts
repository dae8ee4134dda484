/**
 * Hostile input at the webhooks, generated with fast-check: malformed, oversized, wrongly signed,
 * wrongly encoded, deeply nested, prototype-polluting and path-traversing bodies. Never a 5xx,
 * never a crash, nothing written for what is refused, and the process stays responsive.
 */
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { sidecarWebhookSchema } from '../../src/whatsapp/drivers/wppconnect';
import { query } from '../support/database';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';

const ALLOWED = new Set([202, 400, 401, 413, 415]);

/** Bodies that must be refused: raw bytes, wrong shapes, hostile JSON. */
const hostileBody = fc.oneof(
  fc.uint8Array({ maxLength: 2048 }).map((bytes) => Buffer.from(bytes)),
  fc.string({ maxLength: 512 }).map((text) => Buffer.from(text)),
  fc.json({ maxDepth: 6 }).map((json) => Buffer.from(json)),
  fc.integer({ min: 200, max: 5000 }).map((depth) => Buffer.from('['.repeat(depth) + ']'.repeat(depth))),
  fc
    .integer({ min: 200, max: 3000 })
    .map((depth) => Buffer.from('{"a":'.repeat(depth) + '1' + '}'.repeat(depth))),
  fc.constantFrom(
    Buffer.from('{"__proto__":{"polluted":true},"eventId":"x","type":"message"}'),
    Buffer.from('{"constructor":{"prototype":{"polluted":true}},"type":"status"}'),
    Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x3a, 0x31, 0x7d]), // invalid UTF-8 inside JSON
    Buffer.from([0xef, 0xbb, 0xbf, 0x7b, 0x7d]), // a byte-order mark
    Buffer.from('null'),
    Buffer.from('"just a string"'),
    Buffer.alloc(0),
  ),
);

/** A valid event with one field replaced by something the schema refuses. */
const mutatedEvent = fc
  .record({
    field: fc.constantFrom(
      'timestamp',
      'type',
      'from',
      'providerMessageId',
      'channel',
      'media',
      'location',
      'provider',
      'text',
    ),
    value: fc.oneof(
      fc.string({ maxLength: 100 }),
      fc.integer(),
      fc.constant(null),
      fc.array(fc.string(), { maxLength: 3 }),
      fc.object({ maxDepth: 2 }),
    ),
  })
  .map(({ field, value }) => {
    const event = textEvent('+201001234567', 'hello') as { message: Record<string, unknown> };
    event.message[field] = value;
    return event;
  })
  .filter((event) => !sidecarWebhookSchema.safeParse(event).success)
  .map((event) => Buffer.from(JSON.stringify(event)));

describe('fuzzing the webhooks', () => {
  let helpdesk: TestHelpdesk;
  before(async () => {
    helpdesk = await startTestHelpdesk({ env: { WEBHOOK_MAX_BYTES: '65536' } });
  });
  after(() => helpdesk.stop());

  const post = (body: Buffer, options: { sign: boolean; contentType?: string }) =>
    options.sign
      ? helpdesk.postWppconnect(null, { rawBody: body.toString('latin1') })
      : fetch(`${helpdesk.url}/webhooks/wppconnect`, {
          method: 'POST',
          headers: {
            'content-type': options.contentType ?? 'application/json',
            'x-webhook-timestamp': '1',
            'x-webhook-signature': 'sha256=00',
          },
          body,
        });

  it('when thousands of hostile bodies arrive, signed or not, then none gets a 5xx and nothing is written', async () => {
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(
        hostileBody,
        fc.boolean(),
        fc.constantFrom('application/json', 'text/plain', 'application/json; charset=latin1'),
        async (body, sign, contentType) => {
          const response = await post(body, { sign, contentType });
          await response.arrayBuffer();
          seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
          return ALLOWED.has(response.status) && response.status !== 202;
        },
      ),
      { numRuns: 1500 },
    );
    await fc.assert(
      fc.asyncProperty(mutatedEvent, async (body) => {
        const response = await post(body, { sign: true });
        await response.arrayBuffer();
        seen.set(response.status, (seen.get(response.status) ?? 0) + 1);
        return response.status === 400;
      }),
      { numRuns: 800 },
    );
    assert.ok((seen.get(401) ?? 0) > 0 && (seen.get(400) ?? 0) > 0, `a mix of refusals: ${[...seen]}`);
    const [counts] = await query<{ customers: number; tickets: number; messages: number }>(
      helpdesk.database.url,
      `SELECT (SELECT count(*)::int FROM customers) AS customers, (SELECT count(*)::int FROM tickets) AS tickets,
              (SELECT count(*)::int FROM messages) AS messages`,
    );
    assert.deepEqual(counts, { customers: 0, tickets: 0, messages: 0 });
    assert.equal(await helpdesk.context.queues.inbound.count(), 0, 'nothing queued');
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype pollution');
    const health = await fetch(`${helpdesk.url}/health`);
    assert.equal(health.status, 200, 'still responsive');
  });

  it('when an oversized body arrives, then 413 and the server stays responsive', async () => {
    const response = await post(Buffer.alloc(70_000, 0x61), { sign: true });
    assert.equal(response.status, 413);
    assert.equal((await fetch(`${helpdesk.url}/health`)).status, 200);
  });

  it('when a media filename tries to leave the uploads folder, then the file is stored by hash inside it', async () => {
    const png = Buffer.from(
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
      'base64',
    );
    helpdesk.sidecar.media.set('../../etc/passwd', { body: png, mimeType: 'image/png' });
    const event = textEvent('+201001234599', '');
    Object.assign(event.message, {
      type: 'image',
      text: null,
      media: {
        id: '../../etc/passwd',
        mimeType: 'image/png',
        filename: '../../../../tmp/evil.sh',
        size: png.length,
        sha256: null,
        url: `${helpdesk.sidecar.url}/api/media/${encodeURIComponent('../../etc/passwd')}`,
      },
    });
    assert.equal((await helpdesk.postWppconnect(event)).status, 202);
    const [attachment] = await waitFor(
      () =>
        query<{ storage_key: string; original_filename: string }>(
          helpdesk.database.url,
          `SELECT storage_key, original_filename FROM attachments`,
        ).then((rows) => (rows.length ? rows : null)),
      10_000,
      'attachment',
    );
    assert.match(attachment!.storage_key, /^[0-9a-f]{64}\.png$/);
    assert.equal(attachment!.original_filename, '../../../../tmp/evil.sh', 'kept only as a label');
    assert.deepEqual(await readdir(helpdesk.uploadsDir), [attachment!.storage_key]);
  });
});
