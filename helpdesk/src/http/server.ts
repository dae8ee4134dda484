/**
 * The HTTP server (Express 5): a request id on every request and answer (pino-http), the
 * ecosystem's security headers (helmet), the webhooks (JSON kept raw for their signature checks,
 * parsed only after them; mounted first, on a lean path of their own: see buildServer), the
 * metrics and health routes, the agents' API, the console's static
 * files, and one error middleware mapping AppError codes to statuses and `{ error, message, details }`.
 * `startApi` listens (port 0 in tests) and returns the URL and a stop function that ends every
 * connection, event streams included.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import express, { type ErrorRequestHandler, type Express, type RequestHandler } from 'express';
import helmet from 'helmet';
import { pinoHttp } from 'pino-http';
import { StartupError } from '../config';
import type { Context } from '../context';
import { AppError, type ErrorCode } from '../errors';
import { createExpressServer } from './express-server';
import { ServerLifecycle } from './lifecycle';
import { lazyRequestLogging, REQUEST_ID_HEADER, requestIdFor } from './request-id';
import { registerAgentsApi } from './routes/api';
import { registerConsoleRoutes } from './routes/console';
import { registerHealthRoutes } from './routes/health';
import { registerMetricsRoute } from './routes/metrics';
import { registerWebhookRoutes, registerWebhookVerification } from './routes/webhooks';

/** How long close() waits for answers in progress before cutting their connections. */
const CLOSE_GRACE_MS = 10_000;

/**
 * Builds the server with every route; does not listen.
 * @param lifecycle collects what the routes do when the server closes (startApi runs it).
 */
export function buildServer(context: Context, lifecycle = new ServerLifecycle()): Express {
  const app = express();
  // Exact paths, as the routes are declared: `/API/me` and `/api/me/` are other paths (404).
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.set('x-powered-by', false);
  app.set('etag', false);
  // req.ip is the socket's address, or X-Forwarded-For's as far as TRUST_PROXY allows.
  app.set('trust proxy', context.config.trustProxy);

  const httpLog = context.log.child({ component: 'http' });
  // The providers' webhooks first: machine callers that post every event, answered with the
  // request id and a logger made only when a line is written, the closing guard, and no more
  // (no per-request child loggers, no browser security headers, fewer router layers to walk).
  registerWebhookRoutes(app, context, [lazyRequestLogging(app, httpLog), closingGuard(lifecycle)]);

  app.use(
    pinoHttp({
      logger: httpLog,
      // The caller's X-Request-Id when sane (see request-id.ts), else a fresh UUID; echoed back.
      genReqId: (request, response) => {
        const id = requestIdFor(request);
        response.setHeader(REQUEST_ID_HEADER, id);
        return id;
      },
      // Per-request lines would cost more than the webhook itself under load; errors are still
      // logged (by the error middleware), with the request id only.
      autoLogging: false,
      quietReqLogger: true,
      customAttributeKeys: { reqId: 'requestId' },
      // pino-http also builds a child logger bound to the whole request, unused here (quietReqLogger):
      // a one-field serializer keeps that from copying every header on every request.
      wrapSerializers: false,
      serializers: { req: (request: { method?: string }) => ({ method: request.method }) },
    }),
  );
  app.use(closingGuard(lifecycle));
  // Security headers for every answer; the console's and the API's own Content-Security-Policy
  // are set where they serve (routes/console.ts, the attachment and docs routes). HSTS is the TLS
  // proxy's to decide.
  app.use(
    helmet({
      contentSecurityPolicy: false,
      strictTransportSecurity: false,
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
    }),
  );

  // No route answers OPTIONS (there is no CORS): Express's automatic "Allow" answer is not given.
  app.use((request, response, next) =>
    request.method === 'OPTIONS' ? notFound(request, response, next) : next(),
  );
  registerHealthRoutes(app, context, lifecycle);
  registerWebhookVerification(app, context);
  registerMetricsRoute(app, context);
  registerAgentsApi(app, context, lifecycle);
  registerConsoleRoutes(app);

  app.use(notFound);
  app.use(errorMiddleware);
  return app;
}

/** 404 naming the method and path that no route has. */
const notFound: RequestHandler = (request, response) => {
  response.status(404).json({
    error: 'not_found',
    message: `no route ${request.method} ${request.originalUrl.split('?')[0]}`,
  });
};

/** While the server closes: 503 for new requests, and no connection kept alive. */
function closingGuard(lifecycle: ServerLifecycle): RequestHandler {
  return (_request, response, next) => {
    if (!lifecycle.closing) return next();
    response.setHeader('connection', 'close');
    response.setHeader('retry-after', '5');
    response.status(503).json({ error: 'unavailable', message: 'the server is shutting down; retry later' });
  };
}

/** The status and code of a 4xx error thrown by a library (body parser, router). */
function clientErrorOf(error: unknown): { status: number; code: ErrorCode; message: string } | null {
  if (typeof error !== 'object' || error === null) return null;
  const { status, statusCode, message } = error as {
    status?: unknown;
    statusCode?: unknown;
    message?: unknown;
  };
  const code = typeof status === 'number' ? status : typeof statusCode === 'number' ? statusCode : 500;
  if (code < 400 || code >= 500) return null;
  return {
    status: code,
    code: code === 413 ? 'payload_too_large' : code === 415 ? 'unsupported_media_type' : 'bad_request',
    message: typeof message === 'string' ? message : 'bad request',
  };
}

/** Maps AppError to its status and `{ error, message, details }`; library 4xx alike; else 500, logged. */
const errorMiddleware: ErrorRequestHandler = (error: unknown, request, response, next) => {
  if (response.headersSent) {
    // An answer already under way (a file, an event stream) cannot change its status: cut it.
    request.log.warn({ err: error }, 'answer failed after it started');
    return next(error);
  }
  if (error instanceof AppError) {
    response.status(error.status).json({ error: error.code, message: error.message, details: error.details });
    return;
  }
  const client = clientErrorOf(error);
  if (client) {
    response.status(client.status).json({ error: client.code, message: client.message });
    return;
  }
  request.log.error({ err: error }, 'request failed');
  response.status(500).json({ error: 'internal', message: 'internal error' });
};

export interface RunningApi {
  /** e.g. http://127.0.0.1:8000 */
  url: string;
  /** The listening Node server (its Express app is the request listener). */
  server: Server;
  /** Stops accepting, ends event streams and keep-alive connections, then releases resources. */
  close(): Promise<void>;
}

/** Starts listening on the configured host and port. */
export async function startApi(context: Context): Promise<RunningApi> {
  const lifecycle = new ServerLifecycle();
  const app = buildServer(context, lifecycle);
  const server = createExpressServer(app);
  server.listen(context.config.port, context.config.host);
  // As the server did before: idle keep-alive connections are kept longer than common proxies keep
  // theirs, and a slow upload is not cut by a request timeout.
  server.keepAliveTimeout = 72_000;
  server.requestTimeout = 0;
  try {
    await once(server, 'listening');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      const { host, port } = context.config;
      throw new StartupError(
        code === 'EADDRINUSE'
          ? `HELPDESK_PORT ${port} is already in use on ${host}: stop the other process or set HELPDESK_PORT to a free port`
          : `HELPDESK_PORT ${port} may not be opened by this user on ${host}: use a port above 1023`,
      );
    }
    throw error;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : context.config.port;
  const host = context.config.host === '0.0.0.0' ? '127.0.0.1' : context.config.host;

  let closing: Promise<void> | null = null;
  const close = async (): Promise<void> => {
    lifecycle.closing = true;
    await lifecycle.runBeforeClose();
    const closed = new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
    // Connections whose answer ends after close() began go idle later: close them as they do,
    // and cut what is still busy after the grace period.
    const sweep = setInterval(() => server.closeIdleConnections(), 50);
    const deadline = setTimeout(() => server.closeAllConnections(), CLOSE_GRACE_MS);
    try {
      await closed;
    } finally {
      clearInterval(sweep);
      clearTimeout(deadline);
    }
    await lifecycle.runAfterClose();
  };
  return {
    url: `http://${host}:${port}`,
    server,
    close: () => (closing ??= close()),
  };
}
