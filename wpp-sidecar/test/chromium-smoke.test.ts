/**
 * Real Chromium through WPPConnect (skipped only when /usr/bin/chromium is absent). WhatsApp Web is not
 * reachable here, so the session must reach a clear state (error/disconnected, or qr if it is reachable),
 * never crash, never leak Chromium processes, survive a stale SingletonLock, and keep one profile dir.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, it } from 'node:test';
import { startSidecar } from '../src/app';
import type { RunningSidecar } from '../src/app';
import { createLogger } from '../src/logger';
import { findProfileProcesses } from '../src/session/chromium-processes';
import type { SessionStatus } from '../src/session/session-manager';
import { createWppconnectFactory } from '../src/session/wppconnect-client-factory';
import { testEnv, waitFor } from './helpers';

const CHROMIUM = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';
const CLEAR_STATES = new Set(['error', 'disconnected', 'qr']);

/** Processes whose command line mentions the profile dir, as `ps` sees them (zombies excluded). */
function psProfileProcesses(profileDir: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,stat,args', '--no-headers'], { encoding: 'utf8' });
  return out
    .split('\n')
    .filter((line) => line.includes(profileDir) && !/^\s*\d+\s+Z/.test(line) && !line.includes('ps -eo'));
}

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
});
