/**
 * Measures what WhatsApp sessions cost in memory on this host (docs/operations.md, "Sizing").
 *
 *   npm run measure:memory -w wpp-sidecar -- [--sessions 1,2] [--url https://web.whatsapp.com/] [--settle-ms 20000]
 *
 * For each count N it starts a sidecar in this process (HTTP server and outbox, no session of its own), then
 * launches N Chromium browsers exactly as a session does (puppeteer-extra with the stealth plugin, the
 * sidecar's BROWSER_ARGS, a profile directory each, PUPPETEER_EXECUTABLE_PATH), opens `--url` in each (the
 * WhatsApp Web pairing page by default), waits `--settle-ms` and reads, from /proc: the Node process's RSS
 * and, per browser, summed over its process tree: USS (its private pages: what closing it frees), PSS (USS
 * plus a fair share of the pages shared with other processes, other Chromiums on the host included, so it
 * moves with what else runs) and RSS (shared pages counted in every process: an upper bound that does not
 * add up across browsers). Profiles are temporary and removed. No phone is paired, so a connected session (with its chats in memory) costs more than this.
 * Prints one JSON line per count and a table.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Browser } from 'puppeteer';
import puppeteer from 'puppeteer-extra';
import StealthPlugin from 'puppeteer-extra-plugin-stealth';
import { startSidecar } from '../src/app';
import { loadConfig } from '../src/config';
import { createLogger } from '../src/logger';
import { findProfileProcesses, killProfileProcesses } from '../src/session/chromium-processes';
import { BROWSER_ARGS } from '../src/session/wppconnect-client-factory';

puppeteer.use(StealthPlugin());

const MB = 1024 * 1024;

interface Memory {
  rss: number;
  pss: number;
  uss: number;
}

/** RSS, PSS and USS of one process in bytes (0 when it is gone). */
async function memoryOf(pid: number): Promise<Memory> {
  const rollup = await readFile(`/proc/${pid}/smaps_rollup`, 'utf8').catch(() => '');
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(rollup)?.[1] ?? 0) * 1024;
  return { rss: field('Rss'), pss: field('Pss'), uss: field('Private_Clean') + field('Private_Dirty') };
}

/** Sum over a profile's process tree. */
async function browserMemory(profileDir: string): Promise<Memory & { processes: number }> {
  const pids = await findProfileProcesses(profileDir);
  const each = await Promise.all(pids.map(memoryOf));
  const sum = (key: keyof Memory) => each.reduce((total, m) => total + m[key], 0);
  return { processes: pids.length, rss: sum('rss'), pss: sum('pss'), uss: sum('uss') };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sessions: { type: 'string', default: '1,2' },
      url: { type: 'string', default: 'https://web.whatsapp.com/' },
      'settle-ms': { type: 'string', default: '20000' },
    },
  });
  const counts = values.sessions.split(',').map(Number);
  const settleMs = Number(values['settle-ms']);
  const chromium = process.env.PUPPETEER_EXECUTABLE_PATH ?? '/usr/bin/chromium';
  const tmp = await mkdtemp(path.join(os.tmpdir(), 'wpp-sidecar-memory-'));
  const secret = () => randomBytes(24).toString('hex');
  const config = loadConfig({
    SIDECAR_HOST: '127.0.0.1',
    SIDECAR_PORT: '0',
    SIDECAR_API_KEY: secret(),
    SIDECAR_WEBHOOK_SECRET: secret(),
    TOKENS_DIR: path.join(tmp, 'tokens'),
    UPLOADS_DIR: path.join(tmp, 'uploads'),
    OUTBOX_PREFIX: `measure-${randomBytes(4).toString('hex')}`,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    LOG_LEVEL: 'silent',
  });
  const sidecar = await startSidecar({
    config,
    clientFactory: () => Promise.reject(new Error('not used')),
    logger: createLogger('silent'),
    startSession: false,
    sessionEvents: false,
  });
  const rows: Array<Record<string, number | string>> = [];
  try {
    for (const count of counts) {
      const browsers: Array<{ browser: Browser; profileDir: string }> = [];
      let loaded = 0;
      let failure = '';
      for (let i = 0; i < count; i++) {
        const profileDir = path.join(tmp, 'tokens', `measure-${count}-${i}`);
        const browser = (await puppeteer.launch({
          headless: true,
          executablePath: chromium,
          userDataDir: profileDir,
          args: BROWSER_ARGS,
        })) as unknown as Browser;
        browsers.push({ browser, profileDir });
        const page = (await browser.pages())[0] ?? (await browser.newPage());
        try {
          await page.goto(values.url, { waitUntil: 'networkidle2', timeout: 60_000 });
          loaded++;
        } catch (error) {
          failure = error instanceof Error ? error.message.split('\n')[0]! : String(error);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      const perBrowser = await Promise.all(browsers.map((b) => browserMemory(b.profileDir)));
      const total = (key: keyof Memory) => Math.round(perBrowser.reduce((sum, b) => sum + b[key], 0) / MB);
      const row = {
        sessions: count,
        pageLoaded: `${loaded}/${count}${failure ? ` (${failure})` : ''}`,
        nodeRssMB: Math.round(process.memoryUsage().rss / MB),
        chromiumProcesses: perBrowser.reduce((sum, b) => sum + b.processes, 0),
        chromiumUssMB: total('uss'),
        chromiumPssMB: total('pss'),
        chromiumRssMB: total('rss'),
        chromiumUssPerSessionMB: Math.round(total('uss') / count),
      };
      rows.push(row);
      process.stdout.write(`${JSON.stringify(row)}\n`);
      for (const { browser, profileDir } of browsers) {
        await browser.close().catch(() => undefined);
        await killProfileProcesses(profileDir);
      }
    }
  } finally {
    await sidecar.stop();
    await rm(tmp, { recursive: true, force: true });
  }
  console.table(rows);
}

main().catch((error: unknown) => {
  process.stderr.write(`measure-memory failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
