/**
 * The Node HTTP server for an Express app, with requests and responses born with the app's own
 * prototypes.
 *
 * Why: for every request Express (`app.handle`) calls `Object.setPrototypeOf` on the request and
 * the response to give them its methods. On V8 that per-object prototype change keeps each
 * request's objects alive through young-generation collections: measured on the webhook route at
 * 1,000 requests/s, a quarter to a third of what a request allocates survived each scavenge (0.1 %
 * with the plain Node server), scavenges took 3 – 6 ms instead of under 0.5 ms, and the requests
 * that waited behind them made the answers' p99 (BENCHMARKS.md, "2026-11-30, night"). Objects that
 * already have the app's prototypes make that call a no-op, and Express works on them unchanged.
 * Node's `createServer` takes the classes it constructs requests and responses with (options
 * `IncomingMessage` and `ServerResponse`, Node.js HTTP docs).
 */
import { createServer, IncomingMessage, ServerResponse, type Server } from 'node:http';
import type { Socket } from 'node:net';
import type { Express } from 'express';

/**
 * Creates (does not start) the HTTP server whose request listener is `app`.
 * @returns the server; requests reach `app` as instances of `app.request`, answers of `app.response`.
 */
export function createExpressServer(app: Express): Server {
  // Function constructors, not classes: a class's instances would have the class's prototype,
  // which Express would replace again. Node's own constructors are plain functions.
  function ExpressRequest(this: IncomingMessage, socket: Socket): void {
    IncomingMessage.call(this, socket);
  }
  ExpressRequest.prototype = app.request;
  // Node passes the response its options too (highWaterMark and others): all of them go through.
  function ExpressResponse(this: ServerResponse, ...args: unknown[]): void {
    Reflect.apply(ServerResponse, this, args);
  }
  ExpressResponse.prototype = app.response;
  return createServer(
    {
      IncomingMessage: ExpressRequest as unknown as typeof IncomingMessage,
      ServerResponse: ExpressResponse as unknown as typeof ServerResponse,
    },
    app,
  );
}
