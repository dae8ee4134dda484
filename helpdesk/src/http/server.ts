/**
 * The HTTP server (fastify): JSON bodies kept raw for signature checks and parsed safely
 * (prototype-pollution keys removed) — on routes marked `rawJsonBody` (the webhooks) only after the
 * route checked the signature, so unsigned bodies cost no parsing — one error handler mapping AppError codes to statuses,
 * and the routes. `startApi` listens (port 0 in tests) and returns the URL and a stop function.
 */
import fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyError,
  type FastifyInstance,
} from 'fastify';
import secureJson from 'secure-json-parse';
import type { Context } from '../context';
import { AppError } from '../errors';
import { registerAgentsApi } from './routes/api';
import { registerConsoleRoutes } from './routes/console';
import { registerHealthRoutes } from './routes/health';
import { registerMetricsRoute } from './routes/metrics';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id';
import { registerWebhookRoutes } from './routes/webhooks';

declare module 'fastify' {
  interface FastifyRequest {
    /** The body's bytes as received (JSON requests). */
    rawBody?: Buffer;
  }
  interface FastifyContextConfig {
    /**
     * The JSON body is not parsed on arrival (`request.body` is the raw Buffer): the route checks
     * its signature on `request.rawBody` first, then calls `parseJsonBody`.
     */
    rawJsonBody?: boolean;
  }
}

/** Marks a body that is not valid JSON; routes answer 400 after their authentication. */
export const INVALID_JSON = Symbol('invalid-json');

/**
 * Parses a JSON body safely (`__proto__` and `constructor.prototype` keys removed).
 * @param raw the body's bytes; empty counts as `{}`.
 * @returns the value, or INVALID_JSON when the bytes are not JSON.
 */
export function parseJsonBody(raw: Buffer): unknown {
  if (raw.length === 0) return {};
  try {
    return secureJson.parse(raw, undefined, { protoAction: 'remove', constructorAction: 'remove' });
  } catch {
    return INVALID_JSON;
  }
}

/** Builds the server with every route; does not listen. */
export function buildServer(context: Context): FastifyInstance {
  const app = fastify({
    loggerInstance: context.log.child({ component: 'http' }) as FastifyBaseLogger,
    // Per-request lines would cost more than the webhook itself under load; errors are still logged.
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    bodyLimit: context.config.webhook.maxBytes,
    // The caller's X-Request-Id when sane (see request-id.ts), else a fresh UUID.
    requestIdHeader: false,
    genReqId: requestIdFor,
    return503OnClosing: true,
    trustProxy: context.config.trustProxy,
  });

  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    const raw = body as Buffer;
    request.rawBody = raw;
    done(null, request.routeOptions.config.rawJsonBody ? raw : parseJsonBody(raw));
  });

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      return reply
        .status(error.status)
        .send({ error: error.code, message: error.message, details: error.details });
    }
    const status = error.statusCode ?? 500;
    if (status >= 500) {
      request.log.error({ err: error }, 'request failed');
      return reply.status(500).send({ error: 'internal', message: 'internal error' });
    }
    const code =
      status === 413 ? 'payload_too_large' : status === 415 ? 'unsupported_media_type' : 'bad_request';
    return reply.status(status).send({ error: code, message: error.message });
  });
  app.addHook('onRequest', (request, reply, done) => {
    reply.header(REQUEST_ID_HEADER, request.id);
    done();
  });
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: 'not_found', message: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );

  registerHealthRoutes(app, context);
  registerWebhookRoutes(app, context);
  registerMetricsRoute(app, context);
  registerAgentsApi(app, context);
  registerConsoleRoutes(app);
  return app;
}

export interface RunningApi {
  /** e.g. http://127.0.0.1:8000 */
  url: string;
  app: FastifyInstance;
  close(): Promise<void>;
}

/** Starts listening on the configured host and port. */
export async function startApi(context: Context): Promise<RunningApi> {
  const app = buildServer(context);
  await app.listen({ host: context.config.host, port: context.config.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : context.config.port;
  const host = context.config.host === '0.0.0.0' ? '127.0.0.1' : context.config.host;
  return { url: `http://${host}:${port}`, app, close: () => app.close() };
}
