/**
 * A new deployment's first admin (ADMIN_EMAIL / ADMIN_PASSWORD) can take tickets: going online
 * assigns them the waiting customers. With capacity 0 they once never received any.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ensureFirstAdmin } from '../../src/use-cases/agents/ensure-first-admin';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import { apiClient, seedTicket } from './api-support';

describe('the first admin', () => {
  let helpdesk: TestHelpdesk;
  const email = 'first-admin@pharmacy.example';
  const password = 'first-admin-password-2026';

  before(async () => {
    helpdesk = await startTestHelpdesk();
  });
  after(() => helpdesk.stop());

  it('when the first admin goes online, then a waiting ticket is assigned to them', async () => {
    const db = helpdesk.context.db;
    await db.agent.updateMany({ where: { role: 'admin' }, data: { role: 'agent' } });
    assert.equal(await ensureFirstAdmin(db, { email, password }), true);
    const admin = await db.agent.findUniqueOrThrow({ where: { email } });
    assert.ok(admin.capacity > 0, `capacity ${admin.capacity}`);

    const waiting = await seedTicket(db);
    const login = await apiClient(helpdesk.url, null).post<{ token: string }>('/api/auth/login', {
      email,
      password,
    });
    assert.equal(login.status, 200);
    const answer = await apiClient(helpdesk.url, login.body.token).put('/api/me/availability', {
      availability: 'online',
    });
    assert.equal(answer.status, 200);
    assert.equal((await db.ticket.findUniqueOrThrow({ where: { id: waiting.id } })).assigneeId, admin.id);
  });
});
