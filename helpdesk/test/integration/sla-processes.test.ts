/**
 * Response-time targets in a deployment with separate API and worker processes (issue 16): the
 * API runs in this test process without workers, and the BullMQ workers (inbound pipeline,
 * scheduled jobs) in a child process, as `npm start api` and `npm start worker` in Compose.
 * - A ticket opened by a customer's webhook shows its first-response due time through the API
 *   within 2 s (the worker's `sla-timing` job), and so does a ticket whose category, policy or
 *   opening changes.
 * - A breach recorded by the worker process is counted by the API's GET /metrics, from the stored
 *   `sla_breached` events, and stays counted when the worker is killed.
 * Time is moved as test/integration/sla.test.ts does: a ticket seeded with its opening moved back,
 * or the sla-check run with a later "now".
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { SlaPolicy, Ticket, TicketPage } from '@whatsapp-helpdesk/contract/api';
import { checkSla } from '../../src/use-cases/sla/check-sla';
import { createAgent, seedTicket, type TestAgent } from '../api/api-support';
import { query } from '../support/database';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import { metricValue, parseMetrics } from '../support/prometheus';

const MINUTE = 60_000;
const METRICS_TOKEN = 'sla-processes-metrics-token-0123456789';
/** How soon a change must show as due times through the API, ms (the job runs every second). */
const TIMING_LIMIT_MS = 2_000;

describe('response-time targets with separate API and worker processes', () => {
  let helpdesk: TestHelpdesk;
  let worker: ChildProcess;
  let admin: TestAgent;
  let numberPolicy: SlaPolicy;
  let ticketId: string;

  before(async () => {
    helpdesk = await startTestHelpdesk({
      inProcessWorkers: false,
      env: { SESSION_NAME: 'pharmacy', METRICS_TOKEN },
    });
    worker = helpdesk.startWorkerProcess();
    // Online with no room: tickets stay waiting, unanswered.
    admin = await createAgent(helpdesk, { name: 'SLA Lead', role: 'admin', capacity: 0 });
    const add = async (body: Record<string, unknown>) => {
      const answer = await admin.api.post<SlaPolicy>('/api/sla-policies', body);
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      return answer.body;
    };
    numberPolicy = await add({
      name: 'This number',
      channelKey: 'pharmacy',
      firstResponseMinutes: 1,
      resolutionHours: 1,
      businessHours: false,
    });
    await add({
      name: 'Refills',
      category: 'prescription_refill',
      firstResponseMinutes: 45,
      resolutionHours: 8,
      businessHours: false,
    });
  });
  after(() => helpdesk?.stop());

  const listed = async (): Promise<Ticket[]> => {
    const page = await admin.api.get<TicketPage>('/api/tickets?view=all&status=open,pending&limit=100');
    assert.equal(page.status, 200, JSON.stringify(page.body));
    return page.body.items;
  };
  /** Polls the ticket list until the ticket's next target is `check`ed, for at most `limitMs`. */
  const slaShown = (id: string, check: (sla: Ticket['sla']) => boolean, limitMs: number, what: string) =>
    waitFor(
      async () => {
        const sla = (await listed()).find((ticket) => ticket.id === id)?.sla ?? null;
        return sla && check(sla) ? sla : null;
      },
      limitMs,
      what,
    );
  const scrapeBreaches = async (labels: Record<string, string>): Promise<number> => {
    const response = await fetch(`${helpdesk.url}/metrics`, {
      headers: { authorization: `Bearer ${METRICS_TOKEN}` },
    });
    assert.equal(response.status, 200);
    return metricValue(parseMetrics(await response.text()), 'helpdesk_sla_breaches_total', labels);
  };
  const breachEvents = (id: string) =>
    query<{ data: { kind: string; channel: string } }>(
      helpdesk.database.url,
      "SELECT data FROM ticket_events WHERE ticket_id = $1 AND type = 'sla_breached'",
      [id],
    );

  it("when a customer's webhook opens a ticket, then its first-response due time shows within 2 s", async () => {
    const phone = '+201001110001';
    const accepted = await helpdesk.postWppconnect(textEvent(phone, 'عندي سؤال عن دواء'));
    assert.equal(accepted.status, 202);
    // The worker process stores it (its pace is not what this test is about).
    const ticket = await waitFor(
      async () => (await listed()).find((item) => item.customer.phone === phone),
      30_000,
      'the ticket stored by the worker process',
    );
    ticketId = ticket.id;
    const sla = await slaShown(
      ticket.id,
      (shown) => shown?.kind === 'first_response',
      TIMING_LIMIT_MS,
      'the first-response due time',
    );
    assert.equal(sla!.state, 'ok');
    const [opened] = await query<{ openedAt: Date }>(
      helpdesk.database.url,
      'SELECT opened_at AS "openedAt" FROM tickets WHERE id = $1',
      [ticket.id],
    );
    assert.equal(Date.parse(sla!.dueAt), opened!.openedAt.getTime() + MINUTE, 'one minute after opening');
  });

  it('when the 1-minute target passes unanswered, then the breach is recorded and counted by /metrics', async () => {
    const before = await scrapeBreaches({ kind: 'first_response', channel: 'pharmacy' });
    const run = await checkSla(helpdesk.context, new Date(Date.now() + 2 * MINUTE));
    assert.ok(
      run.breaches.some((breach) => breach.ticketId === ticketId && breach.kind === 'first_response'),
    );
    const events = await breachEvents(ticketId);
    assert.deepEqual(
      events.map((event) => [event.data.kind, event.data.channel]),
      [['first_response', 'pharmacy']],
    );
    assert.equal(await scrapeBreaches({ kind: 'first_response', channel: 'pharmacy' }), before + 1);
    const sla = (await listed()).find((ticket) => ticket.id === ticketId)?.sla;
    assert.equal(sla?.state, 'breached');
  });

  it('when an agent sets its category, then the due times follow that policy within 2 s', async () => {
    const changed = await admin.api.put(`/api/tickets/${ticketId}/category`, {
      category: 'prescription_refill',
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const [opened] = await query<{ openedAt: Date }>(
      helpdesk.database.url,
      'SELECT opened_at AS "openedAt" FROM tickets WHERE id = $1',
      [ticketId],
    );
    await slaShown(
      ticketId,
      (sla) => Date.parse(sla!.dueAt) === opened!.openedAt.getTime() + 45 * MINUTE,
      TIMING_LIMIT_MS,
      'the Refills due time (45 minutes)',
    );
  });

  it('when a resolved ticket is reopened, then its clocks start again within 2 s', async () => {
    for (const status of ['resolved', 'open']) {
      const answer = await admin.api.post(`/api/tickets/${ticketId}/status`, { status });
      assert.equal(answer.status, 200, JSON.stringify(answer.body));
    }
    const reopenedAt = Date.now();
    const sla = await slaShown(
      ticketId,
      (shown) => shown?.state === 'ok' && Date.parse(shown.dueAt) > reopenedAt,
      TIMING_LIMIT_MS,
      'new clocks from the reopening',
    );
    assert.equal(sla!.kind, 'first_response');
    assert.ok(Math.abs(Date.parse(sla!.dueAt) - (reopenedAt + 45 * MINUTE)) < 30_000, sla!.dueAt);
  });

  it('when a policy changes, then the tickets it applies to get its new due times within 2 s', async () => {
    const phone = '+201001110002';
    assert.equal((await helpdesk.postWppconnect(textEvent(phone, 'hello'))).status, 202);
    const ticket = await waitFor(
      async () => (await listed()).find((item) => item.customer.phone === phone && item.sla),
      30_000,
      'a second ticket with its due times',
    );
    const changed = await admin.api.patch<SlaPolicy>(`/api/sla-policies/${numberPolicy.id}`, {
      firstResponseMinutes: 20,
    });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    const [opened] = await query<{ openedAt: Date }>(
      helpdesk.database.url,
      'SELECT opened_at AS "openedAt" FROM tickets WHERE id = $1',
      [ticket.id],
    );
    await slaShown(
      ticket.id,
      (sla) => Date.parse(sla!.dueAt) === opened!.openedAt.getTime() + 20 * MINUTE,
      TIMING_LIMIT_MS,
      'the changed policy (20 minutes)',
    );
  });

  it("when the worker process records a breach, then the API's /metrics counts it, also after the worker is gone", async () => {
    const labels = { kind: 'first_response', channel: 'pharmacy' };
    const before = await scrapeBreaches(labels);
    // Waiting 25 minutes already: past the 20-minute target of "This number".
    const ticket = await seedTicket(helpdesk.context.db, { openedAt: new Date(Date.now() - 25 * MINUTE) });
    // The worker's sla-check sweep (every 20 s) times it and records the breach.
    const counted = await waitFor(
      async () => {
        const now = await scrapeBreaches(labels);
        return now > before ? now : null;
      },
      60_000,
      'the breach recorded by the worker, in the API metrics',
    );
    assert.equal(counted, before + 1);
    assert.equal((await breachEvents(ticket.id)).length, 1);

    worker.kill('SIGKILL');
    await waitFor(() => worker.exitCode !== null || worker.signalCode !== null, 10_000, 'the worker gone');
    assert.equal(await scrapeBreaches(labels), counted, 'nothing is lost with the worker');
  });
});
