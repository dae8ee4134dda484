/**
 * The deployment's business hours come from the environment (BUSINESS_HOURS): an operator who
 * changes them restarts the helpdesk, and the active tickets' response-time targets must then
 * count the new hours, as a change of a number's hours in the console does. Two helpdesk starts
 * on one PostgreSQL database (real HTTP, Redis and workers), the second with longer hours.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { SlaPolicy, TicketPage } from '@whatsapp-helpdesk/contract/api';
import { checkSla } from '../../src/use-cases/sla/check-sla';
import { apiClient, createAgent, seedTicket, type ApiClient } from '../api/api-support';
import { createTestDatabase } from '../support/database';
import { startTestHelpdesk, waitFor, type TestHelpdesk } from '../support/harness';

const HOURS_TO_FIVE = 'mon-fri 09:00-17:00';
const HOURS_TO_SIX = 'mon-fri 09:00-18:00';

describe("the deployment's business hours changed between two starts", () => {
  const running: TestHelpdesk[] = [];
  after(async () => {
    for (const helpdesk of running) await helpdesk.stop();
  });

  const start = async (
    database: Awaited<ReturnType<typeof createTestDatabase>>,
    hours: string,
    last: boolean,
  ) => {
    const helpdesk = await startTestHelpdesk({
      database,
      keepDatabase: !last,
      env: { BUSINESS_HOURS: hours, BUSINESS_TIMEZONE: 'Africa/Cairo' },
    });
    running.push(helpdesk);
    return helpdesk;
  };
  const dueOf = async (api: ApiClient, ticketId: string) => {
    const page = await api.get<TicketPage>('/api/tickets?view=all&status=open,pending&limit=100');
    assert.equal(page.status, 200, JSON.stringify(page.body));
    return page.body.items.find((ticket) => ticket.id === ticketId)?.sla?.dueAt;
  };

  it('when the helpdesk starts with hours to 18:00 instead of 17:00, then the open ticket is due by the new hours', async () => {
    const database = await createTestDatabase();
    const first = await start(database, HOURS_TO_FIVE, false);
    const admin = await createAgent(first, { name: 'Hours Lead', role: 'admin', capacity: 0 });
    const policy = await admin.api.post<SlaPolicy>('/api/sla-policies', {
      name: 'Delivery',
      category: 'delivery',
      firstResponseMinutes: 30,
      resolutionHours: 2,
      businessHours: true,
    });
    assert.equal(policy.status, 201, JSON.stringify(policy.body));
    // Monday 2026-01-05 16:50 in Cairo: 30 business minutes end Tuesday 09:20 with hours to 17:00.
    const ticket = await seedTicket(first.context.db, {
      category: 'delivery',
      openedAt: new Date('2026-01-05T14:50:00Z'),
    });
    await checkSla(first.context);
    assert.equal(await dueOf(admin.api, ticket.id), '2026-01-06T07:20:00.000Z');
    await first.stop();
    running.splice(running.indexOf(first), 1);

    // The same hours again: nothing changes (the ticket keeps its due time).
    const same = await start(database, HOURS_TO_FIVE, false);
    assert.equal(await dueOf(apiClient(same.url, admin.token), ticket.id), '2026-01-06T07:20:00.000Z');
    await same.stop();
    running.splice(running.indexOf(same), 1);

    // Hours to 18:00: Monday 17:20, without any console step or sla-check call from the test.
    const second = await start(database, HOURS_TO_SIX, true);
    const lead = apiClient(second.url, admin.token);
    await waitFor(
      async () => (await dueOf(lead, ticket.id)) === '2026-01-05T15:20:00.000Z',
      10_000,
      'due Monday 17:20 by the hours to 18:00',
    );
  });
});
