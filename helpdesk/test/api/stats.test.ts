/**
 * `GET /api/stats`: open tickets per agent, the waiting queue, median first-response and resolution
 * times over a period, and tickets per category, on tickets with known times.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { statsSchema as statsView } from '@whatsapp-helpdesk/contract/api';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import {
  apiClient,
  assertMatches,
  assertValidationError,
  createAgent,
  seedTicket,
  type TestAgent,
} from './api-support';

interface Stats {
  agents: Array<{ name: string; open: number; pending: number }>;
  queue: { waiting: number; oldestOpenedAt: string | null; oldestWaitSeconds: number | null };
  firstResponse: { count: number; medianSeconds: number | null };
  resolution: { count: number; medianSeconds: number | null };
  categories: Array<{ category: string | null; count: number }>;
}

describe("agents' API: stats", () => {
  let helpdesk: TestHelpdesk;
  let mona: TestAgent;
  const base = new Date('2026-11-10T08:00:00Z');
  const at = (seconds: number) => new Date(base.getTime() + seconds * 1000);

  before(async () => {
    helpdesk = await startTestHelpdesk();
    mona = await createAgent(helpdesk, { name: 'Mona', availability: 'away' });
    const db = helpdesk.context.db;
    const times = [
      { firstResponse: 60, resolved: 600, category: 'prescription_refill' },
      { firstResponse: 120, resolved: 1200, category: 'prescription_refill' },
      { firstResponse: 300, resolved: null, category: null },
    ];
    for (const time of times) {
      const ticket = await seedTicket(db, { assigneeId: mona.id, openedAt: base, category: time.category });
      await db.ticket.update({
        where: { id: ticket.id },
        data: {
          firstResponseAt: at(time.firstResponse),
          ...(time.resolved ? { status: 'resolved', resolvedAt: at(time.resolved) } : {}),
        },
      });
    }
    const pending = await seedTicket(db, {
      assigneeId: mona.id,
      status: 'pending',
      openedAt: new Date('2026-10-01T00:00:00Z'),
    });
    // Outside the period: resolved a month earlier.
    await db.ticket.update({
      where: { id: pending.id },
      data: { firstResponseAt: new Date('2026-10-01T01:00:00Z') },
    });
    await seedTicket(db, { openedAt: new Date('2026-11-10T09:00:00Z') });
    await seedTicket(db, { openedAt: new Date('2026-11-10T10:00:00Z') });
  });
  after(() => helpdesk.stop());

  it('when an agent asks for a period, then medians, queue, load and categories are right', async () => {
    const answer = await mona.api.get<Stats>('/api/stats?from=2026-11-09T00:00:00Z&to=2026-11-12T00:00:00Z');
    assert.equal(answer.status, 200, JSON.stringify(answer.body));
    assertMatches(statsView, answer.body);
    const stats = answer.body;
    assert.deepEqual(stats.firstResponse, { count: 3, medianSeconds: 120 });
    assert.deepEqual(stats.resolution, { count: 2, medianSeconds: 900 });
    assert.equal(stats.queue.waiting, 2);
    assert.equal(stats.queue.oldestOpenedAt, '2026-11-10T09:00:00.000Z');
    assert.ok(stats.queue.oldestWaitSeconds! > 0);
    const monaLoad = stats.agents.find((agent) => agent.name === 'Mona');
    assert.deepEqual(monaLoad && { open: monaLoad.open, pending: monaLoad.pending }, { open: 1, pending: 1 });
    // Unclassified: the third ticket and the two waiting ones; the pending one opened before the period.
    assert.deepEqual(stats.categories, [
      { category: null, count: 3 },
      { category: 'prescription_refill', count: 2 },
    ]);
  });

  it('when the period holds nothing, then counts are zero and medians null', async () => {
    const answer = await mona.api.get<Stats>('/api/stats?from=2020-01-01T00:00:00Z&to=2020-01-02T00:00:00Z');
    assert.deepEqual(answer.body.firstResponse, { count: 0, medianSeconds: null });
    assert.deepEqual(answer.body.resolution, { count: 0, medianSeconds: null });
    assert.deepEqual(answer.body.categories, []);
  });

  it('when the period is wrong, then 400 names the field; without a session, 401', async () => {
    assertValidationError(
      await mona.api.get('/api/stats?from=2026-11-12T00:00:00Z&to=2026-11-09T00:00:00Z'),
      'from',
    );
    assertValidationError(await mona.api.get('/api/stats?to=yesterday'), 'to');
    assert.equal((await apiClient(helpdesk.url, null).get('/api/stats')).status, 401);
    assert.equal((await mona.api.get('/api/stats')).status, 200, 'default period: the last 7 days');
  });
});
