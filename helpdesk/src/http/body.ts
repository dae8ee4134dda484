/**
 * Request bodies, shared by the server and the routes (kept apart from server.ts so routes do not
 * import the server that imports them). JSON bodies are read as raw bytes (`express.raw`) and
 * parsed with secure-json-parse (prototype-pollution keys removed); routes that check a signature
 * (the webhooks) get the bytes untouched and parse only after the check, so unsigned bodies cost no
 * parsing.
 */
import type { IncomingMessage } from 'node:http';
import express, { type Request, type RequestHandler } from 'express';
import secureJson from 'secure-json-parse';

declare global {
  // Express's request type is extended through its global namespace.
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      /** The body's bytes as received (JSON requests). */
      rawBody?: Buffer;
    }
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

/** The Content-Type values senders use (the sidecar, Meta), matched without parsing. */
const PLAIN_JSON_TYPES = new Set(['application/json', 'application/json; charset=utf-8']);

/**
 * Whether a request's body is JSON, as `type: 'application/json'` decides (type-is, through
 * `req.is`), with the common exact values answered from a set: type-is parses the header on every
 * request.
 */
function isJsonRequest(request: IncomingMessage): boolean {
  const type = request.headers['content-type'];
  if (type !== undefined && PLAIN_JSON_TYPES.has(type)) return true;
  // body-parser hands its `type` function the Express request.
  return Boolean((request as Request).is('application/json'));
}

/**
 * Reads an `application/json` body as bytes into `req.rawBody` (and `req.body`), refusing more than
 * `limitBytes` (413) and compressed bodies (415); other content types are left unread.
 * @param limitBytes the largest body accepted, in bytes.
 */
export function rawJsonBody(limitBytes: number): RequestHandler {
  const read = express.raw({ type: isJsonRequest, limit: limitBytes, inflate: false });
  return (request, response, next) => {
    read(request, response, (error?: unknown) => {
      if (error) return next(error);
      if (Buffer.isBuffer(request.body)) request.rawBody = request.body;
      next();
    });
  };
}

/**
 * Like rawJsonBody, then parses the bytes: `req.body` is the value, or INVALID_JSON for the route
 * to refuse after authenticating.
 * @param limitBytes the largest body accepted, in bytes.
 */
export function jsonBody(limitBytes: number): RequestHandler {
  const read = rawJsonBody(limitBytes);
  return (request, response, next) => {
    read(request, response, (error?: unknown) => {
      if (error) return next(error);
      if (request.rawBody) request.body = parseJsonBody(request.rawBody);
      next();
    });
  };
}
