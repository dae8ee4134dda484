/**
 * `GET /health` answers while Redis accepts connections but does not reply (paused, overloaded,
 * or refusing a container's clients, as a Redis in protected mode does). It once waited for Redis
 * with no limit, so a container's healthcheck timed out and nothing said why.
 */
import assert from 'node:assert/strict';
import { Redis } from 'ioredis';
import { after, before, describe, it } from 'node:test';
import { startTestHelpdesk, waitFor, type TestHelpdesk } from '../support/harness';
import { startPrivateRedis, type PrivateRedis } from '../support/private-servers';

/** How long Redis stays silent, ms: well beyond the health check's own wait. */
const PAUSE_MS = 8000;

describe('health while Redis does not answer', () => {
  let redis: PrivateRedis;
  let helpdesk: TestHelpdesk;
  before(async () => {
    redis = await startPrivateRedis();
    helpdesk = await startTestHelpdesk({ env: { REDIS_URL: redis.url } });
  });
  after(async () => {
    await helpdesk?.stop();
    await redis?.stop();
  });

  it('when Redis stops replying, then /health answers 503 naming Redis while it is still silent', async () => {
    // Healthy first (the API's Redis connection is made in the background at start).
    await waitFor(async () => (await fetch(`${helpdesk.url}/health`)).status === 200, 10_000);

    const admin = new Redis(redis.url);
    try {
      // Every other client's commands wait until the pause ends (Redis's CLIENT PAUSE, mode ALL).
      await admin.call('CLIENT', 'PAUSE', String(PAUSE_MS), 'ALL');
      const pausedAt = Date.now();
      const answer = await fetch(`${helpdesk.url}/health`);
      const body = (await answer.json()) as { status: string; redis: boolean; database: boolean };
      assert.ok(Date.now() - pausedAt < PAUSE_MS, 'the answer came while Redis was still paused');
      assert.equal(answer.status, 503);
      assert.equal(body.status, 'degraded');
      assert.equal(body.redis, false);
      assert.equal(body.database, true);
    } finally {
      await admin.call('CLIENT', 'UNPAUSE').catch(() => {});
      admin.disconnect();
    }
  });
});
