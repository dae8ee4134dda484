/**
 * The inbox's page cursor: what one sort order makes comes back as the same ticket; anything else
 * (another sort's cursor, crafted numbers or times PostgreSQL cannot compare) is a 400 naming cursor.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError } from '../../src/errors';
import { decodeTicketCursor, encodeTicketCursor } from '../../src/use-cases/tickets/ticket-cursor';

const crafted = (text: string) => Buffer.from(text).toString('base64url');
const refused = (error: unknown) => error instanceof AppError && /^cursor: /.test(error.message);

describe('ticket cursor', () => {
  it('when a cursor of the activity order comes back, then it names the same ticket and time', () => {
    const at = new Date('2026-11-28T09:30:00.123Z');
    assert.deepEqual(
      decodeTicketCursor('activity', encodeTicketCursor('activity', { number: 42, lastInboundAt: at })),
      {
        number: 42,
        lastInboundAt: at,
      },
    );
    assert.deepEqual(
      decodeTicketCursor('activity', encodeTicketCursor('activity', { number: 7, lastInboundAt: null })),
      { number: 7, lastInboundAt: null },
      'a ticket without customer messages',
    );
  });

  it('when a cursor of newest or oldest comes back, then only the number counts', () => {
    const cursor = encodeTicketCursor('newest', { number: 42, lastInboundAt: new Date() });
    assert.deepEqual(decodeTicketCursor('newest', cursor), { number: 42, lastInboundAt: null });
    assert.deepEqual(decodeTicketCursor('oldest', cursor), { number: 42, lastInboundAt: null });
  });

  it('when a cursor belongs to another order or is crafted, then it is refused naming cursor', () => {
    const newest = encodeTicketCursor('newest', { number: 1, lastInboundAt: null });
    const activity = encodeTicketCursor('activity', { number: 1, lastInboundAt: new Date() });
    assert.throws(() => decodeTicketCursor('activity', newest), refused);
    assert.throws(() => decodeTicketCursor('newest', activity), refused);
    for (const text of ['a:1:2147483648', 'a:253402300800000:1', 'a:-5:1', 'a:1:', 'a:1:1:1', 'bogus']) {
      assert.throws(() => decodeTicketCursor('activity', crafted(text)), refused, text);
    }
    assert.doesNotThrow(() => decodeTicketCursor('activity', crafted('a:253402300799999:2147483647')));
  });
});
