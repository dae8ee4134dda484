/**
 * While PostgreSQL is unreachable both providers' webhooks answer 503 (with Retry-After), so the
 * sidecar's outbox and Meta keep the event and retry it, instead of the helpdesk holding events it
 * cannot store; `/health` says why. Once PostgreSQL is back the retried event is accepted and
 * stored once. PostgreSQL runs privately so stopping it disturbs nothing else.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { message, messagesValue, notification, wamid } from '../support/cloud-payloads';
import { createDatabaseOn, query } from '../support/database';
import { readJson, startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import { startPrivatePostgres, type PrivatePostgres } from '../support/private-servers';
import { metricValue, parseMetrics } from '../support/prometheus';

const TOKEN = 'outage-metrics-token-0123456789abcdef';

/** helpdesk_database_reachable as the API's /metrics reports it. */
async function reachableGauge(helpdesk: TestHelpdesk): Promise<number> {
  const response = await fetch(`${helpdesk.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(response.status, 200);
  return metricValue(parseMetrics(await response.text()), 'helpdesk_database_reachable');
}

/** A fast probe, so the outage is seen within the test's waits. */
const PROBE = { DATABASE_PROBE_INTERVAL_MS: '100', DATABASE_PROBE_TIMEOUT_MS: '500', METRICS_TOKEN: TOKEN };

describe('webhooks while PostgreSQL is down', () => {
  let postgres: PrivatePostgres;
  let wppconnect: TestHelpdesk;
  let cloud: TestHelpdesk;
  before(async () => {
    postgres = await startPrivatePostgres();
    wppconnect = await startTestHelpdesk({
      database: await createDatabaseOn(postgres.urlOf('postgres'), 'helpdesk_wpp'),
      env: PROBE,
    });
    cloud = await startTestHelpdesk({
      database: await createDatabaseOn(postgres.urlOf('postgres'), 'helpdesk_cloud'),
      provider: 'cloud',
      env: PROBE,
    });
  });
  after(async () => {
    await wppconnect?.stop();
    await cloud?.stop();
    await postgres?.stop();
  });

  it('when PostgreSQL is unreachable, then both webhooks answer 503 with Retry-After and accept the retry once it is back', async () => {
    const sidecarEvent = textEvent('+201001110001', 'are you open?');
    const cloudId = wamid();
    const cloudBody = notification(
      messagesValue({ waId: '201001110002' }, [
        message.text({ waId: '201001110002' }, 'hello', { id: cloudId }),
      ]),
    );
    await postgres.shutdown();

    // The probe notices within its interval; until then an event may still be accepted (and waits
    // in the queue, see postgres-outage.test.ts). The test posts as the senders retry.
    const refusals: Response[] = [];
    for (const [name, post] of [
      ['wppconnect', () => wppconnect.postWppconnect(sidecarEvent)],
      ['cloud', () => cloud.postCloud(cloudBody)],
    ] as const) {
      await waitFor(
        async () => {
          const response = await post();
          if (response.status === 503) refusals.push(response);
          else if (response.status >= 300)
            assert.fail(`${name}: unexpected ${response.status} ${await response.text()}`);
          return response.status === 503;
        },
        20_000,
        `${name} webhook answering 503`,
      );
    }
    assert.equal(refusals.length, 2);
    for (const response of refusals) {
      assert.ok(Number(response.headers.get('retry-after')) > 0, 'Retry-After in seconds');
      const body = await readJson(response);
      assert.equal(body.error, 'unavailable');
      assert.match(body.message, /database is unreachable/);
    }

    for (const helpdesk of [wppconnect, cloud]) {
      const health = await fetch(`${helpdesk.url}/health`);
      assert.equal(health.status, 503);
      const detail = (await health.json()) as {
        database: boolean;
        details: { database: { reachable: boolean; lastError: string | null }; deadLetters: unknown };
      };
      assert.equal(detail.database, false);
      assert.equal(detail.details.database.reachable, false);
      assert.ok(detail.details.database.lastError, 'the reason is shown');
      assert.deepEqual(detail.details.deadLetters, { inbound: 0, outbound: 0, scheduled: 0 });
      assert.equal(await reachableGauge(helpdesk), 0);
    }

    await postgres.start();
    // The senders' retries: accepted once the probe sees PostgreSQL again.
    await waitFor(async () => (await wppconnect.postWppconnect(sidecarEvent)).status === 202, 20_000, '202');
    await waitFor(async () => (await cloud.postCloud(cloudBody)).status === 200, 20_000, '200');
    for (const [helpdesk, id] of [
      [wppconnect, sidecarEvent.message.providerMessageId],
      [cloud, cloudId],
    ] as const) {
      await waitFor(
        async () => {
          const [row] = await query<{ stored: number }>(
            helpdesk.database.url,
            `SELECT count(*)::int AS stored FROM messages WHERE provider_message_id = $1`,
            [id],
          );
          return row!.stored === 1;
        },
        30_000,
        `message ${id} stored`,
      );
      const health = await fetch(`${helpdesk.url}/health`);
      assert.equal(health.status, 200);
      assert.equal(await reachableGauge(helpdesk), 1);
    }
    const [{ count }] = (await query<{ count: number }>(
      wppconnect.database.url,
      `SELECT count(*)::int AS count FROM messages WHERE direction = 'inbound'`,
    )) as [{ count: number }];
    assert.equal(count, 1, 'stored exactly once');
  });
});
