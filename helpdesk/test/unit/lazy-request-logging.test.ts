/**
 * The webhooks' lean request logging (http/request-id.ts): the same request id in and out and the
 * same `{ requestId }` on the lines a request logs as pino-http gives the other routes, with the
 * child logger made only when a line is written; the other routes keep pino-http's logger.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import express from 'express';
import { pino } from 'pino';
import { pinoHttp } from 'pino-http';
import type { Server } from 'node:http';
import { lazyRequestLogging, REQUEST_ID_HEADER } from '../../src/http/request-id';

describe('lazy request logging', () => {
  const lines: Array<Record<string, unknown>> = [];
  let children = 0;
  let server: Server;
  let url: string;

  before(async () => {
    const stream = new Writable({
      write(chunk: Buffer, _encoding, callback) {
        lines.push(JSON.parse(chunk.toString('utf8')) as Record<string, unknown>);
        callback();
      },
    });
    const logger = pino({ level: 'info' }, stream).child({ component: 'http' });
    const child = logger.child.bind(logger);
    logger.child = ((...parameters: Parameters<typeof child>) => {
      children += 1;
      return child(...parameters);
    }) as typeof logger.child;
    const app = express();
    const lean = lazyRequestLogging(app, logger);
    app.post('/quiet', lean, (_request, response) => void response.status(202).end());
    app.post('/loud', lean, (request, response) => {
      request.log.warn('something to say');
      request.log.warn('and more');
      response.status(202).end();
    });
    app.use(
      pinoHttp({
        logger,
        autoLogging: false,
        quietReqLogger: true,
        customAttributeKeys: { reqId: 'requestId' },
        genReqId: () => 'from-pino-http',
      }),
    );
    app.get('/other', (request, response) => {
      request.log.info('other route');
      response.status(200).end();
    });
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('when a lean route logs nothing, then no child logger is made and the request id is echoed', async () => {
    children = 0;
    const response = await fetch(`${url}/quiet`, { method: 'POST', headers: { 'x-request-id': 'abc-1' } });
    assert.equal(response.status, 202);
    assert.equal(response.headers.get(REQUEST_ID_HEADER), 'abc-1');
    assert.equal(children, 0);
  });

  it('when a lean route logs, then its lines carry the request id and one child is made', async () => {
    children = 0;
    lines.length = 0;
    const response = await fetch(`${url}/loud`, { method: 'POST', headers: { 'x-request-id': 'abc-2' } });
    assert.equal(response.status, 202);
    assert.equal(children, 1);
    assert.deepEqual(
      lines.map((line) => [line.component, line.requestId, line.msg]),
      [
        ['http', 'abc-2', 'something to say'],
        ['http', 'abc-2', 'and more'],
      ],
    );
  });

  it('when the caller sends no sane id, then a fresh one is made and echoed', async () => {
    const response = await fetch(`${url}/quiet`, {
      method: 'POST',
      headers: { 'x-request-id': 'not sane!' },
    });
    assert.match(response.headers.get(REQUEST_ID_HEADER) ?? '', /^[0-9a-f-]{36}$/);
  });

  it('when another route runs pino-http, then its logger is the one pino-http assigned', async () => {
    lines.length = 0;
    const response = await fetch(`${url}/other`);
    assert.equal(response.status, 200);
    assert.deepEqual(
      lines.map((line) => [line.requestId, line.msg]),
      [['from-pino-http', 'other route']],
    );
  });
});
