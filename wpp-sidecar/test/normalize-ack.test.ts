/**
 * Acks -> delivery statuses (pure): the mapping by WPPConnect's `AckType` names, and only our own
 * outbound messages have a status. Ack objects follow WPPConnect 2.3's `Ack` (wpp-fixtures.ts).
 * @see node_modules/@wppconnect-team/wppconnect/dist/api/model/enum/ack-type.d.ts (`AckType`)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACK_TYPE, ackToState, isOwnMessageAck, toDeliveryStatus } from '../src/events/normalize-ack';
import { ack, inboundAck } from './wpp-fixtures';

const OURS = 'true_201001234567@c.us_3EB0OURS00000000000001';
const THEIRS = 'false_201001234567@c.us_3EB0THEIRS000000000001';

describe('acks to delivery statuses', () => {
  it('when an AckType arrives, then it maps to the delivery state its name says', () => {
    const mapped = Object.fromEntries(
      Object.entries(ACK_TYPE).map(([name, value]) => [name, ackToState(value)]),
    );
    assert.deepEqual(mapped, {
      MD_DOWNGRADE: 'failed',
      INACTIVE: 'failed',
      CONTENT_UNUPLOADABLE: 'failed',
      CONTENT_TOO_BIG: 'failed',
      CONTENT_GONE: 'failed',
      EXPIRED: 'failed',
      FAILED: 'failed',
      CLOCK: null,
      SENT: 'sent',
      RECEIVED: 'delivered',
      READ: 'read',
      PLAYED: 'read',
      PEER: null,
    });
  });

  it('when an ack value is not an AckType, then it is not forwarded (not a false failure)', () => {
    for (const value of [-8, -100, 6, 1.5, Number.NaN]) {
      assert.equal(toDeliveryStatus(ack(OURS, value), 'test'), null, String(value));
    }
  });

  it('when a failure ack arrives on our message, then the error names the AckType', () => {
    assert.equal(toDeliveryStatus(ack(OURS, ACK_TYPE.FAILED), 'test')?.error, 'ack_FAILED');
    assert.equal(toDeliveryStatus(ack(OURS, ACK_TYPE.EXPIRED), 'test')?.error, 'ack_EXPIRED');
  });

  it("when the ack is on the customer's message, then no status is made for any value", () => {
    for (const value of Object.values(ACK_TYPE)) {
      assert.equal(toDeliveryStatus(inboundAck(THEIRS, value), 'test'), null, String(value));
    }
    // Their voice note played by our phone, as the issue saw it.
    assert.equal(isOwnMessageAck(inboundAck(THEIRS, ACK_TYPE.PLAYED)), false);
  });

  it('when the ack id is a string or lacks fromMe, then the serialized prefix tells ours apart', () => {
    assert.equal(toDeliveryStatus({ id: OURS, ack: ACK_TYPE.READ }, 'test')?.status, 'read');
    assert.equal(toDeliveryStatus({ id: THEIRS, ack: ACK_TYPE.READ }, 'test'), null);
    assert.equal(toDeliveryStatus({ id: { _serialized: THEIRS }, ack: ACK_TYPE.FAILED }, 'test'), null);
    assert.equal(toDeliveryStatus({ id: { _serialized: OURS }, ack: ACK_TYPE.SENT }, 'test')?.status, 'sent');
  });
});
