/**
 * Provider webhooks. Each verifies the request with its driver, validates the body, enqueues the
 * events and answers at once; all work happens in the workers (SPEC section 3).
 *
 * `POST /webhooks/wppconnect` — the sidecar's signed events: 202 accepted; 401 bad or stale
 * signature; 400 malformed JSON or a body that fails the schema (the message names the field);
 * 413 too large; 415 not JSON; 503 when the queue (Redis) cannot take the events, so the sender
 * retries: an event answered 2xx is never lost.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../context';
import { AppError } from '../../errors';
import { enqueueInbound } from '../../jobs/queues';
import type { Provider } from '../../whatsapp/inbound-event';
import { INVALID_JSON } from '../server';

export function registerWebhookRoutes(app: FastifyInstance, context: Context): void {
  app.post('/webhooks/wppconnect', (request, reply) => receive(context, 'wppconnect', request, reply, 202));
}

async function receive(
  context: Context,
  provider: Provider,
  request: FastifyRequest,
  reply: FastifyReply,
  successStatus: number,
): Promise<FastifyReply> {
  if (context.config.provider !== provider) {
    throw new AppError('not_found', `this helpdesk does not use the ${provider} provider`);
  }
  if (!request.rawBody) {
    throw new AppError('unsupported_media_type', 'Content-Type must be application/json');
  }
  const driver = context.drivers.primary;
  driver.verifyWebhook({ headers: request.headers, rawBody: request.rawBody });
  if (request.body === INVALID_JSON) throw new AppError('bad_request', 'body is not valid JSON');
  const parsed = driver.parseWebhook(request.body);
  for (const rejected of parsed.rejected)
    request.log.warn({ reason: rejected.reason }, 'webhook item rejected');
  try {
    await enqueueInbound(context.queues, parsed.jobs);
  } catch (error) {
    request.log.error({ err: error }, 'cannot enqueue webhook events');
    throw new AppError('unavailable', 'the helpdesk cannot accept events right now; retry later');
  }
  return reply.status(successStatus).send({ accepted: parsed.jobs.length, rejected: parsed.rejected.length });
}
