/**
 * WPPConnect's log lines go through pino as JSON (ISO `time`, `service`, no colours), called the ways
 * WPPConnect 2.3.3 calls its winston logger (dist/api/layers/host.layer.js `log`: `logger.log({ level,
 * message, session, type })`, `message` sometimes an Error; dist/controllers/initializer.js and
 * browser.js: `logger.error|warn|info|http(message, { session, type })`); its `Version not available …`
 * line is debug noise; its console `defaultLogger` is silenced by the production factory. The real
 * WPPConnect writing through it with Chromium is checked by chromium-smoke.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultLogger } from '@wppconnect-team/wppconnect';
import { createLogger } from '../src/logger';
import { createWppconnectFactory } from '../src/session/wppconnect-client-factory';
import { createWppconnectLogger } from '../src/session/wppconnect-logger';

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

function capture(level = 'debug') {
  const raw: string[] = [];
  const logger = createLogger(level, { write: (line: string) => void raw.push(line) });
  return { raw, logger, lines: () => raw.map((line) => JSON.parse(line) as Record<string, unknown>) };
}

describe("WPPConnect's logger", () => {
  it('when WPPConnect logs the ways it does, then each line is pino JSON with an ISO time, its session and type, and no colours', () => {
    const { raw, logger, lines } = capture();
    const errors: string[] = [];
    const wpp = createWppconnectLogger(logger.child({ component: 'wppconnect', session: 'shop' }), (m) =>
      errors.push(m),
    );
    // host.layer.js `log(level, message, meta)` → `logger.log({ level, message, session, type, ...meta })`
    wpp.log({ level: 'info', message: 'Initializing...', session: 'shop', type: 'client' });
    // `this.log('error', error)`: winston's types say string, WPPConnect passes the Error.
    wpp.log({
      level: 'error',
      message: new Error('wapi.js failed') as unknown as string,
      session: 'shop',
      type: 'client',
    });
    wpp.log({ level: 'verbose', message: 'Page loaded', session: 'shop', type: 'page' });
    // browser.js `setWhatsappVersion` through host.layer's `log`
    wpp.log({
      level: 'error',
      message: 'Version not available for 2.3000.10305x, using latest as fallback',
      session: 'shop',
      type: 'client',
    });
    // initializer.js
    wpp.error('Error no open browser', { session: 'shop', type: 'browser' });
    wpp.http('checking headless...', { session: 'shop', type: 'browser' });
    wpp.warn('Chrome not found, using chromium', { session: 'shop', type: 'browser' });

    assert.equal(raw.length, 7);
    for (const line of raw) {
      // eslint-disable-next-line no-control-regex
      assert.doesNotMatch(line, /\u001b\[/, 'no ANSI colours');
      assert.doesNotMatch(line, /\[shop:client\]/, "not winston's text format");
    }
    const parsed = lines();
    for (const line of parsed) {
      assert.match(String(line.time), ISO_TIME);
      assert.equal(line.service, 'wpp-sidecar');
      assert.equal(line.component, 'wppconnect');
      assert.equal(line.session, 'shop');
    }
    assert.deepEqual(
      parsed.map((l) => [l.level, l.wppLevel, l.type, l.msg]),
      [
        [20, 'info', 'client', 'Initializing...'],
        [40, 'error', 'client', 'wapi.js failed'],
        [20, 'verbose', 'page', 'Page loaded'],
        [20, 'error', 'client', 'Version not available for 2.3000.10305x, using latest as fallback'],
        [40, 'error', 'browser', 'Error no open browser'],
        [20, 'http', 'browser', 'checking headless...'],
        [40, 'warn', 'browser', 'Chrome not found, using chromium'],
      ],
    );
    // Error lines are offered as causes of a failing start; the version noise is not.
    assert.deepEqual(errors, ['wapi.js failed', 'Error no open browser']);
  });

  it('when the sidecar logs at info, then WPPConnect chatter and the version noise are not shown', () => {
    const { logger, lines } = capture('info');
    const wpp = createWppconnectLogger(logger, undefined);
    wpp.info('Initializing browser...', { session: 'shop', type: 'browser' });
    wpp.log({ level: 'error', message: 'Version not available for 2.3000.10305x, using latest as fallback' });
    wpp.error('Error no open browser', { session: 'shop', type: 'browser' });
    assert.deepEqual(
      lines().map((l) => l.msg),
      ['Error no open browser'],
    );
  });

  it("when the production factory is made, then WPPConnect's coloured console defaultLogger is silenced", () => {
    assert.notEqual(defaultLogger.silent, true, 'WPPConnect prints by default');
    createWppconnectFactory({
      chromiumPath: '/usr/bin/chromium',
      closeTimeoutMs: 1000,
      logger: createLogger('silent'),
    });
    assert.equal(defaultLogger.silent, true);
  });
});
