/**
 * Redis stops under load: while it is down the webhook answers 503 (never a 2xx it cannot keep),
 * and every event answered 2xx is processed once Redis is back. Redis runs privately with
 * append-only persistence (as docker-compose.yml runs it), so killing it loses no acknowledged job.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { query } from '../support/database';
import { addOnlineAgent, startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import { startPrivateRedis, type PrivateRedis } from '../support/private-servers';

describe('Redis outage under load', () => {
  let redis: PrivateRedis;
  let helpdesk: TestHelpdesk;
  before(async () => {
    redis = await startPrivateRedis();
    helpdesk = await startTestHelpdesk({ env: { REDIS_URL: redis.url } });
    await addOnlineAgent(helpdesk, 'a@pharmacy.test', 100);
  });
  after(async () => {
    await helpdesk?.stop();
    await redis?.stop();
  });

  it('when Redis is down for a few seconds, then webhooks answer 503 and every 2xx event is processed', async () => {
    const accepted: string[] = [];
    const statuses = new Map<number, number>();
    let sending = true;
    let sequence = 0;
    const load = (async () => {
      while (sending) {
        const event = textEvent(`+2010012${String(sequence % 40).padStart(5, '0')}`, `burst ${sequence}`);
        sequence += 1;
        const response = await helpdesk.postWppconnect(event).catch(() => null);
        const status = response?.status ?? 0;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        if (status >= 200 && status < 300) accepted.push(event.message.providerMessageId);
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    // Counted, not timed: on a loaded machine a second may hold few requests.
    await waitFor(async () => accepted.length >= 20, 30_000, '20 events accepted before the outage');
    const acceptedBefore = accepted.length;
    await redis.kill();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await redis.start();
    await waitFor(async () => accepted.length >= acceptedBefore + 20, 30_000, '20 events accepted after it');
    sending = false;
    await load;

    assert.ok(
      (statuses.get(503) ?? 0) > 0,
      `some webhooks answered 503 while Redis was down: ${[...statuses]}`,
    );
    assert.deepEqual(
      [...statuses.keys()].filter((status) => status !== 202 && status !== 503),
      [],
      'only 202 or 503',
    );
    await waitFor(
      async () => {
        const rows = await query<{ n: number }>(
          helpdesk.database.url,
          `SELECT count(*)::int AS n FROM messages WHERE direction = 'inbound' AND provider_message_id = ANY($1)`,
          [accepted],
        );
        return rows[0]!.n === accepted.length;
      },
      60_000,
      `all ${accepted.length} accepted events stored`,
    );
    const duplicates = await query(
      helpdesk.database.url,
      `SELECT provider_message_id FROM messages WHERE direction = 'inbound' GROUP BY provider, provider_message_id HAVING count(*) > 1`,
    );
    assert.deepEqual(duplicates, []);
  });
});
