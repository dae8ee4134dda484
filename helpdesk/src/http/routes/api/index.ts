/**
 * The agents' API under `/api/` (SPEC section 5, "Agents' API"): one fastify scope with cookies,
 * multipart uploads and the login rate limit (Redis-backed, so it holds across API processes), the
 * realtime hub, every resource's routes and the OpenAPI document. Webhooks live outside this scope
 * and are unaffected by its plugins.
 */
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../../context';
import { createRedis } from '../../../infra/redis';
import { RealtimeHub } from '../../../realtime/hub';
import { realtimePublisherFor, realtimeStreamKey } from '../../../realtime/publish';
import type { TicketActionDependencies } from '../../../services/ticket-actions';
import { registerAgentRoutes } from './agents';
import { ApiRouter } from './api-route';
import { registerAttachmentRoutes } from './attachments';
import { registerAuthRoutes } from './auth';
import { registerCustomerRoutes } from './customers';
import { registerOpenApiRoutes } from './openapi';
import { registerStatsRoutes } from './stats';
import { registerStreamRoutes, type OpenStreams } from './stream';
import { registerTicketRoutes } from './tickets';

/** Registers the agents' API on the server (as an encapsulated plugin). */
export function registerAgentsApi(app: FastifyInstance, context: Context): void {
  app.register(async (api) => {
    await api.register(fastifyCookie);
    await api.register(fastifyMultipart, {
      limits: {
        // One byte over the cap so MediaStorage.save sees the excess and answers 413.
        fileSize: context.config.mediaMaxBytes + 1,
        files: 1,
        fields: 10,
        fieldSize: 64 * 1024,
        parts: 12,
      },
    });
    await api.register(fastifyRateLimit, {
      global: false,
      redis: context.redis,
      nameSpace: `${context.config.queuePrefix}:rate-limit:`,
      skipOnError: true,
    });

    const hub = new RealtimeHub(
      context.redis,
      () => createRedis(context.config.redisUrl, 'worker'),
      realtimeStreamKey(context.config.queuePrefix),
      context.log.child({ component: 'realtime' }),
    );
    const open: OpenStreams = new Set();
    api.addHook('preClose', async () => {
      for (const response of open) response.end();
      open.clear();
    });
    api.addHook('onClose', async () => hub.close());

    const deps: TicketActionDependencies = {
      db: context.db,
      pool: context.pool,
      queues: context.queues,
      realtime: realtimePublisherFor(context),
      log: context.log.child({ component: 'agents-api' }),
    };
    const router = new ApiRouter(api, context);
    // request.ip is the trusted client address: the socket's, or X-Forwarded-For's as far as
    // TRUST_PROXY allows. Two limits, both before any bcrypt: one per address whatever the email
    // (new emails each time cost a hash each), one per address and account (password guessing).
    const checkAddressRate = api.createRateLimit({
      max: context.config.agentsApi.loginAttemptsPerAddressPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => `login-address|${request.ip}`,
    });
    const checkAccountRate = api.createRateLimit({
      max: context.config.agentsApi.loginAttemptsPerMinute,
      timeWindow: 60_000,
      keyGenerator: (request) => {
        const email = (request.body as { email?: unknown } | undefined)?.email;
        return `login|${request.ip}|${typeof email === 'string' ? email.trim().toLowerCase() : ''}`;
      },
    });
    registerAuthRoutes(router, context, [checkAddressRate, checkAccountRate]);
    registerTicketRoutes(router, context, deps);
    registerAgentRoutes(router, context, deps);
    registerCustomerRoutes(router, context);
    registerStatsRoutes(router, context);
    registerAttachmentRoutes(router, context);
    registerStreamRoutes(router, context, hub, open);
    registerOpenApiRoutes(router);
  });
}
