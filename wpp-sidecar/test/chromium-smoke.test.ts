/**
 * Real Chromium through WPPConnect (skipped only when /usr/bin/chromium is absent). WhatsApp Web is not
 * reachable here, so the session must reach a clear state (error/disconnected, or qr if it is reachable),
 * never crash, never leak Chromium processes, survive a stale SingletonLock, and keep one profile dir.
 *
 * The second test runs the sidecar as `npm run sidecar` does (`src/main.ts` in its own process, the real
 * WPPConnect factory) and checks it says what is wrong: `GET /api/status` and `GET /api/sessions/:name`
 * in state `error` with the real cause (`net::ERR_… at https://web.whatsapp.com`, explained), `/health`
 * 200, `/ready` 503 with that detail, one JSON log line per attempt (number, cause, next delay), every
 * stdout line JSON with an ISO time (WPPConnect's own lines included, through pino), and the words on the
 * terminal (stderr). It also samples the memory of the sidecar's Node process and of its Chromium
 * (docs/operations.md, "Sizing"), printed as a test diagnostic.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startSidecar } from '../src/app';
import type { RunningSidecar } from '../src/app';
import { createLogger } from '../src/logger';
import { findProfileProcesses } from '../src/session/chromium-processes';
import type { SessionStatus } from '../src/session/session-manager';
import { createWppconnectFactory } from '../src/session/wppconnect-client-factory';
import { deleteRedisPrefix, testEnv, waitFor } from './helpers';

const CHROMIUM = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';
const CLEAR_STATES = new Set(['error', 'disconnected', 'qr']);

/** Processes whose command line mentions the profile dir, as `ps` sees them (zombies excluded). */
function psProfileProcesses(profileDir: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,stat,args', '--no-headers'], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(profileDir) && !/^\s*\d+\s+Z/.test(line) && !line.includes('ps -eo'));
}

/** Resident and proportional memory of one process, bytes (0 when it is gone). */
async function memoryOf(pid: number): Promise<{ rss: number; pss: number }> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
  const kb = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) * 1024;
  return { rss: kb('Rss'), pss: kb('Pss') };
}

const MB = 1024 * 1024;

describe('real Chromium smoke test', { skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is absent` }, () => {
  it(
    'when WhatsApp Web is unreachable, then clear states, no leaked processes, stale lock ignored, same profile',
    { timeout: 90_000 },
    async () => {
      const env = await testEnv({
        RECONNECT_BASE_MS: '300',
        RECONNECT_MAX_MS: '600',
        PUPPETEER_EXECUTABLE_PATH: CHROMIUM,
      });
      const profileDir = path.join(env.config.tokensDir, env.config.sessionName);
      const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'silent');
      const factory = createWppconnectFactory({ chromiumPath: CHROMIUM, closeTimeoutMs: 3000, logger });
      let sidecar: RunningSidecar | null = null;
      try {
        for (let cycle = 1; cycle <= 3; cycle++) {
          if (cycle === 2) {
            // A browser killed with SIGKILL leaves a SingletonLock pointing at its host-pid.
            await mkdir(profileDir, { recursive: true });
            await rm(path.join(profileDir, 'SingletonLock'), { force: true });
            await symlink('some-other-host-99999', path.join(profileDir, 'SingletonLock'));
            assert.equal(await readlink(path.join(profileDir, 'SingletonLock')), 'some-other-host-99999');
          }
          const states: SessionStatus[] = [];
          sidecar = await startSidecar({
            config: env.config,
            clientFactory: factory,
            logger,
            printQrToTerminal: false,
          });
          sidecar.session.on('state', (s: SessionStatus) => states.push(s));
          // Reach a clear state, then let at least one reconnect attempt run (cycle 1) before stopping.
          await waitFor(
            () => states.some((s) => CLEAR_STATES.has(s.state)),
            `a clear state (cycle ${cycle})`,
            30_000,
          );
          if (cycle === 1) {
            await waitFor(
              () =>
                states.filter((s) => s.state === 'starting').length >= 1 &&
                states.filter((s) => CLEAR_STATES.has(s.state)).length >= 2,
              'a reconnect attempt',
              30_000,
            );
          }
          const clear = states.find((s) => CLEAR_STATES.has(s.state))!;
          if (clear.state === 'error') {
            assert.doesNotMatch(clear.lastError ?? '', /SingletonLock|profile.*in use|Failed to launch/i);
          }
          assert.ok(existsSync(path.join(profileDir, 'Local State')), 'Chromium used the pinned profile dir');
          await writeFile(path.join(profileDir, `marker-${cycle}`), 'kept');
          await sidecar.stop();
          sidecar = null;
          assert.deepEqual(
            await findProfileProcesses(profileDir),
            [],
            `no Chromium left after cycle ${cycle}`,
          );
          assert.deepEqual(psProfileProcesses(profileDir), [], `ps shows no Chromium after cycle ${cycle}`);
        }
        for (let cycle = 1; cycle <= 3; cycle++) {
          assert.ok(existsSync(path.join(profileDir, `marker-${cycle}`)), 'profile dir kept across restarts');
        }
      } finally {
        await sidecar?.stop();
        await env.cleanup();
      }
    },
  );

  it(
    'when `npm run sidecar` cannot reach WhatsApp Web, then it reports the cause in /api/status, /ready and its logs, /health stays 200, and the terminal says what to do',
    { timeout: 120_000 },
    async (t) => {
      const tmp = await mkdtemp(path.join(os.tmpdir(), 'wpp-sidecar-main-'));
      const prefix = `wpp-sidecar-smoke-${randomBytes(4).toString('hex')}`;
      const apiKey = randomBytes(24).toString('hex');
      const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
      const profileDir = path.join(tmp, 'tokens', 'smoke');
      // Only what it needs: the repository's .env fills the rest, as under `npm run sidecar`.
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        cwd: path.resolve(import.meta.dirname, '..'),
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          SIDECAR_API_KEY: apiKey,
          SIDECAR_WEBHOOK_SECRET: randomBytes(24).toString('hex'),
          SIDECAR_HOST: '127.0.0.1',
          SIDECAR_PORT: '0',
          SESSION_NAME: 'smoke',
          TOKENS_DIR: path.join(tmp, 'tokens'),
          UPLOADS_DIR: path.join(tmp, 'uploads'),
          REDIS_URL: redisUrl,
          OUTBOX_PREFIX: prefix,
          HELPDESK_WEBHOOK_URL: 'http://127.0.0.1:9/unused',
          RECONNECT_BASE_MS: '500',
          RECONNECT_MAX_MS: '1000',
          PUPPETEER_EXECUTABLE_PATH: CHROMIUM,
          LOG_LEVEL: 'debug',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      const lines = () =>
        stdout
          .split('\n')
          .filter(Boolean)
          .map((line) => {
            try {
              return JSON.parse(line) as Record<string, unknown>;
            } catch {
              return { notJson: line };
            }
          });
      const memory = { nodeRss: 0, chromiumRss: 0, chromiumPss: 0, chromiumProcesses: 0 };
      let sampling = true;
      const sampler = (async () => {
        while (sampling) {
          const pids = await findProfileProcesses(profileDir);
          const each = await Promise.all(pids.map(memoryOf));
          const node = child.pid ? await memoryOf(child.pid) : { rss: 0, pss: 0 };
          memory.nodeRss = Math.max(memory.nodeRss, node.rss);
          const rss = each.reduce((sum, m) => sum + m.rss, 0);
          if (rss > memory.chromiumRss) {
            memory.chromiumRss = rss;
            memory.chromiumPss = each.reduce((sum, m) => sum + m.pss, 0);
            memory.chromiumProcesses = pids.length;
          }
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
      try {
        const listening = await waitFor(
          () => lines().find((l) => l.msg === 'wpp-sidecar listening'),
          `the sidecar listening (stderr: ${stderr})`,
          60_000,
        );
        const base = String(listening.url);
        const get = async (route: string, key: string | null = apiKey) => {
          const res = await fetch(`${base}${route}`, { headers: key ? { 'x-api-key': key } : {} });
          return { status: res.status, body: (await res.json()) as Record<string, unknown> };
        };
        // Two failed attempts (or a QR, should WhatsApp Web be reachable from where this runs).
        const status = await waitFor(
          async () => {
            const answer = await get('/api/status');
            const failed = lines().filter((l) => /start attempt \d+ failed/.test(String(l.msg)));
            return answer.body.state === 'qr' || (answer.body.state === 'error' && failed.length >= 2)
              ? answer
              : null;
          },
          'state error after two attempts (or qr)',
          60_000,
        );
        const ready = await get('/ready', null);
        assert.equal(ready.status, 503);
        assert.equal(ready.body.ready, false);
        const health = await get('/health', null);
        assert.equal(health.status, 200, JSON.stringify(health.body));
        assert.equal(health.body.status, 'ok');

        if (status.body.state === 'qr') {
          t.diagnostic('WhatsApp Web is reachable from here: the session waits for a scan');
          assert.equal(ready.body.state, 'qr');
        } else {
          assert.equal(status.body.state, 'error');
          const cause = String(status.body.lastError);
          assert.match(cause, /^net::ERR_[A-Z_]+ at https:\/\/web\.whatsapp\.com$/);
          assert.doesNotMatch(cause, /browserClose|connection lost/);
          const detail = String(status.body.detail);
          assert.ok(detail.includes(cause), detail);
          assert.match(detail, /web\.whatsapp\.com.*What to do: /);
          if (cause.includes('ERR_NAME_NOT_RESOLVED')) {
            assert.match(
              detail,
              /^cannot reach web\.whatsapp\.com: its name does not resolve .*DNS.*HTTPS_PROXY/,
            );
          }
          assert.equal(ready.body.state, 'error');
          assert.equal(ready.body.detail, detail);
          const session = await get('/api/sessions/smoke');
          assert.equal(session.body.state, 'error');
          assert.equal(session.body.detail, detail);
          const qr = await get('/api/qr-code');
          assert.equal(qr.status, 404);
          assert.match(String(qr.body.message), /cannot start/);

          // One line per attempt: numbered, with the cause and the next delay.
          const failed = lines().filter((l) => /start attempt \d+ failed/.test(String(l.msg)));
          assert.deepEqual(
            failed.slice(0, 2).map((l) => [l.level, l.attempt, l.nextAttemptInMs, l.cause]),
            [
              [50, 1, 500, cause],
              [50, 2, 1000, cause],
            ],
          );
          // The terminal says it in words, once for this cause.
          assert.match(stderr, /WhatsApp session "smoke" cannot start: cannot reach web\.whatsapp\.com/);
          assert.match(stderr, /What to do: /);
          assert.equal(stderr.split('cannot start').length - 1, 1, stderr);
        }

        // One log format: every stdout line is JSON with an ISO time, WPPConnect's own lines included.
        const all = lines();
        assert.deepEqual(
          all.filter((l) => 'notJson' in l),
          [],
          'no line outside pino (no coloured WPPConnect output)',
        );
        for (const line of all)
          assert.match(String(line.time), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        assert.ok(
          all.some((l) => l.component === 'wppconnect' && l.msg === 'Initializing...'),
          "WPPConnect's own lines come through pino",
        );
        assert.ok(
          !all.some((l) => Number(l.level) >= 30 && /Version not available/.test(String(l.msg))),
          'the version noise is not shown at info',
        );
      } finally {
        sampling = false;
        await sampler;
        child.kill('SIGTERM');
        const code = await exited;
        t.diagnostic(
          `memory of one session that reached the error state: sidecar Node RSS ${Math.round(memory.nodeRss / MB)} MB; ` +
            `Chromium peak ${Math.round(memory.chromiumRss / MB)} MB RSS (${Math.round(memory.chromiumPss / MB)} MB PSS) ` +
            `over ${memory.chromiumProcesses} processes`,
        );
        assert.equal(code, 0, `a clean stop (stderr: ${stderr})`);
        assert.deepEqual(await findProfileProcesses(profileDir), [], 'no Chromium left');
        await deleteRedisPrefix(redisUrl, prefix);
        await rm(tmp, { recursive: true, force: true });
      }
    },
  );
});
