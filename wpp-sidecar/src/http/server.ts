/**
 * The sidecar's HTTP server (Express 5): thin routes over the session, sender, media store and outbox.
 * `createServer` builds it, `startServer` listens (port 0 = any free port, used by tests), `stopServer` closes.
 *
 * Authentication rule: every route under `/api` is declared on ONE `express.Router()` mounted at `/api`
 * whose first middleware checks `X-API-Key`, so the check runs on whatever the router matched, never on a
 * raw URL. Before routing, percent-encoded unreserved characters are decoded (RFC 3986 §6.2.2.2; fastify
 * did the same), so `/%61pi/...` is `/api/...` and needs the key; a malformed escape is 400. Routing is
 * case-sensitive and strict (as before the move to Express): `/API/...`, `//api/...`, `/api%2F...` or
 * `/api./...` match no route (404); unknown paths under `/api` answer 401 without the key.
 * `startServer` refuses to start when a route or mounted middleware outside that router would answer a
 * path under `/api` (in any case): it would be an unauthenticated twin of the real route.
 */
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import express from 'express';
import type { ErrorRequestHandler, Express, RequestHandler, Router } from 'express';
import helmet from 'helmet';
import multer from 'multer';
import { pinoHttp } from 'pino-http';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import type { MediaStore } from '../media/media-store';
import { MAX_MEDIA_BYTES } from '../media/size-limits';
import type { SidecarMetrics } from '../metrics';
import type { OutboxStats, RetrySelection } from '../outbox/outbox';
import type { Sessions } from '../session/sessions';
import { apiKeyChecker } from './auth';
import { createExpressServer } from './express-server';
import { registerMediaRoutes } from './routes/media';
import { registerMetricsRoutes } from './routes/metrics';
import { registerOutboxRoutes } from './routes/outbox';
import { registerSendRoutes } from './routes/send';
import { registerSessionRoutes } from './routes/sessions';
import { registerHealthRoute, registerStatusRoutes } from './routes/status';
import type { HealthChecks } from './routes/status';

export interface ServerDeps {
  apiKey: string;
  /** Every session; the single-session routes serve the default one. */
  sessions: Sessions;
  mediaStore: MediaStore;
  outboxStats(): Promise<OutboxStats>;
  /** Re-drives dead letters (`POST /api/outbox/retry`); see `Outbox.retryDeadLetters`. */
  outboxRetry(selection: RetrySelection): Promise<{ retried: string[] }>;
  logger: Logger;
  /**
   * Directory for `send-media` uploads in flight (each file is deleted once its request ends). Emptied
   * and created by `startServer`, removed by `stopServer`: nothing else may live in it.
   */
  uploadDir: string;
  /** Served at GET /metrics when given. */
  metrics?: SidecarMetrics;
  /** METRICS_TOKEN: when set, GET /metrics requires it as a bearer token. */
  metricsToken?: string | null;
  /** What `GET /health` checks (Redis, stopping); without it `/health` only says the process answers. */
  health?: HealthChecks;
}

/** The sidecar's HTTP server: the Express app, and the listening node server once started. */
export interface SidecarServer {
  readonly app: Express;
  /** The authenticated router mounted at `/api` (the only place /api routes may live). */
  readonly api: Router;
  readonly uploadDir: string;
  /** Set by `startServer`, cleared by `stopServer`. */
  server: Server | null;
}

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The authenticated scope: every route under it needs `X-API-Key`. */
const API_PREFIX = '/api';

/** JSON request bodies larger than this answer 413 (bytes). */
const JSON_BODY_LIMIT = 1024 * 1024;

/** Build the Express app (not listening yet). */
export function createServer(deps: ServerDeps): SidecarServer {
  const app = express();
  // Case-sensitive, strict routing: `/API/status` and `/api/status/` are no route (404), as before.
  app.set('case sensitive routing', true);
  app.set('strict routing', true);
  app.set('etag', false);
  app.set('x-powered-by', false);

  app.use(
    pinoHttp({
      logger: deps.logger,
      // The helpdesk's X-Request-Id (one id per customer message, across both services) when sane,
      // else a fresh UUID; log lines of the request carry it as `requestId`.
      genReqId: (req) => {
        const given = req.headers['x-request-id'];
        return typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
      },
      customAttributeKeys: { reqId: 'requestId' },
      quietReqLogger: true,
      customLogLevel: () => 'debug',
      customSuccessMessage: () => 'http',
      customErrorMessage: () => 'http',
      serializers: {
        req: (req: { method: string; url: string }) => ({ method: req.method, url: req.url }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    }),
  );
  app.use((req, res, next) => {
    res.setHeader('x-request-id', String(req.id));
    next();
  });
  app.use(normalizePath);
  // An API, not pages: no CSP; HSTS is the TLS proxy's business (the sidecar speaks plain HTTP).
  app.use(helmet({ contentSecurityPolicy: false, strictTransportSecurity: false }));

  registerHealthRoute(app, deps.sessions, deps.health);
  if (deps.metrics) registerMetricsRoutes(app, deps.metrics, deps.metricsToken ?? null);

  const api = express.Router({ caseSensitive: true, strict: true });
  const checkKey = apiKeyChecker(deps.apiKey);
  // First: the key. Bodies are read only after it (an unauthenticated caller costs no parsing).
  api.use((req, _res, next) => {
    checkKey(req.headers['x-api-key']);
    next();
  });
  // A body must be JSON (or a send-media upload): anything else is 415, as before the move to Express.
  // An empty body (`Content-Length: 0`, e.g. `POST /api/sessions/:name/logout`) is no body.
  api.use((req, _res, next) => {
    const empty = req.headers['content-length'] === '0' && req.headers['transfer-encoding'] === undefined;
    if (!empty && req.is(['application/json', 'multipart/form-data']) === false) {
      const type = req.headers['content-type'] ?? '(none)';
      const message = `Content-Type ${type} is not accepted: send application/json (multipart/form-data for send-media)`;
      throw Object.assign(new Error(message), { status: 415 }); // -> 415 invalid_request
    }
    next();
  });
  api.use(express.json({ limit: JSON_BODY_LIMIT }));
  registerStatusRoutes(api, () => deps.sessions.default.manager);
  registerSendRoutes(api, () => deps.sessions.default.sender, { uploadDir: deps.uploadDir });
  registerMediaRoutes(api, deps.mediaStore);
  registerSessionRoutes(api, deps.sessions, { uploadDir: deps.uploadDir, mediaStore: deps.mediaStore });
  registerOutboxRoutes(api, { stats: deps.outboxStats, retry: deps.outboxRetry });
  app.use(API_PREFIX, api);

  app.use(noRoute);
  app.use(errorHandler);
  return { app, api, uploadDir: deps.uploadDir, server: null };
}

/**
 * Routes `/%61pi/x` as `/api/x`: decodes percent-encoded unreserved characters (letters, digits, `-._~`)
 * in the path, which RFC 3986 §6.2.2.2 says are equivalent to the characters themselves. Reserved ones
 * (`%2F`...) stay encoded, so the router's own parameter decoding is unchanged. An escape that is not
 * valid UTF-8 (`%C0`, a lone `%`) answers 400. `req.originalUrl` keeps the URL as sent.
 */
const normalizePath: RequestHandler = (req, _res, next) => {
  const end = req.url.search(/[?#]/);
  const pathname = end === -1 ? req.url : req.url.slice(0, end);
  if (pathname.includes('%')) {
    try {
      decodeURI(pathname);
    } catch {
      throw Object.assign(new Error(`malformed percent-encoding in the path ${pathname}`), { status: 400 });
    }
    const normalized = pathname.replace(/%[0-9A-Fa-f]{2}/g, (escape) => {
      const char = String.fromCharCode(Number.parseInt(escape.slice(1), 16));
      return /^[A-Za-z0-9._~-]$/.test(char) ? char : escape;
    });
    req.url = normalized + req.url.slice(pathname.length);
  }
  next();
};

const noRoute: RequestHandler = (req, res) => {
  res.status(404).json({ error: 'not_found', message: `no route ${req.method} ${req.originalUrl}` });
};

/** Multer's limit codes that mean "too large" (413); its other codes are malformed input (400). */
const TOO_LARGE_UPLOAD = new Set([
  'LIMIT_FILE_SIZE',
  'LIMIT_FILE_COUNT',
  'LIMIT_FIELD_COUNT',
  'LIMIT_FIELD_VALUE',
  'LIMIT_PART_COUNT',
]);

/** The one error middleware: AppError by its code, parser/upload limits 413, other 4xx 400-ish, else 500. */
const errorHandler: ErrorRequestHandler = (error: unknown, req, res, _next) => {
  if (res.headersSent) {
    // A streamed answer failed midway (e.g. the media file vanished): nothing sane can follow.
    req.log.warn({ err: errorMessage(error) }, 'http: error after the answer started');
    res.destroy();
    return;
  }
  if (error instanceof AppError) {
    res.status(error.status).json({ error: error.code, message: error.message });
    return;
  }
  if (error instanceof multer.MulterError) {
    const field = error.field ? ` (field "${error.field}")` : '';
    if (TOO_LARGE_UPLOAD.has(error.code)) {
      const message =
        error.code === 'LIMIT_FILE_SIZE'
          ? `"file" is larger than ${MAX_MEDIA_BYTES} bytes`
          : `${error.message}${field}`;
      res.status(413).json({ error: 'payload_too_large', message });
    } else if (error.code === 'LIMIT_UNEXPECTED_FILE') {
      res.status(400).json({
        error: 'invalid_request',
        message: `unexpected file field "${error.field ?? ''}"; use "file"`,
      });
    } else {
      res.status(400).json({ error: 'invalid_request', message: `${error.message}${field}` });
    }
    return;
  }
  // body-parser and router errors carry the HTTP status (http-errors): 413 too large, 400 bad JSON...
  const status = statusOf(error);
  if (status === 413) {
    res.status(413).json({ error: 'payload_too_large', message: errorMessage(error) });
  } else if (status >= 400 && status < 500) {
    res.status(status).json({ error: 'invalid_request', message: errorMessage(error) });
  } else {
    req.log.error({ err: errorMessage(error) }, 'http: unhandled error');
    res.status(500).json({ error: 'internal', message: 'internal error; see the sidecar logs' });
  }
};

function statusOf(error: unknown): number {
  if (typeof error !== 'object' || error === null) return 500;
  const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
  const value = typeof status === 'number' ? status : statusCode;
  return typeof value === 'number' && value >= 400 && value < 600 ? value : 500;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What the guard needs of router 2's `Layer` (express.Router stack entries). */
interface StackLayer {
  handle: unknown;
  rawPath?: unknown;
  slash?: boolean;
  route?: { path: unknown };
  match(path: string): boolean;
}

/**
 * Refuses an app where a route or path-mounted middleware outside the `/api` router could answer a path
 * under `/api`: declared as `/api...` in any case, or a pattern matching an /api path.
 * Path-less middleware (logging, headers, 404, errors) runs for every request and is not a route.
 * @throws Error naming the route.
 */
function assertApiRoutesInRouter(http: SidecarServer): void {
  const apiLayers = (http.api as unknown as { stack: StackLayer[] }).stack;
  const apiPaths = apiLayers
    .map((layer) => layer.route?.path)
    .filter((p): p is string => typeof p === 'string')
    .map((p) => `${API_PREFIX}${p.replace(/:(\w+)/g, 'x')}`);
  const probes = [API_PREFIX, `${API_PREFIX}/`, `${API_PREFIX}/x`, ...apiPaths];
  const appLayers = (http.app.router as unknown as { stack: StackLayer[] }).stack;
  for (const layer of appLayers) {
    if (layer.handle === http.api || (!layer.route && layer.slash)) continue;
    const declared = [layer.route?.path ?? layer.rawPath].flat();
    const named = declared.some((p) => typeof p === 'string' && /^\/api(\/|$)/i.test(p));
    if (named || probes.some((probe) => layer.match(probe))) {
      throw new Error(
        `route ${declared.map(String).join(', ')} must be declared in the ${API_PREFIX} scope (the api router of server.ts) to be authenticated`,
      );
    }
  }
}

/**
 * @param host - bind address. @param port - 0 for any free port.
 * @returns the base URL, e.g. `http://127.0.0.1:43123`.
 * @throws when an /api route lives outside the authenticated router, or the port cannot be bound.
 */
export async function startServer(http: SidecarServer, host: string, port: number): Promise<string> {
  assertApiRoutesInRouter(http);
  // Left-overs of a crashed run are uploads whose requests are long gone.
  await rm(http.uploadDir, { recursive: true, force: true });
  await mkdir(http.uploadDir, { recursive: true });
  const server = createExpressServer(http.app);
  // As fastify did: keep-alive connections idle up to 72 s (longer than clients' pools), and no total
  // request deadline (a 100 MB upload on a slow link); headers must still arrive within 60 s.
  server.keepAliveTimeout = 72_000;
  server.requestTimeout = 0;
  server.on('request', (_req, res) => {
    if (!server.listening) res.setHeader('connection', 'close'); // arrived on a kept-alive socket while stopping
    res.on('finish', () => {
      if (!server.listening) setImmediate(() => server.closeIdleConnections());
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  http.server = server;
  const address = server.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shownHost}:${actualPort}`;
}

/**
 * Stop listening, wait for in-flight requests, close keep-alive connections as they go idle, and remove
 * the upload directory.
 */
export async function stopServer(http: SidecarServer): Promise<void> {
  const server = http.server;
  http.server = null;
  if (server) {
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeIdleConnections();
    });
  }
  await rm(http.uploadDir, { recursive: true, force: true });
}
