/**
 * The API's HTTP server hands Express requests and responses that already have the app's
 * prototypes, so Express's per-request `Object.setPrototypeOf` changes nothing (it kept each
 * request's objects alive through V8's young-generation collections: src/http/express-server.ts,
 * BENCHMARKS.md "2026-11-30, night"; Node's plain `createServer` constructs plain Node requests,
 * which the API test below tells apart). What the change buys is measured by
 * `npx tsx bench/api-cpu.ts`; these tests guard that the servers are built so, and that Express
 * works on such objects.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import express from 'express';
import { createExpressServer } from '../../src/http/express-server';
import { startTestHelpdesk } from '../support/harness';

/** The prototypes of the first request and response the server constructs, read before Express runs. */
function firstPrototypes(server: Server): Promise<{ request: object | null; response: object | null }> {
  return new Promise((resolve) => {
    server.prependOnceListener('request', (request: IncomingMessage, response: ServerResponse) =>
      resolve({ request: Object.getPrototypeOf(request), response: Object.getPrototypeOf(response) }),
    );
  });
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('the HTTP server of an Express app', () => {
  it('when a JSON body is posted, then the request arrives with the app’s prototypes and Express parses, routes and answers as usual', async () => {
    const app = express();
    app.post('/echo/:name', express.json(), (request, response) => {
      response
        .status(201)
        .set('x-seen', request.get('x-probe') ?? '')
        .json({
          name: request.params.name,
          body: request.body as unknown,
          isRequest: request instanceof IncomingMessage,
        });
    });
    const server = createExpressServer(app);
    const url = await listen(server);
    try {
      const seen = firstPrototypes(server);
      const response = await fetch(`${url}/echo/mona`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-probe': 'yes' },
        body: JSON.stringify({ text: 'صباح الخير' }),
      });
      assert.equal(response.status, 201);
      assert.equal(response.headers.get('x-seen'), 'yes');
      assert.deepEqual(await response.json(), {
        name: 'mona',
        body: { text: 'صباح الخير' },
        isRequest: true,
      });
      const prototypes = await seen;
      assert.equal(prototypes.request, app.request, 'the request is born an Express request');
      assert.equal(prototypes.response, app.response, 'the response is born an Express response');
    } finally {
      server.close();
    }
  });
});

describe('the API server', () => {
  it('when a webhook arrives, then the request and response reach Express with its prototypes already', async () => {
    const helpdesk = await startTestHelpdesk({ inProcessWorkers: false });
    try {
      const seen = firstPrototypes(helpdesk.server);
      const response = await helpdesk.postWppconnect({ nothing: 'to read' });
      assert.equal(response.status, 400, 'the webhook still answers as before');
      const prototypes = await seen;
      assert.notEqual(prototypes.request, IncomingMessage.prototype);
      assert.equal(
        typeof (prototypes.request as express.Request).get,
        'function',
        'Express’s request methods',
      );
      assert.equal(
        typeof (prototypes.response as express.Response).json,
        'function',
        'Express’s response methods',
      );
    } finally {
      await helpdesk.stop();
    }
  });
});
