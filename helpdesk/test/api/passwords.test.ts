/**
 * Changing passwords, through the real HTTP stack and the real CLI process: an agent changes their
 * own (the current one required; their other sessions end), an admin sets another agent's (all of
 * that agent's sessions end), `agents:password EMAIL` reads the new one from standard input. Weak
 * passwords answer 400 naming the field. Hashes made by the former library (bcryptjs, `$2a$`/`$2b$`)
 * still sign in.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import bcryptjs from 'bcryptjs';
import { HELPDESK_DIR, startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import { programArguments } from '../support/programs';
import { apiClient, assertValidationError, createAgent, PASSWORD, type TestAgent } from './api-support';

/** Runs the CLI with `stdin` as standard input. @returns exit status and output. */
function cli(
  helpdesk: TestHelpdesk,
  args: string[],
  stdin: string,
): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...programArguments('src/cli.ts'), ...args], {
      cwd: HELPDESK_DIR,
      env: { ...process.env, DATABASE_URL: helpdesk.database.url },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status: status ?? 1, stdout, stderr }));
    child.stdin.end(stdin);
  });
}

describe("agents' passwords", () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;
  const anonymous = () => apiClient(helpdesk.url, null);
  const signIn = (email: string, password: string) =>
    anonymous().post<{ token: string }>('/api/auth/login', { email, password });

  before(async () => {
    // Many sign-ins from one address here; the limits have their own tests (login-limits.test.ts).
    helpdesk = await startTestHelpdesk({ env: { LOGIN_ADDRESS_RATE_LIMIT_PER_MINUTE: '200' } });
    admin = await createAgent(helpdesk, { name: 'Admin', role: 'admin' });
  });
  after(() => helpdesk.stop());

  it('when an agent changes their own password, then the old one stops working and their other sessions end', async () => {
    const mona = await createAgent(helpdesk, { name: 'Mona' });
    const otherDevice = await signIn(mona.email, PASSWORD);
    assert.equal(otherDevice.status, 200);
    const changed = await mona.api.post('/api/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'كلمة سر جديدة طويلة',
    });
    assert.equal(changed.status, 204, JSON.stringify(changed.body));
    assert.equal((await mona.api.get('/api/auth/session')).status, 200, 'this session stays');
    const other = apiClient(helpdesk.url, otherDevice.body.token);
    assert.equal((await other.get('/api/auth/session')).status, 401, 'the other session ended');
    assert.equal((await signIn(mona.email, PASSWORD)).status, 401, 'the old password is refused');
    assert.equal((await signIn(mona.email, 'كلمة سر جديدة طويلة')).status, 200, 'the new one works');
  });

  it('when the current password is wrong or the new one is weak, then 403 or 400 naming the field, and nothing changes', async () => {
    const omar = await createAgent(helpdesk, { name: 'Omar' });
    const wrong = await omar.api.post('/api/auth/password', {
      currentPassword: 'not my password',
      newPassword: 'a perfectly good one',
    });
    assert.equal(wrong.status, 403);
    assert.match(String(wrong.body.message), /^currentPassword\b/);
    for (const weak of ['short', 'aaaaaaaaaaaaaaaa', '1212121212121', 'x'.repeat(73), 'ش'.repeat(40)]) {
      assertValidationError(
        await omar.api.post('/api/auth/password', { currentPassword: PASSWORD, newPassword: weak }),
        'newPassword',
      );
    }
    assertValidationError(
      await omar.api.post('/api/auth/password', { currentPassword: PASSWORD }),
      'newPassword',
    );
    assert.equal((await signIn(omar.email, PASSWORD)).status, 200, 'the password is unchanged');
    assert.equal((await anonymous().post('/api/auth/password', { currentPassword: PASSWORD })).status, 401);
  });

  it("when an admin sets an agent's password, then every session of that agent ends and the new one works", async () => {
    const sara = await createAgent(helpdesk, { name: 'Sara' });
    const reset = await admin.api.post(`/api/agents/${sara.id}/password`, { password: 'set by the admin' });
    assert.equal(reset.status, 204, JSON.stringify(reset.body));
    assert.equal((await sara.api.get('/api/auth/session')).status, 401, "the agent's session ended");
    assert.equal((await signIn(sara.email, PASSWORD)).status, 401);
    assert.equal((await signIn(sara.email, 'set by the admin')).status, 200);
    assert.equal((await admin.api.get('/api/auth/session')).status, 200, "the admin's session stays");
  });

  it("when an agent tries to set someone's password, or the request is bad, then 403, 400 naming the field or 404", async () => {
    const nour = await createAgent(helpdesk, { name: 'Nour' });
    const forbidden = await nour.api.post(`/api/agents/${admin.id}/password`, { password: 'take over now' });
    assert.equal(forbidden.status, 403);
    assertValidationError(
      await admin.api.post(`/api/agents/${nour.id}/password`, { password: 'short' }),
      'password',
    );
    assertValidationError(
      await admin.api.post('/api/agents/not-a-uuid/password', { password: 'long enough!' }),
      'id',
    );
    const unknown = await admin.api.post('/api/agents/3f1c2a64-1b1e-4c1e-9f44-5b8f1e0c2d7a/password', {
      password: 'long enough!',
    });
    assert.equal(unknown.status, 404);
    assert.equal((await signIn(admin.email, PASSWORD)).status, 200, "the admin's password is unchanged");
  });

  it('when agents:password gets the new password on standard input, then it is set and the sessions end', async () => {
    const layla = await createAgent(helpdesk, { name: 'Layla' });
    const result = await cli(helpdesk, ['agents:password', 'LAYLA@pharmacy.test'], 'from the command line\n');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /password of layla@pharmacy\.test changed; 1 session ended/);
    assert.equal((await layla.api.get('/api/auth/session')).status, 401);
    assert.equal((await signIn(layla.email, 'from the command line')).status, 200);
  });

  it('when agents:password is given the password as an argument, a weak one, or an unknown email, then it exits 1 saying why', async () => {
    // Four refused runs that change nothing, started together: each CLI process spends seconds starting.
    const [argv, weak, empty, unknown] = await Promise.all([
      cli(helpdesk, ['agents:password', admin.email, '--password', 'on the command line'], ''),
      cli(helpdesk, ['agents:password', admin.email], 'short\n'),
      cli(helpdesk, ['agents:password', admin.email], ''),
      cli(helpdesk, ['agents:password', 'nobody@pharmacy.test'], 'a fine password\n'),
    ]);
    assert.equal(argv.status, 1);
    assert.match(argv.stderr, /standard input/);
    assert.equal(weak.status, 1);
    assert.match(weak.stderr, /password: must be at least 10 characters/);
    assert.equal(empty.status, 1);
    assert.match(empty.stderr, /password/);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /no agent with nobody@pharmacy\.test/);
    assert.equal((await signIn(admin.email, PASSWORD)).status, 200, 'nothing changed');
  });

  it('when a password hash was made by bcryptjs ($2a$ or $2b$), then that agent still signs in', async () => {
    for (const prefix of ['$2a$', '$2b$']) {
      const agent = await createAgent(helpdesk, { name: `Legacy ${prefix.slice(1, 3)}` });
      const legacy = bcryptjs.hashSync('an older password', 10).replace(/^\$2[ab]\$/, prefix);
      await helpdesk.context.db.agent.update({ where: { id: agent.id }, data: { passwordHash: legacy } });
      assert.equal((await signIn(agent.email, 'an older password')).status, 200, prefix);
      assert.equal((await signIn(agent.email, 'not the password')).status, 401, prefix);
    }
  });
});
