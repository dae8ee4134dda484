/**
 * The sidecar's events against the contract (`@whatsapp-helpdesk/contract/sidecar-events`): every
 * fixture message and ack, normalised and fitted as the inbound handler does, is in the exact form the
 * contract says the sidecar emits, and is accepted by the schema the helpdesk validates with.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  sidecarWebhookEventSchema,
  webhookEventSchema,
  type SidecarInboundMedia,
  type SidecarWebhookEvent,
} from '@whatsapp-helpdesk/contract/sidecar-events';
import { ackEventId, messageEventId } from '../src/events/event-id';
import { fitChangeEvent, fitMessageEvent } from '../src/events/fit-event';
import {
  changeFromMessage,
  toDeletion,
  toEdit,
  toReaction,
  type Change,
} from '../src/events/normalize-change';
import { toDeliveryStatus } from '../src/events/normalize-ack';
import { MEDIA_TYPES, toInboundMessage } from '../src/events/normalize-message';
import { DEFAULT_WEBHOOK_MAX_BYTES } from '../src/events/webhook-limits';
import type { WppMessage } from '../src/events/wpp-types';
import { ack, editOf, fixtures, hostile, kinds, reactionTo, revokeOf } from './wpp-fixtures';

const media: SidecarInboundMedia = {
  id: 'a'.repeat(32),
  mimeType: 'application/pdf',
  filename: 'lab-results.pdf',
  size: 5000,
  sha256: 'b'.repeat(64),
  url: 'http://127.0.0.1:21465/api/media/aaaa',
};

/** Both schemas' first problem, or null when the event passes both. */
function problems(event: SidecarWebhookEvent): string | null {
  for (const [name, schema] of [
    ['emitted', sidecarWebhookEventSchema],
    ['accepted', webhookEventSchema],
  ] as const) {
    const parsed = schema.safeParse(JSON.parse(JSON.stringify(event)));
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return `${name}: ${issue.path.join('.')}: ${issue.message}`;
    }
  }
  return null;
}

describe('events against the contract', () => {
  const messages = Object.entries({ ...fixtures, ...hostile, ...kinds }).map(
    ([name, make]) => [name, (make as () => WppMessage)()] as const,
  );

  for (const [name, message] of messages) {
    it(`when the ${name} fixture is forwarded, then its event is the contract's emitted and accepted form`, () => {
      const inbound = toInboundMessage(message, {
        channel: 'test',
        phone: '+201001234567',
        lid: null,
        media: MEDIA_TYPES.has(message.type) ? media : null,
      });
      const event = fitMessageEvent(
        { eventId: messageEventId('test', message.id), type: 'message', message: inbound },
        DEFAULT_WEBHOOK_MAX_BYTES,
      );
      assert.equal(problems(event), null);
    });
  }

  it("when edits, deletions and reactions are forwarded, then each event is the contract's emitted and accepted form", () => {
    const options = { channel: 'test', forwardGroups: false };
    const m = fixtures.text();
    const changes = [
      toEdit(editOf(m, 'edited text'), options),
      toDeletion(revokeOf(m), options),
      toReaction(
        reactionTo('true_201001234567@c.us_3EB0OURS', '👍'),
        { phone: '+201001234567', lid: null },
        options,
      ),
      toReaction(
        reactionTo('true_201001234567@c.us_3EB0OURS', ''),
        { phone: null, lid: '1234@lid' },
        options,
      ),
      changeFromMessage(kinds.revoked(), options),
      changeFromMessage(kinds.protocolRevoke(), options),
      changeFromMessage(kinds.protocolEdit(), options),
    ];
    for (const change of changes) {
      assert.ok(!('skip' in change), JSON.stringify(change));
      const { chat: _chat, ...event } = change as Change;
      assert.equal(problems(fitChangeEvent(event, DEFAULT_WEBHOOK_MAX_BYTES)), null);
    }
  });

  it("when acks are forwarded, then each status event is the contract's emitted and accepted form", () => {
    const id = 'true_201001234567@c.us_3EB0C0FFEE';
    for (const value of [-7, -1, 1, 2, 3, 4]) {
      const status = toDeliveryStatus(ack(id, value), 'test');
      assert.ok(status, `ack ${value} is forwarded`);
      assert.equal(problems({ eventId: ackEventId('test', id, value), type: 'status', status }), null);
    }
  });
});
