/**
 * Both services write one log format, so one pipeline (journald, Loki, `docker compose logs | jq`)
 * reads them alike: `service`, `pid`, an ISO 8601 `time`, pino's numeric `level` and `msg`. The
 * helpdesk once wrote epoch milliseconds and `name`, the sidecar ISO times and `service`.
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger as createSidecarLogger } from '../../../wpp-sidecar/src/logger';
import { createLogger as createHelpdeskLogger } from '../../src/infra/logger';

/** A stream that keeps each JSON line written to it. */
function lines(): { stream: Writable; read: () => Array<Record<string, unknown>> } {
  const written: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      written.push(chunk.toString('utf8'));
      done();
    },
  });
  return {
    stream,
    read: () =>
      written
        .join('')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('log format', () => {
  it('when each service logs a line, then both carry the same fields with an ISO 8601 time', () => {
    const helpdesk = lines();
    const sidecar = lines();
    createHelpdeskLogger('info', 'helpdesk', helpdesk.stream).info({ ticket: 7 }, 'ticket assigned');
    createSidecarLogger('info', sidecar.stream).info({ chat: 'x' }, 'event queued');

    const [fromHelpdesk] = helpdesk.read();
    const [fromSidecar] = sidecar.read();
    assert.ok(fromHelpdesk && fromSidecar);
    assert.equal(fromHelpdesk.service, 'helpdesk');
    assert.equal(fromSidecar.service, 'wpp-sidecar');
    for (const line of [fromHelpdesk, fromSidecar]) {
      assert.match(String(line.time), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.equal(line.level, 30);
      assert.equal(line.pid, process.pid);
      assert.equal(typeof line.msg, 'string');
    }
    const shared = ['level', 'time', 'service', 'pid', 'msg'];
    assert.deepEqual(
      Object.keys(fromHelpdesk)
        .filter((key) => shared.includes(key))
        .sort(),
      Object.keys(fromSidecar)
        .filter((key) => shared.includes(key))
        .sort(),
    );
  });
});
