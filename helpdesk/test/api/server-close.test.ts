/**
 * Stopping the API (SIGTERM, or a test's stop()): open event streams are ended cleanly (the
 * console's EventSource reconnects to another process) and idle keep-alive connections are closed,
 * so stopping never waits on a client.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { Agent, get } from 'node:http';
import type { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { startTestHelpdesk } from '../support/harness';
import { createAgent } from './api-support';

describe('stopping the API', () => {
  it('when it stops with an open event stream and an idle keep-alive connection, then the stream ends cleanly and the connection closes', async () => {
    const helpdesk = await startTestHelpdesk({ inProcessWorkers: false });
    const keepAlive = new Agent({ keepAlive: true });
    const held: { socket?: Socket } = {};
    let stopped = false;
    try {
      const mona = await createAgent(helpdesk, { name: 'Mona' });
      const status = await new Promise<number>((resolve, reject) => {
        get(`${helpdesk.url}/health`, { agent: keepAlive }, (response) => {
          held.socket = response.socket;
          response.resume();
          response.on('end', () => resolve(response.statusCode ?? 0));
        }).on('error', reject);
      });
      assert.equal(status, 200);

      const stream = await fetch(`${helpdesk.url}/api/stream`, {
        headers: { authorization: `Bearer ${mona.token}` },
      });
      assert.equal(stream.status, 200);
      const reader = stream.body!.getReader();
      const decoder = new TextDecoder();
      let text = '';
      while (!text.includes('event: ready')) {
        const chunk = await reader.read();
        assert.ok(!chunk.done, 'the stream stays open until the server stops');
        text += decoder.decode(chunk.value, { stream: true });
      }
      // Resolves when the body ends normally; rejects when the connection is cut instead.
      const ended = (async () => {
        for (;;) if ((await reader.read()).done) return 'ended';
      })();
      const closed = once(held.socket!, 'close');

      stopped = true;
      await helpdesk.stop();
      assert.equal(await ended, 'ended', 'the stream was ended, not cut');
      await closed;
      assert.ok(held.socket!.destroyed, 'the idle keep-alive connection was closed by the server');
    } finally {
      keepAlive.destroy();
      if (!stopped) await helpdesk.stop();
    }
  });
});
