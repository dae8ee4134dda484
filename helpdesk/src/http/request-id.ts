/**
 * Request ids: the id of each HTTP request, carried into the jobs it enqueues and on to the
 * provider calls they make, so one id follows a message through every log line (webhook → worker
 * → outbound send → sidecar). A caller's `X-Request-Id` is kept when it is a sane token (the
 * sidecar sends one with each webhook); otherwise a fresh UUID is used.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** The header carrying the id, in requests and in answers. */
export const REQUEST_ID_HEADER = 'x-request-id';

const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** pino-http's `genReqId`: the caller's `X-Request-Id` when sane, else a new UUID. */
export function requestIdFor(request: IncomingMessage): string {
  const given = request.headers[REQUEST_ID_HEADER];
  return typeof given === 'string' && SANE_ID.test(given) ? given : randomUUID();
}
