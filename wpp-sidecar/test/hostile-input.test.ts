/**
 * Real customer messages that are long, heavy or odd reach the helpdesk instead of being dead-lettered
 * (issue 11, items 5 and 6 and the nesting depth): WPPConnect-shaped messages through the real sidecar
 * (fake WhatsApp client, BullMQ outbox on Redis) to a stand-in helpdesk that enforces the helpdesk's
 * real rules (its zod schema and WEBHOOK_MAX_BYTES, see helpdesk-rules.ts) and answers 400/413 as it does.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSidecar } from '../src/app';
import type { SidecarInboundMessage } from '@whatsapp-helpdesk/contract/sidecar-events';
import type { FakeWppClient } from './fake-wppconnect-client';
import { API_KEY, HelpdeskStub, waitFor, type ReceivedWebhook } from './helpers';
import { helpdeskRules } from './helpdesk-rules';
import { startTestSidecar, type TestSidecar } from './test-sidecar';
import { fixtures, hostile } from './wpp-fixtures';
import type { WppMessage } from '../src/events/wpp-types';

interface Harness {
  helpdesk: HelpdeskStub;
  running: TestSidecar;
  fake: FakeWppClient;
  sidecar: RunningSidecar;
}

async function startHarness(maxBytes?: number): Promise<Harness> {
  const helpdesk = new HelpdeskStub();
  helpdesk.check = helpdeskRules(maxBytes);
  const url = await helpdesk.start();
  const env: Record<string, string> = { HELPDESK_WEBHOOK_URL: url };
  if (maxBytes) env.WEBHOOK_MAX_BYTES = String(maxBytes);
  const running = await startTestSidecar({ env, waitFor: 'connected' });
  return { helpdesk, running, fake: running.fake, sidecar: running.sidecar };
}

/** Emit a message; resolves with what the helpdesk accepted; fails at once if the helpdesk refused it. */
async function forward(
  h: Harness,
  message: WppMessage,
): Promise<{ inbound: SidecarInboundMessage; hit: ReceivedWebhook }> {
  const refusedBefore = h.helpdesk.rejected.length;
  h.fake.emitMessage(message);
  const hit = await waitFor(() => {
    const refused = h.helpdesk.rejected.slice(refusedBefore);
    if (refused.length > 0) throw new Error(`the helpdesk refused an event: ${JSON.stringify(refused)}`);
    return h.helpdesk.received.find(
      (r) => r.event.type === 'message' && r.event.message.providerMessageId === message.id,
    );
  }, `webhook for ${message.id}`);
  assert.equal(hit.event.type, 'message');
  return { inbound: (hit.event as { message: SidecarInboundMessage }).message, hit };
}

/** Dead letters of the outbox, as `GET /api/outbox` lists them. */
async function deadLetters(h: Harness): Promise<string[]> {
  const res = await fetch(`${h.sidecar.url}/api/outbox`, { headers: { 'x-api-key': API_KEY } });
  return ((await res.json()) as { failed: Array<{ eventId: string }> }).failed.map((f) => f.eventId);
}

function depthOf(value: unknown): number {
  if (value === null || typeof value !== 'object') return 0;
  let deepest = 0;
  for (const item of Object.values(value)) deepest = Math.max(deepest, depthOf(item));
  return deepest + 1;
}

describe('hostile input at the helpdesk default limits', () => {
  let h: Harness;

  before(async () => {
    h = await startHarness();
  });

  after(async () => {
    await h?.running.stop();
    await h?.helpdesk.stop();
  });

  it('when a document has a 300-character Arabic filename, then it is forwarded with the name cut to 255 (extension kept) and nothing is dead-lettered', async () => {
    const m = hostile.longArabicFilename();
    h.fake.setMedia(m.id, Buffer.from('%PDF-1.4 lab results'));
    const { inbound } = await forward(h, m);
    assert.equal(inbound.type, 'document');
    const filename = inbound.media?.filename ?? '';
    assert.equal(filename.length, 255);
    assert.ok(filename.startsWith('تقرير_تحاليل_المختبر'), filename);
    assert.ok(filename.endsWith('….pdf'), filename);
    assert.deepEqual(inbound.raw.sidecarTruncated, { 'media.filename': 304 });
    // `caption` repeats the filename with `isCaptionByUser: false` (issue 12): not a caption, so nothing
    // to keep whole; the name is in `media.filename` (cut above).
    assert.equal(inbound.caption, null, 'the filename WhatsApp put in caption is not a caption');
    assert.deepEqual(await deadLetters(h), []);
  });

  it('when a contact share of 12 cards with photos arrives, then it is forwarded under WEBHOOK_MAX_BYTES with every card and no photo', async () => {
    const m = hostile.contactShare(12, 60_000);
    const shared = (m.vcardList as Array<{ vcard: string }>).reduce(
      (sum, card) => sum + card.vcard.length,
      0,
    );
    assert.ok(
      shared > 900_000,
      'the cards alone are ~1 MB: over the text limit, and twice over 1 MiB with raw',
    );
    const { inbound, hit } = await forward(h, m);
    assert.ok(Buffer.byteLength(hit.rawBody) <= 1024 * 1024, `${Buffer.byteLength(hit.rawBody)} bytes`);
    assert.equal(inbound.type, 'contact');
    assert.equal(inbound.text?.match(/BEGIN:VCARD/g)?.length, 12);
    assert.match(inbound.text ?? '', /FN:صيدلية رقم 12/);
    assert.match(inbound.text ?? '', /waid=201000000011/);
    assert.doesNotMatch(hit.rawBody, /PHOTO/);
    const cards = inbound.raw.vcardList as Array<{ displayName: string; vcard: string }>;
    assert.equal(cards.length, 12);
    assert.equal(cards[11]!.displayName, 'صيدلية رقم 12');
    assert.deepEqual(await deadLetters(h), []);
  });

  it('when text, sender name and raw carry NUL characters, then they arrive without them', async () => {
    const { inbound, hit } = await forward(h, hostile.withNul());
    assert.equal(inbound.text, 'need a refill');
    assert.equal(inbound.from.name, 'Mona Ali');
    assert.ok(!hit.rawBody.includes('\\u0000'), 'no NUL anywhere in the body');
    assert.equal(inbound.raw.oddkey, 'value');
    assert.deepEqual(inbound.raw.links, [{ url: 'https://example.com/x', suspicious: false }]);
    assert.deepEqual(await deadLetters(h), []);
  });

  it('when raw is nested 5,000 levels deep, then the message is forwarded with raw capped at 32 levels and the next message follows', async () => {
    const deep = hostile.deeplyNested(5000);
    const next = fixtures.text('201001234567@c.us', 'the next message');
    const { inbound } = await forward(h, deep);
    const { inbound: after } = await forward(h, next);
    assert.equal(inbound.text, 'see the quoted chain');
    assert.ok(depthOf(inbound.raw) <= 33, `raw depth ${depthOf(inbound.raw)}`);
    assert.match(JSON.stringify(inbound.raw), /\[nested too deep\]/);
    assert.equal(after.text, 'the next message');
    assert.deepEqual(await deadLetters(h), []);
  });

  it('when reading a message throws (an odd object), then it is still forwarded, as unknown with a note', async () => {
    const m = fixtures.text('201001234567@c.us', 'odd');
    Object.defineProperty(m, 'notifyName', {
      enumerable: true,
      get() {
        throw new Error('getter failed');
      },
    });
    const { inbound } = await forward(h, m);
    assert.equal(inbound.type, 'unknown');
    assert.equal(inbound.providerMessageId, m.id);
    assert.match(String(inbound.raw.sidecarNote), /could not be normalised: getter failed/);
    assert.deepEqual(await deadLetters(h), []);
  });

  it('when a text is 70,000 characters, then it is cut to the helpdesk limit of 65,536 and noted in raw', async () => {
    const { inbound } = await forward(h, hostile.longText(70_000));
    assert.equal(inbound.type, 'text');
    assert.equal(inbound.text?.length, 65_536);
    assert.ok(inbound.text?.endsWith('…'));
    assert.deepEqual(inbound.raw.sidecarTruncated, { text: 70_000 });
    assert.deepEqual(await deadLetters(h), []);
  });
});

describe('hostile input at a lowered WEBHOOK_MAX_BYTES', () => {
  const LIMIT = 16 * 1024;
  let h: Harness;

  before(async () => {
    h = await startHarness(LIMIT);
  });

  after(async () => {
    await h?.running.stop();
    await h?.helpdesk.stop();
  });

  it('when only raw makes the event too big, then raw is reduced to a summary with a note and the text is whole', async () => {
    const m = hostile.longText(3000);
    const { inbound, hit } = await forward(h, m);
    assert.ok(Buffer.byteLength(hit.rawBody) <= LIMIT);
    assert.equal(inbound.type, 'text');
    assert.equal(inbound.text, m.body);
    assert.equal(inbound.raw.id, m.id);
    assert.match(String(inbound.raw.sidecarNote), /raw omitted: event was \d+ bytes/);
  });

  it('when the text itself is too big, then it arrives as type unknown with a note saying why, in Arabic and English', async () => {
    const m = hostile.longText(60_000);
    const { inbound, hit } = await forward(h, m);
    assert.ok(Buffer.byteLength(hit.rawBody) <= LIMIT, `${Buffer.byteLength(hit.rawBody)} bytes`);
    assert.equal(inbound.type, 'unknown');
    assert.match(inbound.text ?? '', /^\[هذه الرسالة أكبر من الحد المسموح/);
    assert.match(inbound.text ?? '', /too large to forward \(\d+ bytes; the limit is 16384 bytes\)/);
    assert.ok(
      (inbound.text ?? '').includes((m.body as string).slice(0, 1000)),
      'the start of the text is kept',
    );
    assert.equal(inbound.raw.originalType, 'text');
    assert.deepEqual(await deadLetters(h), []);
  });
});
