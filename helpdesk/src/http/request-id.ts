/**
 * Request ids: the id of each HTTP request, carried into the jobs it enqueues and on to the
 * provider calls they make, so one id follows a message through every log line (webhook → worker
 * → outbound send → sidecar). A caller's `X-Request-Id` is kept when it is a sane token (the
 * sidecar sends one with each webhook); otherwise a fresh UUID is used.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Express, RequestHandler } from 'express';
import type { Logger } from '../infra/logger';

/** The header carrying the id, in requests and in answers. */
export const REQUEST_ID_HEADER = 'x-request-id';

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** pino-http's `genReqId`: the caller's `X-Request-Id` when sane, else a new UUID. */
export function requestIdFor(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
}

/** A lean route's request logger, once made. */
const OWN_LOGGER = Symbol('request logger');
/** The logger a request's own is derived from when first used (set by lazyRequestLogging). */
const PARENT_LOGGER = Symbol('parent logger');

interface LazyLoggerRequest {
  id: unknown;
  [OWN_LOGGER]?: Logger;
  [PARENT_LOGGER]?: Logger;
}

/**
 * What pino-http gives a request (`req.id`, `X-Request-Id` on the answer, `req.log` bound to
 * `{ requestId }`), for the machine routes (webhooks) that answer thousands of times a second and
 * log only when something fails: the child logger is made on first use of `req.log`, not on every
 * request (pino children, with their bindings and redaction, were about 7 % of the API's CPU).
 * `req.log` becomes an accessor on the app's request prototype, defined once (an accessor defined
 * on each request costs more than the child it saves); on other requests pino-http's assignment
 * makes it an ordinary property of the request.
 * @param app the Express app whose requests get the accessor.
 * @param logger the logger the children derive from (the one pino-http is given).
 * @returns the middleware to put first on the lean routes.
 */
export function lazyRequestLogging(app: Express, logger: Logger): RequestHandler {
  Object.defineProperty(app.request, 'log', {
    configurable: true,
    enumerable: true,
    get(this: LazyLoggerRequest): Logger | undefined {
      const own = this[OWN_LOGGER];
      if (own !== undefined) return own;
      const parent = this[PARENT_LOGGER];
      if (parent === undefined) return undefined;
      return (this[OWN_LOGGER] = parent.child({ requestId: this.id }));
    },
    // pino-http's assignment (the other routes): an ordinary own property, as without the accessor.
    set(this: LazyLoggerRequest, value: Logger) {
      Object.defineProperty(this, 'log', { configurable: true, enumerable: true, writable: true, value });
    },
  });
  return (request, response, next) => {
    const id = requestIdFor(request);
    request.id = id;
    response.setHeader(REQUEST_ID_HEADER, id);
    (request as unknown as LazyLoggerRequest)[PARENT_LOGGER] = logger;
    next();
  };
}
