/**
 * Prometheus metrics and request ids on a real running helpdesk (HTTP, PostgreSQL, Redis, BullMQ
 * workers, the stand-in sidecar): a customer's message moves the webhook, message, job, ticket,
 * assignment and send metrics; the webhook's X-Request-Id reaches the sidecar with the replies;
 * /metrics honours METRICS_TOKEN; a worker process serves its own metrics on METRICS_PORT.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { hmacSha256Hex } from '../../src/whatsapp/webhook-signature';
import { query } from '../support/database';
import { startTestHelpdesk, textEvent, waitFor, WEBHOOK_SECRET, type TestHelpdesk } from '../support/harness';
import { hasMetric, metricValue, parseMetrics, type Sample } from '../support/prometheus';

const TOKEN = 'metrics-test-token-0123456789abcdef';

describe('metrics and request ids', () => {
  let helpdesk: TestHelpdesk;

  before(async () => {
    helpdesk = await startTestHelpdesk({ env: { METRICS_TOKEN: TOKEN } });
    const added = await helpdesk.cli(
      'agents:add',
      '--name',
      'Sara',
      '--email',
      'sara@pharmacy.test',
      '--password',
      'password-123',
      '--capacity',
      '5',
    );
    assert.equal(added.status, 0, added.stderr);
    assert.equal((await helpdesk.cli('agents:availability', 'sara@pharmacy.test', 'online')).status, 0);
  });
  after(() => helpdesk.stop());

  async function scrape(url = helpdesk.url): Promise<Sample[]> {
    const response = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    return parseMetrics(await response.text());
  }

  /** Posts a signed sidecar webhook with an X-Request-Id, as the wpp-sidecar's outbox does. */
  function postWithRequestId(body: unknown, requestId: string): Promise<Response> {
    const raw = JSON.stringify(body);
    const timestamp = String(Math.floor(Date.now() / 1000));
    return fetch(`${helpdesk.url}/webhooks/wppconnect`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-webhook-timestamp': timestamp,
        'x-webhook-signature': `sha256=${hmacSha256Hex(WEBHOOK_SECRET, `${timestamp}.${raw}`)}`,
        'x-request-id': requestId,
      },
      body: raw,
    });
  }

  it('when /metrics is scraped without the METRICS_TOKEN bearer, then it answers 401', async () => {
    assert.equal((await fetch(`${helpdesk.url}/metrics`)).status, 401);
    const wrong = await fetch(`${helpdesk.url}/metrics`, { headers: { authorization: 'Bearer nope' } });
    assert.equal(wrong.status, 401);
  });

  it('when a scrape succeeds, then it has the process metrics, queue depths and ticket gauges', async () => {
    const samples = await scrape();
    for (const name of ['process_cpu_user_seconds_total', 'nodejs_heap_size_used_bytes']) {
      assert.ok(hasMetric(samples, name), `${name} is exposed`);
    }
    for (const queue of ['inbound', 'outbound', 'scheduled']) {
      for (const state of ['waiting', 'active', 'delayed', 'failed']) {
        assert.ok(
          samples.some(
            (sample) =>
              sample.name === 'helpdesk_queue_jobs' &&
              sample.labels.queue === queue &&
              sample.labels.state === state,
          ),
          `helpdesk_queue_jobs{queue="${queue}",state="${state}"}`,
        );
      }
    }
    assert.ok(hasMetric(samples, 'helpdesk_tickets_waiting'));
    assert.equal(metricValue(samples, 'helpdesk_metrics_collect_errors_total'), 0);
  });

  it('when a customer writes, then the counters move and the request id reaches the sidecar', async () => {
    const before = await scrape();
    const phone = '+201001230001';
    const requestId = 'trace-metrics-0001';
    const response = await postWithRequestId(textEvent(phone, 'hello'), requestId);
    assert.equal(response.status, 202);
    assert.equal(response.headers.get('x-request-id'), requestId, 'the answer echoes the request id');

    const sends = await waitFor(
      () => {
        const found = helpdesk.sidecar.sends.filter((send) => send.to === phone);
        return found.length === 2 ? found : null;
      },
      10_000,
      'welcome and menu sent',
    );
    assert.deepEqual(
      sends.map((send) => send.requestId),
      [requestId, requestId],
      'the replies carry the webhook request id to the sidecar',
    );

    const delta = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
      metricValue(samples, name, labels) - metricValue(before, name, labels);
    const after = await waitFor(
      async () => {
        const samples = await scrape();
        // The inbound job's duration is recorded when its handler returns, which can be after the
        // outbound job it queued has been sent: wait for all three.
        return delta(samples, 'helpdesk_job_duration_seconds_count', { queue: 'inbound' }) >= 1 &&
          delta(samples, 'helpdesk_job_duration_seconds_count', { queue: 'outbound' }) >= 1 &&
          delta(samples, 'helpdesk_assignment_wait_seconds_count') >= 1
          ? samples
          : null;
      },
      10_000,
      'inbound job, outbound job and assignment recorded',
    );
    assert.equal(
      delta(after, 'helpdesk_webhook_requests_total', { provider: 'wppconnect', result: '2xx' }),
      1,
    );
    assert.equal(
      delta(after, 'helpdesk_messages_received_total', { provider: 'wppconnect', type: 'text' }),
      1,
    );
    assert.equal(
      delta(after, 'helpdesk_messages_sent_total', { provider: 'wppconnect', type: 'text', result: 'sent' }),
      1,
      'the welcome',
    );
    assert.equal(
      delta(after, 'helpdesk_messages_sent_total', {
        provider: 'wppconnect',
        type: 'interactive',
        result: 'sent',
      }),
      1,
      'the menu',
    );
    assert.equal(
      delta(after, 'helpdesk_job_duration_seconds_count', { queue: 'inbound', outcome: 'stored' }),
      1,
    );
    assert.equal(
      delta(after, 'helpdesk_job_duration_seconds_count', { queue: 'outbound', outcome: 'sent' }),
      1,
    );
    assert.equal(delta(after, 'helpdesk_tickets_opened_total', { kind: 'new' }), 1);
    assert.equal(delta(after, 'helpdesk_assignment_wait_seconds_count'), 1);
    assert.ok(metricValue(after, 'helpdesk_assignment_wait_seconds_sum') < 60, 'assigned within seconds');
    assert.equal(metricValue(after, 'helpdesk_tickets_waiting'), 0, 'the online agent took it');

    const outbound = await helpdesk.context.queues.outbound.getJobs(['completed', 'active', 'waiting']);
    assert.ok(
      outbound.some((job) => job.data.requestId === requestId),
      'the outbound job carries the request id',
    );
  });

  it('when a webhook is refused, then it counts as a 4xx webhook request', async () => {
    const before = await scrape();
    const response = await helpdesk.postWppconnect(textEvent('+201001230002', 'hi'), {
      secret: 'not-the-secret-0123456789abcdef',
    });
    assert.equal(response.status, 401);
    const after = await scrape();
    const labels = { provider: 'wppconnect', result: '4xx' };
    assert.equal(
      metricValue(after, 'helpdesk_webhook_requests_total', labels),
      metricValue(before, 'helpdesk_webhook_requests_total', labels) + 1,
    );
  });

  it('when the audit log records a resolution and a reopening, then the ticket counters count them', async () => {
    const [ticket] = await query<{ id: string }>(helpdesk.database.url, `SELECT id FROM tickets LIMIT 1`);
    assert.ok(ticket, 'a ticket exists');
    const before = await scrape();
    await query(
      helpdesk.database.url,
      `INSERT INTO ticket_events (ticket_id, type, data) VALUES
         ($1, 'status_changed', '{"from": "open", "to": "resolved"}'),
         ($1, 'reopened', NULL),
         ($1, 'status_changed', '{"from": "open", "to": "pending"}')`,
      [ticket.id],
    );
    const after = await scrape();
    const delta = (name: string, labels: Record<string, string> = {}) =>
      metricValue(after, name, labels) - metricValue(before, name, labels);
    assert.equal(delta('helpdesk_tickets_resolved_total'), 1);
    assert.equal(delta('helpdesk_tickets_opened_total', { kind: 'reopened' }), 1);
    assert.equal(delta('helpdesk_tickets_opened_total', { kind: 'new' }), 0);
  });

  it('when a worker process runs with METRICS_PORT, then it serves its own /metrics and /health', async () => {
    const url = await startWorkerWithMetrics(helpdesk, {});
    assert.equal((await fetch(`${url}/metrics`)).status, 401, 'METRICS_TOKEN applies');
    const samples = await scrape(url);
    assert.ok(hasMetric(samples, 'process_cpu_user_seconds_total'));
    assert.ok(!hasMetric(samples, 'helpdesk_queue_jobs'), 'shared metrics come from the API only');
  });

  it('when a worker process runs with METRICS_PORT but no METRICS_TOKEN, then it refuses every scrape', async () => {
    const url = await startWorkerWithMetrics(helpdesk, { METRICS_TOKEN: '' });
    assert.equal((await fetch(`${url}/metrics`)).status, 401, 'no token: nobody reads metrics');
    const withAnyBearer = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer x' } });
    assert.equal(withAnyBearer.status, 401);
  });
});

/**
 * Starts a worker process serving its own metrics on a free port, once its /health answers.
 * @returns its base URL.
 */
async function startWorkerWithMetrics(helpdesk: TestHelpdesk, env: Record<string, string>): Promise<string> {
  const port = await freePort();
  helpdesk.startWorkerProcess({ METRICS_PORT: String(port), ...env });
  const url = `http://127.0.0.1:${port}`;
  await waitFor(
    () =>
      fetch(`${url}/health`).then(
        (response) => response.ok,
        () => false,
      ),
    30_000,
    'the worker metrics server',
  );
  return url;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
