/**
 * The outgoing webhook bodies built from outbox rows (domain/webhook-events.ts) keep the shape
 * subscribers had from the realtime events they replaced: key order included, `reason` rather than
 * `snoozedUntil` when a snooze ended, and `by: "auto"` for the automatic assignment.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { webhookBodyOf, type OutboxEvent } from '../../src/domain/webhook-events';

const base = {
  ticketId: '7d1e2f3a-4b5c-4d6e-8f90-a1b2c3d4e5f6',
  ticketNumber: 1042,
  sourceType: null,
  agentId: null,
  occurredAt: new Date('2026-11-28T10:00:00.123Z'),
} satisfies Partial<OutboxEvent>;
const agent = '0b6f1c9e-5d2a-4f3b-9a7e-2c4d8e1f6a30';

describe('outgoing webhook bodies', () => {
  it('when a message is created, then the body is id, type, occurredAt and the message in order', () => {
    const body = webhookBodyOf({
      ...base,
      eventType: 'message.created',
      eventId: 'message.created:m1',
      facts: { type: 'text', author: 'customer', direction: 'inbound', messageId: 'm1' },
    });
    assert.equal(
      body,
      '{"id":"message.created:m1","type":"message.created","occurredAt":"2026-11-28T10:00:00.123Z",' +
        `"data":{"ticketId":"${base.ticketId}","ticketNumber":1042,"messageId":"m1","direction":"inbound",` +
        '"author":"customer","type":"text"}}',
    );
  });

  it('when a status changes, then status and previousStatus, with the reason or the snooze time', () => {
    const status = (facts: Record<string, unknown>) =>
      (
        JSON.parse(
          webhookBodyOf({
            ...base,
            eventType: 'ticket.status',
            eventId: 'ticket.status:9',
            sourceType: 'status_changed',
            agentId: agent,
            facts,
          }),
        ) as { data: Record<string, unknown> }
      ).data;
    assert.deepEqual(status({ from: 'open', to: 'resolved' }), {
      ticketId: base.ticketId,
      ticketNumber: 1042,
      status: 'resolved',
      previousStatus: 'open',
    });
    assert.deepEqual(status({ from: 'open', to: 'pending', snoozedUntil: '2026-12-01T08:00:00.000Z' }), {
      ticketId: base.ticketId,
      ticketNumber: 1042,
      status: 'pending',
      previousStatus: 'open',
      snoozedUntil: '2026-12-01T08:00:00.000Z',
    });
    // A snooze's end records its time too, but was always announced with the reason alone.
    assert.deepEqual(
      status({
        from: 'pending',
        to: 'open',
        reason: 'snooze_ended',
        snoozedUntil: '2026-12-01T08:00:00.000Z',
      }),
      {
        ticketId: base.ticketId,
        ticketNumber: 1042,
        status: 'open',
        previousStatus: 'pending',
        reason: 'snooze_ended',
      },
    );
  });

  it('when a ticket changes hands, then assigneeId, previousAssigneeId and by (auto for the assignment run)', () => {
    const assigned = (sourceType: string, agentId: string | null, facts: Record<string, unknown>) =>
      (
        JSON.parse(
          webhookBodyOf({
            ...base,
            eventType: 'ticket.assigned',
            eventId: 'ticket.assigned:3',
            sourceType,
            agentId,
            facts,
          }),
        ) as { data: Record<string, unknown> }
      ).data;
    const ticket = { ticketId: base.ticketId, ticketNumber: 1042 };
    assert.deepEqual(assigned('assigned', agent, { by: 'auto' }), {
      ...ticket,
      assigneeId: agent,
      previousAssigneeId: null,
      by: 'auto',
    });
    assert.deepEqual(assigned('transferred', 'admin-1', { from: agent, to: 'agent-2', by: 'admin' }), {
      ...ticket,
      assigneeId: 'agent-2',
      previousAssigneeId: agent,
      by: 'admin-1',
    });
    assert.deepEqual(assigned('team_transferred', 'admin-1', { teamId: 't', from: agent, by: 'admin' }), {
      ...ticket,
      assigneeId: null,
      previousAssigneeId: agent,
      by: 'admin-1',
    });
    assert.deepEqual(assigned('unassigned', null, { from: agent, to: null, reason: 'deactivated' }), {
      ...ticket,
      assigneeId: null,
      previousAssigneeId: agent,
      by: null,
    });
  });

  it('when a ticket is opened, then its first message', () => {
    const body = JSON.parse(
      webhookBodyOf({
        ...base,
        eventType: 'ticket.created',
        eventId: `ticket.created:${base.ticketId}`,
        facts: { firstMessageId: 'm1' },
      }),
    ) as { data: Record<string, unknown> };
    assert.deepEqual(body.data, { ticketId: base.ticketId, ticketNumber: 1042, firstMessageId: 'm1' });
  });
});
