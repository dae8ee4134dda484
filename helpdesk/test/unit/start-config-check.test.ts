/**
 * `npm start` validates the configuration before it migrates the database or builds the console:
 * a bad variable is reported at once, in one line naming it, without `npm error` noise.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const startScript: string = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.start;
const steps = startScript.split('&&').map((step) => step.trim());

describe('npm start with a bad variable', () => {
  it('when HELPDESK_PORT is not a number, then start stops before the migrations with one line naming it', () => {
    assert.equal(steps[0], 'node scripts/setup-env.mjs');
    const migrate = steps.indexOf('npm run migrate');
    assert.ok(migrate > 0, `no migrate step in: ${startScript}`);
    // setup-env writes a `.env` into the repository when there is none: run every later step as
    // `npm start` does (shell, node_modules/.bin on PATH), with a database that does not exist.
    const started = Date.now();
    const result = spawnSync('sh', ['-c', steps.slice(1).join(' && ')], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
      env: {
        PATH: `${join(ROOT, 'node_modules', '.bin')}${delimiter}${process.env.PATH ?? ''}`,
        HOME: process.env.HOME ?? '/tmp',
        // NODE_ENV=test: a developer's own `.env` is not read, only what is set here.
        NODE_ENV: 'test',
        HELPDESK_PORT: 'abc',
        DATABASE_URL: 'postgresql://nobody@127.0.0.1:1/no-such-database',
        SIDECAR_API_KEY: randomBytes(18).toString('base64url'),
        SIDECAR_WEBHOOK_SECRET: randomBytes(18).toString('base64url'),
        CHANNEL_SECRETS_KEY: randomBytes(32).toString('hex'),
      },
    });
    const output = `${result.stdout}${result.stderr}`;
    assert.equal(result.status, 1, output);
    const problems = result.stderr.split('\n').filter((line) => line.trim().startsWith('- '));
    assert.deepEqual(
      problems.map((line) => line.trim()),
      ['- HELPDESK_PORT must be a port number from 0 to 65535 (example: HELPDESK_PORT=8000)'],
    );
    assert.doesNotMatch(output, /npm error|prisma|migrat|vite|at .*\.ts:\d+/i);
    // Nothing but Node and tsx started: a migration or a console build takes far longer.
    assert.ok(Date.now() - started < 30_000, `took ${Date.now() - started} ms`);
  });
});
