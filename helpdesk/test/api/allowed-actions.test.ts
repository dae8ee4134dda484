/**
 * Every ticket the agents' API answers lists what the requesting agent may do with it
 * (`allowedActions`), so the console shows exactly the buttons the API would accept.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Ticket, TicketPage, TicketThread } from '@whatsapp-helpdesk/contract/api';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import { createAgent, seedTicket, type TestAgent } from './api-support';

describe("agents' API: allowed actions", () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;
  let holder: TestAgent;
  let colleague: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk({ inProcessWorkers: false });
    admin = await createAgent(helpdesk, { name: 'Admin', role: 'admin', availability: 'offline' });
    holder = await createAgent(helpdesk, { name: 'Holder', availability: 'offline' });
    colleague = await createAgent(helpdesk, { name: 'Colleague', availability: 'offline' });
  });
  after(() => helpdesk.stop());

  it('when the assignee, a colleague and an admin read the same ticket, then each gets their own actions', async () => {
    const ticket = await seedTicket(helpdesk.context.db, { assigneeId: holder.id });
    const actionsOf = async (agent: TestAgent) => {
      const answer = await agent.api.get<TicketThread>(`/api/tickets/${ticket.id}`);
      return answer.status === 200 ? answer.body.ticket.allowedActions : answer.status;
    };
    const working = ['reply', 'note', 'transfer', 'pend', 'resolve', 'close', 'snooze'];
    assert.deepEqual(await actionsOf(holder), working);
    assert.deepEqual(await actionsOf(admin), working);
    assert.equal(await actionsOf(colleague), 403, 'a colleague cannot read it at all');
  });

  it('when a ticket waits unassigned, then the inbox offers an agent to claim it', async () => {
    const ticket = await seedTicket(helpdesk.context.db, { assigneeId: null });
    const page = await colleague.api.get<TicketPage>('/api/tickets?view=unassigned');
    assert.equal(page.status, 200);
    const listed = page.body.items.find((item) => item.id === ticket.id);
    assert.deepEqual(listed?.allowedActions, ['note', 'claim']);
  });

  it('when the assignee changes the status or transfers, then the answer lists what is left to them', async () => {
    const ticket = await seedTicket(helpdesk.context.db, { assigneeId: holder.id });
    const pending = await holder.api.post<Ticket>(`/api/tickets/${ticket.id}/status`, { status: 'pending' });
    assert.equal(pending.status, 200);
    assert.deepEqual(pending.body.allowedActions, [
      'reply',
      'note',
      'transfer',
      'reopen',
      'resolve',
      'close',
      'snooze',
    ]);
    const transferred = await holder.api.post<Ticket>(`/api/tickets/${ticket.id}/transfer`, {
      agentId: colleague.id,
    });
    assert.equal(transferred.status, 200);
    assert.deepEqual(transferred.body.allowedActions, [], 'no longer theirs');
    const resolved = await colleague.api.post<Ticket>(`/api/tickets/${ticket.id}/status`, {
      status: 'resolved',
    });
    assert.deepEqual(resolved.body.allowedActions, ['note', 'reopen', 'close']);
  });
});
