/**
 * Provider webhooks. Each verifies the request's signature on the raw bytes, then parses and
 * validates the body, enqueues the events and answers at once; all work happens in the workers
 * (SPEC section 3). Unsigned bodies are never parsed.
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
 * text when `hub.mode=subscribe` and `hub.verify_token` is CLOUD_API_VERIFY_TOKEN; 403 otherwise.
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
import { answerVerificationRequest } from '../../whatsapp/cloud/webhook-verification';
import type { Provider } from '../../whatsapp/inbound-event';
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
    if (context.config.provider !== 'cloud') {
      throw new AppError('not_found', 'this helpdesk does not use the cloud provider');
    }
    const challenge = answerVerificationRequest(
      request.query as Record<string, unknown>,
      context.config.cloud.verifyToken,
    );
    response.status(200).type('text/plain').send(challenge);
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
  if (context.config.provider !== provider) {
    throw new AppError('not_found', `this helpdesk does not use the ${provider} provider`);
  }
  if (!request.rawBody) {
    throw new AppError('unsupported_media_type', 'Content-Type must be application/json');
  }
  const driver = context.drivers.primary;
  driver.verifyWebhook({ headers: request.headers, rawBody: request.rawBody });
  // While PostgreSQL is unreachable the sender keeps the event and retries (the sidecar's outbox,
  // Meta for 7 days); the state is the probe's (infra/database-health.ts), no round trip here.
  if (!context.databaseHealth.reachable) {
    response.setHeader('retry-after', '10');
    throw new AppError('unavailable', 'the helpdesk database is unreachable; retry later');
  }
  // Parsed only now that the signature holds: unsigned bodies cost no JSON parsing.
  const body = parseJsonBody(request.rawBody);
  if (body === INVALID_JSON) throw new AppError('bad_request', 'body is not valid JSON');
  const parsed = driver.parseWebhook(body);
  for (const rejected of parsed.rejected)
    request.log.warn({ reason: rejected.reason }, 'webhook item rejected');
  // Rare (a channel's state change): the message and status path below stays as it was.
  if (parsed.channelStates) {
    for (const change of parsed.channelStates) {
      request.log.info({ channel: change.channel, state: change.state }, 'channel state changed');
      await recordChannelState(context, change);
    }
  }
  const requestId = String(request.id);
  try {
    // The request id travels with each event: the worker's logs and the replies it sends carry it.
    await enqueueInbound(
      context.queues,
      parsed.jobs.map((job) => ({ ...job, requestId })),
    );
  } catch (error) {
    request.log.error({ err: error }, 'cannot enqueue webhook events');
    throw new AppError('unavailable', 'the helpdesk cannot accept events right now; retry later');
  }
  answerJson(response, successStatus, { accepted: parsed.jobs.length, rejected: parsed.rejected.length });
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
