/**
 * The sidecar's `session` events (a channel's WhatsApp session changed state) on a real running
 * helpdesk (HTTP, PostgreSQL, Redis, workers): a signed event is accepted (2xx) without becoming a
 * message or a ticket, `/metrics` shows `helpdesk_channel_up{channel}` 1 while connected and 0
 * otherwise, and every agent's open stream receives `channel.state`. A malformed one is refused
 * naming the field, an unsigned one is refused, and messages keep flowing as before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkChannelStates } from '../../src/use-cases/channels/check-channel-states';
import { query } from '../support/database';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import { metricValue, parseMetrics, type Sample } from '../support/prometheus';
import { createAgent, type TestAgent } from '../api/api-support';
import { openStream, type SseConnection } from '../api/sse-client';

const TOKEN = 'session-events-metrics-token-0123456789';

/** A `session` event as the sidecar sends it (contract: `sidecarSessionEventSchema`). */
function sessionEvent(
  channel: string,
  state: string,
  phone: string | null = null,
  detail: string | null = null,
): Record<string, unknown> {
  const since = new Date().toISOString();
  return {
    eventId: `wppconnect:${channel}:session:${since}:${state}`,
    type: 'session',
    channel,
    state,
    phone,
    since,
    detail,
  };
}

describe('sidecar session events', () => {
  let helpdesk: TestHelpdesk;
  let agent: TestAgent;
  let stream: SseConnection;

  before(async () => {
    helpdesk = await startTestHelpdesk({ env: { METRICS_TOKEN: TOKEN } });
    // A plain agent (admins see every event anyway): channel.state is for everyone.
    agent = await createAgent(helpdesk, { name: 'Nour' });
    stream = await openStream(helpdesk.url, agent.token);
    assert.equal(stream.status, 200);
    await stream.next((event) => event.event === 'ready', 5000, 'ready');
  });
  after(async () => {
    stream?.close();
    await helpdesk?.stop();
  });

  async function scrape(): Promise<Sample[]> {
    const response = await fetch(`${helpdesk.url}/metrics`, {
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    assert.equal(response.status, 200);
    return parseMetrics(await response.text());
  }

  function channelUp(samples: Sample[], channel: string): number | null {
    const sample = samples.find((s) => s.name === 'helpdesk_channel_up' && s.labels.channel === channel);
    return sample ? sample.value : null;
  }

  it('when a channel connects, then 2xx, helpdesk_channel_up is 1 and every agent’s stream gets channel.state', async () => {
    assert.equal(channelUp(await scrape(), 'sales-2'), null, 'no series before the first event');
    const event = sessionEvent('sales-2', 'connected', '+201001112222');
    const response = await helpdesk.postWppconnect(event);
    assert.equal(response.status, 202);
    assert.deepEqual(await response.json(), { accepted: 0, rejected: 0 }, 'no message was queued');

    const pushed = await stream.next(
      (candidate) => candidate.event === 'channel.state' && candidate.data.channel === 'sales-2',
      5000,
      'channel.state',
    );
    assert.equal(pushed.data.state, 'connected');
    assert.equal(pushed.data.phone, '+201001112222');
    assert.equal(pushed.data.since, event.since);
    assert.equal(pushed.data.detail, null);
    assert.equal(pushed.data.ticketId, null, 'not about a ticket');
    assert.ok(pushed.id, 'it has a stream id to resume from');
    assert.equal(channelUp(await scrape(), 'sales-2'), 1);
  });

  it('when a channel is not connected any more, then helpdesk_channel_up is 0, and other channels keep their own value', async () => {
    assert.equal(
      (await helpdesk.postWppconnect(sessionEvent('main', 'connected', '+201000000000'))).status,
      202,
    );
    for (const state of ['disconnected', 'qr', 'logged_out', 'error', 'starting']) {
      const response = await helpdesk.postWppconnect(
        sessionEvent('sales-2', state, null, state === 'error' ? 'net::ERR_NAME_NOT_RESOLVED' : null),
      );
      assert.equal(response.status, 202, state);
      await stream.next(
        (candidate) =>
          candidate.event === 'channel.state' &&
          candidate.data.channel === 'sales-2' &&
          candidate.data.state === state,
        5000,
        `channel.state ${state}`,
      );
      const samples = await scrape();
      assert.equal(channelUp(samples, 'sales-2'), 0, state);
      assert.equal(channelUp(samples, 'main'), 1, 'the other channel is still up');
    }
    const error = stream.events.find((e) => e.event === 'channel.state' && e.data.state === 'error');
    assert.equal(error?.data.detail, 'net::ERR_NAME_NOT_RESOLVED');
    assert.equal(
      (await helpdesk.postWppconnect(sessionEvent('sales-2', 'connected', '+201001112222'))).status,
      202,
    );
    assert.equal(channelUp(await scrape(), 'sales-2'), 1, 'up again');
  });

  it('when session events arrive, then no customer, ticket or message is made and nothing is sent', async () => {
    const [counts] = await query<{ customers: string; tickets: string; messages: string }>(
      helpdesk.database.url,
      'SELECT (SELECT count(*) FROM customers) AS customers, (SELECT count(*) FROM tickets) AS tickets, ' +
        '(SELECT count(*) FROM messages) AS messages',
    );
    assert.deepEqual(counts, { customers: '0', tickets: '0', messages: '0' });
    assert.equal(helpdesk.sidecar.sends.length, 0);
    assert.equal(
      stream.events.filter((e) => e.event === 'message.created' || e.event === 'ticket.assigned').length,
      0,
    );
  });

  it('when a session event is malformed or unsigned, then it is refused naming the field, and nothing changes', async () => {
    const before = channelUp(await scrape(), 'sales-2');
    const badState = await helpdesk.postWppconnect(sessionEvent('sales-2', 'sleeping'));
    assert.equal(badState.status, 400);
    assert.match(JSON.stringify(await badState.json()), /state/);
    const noChannel = { ...sessionEvent('sales-2', 'disconnected'), channel: '' };
    assert.equal((await helpdesk.postWppconnect(noChannel)).status, 400);
    const badSince = { ...sessionEvent('sales-2', 'disconnected'), since: 'yesterday' };
    const since = await helpdesk.postWppconnect(badSince);
    assert.equal(since.status, 400);
    assert.match(JSON.stringify(await since.json()), /since/);
    const unsigned = await helpdesk.postWppconnect(sessionEvent('sales-2', 'disconnected'), {
      secret: 'not-the-secret-0123456789abcdef',
    });
    assert.equal(unsigned.status, 401);
    assert.equal(channelUp(await scrape(), 'sales-2'), before, 'the gauge did not move');
  });

  it('when a customer writes after session events, then the message is stored as before', async () => {
    const response = await helpdesk.postWppconnect(textEvent('+201001113333', 'hello'));
    assert.equal(response.status, 202);
    await waitFor(
      async () =>
        (await query(helpdesk.database.url, 'SELECT 1 FROM messages WHERE direction = $1', ['inbound']))
          .length === 1,
      10_000,
      'the inbound message stored',
    );
    const samples = await scrape();
    assert.ok(
      metricValue(samples, 'helpdesk_webhook_requests_total', { provider: 'wppconnect', result: '2xx' }) >= 9,
    );
  });

  it('when the periodic check’s answer arrives after a newer session event, then the event’s state stays', async () => {
    // The configured number waits for a scan, and the check has recorded it.
    const { sidecar } = helpdesk;
    sidecar.sessionStates.set('pharmacy', { state: 'qr', phone: null });
    await checkChannelStates(helpdesk.context);
    const stored = async () =>
      (
        await query<{ state: string; phone: string | null }>(
          helpdesk.database.url,
          `SELECT state, phone FROM channels WHERE key = 'pharmacy'`,
        )
      )[0];
    assert.equal((await stored())?.state, 'qr');

    // The next check reads `qr`, but its answer is slow to come back …
    let release!: () => void;
    sidecar.heldSessionAnswers.set('pharmacy', new Promise<void>((resolve) => (release = resolve)));
    const reads = sidecar.sessionReads.length;
    const check = checkChannelStates(helpdesk.context);
    await waitFor(async () => sidecar.sessionReads.length > reads, 5000, 'the check asked the sidecar');
    // … and meanwhile the phone scans: the sidecar's own events say so.
    sidecar.sessionStates.delete('pharmacy');
    for (const state of ['starting', 'connected'])
      assert.equal(
        (
          await helpdesk.postWppconnect(
            sessionEvent('pharmacy', state, state === 'connected' ? '+201000000000' : null),
          )
        ).status,
        202,
      );
    await stream.next(
      (event) =>
        event.event === 'channel.state' &&
        event.data.channel === 'pharmacy' &&
        event.data.state === 'connected',
      5000,
      'connected pushed',
    );
    release();
    assert.equal(await check, 0, 'the late answer changed nothing');
    assert.deepEqual(await stored(), { state: 'connected', phone: '+201000000000' });
    assert.equal(channelUp(await scrape(), 'pharmacy'), 1);
    // The next check, answered at once, agrees.
    assert.equal(await checkChannelStates(helpdesk.context), 0);
    assert.equal((await stored())?.state, 'connected');
  });
});
