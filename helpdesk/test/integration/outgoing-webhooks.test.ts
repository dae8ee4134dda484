/**
 * Outgoing webhooks (issue 17) end to end: a customer writes through the real sidecar webhook, the
 * database records each event in the change's own transaction (the `webhook_outbox` triggers), the
 * worker's relay turns it into deliveries and POSTs them through the BullMQ `webhooks` queue to
 * local HTTP receivers (real HTTP, loopback allowed by ALLOW_PRIVATE_WEBHOOK_URLS=true). The
 * receiver (test/support/webhook-receiver.ts) verifies each signature; a receiver answering 500
 * twice gets the event on the third attempt, with the delivery log showing 3 attempts and
 * `delivered`. Without the flag, a URL on a private address is refused.
 *
 * What happens when Redis or a worker fails is in outgoing-webhooks-outbox.test.ts.
 */
import assert from 'node:assert/strict';
import type { Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  outgoingWebhookCreatedSchema,
  webhookDeliveryListSchema,
  type OutgoingWebhookCreated,
  type WebhookDelivery,
} from '@whatsapp-helpdesk/contract/api';
import { isPrivateAddress } from '../../src/infra/private-addresses';
import { checkWebhookUrl } from '../../src/use-cases/integrations/check-webhook-url';
import { assertMatches, assertValidationError, createAgent, type TestAgent } from '../api/api-support';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import { startReceiver } from '../support/webhook-receiver';

describe('outgoing webhooks', () => {
  let helpdesk: TestHelpdesk;
  let admin: TestAgent;
  const servers: Server[] = [];

  before(async () => {
    helpdesk = await startTestHelpdesk({
      env: {
        ALLOW_PRIVATE_WEBHOOK_URLS: 'true',
        OUTGOING_WEBHOOK_ATTEMPTS: '5',
        OUTGOING_WEBHOOK_BACKOFF_MS: '200',
      },
    });
    admin = await createAgent(helpdesk, { name: 'Webhooks Admin', role: 'admin' });
  });
  after(async () => {
    for (const server of servers) server.close();
    await helpdesk.stop();
  });

  it('when a customer writes, then ticket.created and message.created arrive signed; a receiver failing twice gets it on the third attempt', async () => {
    const good = await startReceiver();
    const flaky = await startReceiver([500, 500]);
    servers.push(good.server, flaky.server);

    const created = await admin.api.post<OutgoingWebhookCreated>('/api/webhooks', {
      name: 'CRM',
      url: good.url,
      events: ['ticket.created', 'message.created'],
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assertMatches(outgoingWebhookCreatedSchema, created.body);
    good.secret.value = created.body.secret;
    assert.ok(created.body.secret.length >= 32, 'a generated secret');
    const listed = await admin.api.get('/api/webhooks');
    assert.ok(!JSON.stringify(listed.body).includes(created.body.secret), 'the secret is shown once');

    const flakySecret = 'flaky-receiver-secret-0123456789';
    const flakyHook = await admin.api.post<OutgoingWebhookCreated>('/api/webhooks', {
      name: 'Flaky',
      url: flaky.url,
      secret: flakySecret,
      events: ['ticket.created'],
    });
    assert.equal(flakyHook.status, 201, JSON.stringify(flakyHook.body));
    flaky.secret.value = flakySecret;

    const phone = `+20100${String(Date.now() % 1_000_000).padStart(6, '0')}`;
    const event = textEvent(phone, 'I need my prescription');
    assert.equal((await helpdesk.postWppconnect(event)).status, 202);

    await waitFor(
      () =>
        good.received.some((item) => item.headers['x-helpdesk-event'] === 'ticket.created') &&
        good.received.some((item) => item.headers['x-helpdesk-event'] === 'message.created'),
      20_000,
      'ticket.created and message.created at the receiver',
    );
    for (const item of good.received) {
      assert.ok(
        item.verified,
        `signature and timestamp verified (${String(item.headers['x-helpdesk-event'])})`,
      );
      assert.ok(item.headers['x-helpdesk-delivery']);
      const body = JSON.parse(item.body) as { type: string; data: { ticketId: string } };
      assert.equal(body.type, item.headers['x-helpdesk-event']);
      assert.ok(body.data.ticketId);
    }
    const message = good.received.find((item) => item.headers['x-helpdesk-event'] === 'message.created')!;
    assert.equal((JSON.parse(message.body) as { data: { direction: string } }).data.direction, 'inbound');

    await waitFor(() => flaky.received.length >= 3, 20_000, 'the third attempt at the flaky receiver');
    assert.deepEqual(
      flaky.received.map((item) => item.verified),
      [true, true, true],
      'every attempt signed',
    );
    assert.equal(
      new Set(flaky.received.map((item) => item.headers['x-helpdesk-delivery'])).size,
      1,
      'one delivery id across attempts',
    );
    const log = await waitFor(
      async () => {
        const answer = await admin.api.get<{ items: WebhookDelivery[] }>(
          `/api/webhooks/${flakyHook.body.id}/deliveries`,
        );
        const delivered = answer.body.items.find((item) => item.status === 'delivered');
        return delivered ? answer : undefined;
      },
      10_000,
      'the delivery log showing delivered',
    );
    assertMatches(webhookDeliveryListSchema, log.body);
    const [delivery] = log.body.items;
    assert.equal(delivery!.eventType, 'ticket.created');
    assert.equal(delivery!.attempts, 3);
    assert.equal(delivery!.lastStatusCode, 200);
    assert.equal(log.body.items.length, 1, 'message.created was not subscribed');
    // No fourth attempt after the success.
    await new Promise((resolve) => setTimeout(resolve, 800));
    assert.equal(flaky.received.length, 3);
  });

  it('when a ticket is assigned, resolved and reopened by the customer, then ticket.assigned and each ticket.status arrive', async () => {
    const receiver = await startReceiver();
    servers.push(receiver.server);
    const hook = await admin.api.post<OutgoingWebhookCreated>('/api/webhooks', {
      name: 'Tickets',
      url: receiver.url,
      events: ['ticket.assigned', 'ticket.status'],
    });
    assert.equal(hook.status, 201, JSON.stringify(hook.body));
    receiver.secret.value = hook.body.secret;
    const phone = `+20101${String(Date.now() % 1_000_000).padStart(6, '0')}`;
    assert.equal((await helpdesk.postWppconnect(textEvent(phone, 'hello'))).status, 202);
    const assigned = await waitFor(
      () => receiver.received.find((item) => item.headers['x-helpdesk-event'] === 'ticket.assigned'),
      20_000,
      'ticket.assigned at the receiver',
    );
    const { data } = JSON.parse(assigned.body) as { data: { ticketId: string; assigneeId: string } };
    assert.equal(data.assigneeId, admin.id);
    const resolved = await admin.api.post(`/api/tickets/${data.ticketId}/status`, { status: 'resolved' });
    assert.equal(resolved.status, 200, JSON.stringify(resolved.body));
    const status = await waitFor(
      () => receiver.received.find((item) => item.headers['x-helpdesk-event'] === 'ticket.status'),
      20_000,
      'ticket.status at the receiver',
    );
    assert.ok(status.verified);
    assert.equal((JSON.parse(status.body) as { data: { ticketId: string } }).data.ticketId, data.ticketId);

    // The customer writes again: the resolved ticket reopens, and subscribers learn it.
    assert.equal((await helpdesk.postWppconnect(textEvent(phone, 'one more question'))).status, 202);
    const reopened = await waitFor(
      () =>
        receiver.received.find(
          (item) =>
            item.headers['x-helpdesk-event'] === 'ticket.status' &&
            (JSON.parse(item.body) as { data: { status: string } }).data.status === 'open',
        ),
      20_000,
      'ticket.status of the reopen at the receiver',
    );
    assert.deepEqual((JSON.parse(reopened.body) as { data: unknown }).data, {
      ticketId: data.ticketId,
      ticketNumber: (JSON.parse(status.body) as { data: { ticketNumber: number } }).data.ticketNumber,
      status: 'open',
      previousStatus: 'resolved',
      reason: 'customer_replied',
    });
    assert.ok(receiver.received.every((item) => item.verified));
  });

  it('when a URL is not http(s), then 400 naming url; private addresses are refused without the flag', async () => {
    assertValidationError(
      await admin.api.post('/api/webhooks', {
        name: 'x',
        url: 'ftp://example.com/',
        events: ['ticket.created'],
      }),
      'url',
    );
    assertValidationError(
      await admin.api.post('/api/webhooks', { name: 'x', url: 'https://example.com/', events: [] }),
      'events',
    );
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '192.168.0.10',
      '169.254.169.254',
      '::1',
      '::ffff:10.0.0.1',
      'fd00::1',
    ]) {
      assert.ok(isPrivateAddress(address), address);
    }
    assert.ok(!isPrivateAddress('8.8.8.8'));
    await assert.rejects(checkWebhookUrl('http://127.0.0.1:9/hook', false), /url: points to a loopback/);
    await assert.rejects(checkWebhookUrl('http://[::1]/hook', false), /url: points to a loopback/);
    await checkWebhookUrl('http://127.0.0.1:9/hook', true);
  });
});
