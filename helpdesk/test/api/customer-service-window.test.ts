/**
 * The Cloud API's 24-hour customer-service window, seen by an agent: a free-form reply inside the
 * window reaches Meta; outside it is refused before sending with the reason (WhatsApp Cloud API
 * documentation, "Customer service windows"; error 131047 otherwise).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { message, messagesValue, notification } from '../support/cloud-payloads';
import { query } from '../support/database';
import { startTestHelpdesk, waitFor, type TestHelpdesk } from '../support/harness';
import { createAgent, type TestAgent } from './api-support';

describe('customer-service window (Cloud API)', () => {
  let helpdesk: TestHelpdesk;
  let agent: TestAgent;
  let ticketId: string;
  const customer = { waId: '201001234567', name: 'Mona' };

  before(async () => {
    helpdesk = await startTestHelpdesk({ provider: 'cloud' });
    agent = await createAgent(helpdesk, { name: 'Sara' });
    const posted = await helpdesk.postCloud(
      notification(messagesValue(customer, [message.text(customer, 'hello')])),
    );
    assert.equal(posted.status, 200);
    const [ticket] = await waitFor(
      () =>
        query<{ id: string }>(
          helpdesk.database.url,
          `SELECT id FROM tickets WHERE assignee_id IS NOT NULL`,
        ).then((rows) => (rows.length ? rows : null)),
      10_000,
      'an assigned ticket',
    );
    ticketId = ticket!.id;
  });
  after(() => helpdesk.stop());

  it('when the customer wrote an hour ago, then the reply is sent to Meta', async () => {
    await query(helpdesk.database.url, `UPDATE tickets SET last_inbound_at = now() - interval '1 hour'`);
    const answer = await agent.api.post(`/api/tickets/${ticketId}/messages`, {
      text: 'Your order ships today',
    });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    await waitFor(
      () =>
        helpdesk.graph!.sends.some((send) => JSON.stringify(send.body).includes('Your order ships today')),
      10_000,
      'the reply at Meta',
    );
  });

  it('when the customer last wrote 25 hours ago, then the reply is refused with the reason and nothing is sent', async () => {
    await query(helpdesk.database.url, `UPDATE tickets SET last_inbound_at = now() - interval '25 hours'`);
    const before = helpdesk.graph!.sends.length;
    const answer = await agent.api.post<{ error: string; message: string; details: { code: string } }>(
      `/api/tickets/${ticketId}/messages`,
      {
        text: 'Are you still there?',
      },
    );
    assert.equal(answer.status, 409);
    assert.equal(answer.body.details.code, 'outside_customer_service_window');
    assert.match(answer.body.message, /24-hour customer-service window/);
    const stored = await query(
      helpdesk.database.url,
      `SELECT 1 FROM messages WHERE text = 'Are you still there?'`,
    );
    assert.deepEqual(stored, [], 'nothing half-written');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(helpdesk.graph!.sends.length, before);
  });
});
