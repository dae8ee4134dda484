/**
 * Bad input at `POST /webhooks/wppconnect`: each gets a clear 4xx (or a logged skip) and leaves
 * nothing written. (A message with an odd field but an id and a sender is kept instead: see
 * inbound-edge.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { query } from '../support/database';
import { readJson, startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';

describe('webhook input (wppconnect)', () => {
  let helpdesk: TestHelpdesk;
  const count = async (table: string) =>
    (await query<{ n: number }>(helpdesk.database.url, `SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

  before(async () => {
    helpdesk = await startTestHelpdesk();
  });
  after(() => helpdesk.stop());

  it('when the signature is wrong, then 401 and nothing is queued', async () => {
    const response = await helpdesk.postWppconnect(textEvent('+201001234567', 'hi'), {
      secret: 'another-secret-0123456789',
    });
    assert.equal(response.status, 401);
    assert.equal((await readJson(response)).error, 'unauthorized');
    assert.equal(await helpdesk.context.queues.inbound.count(), 0);
  });

  it('when the signature headers are missing, then 401', async () => {
    const response = await fetch(`${helpdesk.url}/webhooks/wppconnect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(textEvent('+201001234567', 'hi')),
    });
    assert.equal(response.status, 401);
  });

  it('when the timestamp is older than 5 minutes, then 401 even with a valid signature', async () => {
    const stale = Math.floor(Date.now() / 1000) - 301;
    const response = await helpdesk.postWppconnect(textEvent('+201001234567', 'hi'), { timestamp: stale });
    assert.equal(response.status, 401);
    assert.match((await readJson(response)).message, /timestamp/i);
  });

  it('when the body is not JSON, then 400', async () => {
    const response = await helpdesk.postWppconnect(null, { rawBody: '{"eventId": "x", "type": "mess' });
    assert.equal(response.status, 400);
    assert.match((await readJson(response)).message, /not valid JSON/);
  });

  it('when the message has no id, then 400 naming the field (a message without one cannot be kept)', async () => {
    const event = textEvent('+201001234567', 'hi');
    (event.message as { providerMessageId?: string }).providerMessageId = undefined;
    const response = await helpdesk.postWppconnect(event);
    assert.equal(response.status, 400);
    const body = await readJson(response);
    assert.equal(body.error, 'validation_failed');
    assert.match(body.message, /message\.providerMessageId/);
    assert.equal(await helpdesk.context.queues.inbound.count(), 0);
  });

  it('when the sender cannot be read, then 400 naming message.from', async () => {
    const event = textEvent('+201001234567', 'hi');
    (event.message as { from: unknown }).from = 'someone';
    const response = await helpdesk.postWppconnect(event);
    assert.equal(response.status, 400);
    assert.match((await readJson(response)).message, /message\.from/);
  });

  it('when the body is larger than WEBHOOK_MAX_BYTES, then 413', async () => {
    const response = await helpdesk.postWppconnect(textEvent('+201001234567', 'x'.repeat(1_100_000)));
    assert.equal(response.status, 413);
  });

  it('when the content type is not JSON, then 415', async () => {
    const response = await fetch(`${helpdesk.url}/webhooks/wppconnect`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: 'hello',
    });
    assert.equal(response.status, 415);
  });

  it('when the phone number cannot be parsed, then the event is skipped and nothing is stored', async () => {
    const response = await helpdesk.postWppconnect(textEvent('+12', 'hi'));
    assert.equal(response.status, 202, 'the sidecar must not retry it');
    await waitFor(
      async () => (await helpdesk.context.queues.inbound.getJobCounts('completed')).completed === 1,
      5000,
      'job done',
    );
    assert.equal(await count('customers'), 0);
    assert.equal(await count('tickets'), 0);
    assert.equal(await count('messages'), 0);
    assert.deepEqual(
      await helpdesk.context.queues.inbound.getCompleted().then((jobs) => jobs.map((job) => job.returnvalue)),
      ['skipped'],
    );
  });

  it('when the health endpoint is asked, then it reports the database and Redis', async () => {
    const response = await fetch(`${helpdesk.url}/health`);
    assert.equal(response.status, 200);
    const body = (await response.json()) as Record<string, unknown>;
    assert.deepEqual(
      { status: body.status, database: body.database, redis: body.redis },
      { status: 'ok', database: true, redis: true },
    );
  });
});
