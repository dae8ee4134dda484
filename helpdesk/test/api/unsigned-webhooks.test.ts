/**
 * Webhook bodies are parsed only after their signature holds: a large unsigned (or wrongly signed)
 * body is answered 401 without ever reaching the JSON parser (secure-json-parse calls the global
 * JSON.parse, spied on here), so strangers cannot spend the event loop that answers webhooks. A
 * signed body is still parsed, and a signed one that is not JSON still answers 400. Both providers.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it, mock } from 'node:test';
import { startTestHelpdesk, textEvent, type TestHelpdesk } from '../support/harness';

/** About 900 KB of valid JSON (under WEBHOOK_MAX_BYTES) carrying `marker`. */
function bigBody(marker: string): string {
  return JSON.stringify({ marker, padding: Array.from({ length: 9000 }, () => 'x'.repeat(96)) });
}

/** Calls of JSON.parse, during `action`, whose text contains `marker`. */
async function parsesOf(marker: string, action: () => Promise<void>): Promise<number> {
  const spy = mock.method(JSON, 'parse');
  try {
    await action();
    return spy.mock.calls.filter((call) => String(call.arguments[0]).includes(marker)).length;
  } finally {
    spy.mock.restore();
  }
}

describe('webhooks: the signature before the JSON (wppconnect)', () => {
  let helpdesk: TestHelpdesk;
  before(async () => {
    helpdesk = await startTestHelpdesk({ inProcessWorkers: false });
  });
  after(() => helpdesk.stop());

  it('when a large body comes unsigned or wrongly signed, then 401 and it is never parsed', async () => {
    const marker = `unsigned-${randomBytes(8).toString('hex')}`;
    const body = bigBody(marker);
    const parses = await parsesOf(marker, async () => {
      const unsigned = await fetch(`${helpdesk.url}/webhooks/wppconnect`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      assert.equal(unsigned.status, 401);
      await unsigned.arrayBuffer();
      const wrong = await helpdesk.postWppconnect(null, {
        rawBody: body,
        secret: 'not-the-secret-0123456789',
      });
      assert.equal(wrong.status, 401);
      await wrong.arrayBuffer();
    });
    assert.equal(parses, 0, 'the body was not parsed');
  });

  it('when an unsigned body is not even JSON, then 401 (not 400): the signature comes first', async () => {
    const response = await fetch(`${helpdesk.url}/webhooks/wppconnect`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"event": ',
    });
    assert.equal(response.status, 401);
  });

  it('when the body is signed, then it is parsed and accepted; signed but not JSON, 400', async () => {
    const marker = `signed-${randomBytes(8).toString('hex')}`;
    const event = textEvent('+201001234567', marker);
    const parses = await parsesOf(marker, async () => {
      const response = await helpdesk.postWppconnect(event);
      assert.equal(response.status, 202, await response.text());
    });
    assert.ok(parses >= 1, 'a signed body is parsed');
    const malformed = await helpdesk.postWppconnect(null, { rawBody: '{"event": ' });
    assert.equal(malformed.status, 400);
    assert.match(((await malformed.json()) as { message: string }).message, /not valid JSON/);
  });
});

describe('webhooks: the signature before the JSON (cloud)', () => {
  let helpdesk: TestHelpdesk;
  before(async () => {
    helpdesk = await startTestHelpdesk({ provider: 'cloud', inProcessWorkers: false });
  });
  after(() => helpdesk.stop());

  it('when a large body comes without or with a wrong X-Hub-Signature-256, then 401 and it is never parsed', async () => {
    const marker = `unsigned-${randomBytes(8).toString('hex')}`;
    const body = bigBody(marker);
    const parses = await parsesOf(marker, async () => {
      const unsigned = await helpdesk.postCloud(null, { rawBody: body, signature: null });
      assert.equal(unsigned.status, 401);
      await unsigned.arrayBuffer();
      const wrong = await helpdesk.postCloud(null, { rawBody: body, secret: 'not-the-app-secret-0123' });
      assert.equal(wrong.status, 401);
      await wrong.arrayBuffer();
    });
    assert.equal(parses, 0, 'the body was not parsed');
  });

  it('when a signed body is not JSON, then 400', async () => {
    const malformed = await helpdesk.postCloud(null, { rawBody: '{"entry": ' });
    assert.equal(malformed.status, 400);
  });
});
