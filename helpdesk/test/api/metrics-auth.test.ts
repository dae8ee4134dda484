/**
 * `/metrics` is never open: without METRICS_TOKEN configured every scrape is refused (401, the
 * message says what to set) and runs no count query; with it, only its bearer gets the metrics.
 * The first start generates the token (scripts/setup-env.mjs, from .env.example's placeholder).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';

describe('/metrics needs METRICS_TOKEN', () => {
  let helpdesk: TestHelpdesk;
  before(async () => {
    helpdesk = await startTestHelpdesk({ inProcessWorkers: false });
  });
  after(() => helpdesk.stop());

  it('when no METRICS_TOKEN is configured, then every scrape answers 401 naming it', async () => {
    assert.equal(helpdesk.context.config.metrics.token, null);
    for (const authorization of [undefined, 'Bearer ', 'Bearer anything-at-all-0123456789']) {
      const response = await fetch(`${helpdesk.url}/metrics`, {
        headers: authorization ? { authorization } : {},
      });
      assert.equal(response.status, 401);
      assert.match(((await response.json()) as { message: string }).message, /METRICS_TOKEN/);
    }
  });

  it(".env.example's METRICS_TOKEN is a placeholder the first start replaces and the helpdesk refuses", () => {
    const example = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
    const placeholder = /^METRICS_TOKEN=(replace-with-.*)$/m.exec(example)?.[1];
    assert.ok(placeholder, 'METRICS_TOKEN=replace-with-… (setup-env.mjs generates every such secret)');
    assert.throws(
      () => loadConfig({ ...helpdesk.env, METRICS_TOKEN: placeholder }),
      /METRICS_TOKEN is still the example value/,
    );
  });
});
