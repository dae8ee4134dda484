/**
 * The production `ClientFactory`: WPPConnect's `create()` on the system Chromium, with a pinned profile dir.
 *
 * - `useChrome: false` + `puppeteerOptions.executablePath`: otherwise chrome-launcher's detection overrides it.
 * - `puppeteerOptions.userDataDir = <TOKENS_DIR>/<SESSION_NAME>`: the profile *is* the session; the same dir
 *   across restarts means no new QR scan.
 * - `browserArgs` passed explicitly (WPPConnect's own `--no-sandbox` etc. are dropped once any args are set).
 * - `autoClose: 0` (never close while waiting for a scan), `logQR: false` (we print a small QR ourselves),
 *   `waitForLogin: true` (create() resolves once logged in), `updatesLog: false` (no network check).
 * - Before launch: kill leftover Chromium processes of this profile and remove stale `Singleton*` locks.
 * - The browser is launched here (puppeteer-extra + stealth, exactly as WPPConnect's `initBrowser` does) and
 *   handed to `create({ browser, page })`, so the sidecar always holds the handle: when `create()` rejects,
 *   WPPConnect neither closes the browser nor clears the 1 s interval its `Whatsapp` constructor starts
 *   (cleared only on the page's `close` event). We close the page (clears it), close the browser (bounded) and
 *   kill the profile's process tree, so nothing leaks.
 * @see node_modules/@wppconnect-team/wppconnect/dist/config/create-config.d.ts (`CreateConfig`)
 * @see node_modules/@wppconnect-team/wppconnect/dist/controllers/initializer.js (`create`)
 * @see node_modules/@wppconnect-team/wppconnect/dist/controllers/browser.js (`initBrowser`)
 */
import { mkdir } from 'node:fs/promises';
import { create, defaultLogger } from '@wppconnect-team/wppconnect';
import type { Browser, Page } from 'puppeteer';
import puppeteer from 'puppeteer-extra';
import StealthPlugin from 'puppeteer-extra-plugin-stealth';
import type { Logger } from '../logger';
import type { ClientFactory, ClientFactoryOptions, WppClient } from './client';
import { killProfileProcesses, removeStaleSingletonLocks } from './chromium-processes';

puppeteer.use(StealthPlugin());

/** Chromium flags for a headless server (root in a container, no GPU, small /dev/shm, quiet network). */
export const BROWSER_ARGS = [
  '--no-sandbox',
  '--disable-setuid-sandbox',
  '--disable-dev-shm-usage',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-default-apps',
  '--disable-extensions',
  '--disable-sync',
  '--disable-translate',
  '--no-first-run',
  '--no-default-browser-check',
  '--mute-audio',
  '--hide-scrollbars',
  '--metrics-recording-only',
];

export interface WppconnectFactoryOptions {
  chromiumPath: string;
  /** How long `close()` may take before the process tree is killed (ms). */
  closeTimeoutMs: number;
  logger: Logger;
}

/**
 * @returns a factory that launches one WPPConnect session per call. The returned client's `close()` never
 *   hangs longer than `closeTimeoutMs` and always leaves no Chromium process on the profile.
 */
export function createWppconnectFactory(options: WppconnectFactoryOptions): ClientFactory {
  defaultLogger.level = options.logger.isLevelEnabled('debug') ? 'info' : 'warn';
  return async (opts: ClientFactoryOptions): Promise<WppClient> => {
    const log = options.logger.child({ session: opts.session });
    await mkdir(opts.profileDir, { recursive: true });
    const leftovers = await killProfileProcesses(opts.profileDir);
    if (leftovers.length) log.warn({ pids: leftovers }, 'killed leftover Chromium processes on the profile');
    const removed = await removeStaleSingletonLocks(opts.profileDir);
    if (removed.length) log.warn({ removed }, 'removed stale Chromium lock files from the profile');

    let browser: Browser | null = null;
    let page: Page | null = null;
    const onAbort = () => void killProfileProcesses(opts.profileDir);
    opts.signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (opts.signal.aborted) throw new Error('session start aborted');
      browser = (await puppeteer.launch({
        headless: true,
        executablePath: options.chromiumPath,
        userDataDir: opts.profileDir,
        args: BROWSER_ARGS,
      })) as unknown as Browser;
      page = (await browser.pages())[0] ?? (await browser.newPage());
      if (opts.signal.aborted) throw new Error('session start aborted');
      const client = await create({
        session: opts.session,
        browser,
        page,
        headless: true,
        useChrome: false,
        logQR: false,
        autoClose: 0,
        waitForLogin: true,
        disableWelcome: true,
        updatesLog: false,
        browserArgs: BROWSER_ARGS,
        puppeteerOptions: { executablePath: options.chromiumPath, userDataDir: opts.profileDir },
        catchQR: (base64Qr: string, asciiQR: string, attempt: number, urlCode?: string) =>
          opts.onQr({ dataUrl: base64Qr, ascii: asciiQR, attempt, urlCode: urlCode ?? '' }),
        statusFind: (status: string) => opts.onStatus(status),
      });
      return adapt(client, browser, page, opts.profileDir, options.closeTimeoutMs);
    } catch (error) {
      await shutdownBrowser(browser, page, opts.profileDir, options.closeTimeoutMs);
      throw error;
    } finally {
      opts.signal.removeEventListener('abort', onAbort);
    }
  };
}

/**
 * Close the page (fires its `close` event, which clears WPPConnect's intervals), close the browser within
 * `timeoutMs`, then kill whatever is left on the profile and drop its lock files.
 */
async function shutdownBrowser(
  browser: Browser | null,
  page: Page | null,
  profileDir: string,
  timeoutMs: number,
): Promise<void> {
  const graceful = (async () => {
    await page?.close().catch(() => undefined);
    await browser?.close().catch(() => undefined);
  })();
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([graceful, new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
  if (page && !page.isClosed()) page.emit('close', undefined);
  await killProfileProcesses(profileDir);
  await removeStaleSingletonLocks(profileDir);
}

/** Wrap `close()`: bounded page/browser close, then kill the profile's process tree. */
function adapt(
  client: Awaited<ReturnType<typeof create>>,
  browser: Browser,
  page: Page,
  profileDir: string,
  closeTimeoutMs: number,
): WppClient {
  const wpp = client as unknown as WppClient;
  wpp.close = async () => {
    await shutdownBrowser(browser, page, profileDir, closeTimeoutMs);
    return true;
  };
  return wpp;
}
