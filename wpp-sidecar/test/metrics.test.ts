/**
 * `GET /metrics` and request ids over real HTTP with the fake client and a stand-in helpdesk:
 * session state, forwarded messages, webhook deliveries (and retries), outbox backlog, sends, the
 * METRICS_TOKEN check, and X-Request-Id on webhooks and send answers.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { RunningSidecar } from '../src/app';
import type { FakeWppClient } from './fake-wppconnect-client';
import { API_KEY, HelpdeskStub, waitFor } from './helpers';
import { startTestSidecar, type TestSidecar } from './test-sidecar';
import { fixtures } from './wpp-fixtures';

const TOKEN = 'sidecar-metrics-token-0123456789';

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Sample lines of Prometheus' text format. */
function parseMetrics(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) continue;
    const labels: Record<string, string> = {};
    for (const label of (match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g))
      labels[label[1]!] = label[2]!;
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** Sum of the samples named `name` whose labels include `labels` (0 when none). */
function value(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

describe('metrics and request ids', () => {
  let running: TestSidecar;
  let helpdesk: HelpdeskStub;
  let fake: FakeWppClient;
  let sidecar: RunningSidecar;

  before(async () => {
    helpdesk = new HelpdeskStub();
    const url = await helpdesk.start();
    running = await startTestSidecar({
      env: { HELPDESK_WEBHOOK_URL: url, METRICS_TOKEN: TOKEN },
      waitFor: 'connected',
    });
    ({ fake, sidecar } = running);
  });

  after(async () => {
    await running?.stop();
    await helpdesk?.stop();
  });

  async function scrape(): Promise<Sample[]> {
    const response = await fetch(`${sidecar.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/plain/);
    return parseMetrics(await response.text());
  }

  it('when /metrics is asked without the METRICS_TOKEN bearer, then it answers 401', async () => {
    assert.equal((await fetch(`${sidecar.url}/metrics`)).status, 401);
    const wrong = await fetch(`${sidecar.url}/metrics`, { headers: { authorization: 'Bearer wrong' } });
    assert.equal(wrong.status, 401);
  });

  it('when connected, then the session state gauge shows connected only, with process metrics', async () => {
    const samples = await scrape();
    assert.equal(value(samples, 'wpp_sidecar_session_state', { state: 'connected' }), 1);
    assert.equal(value(samples, 'wpp_sidecar_session_state'), 1, 'exactly one state is 1');
    assert.equal(value(samples, 'wpp_sidecar_session_state', { state: 'logged_out' }), 0);
    assert.ok(value(samples, 'wpp_sidecar_session_transitions_total', { state: 'connected' }) >= 1);
    for (const state of ['waiting', 'active', 'delayed', 'dead']) {
      assert.ok(
        samples.some((s) => s.name === 'wpp_sidecar_outbox_jobs' && s.labels.state === state),
        `wpp_sidecar_outbox_jobs{state="${state}"}`,
      );
    }
    assert.ok(samples.some((s) => s.name === 'process_cpu_user_seconds_total'));
  });

  it('when a message is forwarded, then it is counted and its webhook carries a fresh X-Request-Id', async () => {
    const before = await scrape();
    const message = fixtures.text();
    fake.emitMessage(message);
    const hit = await waitFor(
      () => helpdesk.received.find((r) => r.rawBody.includes(message.id)),
      `webhook for ${message.id}`,
    );
    assert.match(String(hit.headers['x-request-id']), /^[0-9a-f-]{36}$/, 'a UUID request id');
    const after = await waitFor(async () => {
      const samples = await scrape();
      return value(samples, 'wpp_sidecar_webhook_deliveries_total', { result: 'delivered' }) >
        value(before, 'wpp_sidecar_webhook_deliveries_total', { result: 'delivered' })
        ? samples
        : null;
    }, 'delivery counted');
    assert.equal(
      value(after, 'wpp_sidecar_messages_forwarded_total', { type: 'text' }) -
        value(before, 'wpp_sidecar_messages_forwarded_total', { type: 'text' }),
      1,
    );
  });

  it('when the helpdesk fails, then retries are counted and later events wait in the outbox', async () => {
    const before = await scrape();
    helpdesk.respond = () => 503;
    const first = fixtures.text();
    const second = { ...fixtures.text(), id: `${fixtures.text().id}-second` };
    fake.emitMessage(first);
    fake.emitMessage(second);
    await waitFor(async () => {
      const samples = await scrape();
      return (
        value(samples, 'wpp_sidecar_webhook_deliveries_total', { result: 'retry' }) >
          value(before, 'wpp_sidecar_webhook_deliveries_total', { result: 'retry' }) &&
        value(samples, 'wpp_sidecar_outbox_jobs', { state: 'waiting' }) >= 1
      );
    }, 'a retry and a waiting event');
    helpdesk.respond = () => 202;
    await waitFor(async () => {
      const samples = await scrape();
      return (
        value(samples, 'wpp_sidecar_outbox_jobs', { state: 'waiting' }) === 0 &&
        value(samples, 'wpp_sidecar_outbox_jobs', { state: 'active' }) === 0
      );
    }, 'the backlog drained');
    assert.ok(helpdesk.received.some((r) => r.rawBody.includes(second.id)));
  });

  it('when the helpdesk sends with X-Request-Id, then the answer echoes it and the send is counted', async () => {
    const before = await scrape();
    const send = (to: string) =>
      fetch(`${sidecar.url}/api/send-message`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': API_KEY, 'x-request-id': 'trace-1234' },
        body: JSON.stringify({ to, text: 'Your order is ready' }),
      });
    const sent = await send('+201001234567');
    assert.equal(sent.status, 201);
    assert.equal(sent.headers.get('x-request-id'), 'trace-1234');
    assert.equal((await send('not a number')).status, 400);
    const after = await scrape();
    const delta = (labels: Record<string, string>) =>
      value(after, 'wpp_sidecar_sends_total', labels) - value(before, 'wpp_sidecar_sends_total', labels);
    assert.equal(delta({ type: 'text', result: 'sent' }), 1);
    assert.equal(delta({ type: 'text', result: 'invalid_recipient' }), 1);
  });

  it('when the phone logs the device out, then the logged_out transition is counted', async () => {
    const before = await scrape();
    fake.emitStateChange('UNPAIRED');
    await waitFor(async () => {
      const samples = await scrape();
      return (
        value(samples, 'wpp_sidecar_session_transitions_total', { state: 'logged_out' }) >
        value(before, 'wpp_sidecar_session_transitions_total', { state: 'logged_out' })
      );
    }, 'logged_out counted');
  });
});
