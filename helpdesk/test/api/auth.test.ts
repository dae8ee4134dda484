/**
 * Signing in to the agents' API: sessions, cookies, expiry, logout, the login rate limit, and that
 * every non-public /api route refuses requests without a valid session.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { hashToken } from '../../src/use-cases/auth/session-token';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import {
  loginSchema as loginView,
  sessionAgentSchema as sessionAgentView,
} from '@whatsapp-helpdesk/contract/api';
import {
  apiClient,
  assertMatches,
  assertValidationError,
  createAgent,
  PASSWORD,
  type TestAgent,
} from './api-support';

describe("agents' API: authentication", () => {
  let helpdesk: TestHelpdesk;
  let mona: TestAgent;
  const anonymous = () => apiClient(helpdesk.url, null);

  before(async () => {
    helpdesk = await startTestHelpdesk({ env: { LOGIN_RATE_LIMIT_PER_MINUTE: '4', SESSION_TTL_HOURS: '2' } });
    mona = await createAgent(helpdesk, { name: 'Mona' });
  });
  after(() => helpdesk.stop());

  it('when an agent signs in with the right password, then a session token and an HttpOnly cookie come back', async () => {
    const answer = await anonymous().post('/api/auth/login', {
      email: 'MONA@pharmacy.test',
      password: PASSWORD,
    });
    assert.equal(answer.status, 200);
    assertMatches(loginView, answer.body);
    const { token, expiresAt } = answer.body as { token: string; expiresAt: string };
    const hours = (new Date(expiresAt).getTime() - Date.now()) / 3_600_000;
    assert.ok(hours > 1.9 && hours <= 2, `expires in SESSION_TTL_HOURS (${hours})`);
    const cookie = answer.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^helpdesk_session=/);
    assert.match(cookie, /HttpOnly/i);
    assert.match(cookie, /SameSite=Strict/i);
    assert.match(cookie, /Path=\/api/);

    const session = await apiClient(helpdesk.url, token).get('/api/auth/session');
    assert.equal(session.status, 200);
    assertMatches(sessionAgentView, session.body);
    assert.equal(session.body.email, 'mona@pharmacy.test');
    const stored = await helpdesk.context.db.agentSession.findMany({ where: { agentId: mona.id } });
    assert.ok(
      stored.some((row) => row.tokenHash === hashToken(token)),
      'the token is stored hashed',
    );
    assert.ok(
      stored.every((row) => row.tokenHash !== token),
      'never in clear',
    );
  });

  it('when the password or the email is wrong, then 401 with one message for both', async () => {
    const wrong = await anonymous().post('/api/auth/login', {
      email: mona.email,
      password: 'wrong password',
    });
    const unknown = await anonymous().post('/api/auth/login', {
      email: 'nobody@pharmacy.test',
      password: PASSWORD,
    });
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(wrong.body.message, unknown.body.message);
  });

  it('when the login body is malformed or incomplete, then 400 naming the field', async () => {
    assertValidationError(await anonymous().post('/api/auth/login', { email: mona.email }), 'password');
    const malformed = await fetch(`${helpdesk.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"email": ',
    });
    assert.equal(malformed.status, 400);
    assert.match(((await malformed.json()) as { message: string }).message, /not valid JSON/);
  });

  it('when a request has no token, a bad token or a malformed header, then 401', async () => {
    assert.equal((await anonymous().get('/api/tickets')).status, 401);
    assert.equal((await apiClient(helpdesk.url, 'not-a-real-token').get('/api/tickets')).status, 401);
    const malformed = await fetch(`${helpdesk.url}/api/tickets`, { headers: { authorization: 'Basic abc' } });
    assert.equal(malformed.status, 401);
  });

  it('when the session has expired, then 401', async () => {
    const agent = await createAgent(helpdesk, { name: 'Expiring' });
    await helpdesk.context.db.agentSession.updateMany({
      where: { tokenHash: hashToken(agent.token) },
      data: { expiresAt: new Date(Date.now() - 1000) },
    });
    const answer = await agent.api.get('/api/tickets');
    assert.equal(answer.status, 401);
    assert.match(String(answer.body.message), /expired/);
  });

  it('when the agent signs out, then the token stops working', async () => {
    const agent = await createAgent(helpdesk, { name: 'Leaving' });
    assert.equal((await agent.api.get('/api/auth/session')).status, 200);
    const logout = await agent.api.post('/api/auth/logout');
    assert.equal(logout.status, 204);
    assert.equal((await agent.api.get('/api/auth/session')).status, 401);
  });

  it('when the console uses the cookie, then reads work and changes need X-Requested-With', async () => {
    const agent = await createAgent(helpdesk, { name: 'Cookie' });
    const cookie = `helpdesk_session=${agent.token}`;
    const read = await fetch(`${helpdesk.url}/api/me`, { headers: { cookie } });
    assert.equal(read.status, 200);
    const forged = await fetch(`${helpdesk.url}/api/me/availability`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ availability: 'away' }),
    });
    assert.equal(forged.status, 403);
    assert.match(((await forged.json()) as { message: string }).message, /x-requested-with/);
    const console = await fetch(`${helpdesk.url}/api/me/availability`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/json', 'x-requested-with': 'helpdesk-console' },
      body: JSON.stringify({ availability: 'away' }),
    });
    assert.equal(console.status, 200);
  });

  it('when one address keeps guessing a password, then login answers 429 after the limit', async () => {
    const target = await createAgent(helpdesk, { name: 'Target' });
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      statuses.push(
        (await anonymous().post('/api/auth/login', { email: target.email, password: 'guess' })).status,
      );
    }
    // The limit is 4 a minute; createAgent's own sign-in was the first.
    assert.deepEqual(statuses, [401, 401, 401, 429, 429, 429]);
    const limited = await anonymous().post('/api/auth/login', { email: target.email, password: PASSWORD });
    assert.equal(limited.status, 429, 'even the right password waits');
    assert.ok(Number(limited.headers.get('retry-after')) > 0);
    const other = await anonymous().post('/api/auth/login', { email: mona.email, password: PASSWORD });
    assert.equal(other.status, 200, 'another account is not locked out');
  });
});
