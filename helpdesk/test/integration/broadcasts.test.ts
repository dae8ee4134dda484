/**
 * Broadcasts (issue 17) through the real API, the BullMQ `broadcast` queue and its rate limiter in
 * Redis, the worker, PostgreSQL and the stand-in sidecar (which records every send as wpp-sidecar
 * receives it): 500 customers (seeded by SQL) are sent at the configured pace — measured from the
 * recipients' claim times and from the sidecar's sends — each exactly once, opted-out customers
 * skipped with reason `opted_out`, a per-recipient result; pause stops the sending and resume ends
 * it; a CSV segment reports its bad line; the WPPConnect warning is answered; 400s name the field.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  broadcastCreatedSchema,
  broadcastRecipientListSchema,
  broadcastSchema,
  WPPCONNECT_BROADCAST_WARNING,
  type Broadcast,
  type BroadcastCreated,
  type BroadcastRecipient,
} from '@whatsapp-helpdesk/contract/api';
import { sendBroadcastRecipient } from '../../src/use-cases/broadcasts/send-broadcast-recipient';
import { assertMatches, assertValidationError, createAgent, type TestAgent } from '../api/api-support';
import { addCloudChannel } from '../support/cloud-channel';
import { PHONE_NUMBER_ID } from '../support/cloud-payloads';
import { query } from '../support/database';
import { startTestHelpdesk, waitFor, type TestHelpdesk } from '../support/harness';
import { GRAPH_ERRORS, type StandInGraphApi } from '../support/stand-in-graph-api';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Records when each sidecar send is first seen (polled every 20 ms). */
function watchSends(helpdesk: TestHelpdesk, text: string): { times: number[]; stop(): void } {
  const times: number[] = [];
  const timer = setInterval(() => {
    const count = helpdesk.sidecar.sends.filter((send) => send.text === text).length;
    while (times.length < count) times.push(Date.now());
  }, 20);
  return { times, stop: () => clearInterval(timer) };
}

/** The most events within any window of `windowMs` (sorted times, ms). */
function mostWithin(times: number[], windowMs: number): number {
  let most = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while (times[end]! - times[start]! >= windowMs) start++;
    most = Math.max(most, end - start + 1);
  }
  return most;
}

describe('broadcasts', () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk();
    admin = await createAgent(helpdesk, { name: 'Broadcaster', role: 'admin' });
  });
  after(() => helpdesk.stop());

  it('when 500 customers get a broadcast at 2400 a minute, then the pace holds, each is sent once, opted-out ones are skipped', async () => {
    await query(
      helpdesk.database.url,
      `INSERT INTO customers (id, phone, name, last_inbound_at, updated_at, opted_out_at)
       SELECT gen_random_uuid(), '+2010' || lpad(i::text, 8, '0'), 'Customer ' || i, now(), now(),
              CASE WHEN i % 50 = 0 THEN now() END
         FROM generate_series(1, 500) i`,
    );
    const text = `Pharmacy open late tonight ${Date.now()}`;
    const created = await admin.api.post<BroadcastCreated>('/api/broadcasts', {
      name: 'Late opening',
      channel: 'pharmacy',
      text,
      segment: { wroteWithinDays: '١' },
      ratePerMinute: 2400,
      dailyCap: 1000,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assertMatches(broadcastCreatedSchema, created.body);
    assert.equal(created.body.recipientCount, 490);
    assert.equal(created.body.progress.total, 500);
    assert.equal(created.body.progress.skipped, 10);
    assert.equal(created.body.status, 'draft');
    assert.equal(
      created.body.warning,
      WPPCONNECT_BROADCAST_WARNING,
      'WPPConnect broadcasts carry the ban warning',
    );
    const id = created.body.id;

    const watch = watchSends(helpdesk, text);
    const started = Date.now();
    const start = await admin.api.post<Broadcast>(`/api/broadcasts/${id}/start`, {});
    assert.equal(start.status, 200, JSON.stringify(start.body));
    assert.equal(start.body.status, 'running');
    await waitFor(
      async () => (await admin.api.get<Broadcast>(`/api/broadcasts/${id}`)).body.status === 'done',
      90_000,
      'the broadcast done',
    );
    await waitFor(() => watch.times.length >= 490, 30_000, 'every send at the sidecar');
    await pause(1000); // room for a duplicate
    watch.stop();
    const elapsed = Date.now() - started;

    const sends = helpdesk.sidecar.sends.filter((send) => send.text === text);
    assert.equal(sends.length, 490, 'each recipient sent once');
    assert.equal(new Set(sends.map((send) => send.to)).size, 490);

    // The pace, measured where the limiter acts (each recipient's claim) and at the sidecar.
    const claims = (
      await query<{ at: Date }>(
        helpdesk.database.url,
        `SELECT updated_at AS at FROM broadcast_recipients WHERE broadcast_id = $1 AND status = 'sent' ORDER BY updated_at`,
        [id],
      )
    ).map(({ at }) => at.getTime());
    assert.equal(claims.length, 490);
    const claimSpan = claims.at(-1)! - claims[0]!;
    // 2400 a minute = one per 25 ms: 489 intervals take at least ~12 s.
    assert.ok(claimSpan >= 489 * 25 * 0.95, `throttled: 490 claims over ${claimSpan} ms`);
    const perSecond = mostWithin(claims, 1000);
    assert.ok(perSecond <= 41, `at most 40 a second (+1 at the window's edge): ${perSecond}`);
    const sidecarPerFiveSeconds = mostWithin(watch.times, 5000);
    assert.ok(sidecarPerFiveSeconds <= 200 + 10, `sidecar: at most 200 in 5 s: ${sidecarPerFiveSeconds}`);
    console.log(
      `broadcast: 490 sends in ${elapsed} ms; claims ${claimSpan} ms, most ${perSecond}/s; sidecar most ${sidecarPerFiveSeconds}/5 s`,
    );

    const recipients = await admin.api.get<{ items: BroadcastRecipient[] }>(
      `/api/broadcasts/${id}/recipients`,
    );
    assert.equal(recipients.status, 200);
    assertMatches(broadcastRecipientListSchema, recipients.body);
    const items = recipients.body.items;
    assert.equal(items.length, 500);
    const skipped = items.filter((item) => item.status === 'skipped');
    assert.equal(skipped.length, 10);
    assert.ok(skipped.every((item) => item.reason === 'opted_out' && item.messageId === null));
    assert.equal(items.filter((item) => item.status === 'sent').length, 490);

    // Each send is an outbound message on the customer's ticket (replies come back into it).
    const stored = await query<{ count: number }>(
      helpdesk.database.url,
      `SELECT count(*)::int AS count FROM broadcast_recipients r JOIN messages m ON m.id = r.message_id
         JOIN tickets t ON t.id = m.ticket_id
        WHERE r.broadcast_id = $1 AND t.customer_id = r.customer_id AND m.direction = 'outbound' AND m.delivery_status = 'sent'`,
      [id],
    );
    assert.equal(stored[0]!.count, 490);

    // A recipient's status follows its message's delivery status (as an ack sets it).
    const first = items.find((item) => item.status === 'sent')!;
    await query(helpdesk.database.url, `UPDATE messages SET delivery_status = 'read' WHERE id = $1`, [
      first.messageId,
    ]);
    const after = await admin.api.get<Broadcast>(`/api/broadcasts/${id}`);
    assertMatches(broadcastSchema, after.body);
    assert.equal(after.body.progress.read, 1);
    assert.equal(after.body.progress.sent, 489);
  });

  it('when a broadcast is paused, then nothing more is sent until it is resumed, and each recipient once', async () => {
    const csv = Array.from({ length: 12 }, (_, i) =>
      `٠١٢٠٠٠٠٠${String(i).padStart(3, '0')},Customer ${i}`.replace(/\d/g, (d) => '٠١٢٣٤٥٦٧٨٩'[Number(d)]!),
    );
    const text = `Pause test ${Date.now()}`;
    const created = await admin.api.post<BroadcastCreated>('/api/broadcasts', {
      name: 'Pause',
      channel: 'pharmacy',
      text,
      segment: { phones: csv.join('\n') },
      ratePerMinute: 120,
      dailyCap: 1000,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.recipientCount, 12);
    assert.deepEqual(created.body.invalidLines, []);
    const id = created.body.id;
    assert.equal((await admin.api.post(`/api/broadcasts/${id}/start`, {})).status, 200);
    const count = () => helpdesk.sidecar.sends.filter((send) => send.text === text).length;
    await waitFor(() => count() >= 2, 15_000, 'two sent');
    const paused = await admin.api.post<Broadcast>(`/api/broadcasts/${id}/pause`, {});
    assert.equal(paused.status, 200);
    assert.equal(paused.body.status, 'paused');
    await pause(1000); // a send in progress settles
    const atPause = count();
    await pause(2500);
    assert.equal(count(), atPause, 'nothing sent while paused');
    assert.ok(atPause < 12);
    assert.equal((await admin.api.post(`/api/broadcasts/${id}/pause`, {})).status, 409, 'not running');
    const resumed = await admin.api.post<Broadcast>(`/api/broadcasts/${id}/resume`, {});
    assert.equal(resumed.status, 200);
    await waitFor(
      async () => (await admin.api.get<Broadcast>(`/api/broadcasts/${id}`)).body.status === 'done',
      30_000,
      'done after resume',
    );
    await waitFor(() => count() >= 12, 10_000, 'all sent');
    await pause(800);
    assert.equal(count(), 12, 'each recipient exactly once');
    // 120 a minute: the limiter spaces the claims at least 500 ms apart (the worker alone is far faster).
    const claims = (
      await query<{ at: Date }>(
        helpdesk.database.url,
        `SELECT updated_at AS at FROM broadcast_recipients WHERE broadcast_id = $1 ORDER BY updated_at`,
        [id],
      )
    ).map(({ at }) => at.getTime());
    const gaps = claims.slice(1).map((at, index) => at - claims[index]!);
    assert.ok(Math.min(...gaps) >= 475, `claims spaced by the pace: ${gaps.join(', ')} ms`);
    // New numbers became customers with a ticket.
    const customers = await query<{ count: number }>(
      helpdesk.database.url,
      `SELECT count(*)::int AS count FROM customers WHERE phone LIKE '+2012000000%'`,
    );
    assert.equal(customers[0]!.count, 12);
  });

  it("when the channel's daily cap is reached, then the recipients wait (pending) instead of being sent", async () => {
    // 502 broadcast sends on the channel today already.
    const text = `Capped ${Date.now()}`;
    const created = await admin.api.post<BroadcastCreated>('/api/broadcasts', {
      name: 'Capped',
      channel: 'pharmacy',
      text,
      segment: { phones: '+201100000077\n+201100000078' },
      ratePerMinute: 600,
      dailyCap: 502,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((await admin.api.post(`/api/broadcasts/${created.body.id}/start`, {})).status, 200);
    await pause(2500);
    assert.equal(helpdesk.sidecar.sends.filter((send) => send.text === text).length, 0);
    const progress = (await admin.api.get<Broadcast>(`/api/broadcasts/${created.body.id}`)).body.progress;
    assert.equal(progress.pending, 2);
    // While it runs, no other broadcast may start: the queue has one pace.
    const second = await admin.api.post<BroadcastCreated>('/api/broadcasts', {
      name: 'Second at once',
      channel: 'pharmacy',
      text: `Second ${Date.now()}`,
      segment: { phones: '+201100000079' },
    });
    assert.equal(second.status, 201, JSON.stringify(second.body));
    const refused = await admin.api.post(`/api/broadcasts/${second.body.id}/start`, {});
    assert.equal(refused.status, 409);
    assert.match(JSON.stringify(refused.body), /another broadcast is running/);
    assert.equal((await admin.api.post(`/api/broadcasts/${created.body.id}/cancel`, {})).status, 200);
    assert.equal((await admin.api.post(`/api/broadcasts/${second.body.id}/cancel`, {})).status, 200);
  });

  it('when worker processes send the last place under the daily cap at once, then only the cap is sent', async () => {
    const phones = ['+201100000081', '+201100000082', '+201100000083', '+201100000084'];
    const created = await admin.api.post<BroadcastCreated>('/api/broadcasts', {
      name: 'Last place',
      channel: 'pharmacy',
      text: `Last place ${Date.now()}`,
      segment: { phones: phones.join('\n') },
      dailyCap: 1000,
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    // Running with one place left today, without jobs: the sends below stand for four worker
    // processes' broadcast jobs of this broadcast taken at the same moment.
    const [{ sent }] = (await query(
      helpdesk.database.url,
      `SELECT count(*)::int AS sent FROM broadcast_recipients r JOIN broadcasts b ON b.id = r.broadcast_id
        WHERE b.channel_key = 'pharmacy' AND r.message_id IS NOT NULL AND r.updated_at >= date_trunc('day', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
    )) as [{ sent: number }];
    await query(
      helpdesk.database.url,
      `UPDATE broadcasts SET status = 'running', daily_cap = $2 WHERE id = $1`,
      [created.body.id, sent + 1],
    );
    const outcomes = await Promise.all(
      phones.map((phone) => sendBroadcastRecipient(helpdesk.context, created.body.id, phone)),
    );
    assert.deepEqual(outcomes.map((result) => result.outcome).sort(), ['capped', 'capped', 'capped', 'sent']);
    const progress = (await admin.api.get<Broadcast>(`/api/broadcasts/${created.body.id}`)).body.progress;
    assert.equal(progress.pending, 3, 'the capped recipients wait for the next day');
    assert.equal((await admin.api.post(`/api/broadcasts/${created.body.id}/cancel`, {})).status, 200);
  });

  it('when a CSV segment has a bad line, then it is reported and the others are recipients', async () => {
    const created = await admin.api.post<BroadcastCreated>('/api/broadcasts', {
      name: 'CSV',
      channel: 'pharmacy',
      text: 'hello',
      segment: { phones: 'phone,name\n+201100000001,A\n01100000002\nnot a number\n\n+201100000001' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.recipientCount, 2);
    assert.deepEqual(
      created.body.invalidLines.map((line) => line.line),
      [1, 4],
    );
    assert.equal(created.body.ratePerMinute, 10, 'WPPConnect default pace');
    assert.equal(created.body.dailyCap, 200);
    const cancelled = await admin.api.post<Broadcast>(`/api/broadcasts/${created.body.id}/cancel`, {});
    assert.equal(cancelled.body.status, 'cancelled');
    assert.equal((await admin.api.post(`/api/broadcasts/${created.body.id}/start`, {})).status, 409);
  });

  it('when the body is wrong, then 400 names the field and nothing is stored; agents get 403', async () => {
    const before = await query<{ count: number }>(
      helpdesk.database.url,
      `SELECT count(*)::int AS count FROM broadcasts`,
    );
    assertValidationError(
      await admin.api.post('/api/broadcasts', {
        name: 'x',
        channel: 'pharmacy',
        segment: { wroteWithinDays: 1 },
      }),
      'text',
    );
    assertValidationError(
      await admin.api.post('/api/broadcasts', {
        name: 'x',
        channel: 'nope',
        text: 'hi',
        segment: { wroteWithinDays: 1 },
      }),
      'channel',
    );
    assertValidationError(
      await admin.api.post('/api/broadcasts', {
        name: 'x',
        channel: 'pharmacy',
        text: 'hi',
        segment: { phones: 'junk' },
      }),
      'segment.phones',
    );
    const after = await query<{ count: number }>(
      helpdesk.database.url,
      `SELECT count(*)::int AS count FROM broadcasts`,
    );
    assert.equal(after[0]!.count, before[0]!.count);
    const agent = await createAgent(helpdesk, { name: 'Not admin', role: 'agent' });
    assert.equal((await agent.api.get('/api/broadcasts')).status, 403);
  });
});

describe('broadcasts on a Cloud API channel', () => {
  let helpdesk: TestHelpdesk;
  let graph: StandInGraphApi;
  let admin: TestAgent;

  before(async () => {
    helpdesk = await startTestHelpdesk();
    // Meta's shape of a listed template (Meta, "WhatsApp Business Account — Message Templates").
    let channelId: string;
    ({ graph, channelId } = await addCloudChannel(helpdesk, [
      {
        id: '3001',
        name: 'ramadan_hours',
        language: 'ar',
        category: 'MARKETING',
        status: 'APPROVED',
        components: [
          { type: 'BODY', text: 'مواعيدنا في رمضان: {{1}}', example: { body_text: [['١٠ص–٢ص']] } },
        ],
      },
    ]));
    admin = await createAgent(helpdesk, { name: 'Cloud broadcaster', role: 'admin', availability: 'away' });
    const synced = await admin.api.post(`/api/channels/${channelId}/templates/sync`, {});
    assert.equal(synced.status, 200, JSON.stringify(synced.body));
  });
  after(async () => {
    await graph.close();
    await helpdesk.stop();
  });

  it('when a template is broadcast, then each number gets it once through the Graph API, with no WPPConnect warning', async () => {
    const created = await admin.api.post<BroadcastCreated>('/api/broadcasts', {
      name: 'Ramadan',
      channel: PHONE_NUMBER_ID,
      template: { name: 'ramadan_hours', language: 'ar', parameters: { body: ['10:00–02:00'] } },
      segment: { phones: '+201001600001\n+201001600002' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.warning, null);
    assert.equal(created.body.ratePerMinute, 2400, 'half of CLOUD_API_MAX_MPS (80) a second');
    assert.equal((await admin.api.post(`/api/broadcasts/${created.body.id}/start`, {})).status, 200);
    await waitFor(
      () =>
        graph.sends.filter((send) => ['201001600001', '201001600002'].includes(send.to ?? '')).length >= 2,
      15_000,
      'the template sends',
    );
    const send = graph.sends.find((candidate) => candidate.to === '201001600001')!;
    // Meta, "Send message templates".
    assert.deepEqual(send.body.template, {
      name: 'ramadan_hours',
      language: { code: 'ar' },
      components: [{ type: 'body', parameters: [{ type: 'text', text: '10:00–02:00' }] }],
    });
    await pause(1000);
    assert.equal(graph.sends.filter((candidate) => candidate.to === '201001600001').length, 1, 'once');
  });

  it('when a text is broadcast to customers outside the 24-hour window, then each fails with the reason', async () => {
    const created = await admin.api.post<BroadcastCreated>('/api/broadcasts', {
      name: 'Text',
      channel: PHONE_NUMBER_ID,
      text: 'hello',
      segment: { phones: '+201001600003' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    await admin.api.post(`/api/broadcasts/${created.body.id}/start`, {});
    const [recipient] = await waitFor(
      async () => {
        const items = (
          await admin.api.get<{ items: BroadcastRecipient[] }>(
            `/api/broadcasts/${created.body.id}/recipients`,
          )
        ).body.items;
        return items[0]?.status === 'failed' ? items : null;
      },
      15_000,
      'the recipient failed',
    );
    assert.equal(recipient!.reason, 'outside_customer_service_window');
    assert.equal(recipient!.reasonDetail, null, 'refused before any provider was asked');
    assert.equal(graph.sends.filter((send) => send.to === '201001600003').length, 0);
  });

  it("when Meta refuses a template send, then the recipient fails with Meta's error as a code and its words as the detail", async () => {
    graph.errorsByRecipient.set('201001600005', GRAPH_ERRORS.templateMissing);
    graph.errorsByRecipient.set('201001600006', GRAPH_ERRORS.undeliverable);
    const created = await admin.api.post<BroadcastCreated>('/api/broadcasts', {
      name: 'Refused',
      channel: PHONE_NUMBER_ID,
      template: { name: 'ramadan_hours', language: 'ar', parameters: { body: ['10:00–02:00'] } },
      segment: { phones: '+201001600005\n+201001600006' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    // The previous broadcast may still be finishing: one runs at a time.
    await waitFor(
      async () => (await admin.api.post(`/api/broadcasts/${created.body.id}/start`, {})).status === 200,
      15_000,
      'the broadcast started',
    );
    const items = await waitFor(
      async () => {
        const list = (
          await admin.api.get<{ items: BroadcastRecipient[] }>(
            `/api/broadcasts/${created.body.id}/recipients`,
          )
        ).body.items;
        return list.every((item) => item.status === 'failed') ? list : null;
      },
      30_000,
      'both recipients failed',
    );
    assertMatches(broadcastRecipientListSchema, { items });
    const [missing, undeliverable] = items;
    assert.equal(missing!.reason, 'template_missing');
    assert.match(missing!.reasonDetail ?? '', /^Cloud API error 132001: .*does not exist in en_US/);
    assert.equal(undeliverable!.reason, 'undeliverable');
    assert.match(undeliverable!.reasonDetail ?? '', /The recipient is not a WhatsApp user/);
  });
});
