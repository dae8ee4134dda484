import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkFreeFormReply, CUSTOMER_SERVICE_WINDOW_MS } from '../../src/domain/customer-service-window';
import { assertFreeFormReplyAllowed } from '../../src/use-cases/tickets/free-form-reply';
import { AppError } from '../../src/errors';

const lastInboundAt = new Date('2026-03-01T10:00:00Z');
const at = (ms: number) => new Date(lastInboundAt.getTime() + ms);

describe('customer-service window', () => {
  it('when the customer wrote less than 24 hours ago on the Cloud API, then a free-form reply is allowed', () => {
    const check = checkFreeFormReply({
      provider: 'cloud',
      lastInboundAt,
      now: at(CUSTOMER_SERVICE_WINDOW_MS - 1),
    });
    assert.deepEqual(check, { allowed: true, closesAt: new Date('2026-03-02T10:00:00Z') });
  });

  it('when exactly 24 hours have passed, then the reply is refused with a clear reason', () => {
    const check = checkFreeFormReply({
      provider: 'cloud',
      lastInboundAt,
      now: at(CUSTOMER_SERVICE_WINDOW_MS),
    });
    assert.equal(check.allowed, false);
    assert.ok(!check.allowed);
    assert.equal(check.code, 'outside_customer_service_window');
    assert.match(check.reason, /24-hour customer-service window closed at 2026-03-02T10:00:00.000Z/);
    assert.deepEqual(check.closedAt, new Date('2026-03-02T10:00:00Z'));
  });

  it('when the customer never wrote on the ticket, then the reply is refused', () => {
    const check = checkFreeFormReply({ provider: 'cloud', lastInboundAt: null, now: at(0) });
    assert.equal(check.allowed, false);
  });

  it('when the provider is WPPConnect, then there is no window', () => {
    assert.deepEqual(
      checkFreeFormReply({ provider: 'wppconnect', lastInboundAt, now: at(7 * CUSTOMER_SERVICE_WINDOW_MS) }),
      {
        allowed: true,
        closesAt: null,
      },
    );
  });

  it('when a service asserts outside the window, then a 409 AppError carries the code', () => {
    assert.throws(
      () =>
        assertFreeFormReplyAllowed({
          provider: 'cloud',
          lastInboundAt,
          now: at(CUSTOMER_SERVICE_WINDOW_MS + 1),
        }),
      (error: unknown) =>
        error instanceof AppError &&
        error.status === 409 &&
        (error.details as { code: string }).code === 'outside_customer_service_window',
    );
    assert.doesNotThrow(() =>
      assertFreeFormReplyAllowed({ provider: 'cloud', lastInboundAt, now: at(1000) }),
    );
  });
});
