/**
 * Provider webhooks. Each verifies the request's signature on the raw bytes, then parses and
 * validates the body, enqueues the events and answers at once; all work happens in the workers
 * (SPEC section 3). Unsigned bodies are never parsed.
 *
 * Channels (SPEC section 9): a provider's webhook is served while an enabled channel of that
 * provider exists (else 404). The signature is checked against each distinct secret of that
 * provider's enabled channels (the sidecars' webhook secrets, the Meta apps' secrets), from the
 * channel directory in memory (no database round trip); the events kept are those of the channels
 * whose secret matched (the sidecar event's `channel`, the Cloud API's
 * `metadata.phone_number_id`), any other is rejected with its reason logged. A sidecar session
 * that has no channel yet, signed with a known sidecar's secret, becomes a channel of that sidecar.
 *
 * `POST /webhooks/wppconnect` — the sidecar's signed events: 202 accepted (a `session` event, a
 * channel's state change, is handled at once: `helpdesk_channel_up` and a `channel.state` realtime
 * event; it is not a message and enters no queue); 401 bad or stale
 * signature; 400 malformed JSON or an event that cannot be read at all (no id, no sender: the
 * message names the field); over-long fields are shortened and a message that still fails the
 * schema is stored as `unknown` with a note, never refused; 413 too large; 415 not JSON; 503 while
 * the database is unreachable or the queue (Redis) cannot take the events, with `Retry-After`, so
 * the sender keeps the event and retries: an event answered 2xx is never lost.
 *
 * `GET /webhooks/whatsapp-cloud` — Meta's verification handshake: 200 with `hub.challenge` as plain
 * text when `hub.mode=subscribe` and `hub.verify_token` is the verify token of an enabled Cloud API
 * channel (CLOUD_API_VERIFY_TOKEN for the configured one); 403 otherwise.
 * `POST /webhooks/whatsapp-cloud` — Meta's notifications: 200 (Meta expects 200 and retries anything
 * else for up to 7 days) once every message and status is queued; a message that fails the schema
 * but has an id and a sender is stored as `unknown` with a note, and only items with neither are
 * logged with their reason and dropped; 401 bad or missing X-Hub-Signature-256; 400 malformed JSON
 * or not a WhatsApp notification; 413, 415 and 503 as above.
 *
 * The two POST routes are machine-to-machine and hot (every event of every customer): the server
 * mounts them before the middleware meant for browsers and agents (see `registerWebhookRoutes`).
 */
import type { Express, Request, RequestHandler, Response } from 'express';
import type { Context } from '../../context';
import { AppError } from '../../errors';
import { statusClass, webhookRequests } from '../../infra/metrics';
import { enqueueInbound } from '../../jobs/queues';
import { recordChannelState } from '../../use-cases/channels/record-channel-state';
import { registerSidecarSession } from '../../use-cases/channels/register-sidecar-session';
import type { WebhookGroup } from '../../whatsapp';
import { answerVerificationRequest } from '../../whatsapp/cloud/webhook-verification';
import type { ParsedWebhook } from '../../whatsapp/driver';
import type { InboundJob, Provider } from '../../whatsapp/inbound-event';
import { INVALID_JSON, parseJsonBody, rawJsonBody } from '../body';

/**
 * Registers the providers' POST webhooks.
 * @param before what every webhook request passes first (the server's request id and logger, its
 *   closing guard); nothing else of the server's middleware runs before them.
 */
export function registerWebhookRoutes(app: Express, context: Context, before: RequestHandler[]): void {
  // The body stays raw bytes: the signature is checked on them before any parsing.
  const rawBody = rawJsonBody(context.config.webhook.maxBytes);
  app.post('/webhooks/wppconnect', ...before, countRequest('wppconnect'), rawBody, (request, response) =>
    receive(context, 'wppconnect', request, response, 202),
  );
  app.post('/webhooks/whatsapp-cloud', ...before, countRequest('cloud'), rawBody, (request, response) =>
    receive(context, 'cloud', request, response, 200),
  );
}

/**
 * Registers `GET /webhooks/whatsapp-cloud`, Meta's rare verification handshake, which echoes a
 * caller's value as text: it stays behind the server's security headers (nosniff among them).
 */
export function registerWebhookVerification(app: Express, context: Context): void {
  app.get('/webhooks/whatsapp-cloud', (request, response) => {
    const channels = context.channels
      .list()
      .filter((channel) => channel.enabled && channel.provider === 'cloud');
    if (channels.length === 0) {
      throw new AppError('not_found', 'this helpdesk has no enabled channel of the cloud provider');
    }
    let refusal: unknown;
    for (const channel of channels) {
      if (channel.provider !== 'cloud') continue;
      try {
        const challenge = answerVerificationRequest(
          request.query as Record<string, unknown>,
          channel.secrets.verifyToken,
        );
        response.status(200).type('text/plain').send(challenge);
        return;
      } catch (error) {
        refusal = error;
      }
    }
    throw refusal;
  });
}

/** Counts the webhook's requests by status class once answered (helpdesk_webhook_requests_total). */
function countRequest(provider: Provider): RequestHandler {
  return (_request, response, next) => {
    response.once('finish', () =>
      webhookRequests.inc({ provider, result: statusClass(response.statusCode) }),
    );
    next();
  };
}

async function receive(
  context: Context,
  provider: Provider,
  request: Request,
  response: Response,
  successStatus: number,
): Promise<void> {
  const groups = context.drivers.webhookGroups(provider);
  if (groups.length === 0) {
    throw new AppError('not_found', `this helpdesk has no enabled channel of the ${provider} provider`);
  }
  if (!request.rawBody) {
    throw new AppError('unsupported_media_type', 'Content-Type must be application/json');
  }
  const group = signingGroup(groups, { headers: request.headers, rawBody: request.rawBody });
  const driver = group.driver;
  // While PostgreSQL is unreachable the sender keeps the event and retries (the sidecar's outbox,
  // Meta for 7 days); the state is the probe's (infra/database-health.ts), no round trip here.
  if (!context.databaseHealth.reachable) {
    response.setHeader('retry-after', '10');
    throw new AppError('unavailable', 'the helpdesk database is unreachable; retry later');
  }
  // Parsed only now that the signature holds: unsigned bodies cost no JSON parsing.
  const body = parseJsonBody(request.rawBody);
  if (body === INVALID_JSON) throw new AppError('bad_request', 'body is not valid JSON');
  const parsed = await keepSignedChannels(context, group, driver.parseWebhook(body), request);
  for (const rejected of parsed.rejected)
    request.log.warn({ reason: rejected.reason }, 'webhook item rejected');
  // Rare (a channel's state change): the message and status path below stays as it was.
  if (parsed.channelStates) {
    for (const change of parsed.channelStates) {
      request.log.info({ channel: change.channel, state: change.state }, 'channel state changed');
      await recordChannelState(context, { ...change, provider });
    }
  }
  const requestId = String(request.id);
  try {
    // The request id travels with each event: the worker's logs and the replies it sends carry it.
    await enqueueInbound(
      context.queues,
      parsed.jobs.map((job) => ({ ...job, requestId })),
      request.rawBody.length,
    );
  } catch (error) {
    request.log.error({ err: error }, 'cannot enqueue webhook events');
    throw new AppError('unavailable', 'the helpdesk cannot accept events right now; retry later');
  }
  answerJson(response, successStatus, { accepted: parsed.jobs.length, rejected: parsed.rejected.length });
}

/**
 * The group whose secret signed the request (the first when several share it: one secret, one group).
 * @throws AppError unauthorized (the first group's reason) when none did.
 */
function signingGroup(
  groups: WebhookGroup[],
  request: Parameters<WebhookGroup['driver']['verifyWebhook']>[0],
): WebhookGroup {
  let refusal: unknown;
  for (const group of groups) {
    try {
      group.driver.verifyWebhook(request);
      return group;
    } catch (error) {
      refusal ??= error;
    }
  }
  throw refusal;
}

/** The channel an inbound job belongs to: the session or phone number id its event names. */
function jobChannel(job: InboundJob): string | undefined {
  for (const value of Object.values(job)) {
    if (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { channel?: unknown }).channel === 'string'
    ) {
      return (value as { channel: string }).channel;
    }
  }
  return undefined;
}

/**
 * Keeps the jobs and state changes of the channels whose secret signed the request; the others
 * become rejections (logged by the caller). A sidecar session without a channel is registered as a
 * channel of the signing sidecar first (rare: once per new session).
 */
async function keepSignedChannels(
  context: Context,
  group: WebhookGroup,
  parsed: ParsedWebhook,
  request: Request,
): Promise<ParsedWebhook> {
  const rejected = [...parsed.rejected];
  const verdicts = new Map<string, string | null>();
  const verdict = async (channel: string | undefined): Promise<string | null> => {
    if (channel === undefined) return null;
    if (verdicts.has(channel)) return verdicts.get(channel)!;
    let reason: string | null = null;
    if (!group.channels.has(channel)) {
      const known = context.channels.find(group.provider, channel);
      if (known) {
        reason = known.enabled
          ? `channel "${channel}" is signed with another secret than its own`
          : `channel "${channel}" is disabled`;
      } else if (group.provider === 'wppconnect') {
        const sibling = [...group.channels.values()][0];
        const registered =
          sibling?.provider === 'wppconnect'
            ? await registerSidecarSession(context, sibling, channel)
            : undefined;
        if (registered) request.log.info({ channel }, 'new sidecar session registered as a channel');
        else reason = `channel "${channel}" was deleted or could not be registered`;
      } else {
        reason = `channel "${channel}" is not a channel of this helpdesk`;
      }
    }
    verdicts.set(channel, reason);
    return reason;
  };
  const jobs: InboundJob[] = [];
  for (const job of parsed.jobs) {
    const reason = await verdict(jobChannel(job));
    if (reason) rejected.push({ reason: `${job.eventId}: ${reason}` });
    else jobs.push(job);
  }
  const channelStates = [];
  for (const change of parsed.channelStates ?? []) {
    const reason = await verdict(change.channel);
    if (reason) rejected.push({ reason: `${change.eventId}: ${reason}` });
    else channelStates.push(change);
  }
  return { ...parsed, jobs, rejected, ...(parsed.channelStates ? { channelStates } : {}) };
}

/**
 * The same answer as `response.status(status).json(value)` (status, `Content-Type:
 * application/json; charset=utf-8`, `Content-Length`, the JSON), written directly: Express's
 * `json` and `send` run the content type through two header parsers on every answer.
 */
function answerJson(response: Response, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  response.statusCode = status;
  response.setHeader('content-type', 'application/json; charset=utf-8');
  response.setHeader('content-length', Buffer.byteLength(body));
  response.end(body);
}
