/**
 * WhatsApp message templates (issue 17) through the real HTTP stack, PostgreSQL, Redis, the BullMQ
 * workers, the stand-in Graph API and the stand-in sidecar: a Cloud API channel's templates are
 * synced from `GET /{waba-id}/message_templates` (every page), listed with their variables, and one
 * is sent outside the 24-hour window as Meta documents a template send ("Send message templates");
 * bad counts are refused before anything is stored; Meta's template errors reach the agent clearly;
 * a WPPConnect ticket gets the template's text.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { messageTemplateListSchema, type MessageTemplate } from '@whatsapp-helpdesk/contract/api';
import { addCloudChannel } from '../support/cloud-channel';
import { PHONE_NUMBER_ID } from '../support/cloud-payloads';
import { query } from '../support/database';
import { startTestHelpdesk, waitFor, type TestHelpdesk } from '../support/harness';
import { GRAPH_ERRORS, type StandInGraphApi, type StandInTemplate } from '../support/stand-in-graph-api';
import {
  assertMatches,
  assertValidationError,
  createAgent,
  seedTicket,
  type TestAgent,
} from '../api/api-support';

/**
 * Templates in the shape Meta lists them (Meta, "WhatsApp Business Account — Message Templates"
 * reference and "Template components"): an approved utility template with a text header and two
 * body variables, an approved one without variables, a pending one, a named-parameter one.
 */
const TEMPLATES: StandInTemplate[] = [
  {
    id: '1001',
    name: 'order_ready',
    language: 'en_US',
    category: 'UTILITY',
    status: 'APPROVED',
    components: [
      { type: 'HEADER', format: 'TEXT', text: 'Order {{1}}', example: { header_text: ['#123'] } },
      {
        type: 'BODY',
        text: 'Hello {{1}}, your order is ready at {{2}}.',
        example: { body_text: [['Mona', 'Heliopolis branch']] },
      },
      { type: 'FOOTER', text: 'Pharmacy' },
    ],
  },
  {
    id: '1002',
    name: 'order_ready',
    language: 'ar',
    category: 'UTILITY',
    status: 'APPROVED',
    components: [{ type: 'BODY', text: 'مرحبا {{1}}، طلبك جاهز.', example: { body_text: [['منى']] } }],
  },
  {
    id: '1003',
    name: 'we_miss_you',
    language: 'en_US',
    category: 'MARKETING',
    status: 'PENDING',
    components: [{ type: 'BODY', text: 'We miss you {{1}}!' }],
  },
  {
    id: '1004',
    name: 'follow_up',
    language: 'en_US',
    category: 'UTILITY',
    status: 'APPROVED',
    components: [{ type: 'BODY', text: 'Hello, how are you feeling today?' }],
  },
  {
    id: '1005',
    name: 'refill_named',
    language: 'en_US',
    category: 'UTILITY',
    status: 'APPROVED',
    components: [
      {
        type: 'BODY',
        text: 'Hi {{first_name}}, time to refill {{medicine}}.',
        example: {
          body_text_named_params: [
            { param_name: 'first_name', example: 'Mona' },
            { param_name: 'medicine', example: 'Panadol' },
          ],
        },
      },
    ],
  },
];

describe('message templates', () => {
  let helpdesk: TestHelpdesk;
  let graph: StandInGraphApi;
  let admin: TestAgent;
  let agent: TestAgent;
  let channelId: string;

  /** A Cloud API ticket of `agent` whose customer last wrote two days ago (window closed). */
  const cloudTicket = async (phone: string): Promise<string> => {
    const db = helpdesk.context.db;
    const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000);
    const customer = await db.customer.create({ data: { phone, name: 'Mona', lastInboundAt: twoDaysAgo } });
    const ticket = await db.ticket.create({
      data: {
        customerId: customer.id,
        channel: PHONE_NUMBER_ID,
        provider: 'cloud',
        status: 'open',
        assigneeId: agent.id,
        assignedAt: twoDaysAgo,
        openedAt: twoDaysAgo,
        lastInboundAt: twoDaysAgo,
      },
    });
    return ticket.id;
  };
  const messageRow = (id: string) =>
    query<{ type: string; text: string; delivery_status: string; error: string | null }>(
      helpdesk.database.url,
      'SELECT type, text, delivery_status, error FROM messages WHERE id = $1',
      [id],
    ).then((rows) => rows[0]);

  before(async () => {
    helpdesk = await startTestHelpdesk();
    ({ graph, channelId } = await addCloudChannel(helpdesk, TEMPLATES));
    // Two per page: three pages, followed through `paging.next`.
    graph.templatePageSize = 2;
    // The worker's repeated `template-sync` job runs once at start: let it finish (it may have run
    // before the channel existed, then there is nothing to wait for) so it cannot race the tests.
    await waitFor(
      async () =>
        (await query(helpdesk.database.url, 'SELECT 1 FROM message_templates')).length === TEMPLATES.length,
      2_000,
      'the start-up sync',
    ).catch(() => {});
    admin = await createAgent(helpdesk, { name: 'Admin', role: 'admin', capacity: 0, availability: 'away' });
    agent = await createAgent(helpdesk, { name: 'Sara', capacity: 0, availability: 'away' });
  });
  after(async () => {
    assert.deepEqual(graph.violations, [], 'the stand-in Graph API found no broken rule');
    await graph.close();
    await helpdesk.stop();
  });

  it('when an admin syncs a Cloud API channel, then every page of templates is stored with its variables', async () => {
    const answer = await admin.api.post<{ templates: number; removed: number }>(
      `/api/channels/${channelId}/templates/sync`,
      {},
    );
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assert.equal(answer.body.templates, 5);
    // Five templates at two a page: every page was read (paging.next followed twice).

    const list = await agent.api.get<{ items: MessageTemplate[] }>(
      `/api/templates?channel=${PHONE_NUMBER_ID}`,
    );
    assert.equal(list.status, 200);
    assertMatches(messageTemplateListSchema, list.body);
    const byKey = new Map(
      list.body.items.map((template) => [`${template.name}/${template.language}`, template]),
    );
    assert.equal(byKey.size, 5);
    const orderReady = byKey.get('order_ready/en_US')!;
    assert.equal(orderReady.status, 'APPROVED');
    assert.equal(orderReady.category, 'UTILITY');
    assert.deepEqual(orderReady.variables, { header: ['1'], body: ['1', '2'] });
    assert.deepEqual(byKey.get('refill_named/en_US')!.variables, {
      header: [],
      body: ['first_name', 'medicine'],
    });
    assert.equal(byKey.get('we_miss_you/en_US')!.status, 'PENDING');

    // Meta deletes one: the next sync removes it.
    const removed = graph.templates.splice(2, 1);
    const again = await admin.api.post<{ templates: number; removed: number }>(
      `/api/channels/${channelId}/templates/sync`,
      {},
    );
    assert.equal(again.body.removed, 1);
    graph.templates.splice(2, 0, ...removed);
    await admin.api.post(`/api/channels/${channelId}/templates/sync`, {});
  });

  it('when an agent is not an admin, then the sync is refused', async () => {
    const answer = await agent.api.post(`/api/channels/${channelId}/templates/sync`, {});
    assert.equal(answer.status, 403);
  });

  it('when a paging.next link points to another host, then it is not followed and nothing changes', async () => {
    graph.pagingOrigin = 'http://127.0.0.2:9';
    const requestsBefore = graph.requests.length;
    const answer = await admin.api.post<{ message: string }>(`/api/channels/${channelId}/templates/sync`, {});
    graph.pagingOrigin = null;
    assert.equal(answer.status, 502, JSON.stringify(answer.body));
    assert.match(answer.body.message, /paging\.next points to http:\/\/127\.0\.0\.2:9.*not followed/);
    assert.equal(graph.requests.length, requestsBefore + 1, 'only the first page was read');
    const stored = await query(
      helpdesk.database.url,
      'SELECT 1 FROM message_templates WHERE channel_id = $1',
      [channelId],
    );
    assert.equal(stored.length, 5, 'the stored templates are unchanged');
  });

  it('when the window is closed, then free text is refused but a template is sent with the exact Graph body', async () => {
    const ticketId = await cloudTicket('+201001400001');
    const text = await agent.api.post<{ message: string }>(`/api/tickets/${ticketId}/messages`, {
      text: 'Hi',
    });
    assert.equal(text.status, 409);
    assert.match(text.body.message, /24-hour customer-service window/);

    const answer = await agent.api.post<{ id: string; type: string; text: string }>(
      `/api/tickets/${ticketId}/messages`,
      {
        template: {
          name: 'order_ready',
          language: 'en_US',
          parameters: { header: ['#123'], body: ['Mona', 'Heliopolis branch'] },
        },
      },
    );
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.type, 'template');
    assert.equal(
      answer.body.text,
      'Order #123\n\nHello Mona, your order is ready at Heliopolis branch.\n\nPharmacy',
    );
    const send = await waitFor(
      () => graph.sends.find((candidate) => candidate.type === 'template' && candidate.to === '201001400001'),
      10_000,
      'the template at Meta',
    );
    assert.deepEqual(send.body, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: '201001400001',
      type: 'template',
      template: {
        name: 'order_ready',
        language: { code: 'en_US' },
        components: [
          { type: 'header', parameters: [{ type: 'text', text: '#123' }] },
          {
            type: 'body',
            parameters: [
              { type: 'text', text: 'Mona' },
              { type: 'text', text: 'Heliopolis branch' },
            ],
          },
        ],
      },
    });
    await waitFor(async () => (await messageRow(answer.body.id))?.delivery_status === 'sent', 10_000, 'sent');
  });

  it('when a template has named parameters or none, then the send carries parameter_name or no components', async () => {
    const ticketId = await cloudTicket('+201001400002');
    const named = await agent.api.post(`/api/tickets/${ticketId}/messages`, {
      template: { name: 'refill_named', language: 'en_US', parameters: { body: ['Mona', 'Panadol'] } },
    });
    assert.equal(named.status, 201, JSON.stringify(named.body));
    const plain = await agent.api.post(`/api/tickets/${ticketId}/messages`, {
      template: { name: 'follow_up', language: 'en_US' },
    });
    assert.equal(plain.status, 201, JSON.stringify(plain.body));
    const sends = await waitFor(
      () => {
        const found = graph.sends.filter((send) => send.to === '201001400002');
        return found.length === 2 ? found : null;
      },
      10_000,
      'both templates at Meta',
    );
    const template = (index: number) => sends[index]!.body.template as Record<string, unknown>;
    assert.deepEqual(template(0).components, [
      {
        type: 'body',
        parameters: [
          { type: 'text', text: 'Mona', parameter_name: 'first_name' },
          { type: 'text', text: 'Panadol', parameter_name: 'medicine' },
        ],
      },
    ]);
    assert.deepEqual(template(1), { name: 'follow_up', language: { code: 'en_US' } });
  });

  it('when the body count is wrong, then 400 names template.parameters.body and nothing is stored', async () => {
    const ticketId = await cloudTicket('+201001400003');
    const sendsBefore = graph.sends.length;
    const answer = await agent.api.post(`/api/tickets/${ticketId}/messages`, {
      template: { name: 'order_ready', language: 'en_US', parameters: { header: ['#1'], body: ['Mona'] } },
    });
    assertValidationError(answer, 'template.parameters.body');
    const pending = await agent.api.post(`/api/tickets/${ticketId}/messages`, {
      template: { name: 'we_miss_you', language: 'en_US', parameters: { body: ['Mona'] } },
    });
    assertValidationError(pending, 'template.name');
    assert.match((pending.body as { message: string }).message, /PENDING; only APPROVED/);
    const stored = await query(
      helpdesk.database.url,
      `SELECT 1 FROM messages WHERE ticket_id = $1 AND direction = 'outbound'`,
      [ticketId],
    );
    assert.deepEqual(stored, [], 'nothing half-written');
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(graph.sends.length, sendsBefore);
  });

  it('when Meta answers 132001 (template missing), then the message is failed with a clear reason', async () => {
    const ticketId = await cloudTicket('+201001400004');
    graph.nextSendErrors.push(GRAPH_ERRORS.templateMissing);
    const answer = await agent.api.post<{ id: string }>(`/api/tickets/${ticketId}/messages`, {
      template: { name: 'follow_up', language: 'en_US' },
    });
    assert.equal(answer.status, 201);
    const row = await waitFor(
      async () => {
        const found = await messageRow(answer.body.id);
        return found?.delivery_status === 'failed' ? found : null;
      },
      10_000,
      'the message failed',
    );
    assert.match(
      row.error!,
      /^template missing: the template does not exist in this language or is not approved/,
    );
    assert.match(row.error!, /Cloud API error 132001/);
  });

  it('when Meta answers 132000 (parameter count), then the reason says so', async () => {
    const ticketId = await cloudTicket('+201001400005');
    // Meta's template changed after the last sync: it now expects three body parameters.
    const stale = graph.templates.find((template) => template.id === '1002')!;
    const original = stale.components;
    stale.components = [{ type: 'BODY', text: 'مرحبا {{1}}، طلبك {{2}} جاهز في {{3}}.' }];
    const answer = await agent.api.post<{ id: string }>(`/api/tickets/${ticketId}/messages`, {
      template: { name: 'order_ready', language: 'ar', parameters: { body: ['منى'] } },
    });
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    const row = await waitFor(
      async () => {
        const found = await messageRow(answer.body.id);
        return found?.delivery_status === 'failed' ? found : null;
      },
      10_000,
      'the message failed',
    );
    stale.components = original;
    assert.match(row.error!, /^template parameter count mismatch/);
    assert.match(row.error!, /132000/);
  });

  it('when the ticket is a WPPConnect one, then the template goes out as its text through the sidecar', async () => {
    const ticket = await seedTicket(helpdesk.context.db, { assigneeId: agent.id, phone: '+201001400006' });
    const answer = await agent.api.post<{ type: string; text: string }>(
      `/api/tickets/${ticket.id}/messages`,
      {
        template: { name: 'order_ready', language: 'ar', parameters: { body: ['منى'] } },
      },
    );
    assert.equal(answer.status, 201, JSON.stringify(answer.body));
    assert.equal(answer.body.type, 'template');
    const send = await waitFor(
      () => helpdesk.sidecar.sends.find((candidate) => candidate.to.includes('201001400006')),
      10_000,
      'the text at the sidecar',
    );
    assert.equal(send.text, 'مرحبا منى، طلبك جاهز.');
    assert.equal(send.path, '/api/send-message');
  });
});
