/**
 * The customer panel's previous tickets: the agent working a customer's current ticket opens that
 * customer's earlier ticket (handled by a colleague) read-only; an agent with nothing to do with
 * the customer still gets 403, and so does the first agent once their ticket is resolved.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TicketThread } from '@whatsapp-helpdesk/contract/api';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import { createAgent, seedTicket, type TestAgent } from './api-support';

describe("agents' API: a customer's previous tickets, read-only", () => {
  let helpdesk: TestHelpdesk;
  let mona: TestAgent;
  let omar: TestAgent;
  let sara: TestAgent;
  let earlier: { id: string; number: number };
  let current: { id: string };

  before(async () => {
    helpdesk = await startTestHelpdesk();
    mona = await createAgent(helpdesk, { name: 'Mona', availability: 'away' });
    omar = await createAgent(helpdesk, { name: 'Omar', availability: 'away' });
    sara = await createAgent(helpdesk, { name: 'Sara', availability: 'away' });
    const phone = '+201007770101';
    earlier = await seedTicket(helpdesk.context.db, { assigneeId: mona.id, customerName: 'Salma', phone });
    assert.equal(
      (await mona.api.post(`/api/tickets/${earlier.id}/status`, { status: 'resolved' })).status,
      200,
    );
    current = await seedTicket(helpdesk.context.db, { assigneeId: omar.id, phone });
  });
  after(() => helpdesk.stop());

  it("when an agent works the customer's current ticket, then her earlier ticket opens for them with no actions", async () => {
    const answer = await omar.api.get<TicketThread>(`/api/tickets/${earlier.id}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.ticket.number, earlier.number);
    assert.equal(answer.body.ticket.assignee?.name, 'Mona');
    assert.deepEqual(answer.body.ticket.allowedActions, []);
    // Read-only: a note or a reply on it is refused.
    assert.equal((await omar.api.post(`/api/tickets/${earlier.id}/notes`, { body: 'x' })).status, 403);
    assert.equal((await omar.api.post(`/api/tickets/${earlier.id}/messages`, { text: 'hello' })).status, 403);
  });

  it('when an agent has nothing to do with the customer, then the earlier ticket stays closed to them', async () => {
    assert.equal((await sara.api.get(`/api/tickets/${earlier.id}`)).status, 403);
  });

  it('when the agent resolves the current ticket, then the earlier one is no longer theirs to read', async () => {
    assert.equal(
      (await omar.api.post(`/api/tickets/${current.id}/status`, { status: 'resolved' })).status,
      200,
    );
    assert.equal((await omar.api.get(`/api/tickets/${earlier.id}`)).status, 403);
  });
});
