/**
 * Sign-in limits and the reverse proxy: one client address is limited whatever emails it tries
 * (each attempt costs a bcrypt), and per account; the address is the one the trusted proxy names
 * (TRUST_PROXY), so one agent's guesses do not lock out another behind the same proxy, and a client
 * reaching the API directly cannot pick its address with X-Forwarded-For. The session cookie is
 * Secure when the trusted proxy says the request came over https.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import { createAgent, PASSWORD, type TestAgent } from './api-support';

/** POST /api/auth/login, optionally as if forwarded by a proxy. @returns the answer. */
async function login(
  helpdesk: TestHelpdesk,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<Response> {
  const response = await fetch(`${helpdesk.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email, password }),
  });
  await response.arrayBuffer();
  return response;
}

const ADDRESS_LIMIT = 6;
const ACCOUNT_LIMIT = 3;

describe('sign-in limits behind a trusted proxy (TRUST_PROXY=true)', () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk({
      env: {
        TRUST_PROXY: 'true',
        LOGIN_ADDRESS_RATE_LIMIT_PER_MINUTE: String(ADDRESS_LIMIT),
        LOGIN_RATE_LIMIT_PER_MINUTE: String(ACCOUNT_LIMIT),
      },
    });
    admin = await createAgent(helpdesk, { name: 'Admin', role: 'admin' });
  });
  after(() => helpdesk.stop());

  it('when one address tries a new email each time, then 429 after the per-address limit, and no other address is affected', async () => {
    const attacker = { 'x-forwarded-for': '203.0.113.7' };
    const statuses: number[] = [];
    for (let attempt = 0; attempt < ADDRESS_LIMIT + 3; attempt += 1) {
      statuses.push((await login(helpdesk, `nobody-${attempt}@pharmacy.test`, 'guess', attacker)).status);
    }
    assert.deepEqual(statuses, [...Array<number>(ADDRESS_LIMIT).fill(401), ...Array<number>(3).fill(429)]);
    const limited = await login(helpdesk, admin.email, PASSWORD, attacker);
    assert.equal(limited.status, 429, 'from that address even a right password waits');
    assert.ok(Number(limited.headers.get('retry-after')) > 0, 'Retry-After says how long');
    const elsewhere = await login(helpdesk, admin.email, PASSWORD, { 'x-forwarded-for': '198.51.100.20' });
    assert.equal(elsewhere.status, 200, 'the admin at another address signs in');
  });

  it("when someone guesses the admin's password through the proxy, then only their address is limited for that account", async () => {
    const guesser = { 'x-forwarded-for': '203.0.113.50' };
    const statuses: number[] = [];
    for (let attempt = 0; attempt < ACCOUNT_LIMIT + 2; attempt += 1) {
      statuses.push((await login(helpdesk, admin.email, `wrong-${attempt}`, guesser)).status);
    }
    assert.deepEqual(statuses, [...Array<number>(ACCOUNT_LIMIT).fill(401), 429, 429]);
    const real = await login(helpdesk, admin.email, PASSWORD, { 'x-forwarded-for': '198.51.100.21' });
    assert.equal(
      real.status,
      200,
      'the real admin, at their own address behind the same proxy, is not locked out',
    );
  });

  it('when the proxy says the request came over https, then the session cookie is Secure; over http it is not', async () => {
    const secure = await login(helpdesk, admin.email, PASSWORD, {
      'x-forwarded-for': '198.51.100.30',
      'x-forwarded-proto': 'https',
    });
    assert.equal(secure.status, 200);
    assert.match(secure.headers.get('set-cookie') ?? '', /;\s*Secure/i);
    const plain = await login(helpdesk, admin.email, PASSWORD, { 'x-forwarded-for': '198.51.100.31' });
    assert.equal(plain.status, 200);
    assert.doesNotMatch(plain.headers.get('set-cookie') ?? '', /;\s*Secure/i);
  });
});

describe('sign-in limits with no proxy trusted (TRUST_PROXY=false)', () => {
  let helpdesk: TestHelpdesk;
  let agent: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk({
      env: {
        LOGIN_ADDRESS_RATE_LIMIT_PER_MINUTE: String(ADDRESS_LIMIT),
        LOGIN_RATE_LIMIT_PER_MINUTE: String(ACCOUNT_LIMIT),
      },
    });
    agent = await createAgent(helpdesk, { name: 'Mona' });
  });
  after(() => helpdesk.stop());

  it('when a client rotates X-Forwarded-For and the email, then it is still one address and gets 429', async () => {
    const statuses: number[] = [];
    // createAgent's sign-in was the first attempt from this address.
    for (let attempt = 1; attempt < ADDRESS_LIMIT + 2; attempt += 1) {
      const forged = { 'x-forwarded-for': `10.${attempt}.0.1`, 'x-forwarded-proto': 'https' };
      statuses.push((await login(helpdesk, `nobody-${attempt}@pharmacy.test`, 'guess', forged)).status);
    }
    assert.deepEqual(statuses, [...Array<number>(ADDRESS_LIMIT - 1).fill(401), 429, 429]);
    assert.equal((await login(helpdesk, agent.email, PASSWORD)).status, 429);
  });

  it('when an untrusted client claims https, then the cookie is not marked Secure', async () => {
    const other = await startTestHelpdesk();
    try {
      const mona = await createAgent(other, { name: 'Nour' });
      const answer = await login(other, mona.email, PASSWORD, { 'x-forwarded-proto': 'https' });
      assert.equal(answer.status, 200);
      assert.doesNotMatch(answer.headers.get('set-cookie') ?? '', /;\s*Secure/i);
    } finally {
      await other.stop();
    }
  });
});
