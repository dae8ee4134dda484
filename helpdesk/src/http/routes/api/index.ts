/**
 * The agents' API under `/api/` (SPEC section 5, "Agents' API"): one Express router with cookies,
 * the login rate limits (Redis-backed, so they hold across API processes), the realtime hub, every
 * resource's routes and the OpenAPI document. Webhooks live outside this router and are unaffected
 * by its middleware.
 */
import { createHash } from 'node:crypto';
import cookieParser from 'cookie-parser';
import express, { type Express, type Request } from 'express';
import { rateLimit, type AugmentedRequest, type RateLimitRequestHandler } from 'express-rate-limit';
import { RedisStore } from 'rate-limit-redis';
import type { Context } from '../../../context';
import { AppError } from '../../../errors';
import { createRedis } from '../../../infra/redis';
import { RealtimeHub } from '../../../realtime/hub';
import { realtimeStreamKey } from '../../../realtime/publish';
import type { TicketActionDependencies } from '../../../use-cases/tickets/ticket-action-dependencies';
import type { ServerLifecycle } from '../../lifecycle';
import { registerAgentRoutes } from './agents';
import { ApiRouter } from './api-route';
import { registerAuditRoutes } from './audit';
import { registerAttachmentRoutes } from './attachments';
import { registerAuthRoutes, type RateCheck } from './auth';
import { registerCannedResponseRoutes } from './canned-responses';
import { registerChannelRoutes } from './channels';
import { registerCustomerMediaRoutes } from './customer-media';
import { registerCustomerRoutes } from './customers';
import { registerIntegrationRoutes } from './integrations';
import { registerLabelRoutes } from './labels';
import { registerMessageRetryRoutes } from './message-retry';
import { registerOpenApiRoutes } from './openapi';
import { registerReportRoutes } from './reports';
import { registerBroadcastRoutes } from './broadcasts';
import { registerScheduledMessageRoutes } from './scheduled-messages';
import { registerSearchRoutes } from './search';
import { registerSlaPolicyRoutes } from './sla-policies';
import { registerAutoReplyRoutes } from './auto-replies';
import { registerStatsRoutes } from './stats';
import { registerStreamRoutes, type OpenStreams } from './stream';
import { registerTeamRoutes } from './teams';
import { registerTemplateRoutes } from './templates';
import { registerTicketReadRoutes } from './ticket-reads';
import { registerTicketRoutes } from './tickets';

/**
 * Registers the agents' API on the server.
 * @param lifecycle ends the open event streams and closes the realtime hub when the server closes.
 */
export function registerAgentsApi(app: Express, context: Context, lifecycle: ServerLifecycle): void {
  const api = express.Router({ caseSensitive: true, strict: true });
  api.use('/api', cookieParser());

  const hub = new RealtimeHub(
    context.redis,
    () => createRedis(context.config.redisUrl, 'worker'),
    realtimeStreamKey(context.config.queuePrefix),
    context.log.child({ component: 'realtime' }),
  );
  const open: OpenStreams = new Set();
  lifecycle.beforeClose(() => {
    for (const response of open) response.end();
    open.clear();
  });
  lifecycle.afterClose(() => hub.close());

  const deps: TicketActionDependencies = {
    db: context.db,
    pool: context.pool,
    queues: context.queues,
    realtime: context.realtime,
    log: context.log.child({ component: 'agents-api' }),
  };
  const router = new ApiRouter(api, context);
  // req.ip is the trusted client address: the socket's, or X-Forwarded-For's as far as
  // TRUST_PROXY allows. Two limits, both before any bcrypt: one per address whatever the email
  // (new emails each time cost a hash each), one per address and account (password guessing).
  const checkAddressRate = loginLimit(
    context,
    'address',
    context.config.agentsApi.loginAttemptsPerAddressPerMinute,
    (request) => `login-address|${request.ip}`,
  );
  const checkAccountRate = loginLimit(
    context,
    'account',
    context.config.agentsApi.loginAttemptsPerMinute,
    (request) => {
      const email = (request.body as { email?: unknown } | undefined)?.email;
      return `login|${request.ip}|${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
    },
  );
  registerAuthRoutes(router, context, [checkAddressRate, checkAccountRate]);
  // Before the ticket routes: /api/tickets/counts must not be read as /api/tickets/:id.
  registerTicketReadRoutes(router, context);
  registerTicketRoutes(router, context, deps);
  registerAgentRoutes(router, context, deps);
  registerCustomerRoutes(router, context);
  registerCustomerMediaRoutes(router, context);
  registerLabelRoutes(router, context);
  registerStatsRoutes(router, context);
  registerReportRoutes(router, context);
  registerAttachmentRoutes(router, context);
  registerSearchRoutes(router, context);
  registerMessageRetryRoutes(router, deps);
  registerCannedResponseRoutes(router, context);
  registerChannelRoutes(router, context);
  registerTeamRoutes(router, context);
  registerSlaPolicyRoutes(router, context);
  registerAutoReplyRoutes(router, context);
  registerTemplateRoutes(router, context);
  registerScheduledMessageRoutes(router, context);
  registerIntegrationRoutes(router, context);
  registerBroadcastRoutes(router, context);
  registerAuditRoutes(router, context);
  registerStreamRoutes(router, context, hub, open, lifecycle);
  registerOpenApiRoutes(router);
  app.use(api);
}

/**
 * One login limit: `max` attempts per minute per key, counted in Redis (shared by every API
 * process; when Redis cannot answer the attempt is let through rather than locking everyone out).
 * @returns a check the login routes run once their body is valid.
 */
function loginLimit(
  context: Context,
  name: string,
  max: number,
  key: (request: Request) => string,
): RateCheck {
  const limiter: RateLimitRequestHandler = rateLimit({
    windowMs: 60_000,
    limit: max,
    keyGenerator: key,
    store: new RedisStore({
      prefix: `${context.config.queuePrefix}:rate-limit:${name}:`,
      sendCommand: (command: string, ...args: string[]) => sendRedisCommand(context, command, args),
    }),
    passOnStoreError: true,
    // The 429 and its Retry-After are the login route's (auth.ts), like every other error answer.
    standardHeaders: false,
    legacyHeaders: false,
    handler: (request, _response, next) => {
      const resetAt =
        (request as Partial<AugmentedRequest>).rateLimit?.resetTime?.getTime() ?? Date.now() + 60_000;
      next(new LoginLimited(Math.max(1, Math.ceil((resetAt - Date.now()) / 1000))));
    },
    // TRUST_PROXY is the operator's decision; the key is the address it yields, as written.
    validate: { trustProxy: false, xForwardedForHeader: false, keyGeneratorIpFallback: false },
  });
  return (request, response) =>
    new Promise((resolve, reject) => {
      void limiter(request, response, (error?: unknown) => {
        if (error instanceof LoginLimited)
          resolve({ allowed: false, retryAfterSeconds: error.retryAfterSeconds });
        else if (error) reject(error instanceof Error ? error : new AppError('internal', String(error)));
        else resolve({ allowed: true });
      });
    });
}

/**
 * Sends a rate-limit store command. `SCRIPT LOAD` before Redis is connected (the server is built
 * before the connection opens) answers the script's SHA1 locally, which is what Redis answers: the
 * store would otherwise keep a failed load for good; once Redis is up it loads the script on the
 * first NOSCRIPT.
 */
async function sendRedisCommand(context: Context, command: string, args: string[]): Promise<string | number> {
  if (
    command.toUpperCase() === 'SCRIPT' &&
    args[0]?.toUpperCase() === 'LOAD' &&
    context.redis.status !== 'ready'
  ) {
    return createHash('sha1')
      .update(args[1] ?? '')
      .digest('hex');
  }
  return (await context.redis.call(command, ...args)) as string | number;
}

/** A login limit was exceeded (carried from the limiter's handler to the check's caller). */
class LoginLimited extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super('login limit exceeded');
  }
}
