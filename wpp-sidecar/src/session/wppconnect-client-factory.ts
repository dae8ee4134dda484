/**
 * The production `ClientFactory`: WPPConnect's `create()` on the system Chromium, with a pinned profile dir.
 *
 * - `useChrome: false` + `puppeteerOptions.executablePath`: otherwise chrome-launcher's detection overrides it.
 * - `puppeteerOptions.userDataDir = <TOKENS_DIR>/<SESSION_NAME>`: the profile *is* the session; the same dir
 *   across restarts means no new QR scan.
 * - `browserArgs` passed explicitly (WPPConnect's own `--no-sandbox` etc. are dropped once any args are set).
 * - `autoClose: 0` (never close while waiting for a scan), `logQR: false` (we print a small QR ourselves),
 *   `waitForLogin: true` (create() resolves once logged in), `updatesLog: false` (no network check),
 *   `disableWelcome: true` (no banner), `logger`: WPPConnect's log lines go through pino as JSON
 *   (wppconnect-logger.ts); its console `defaultLogger` is silenced.
 * - What goes wrong is reported in words, not swallowed: a failed navigation of the WhatsApp Web page
 *   (`net::ERR_NAME_NOT_RESOLVED at https://web.whatsapp.com`), a page crash, Chromium exiting and
 *   WPPConnect's error lines reach the session through `onCause`; a launch failure is cut to its first
 *   line and Chromium's first stderr line; a rejection that only says the browser went away
 *   (`Target closed`, …) is reported after what the browser said first (start-failure.ts).
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
import { combineCauses, firstLine } from './start-failure';
import { createWppconnectLogger, silenceDefaultLogger } from './wppconnect-logger';

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
  /** The root logger: the factory's lines carry `component: "session"`, WPPConnect's `component: "wppconnect"`. */
  logger: Logger;
}

/**
 * @returns a factory that launches one WPPConnect session per call. The returned client's `close()` never
 *   hangs longer than `closeTimeoutMs` and always leaves no Chromium process on the profile.
 */
export function createWppconnectFactory(options: WppconnectFactoryOptions): ClientFactory {
  silenceDefaultLogger(defaultLogger);
  return async (opts: ClientFactoryOptions): Promise<WppClient> => {
    const log = options.logger.child({ component: 'session', session: opts.session });
    await mkdir(opts.profileDir, { recursive: true });
    const leftovers = await killProfileProcesses(opts.profileDir);
    if (leftovers.length) log.warn({ pids: leftovers }, 'killed leftover Chromium processes on the profile');
    const removed = await removeStaleSingletonLocks(opts.profileDir);
    if (removed.length) log.warn({ removed }, 'removed stale Chromium lock files from the profile');

    // The first thing the browser said went wrong in this attempt (what a bare "Target closed" hides).
    let observed: string | null = null;
    const cause = (text: string) => {
      const line = firstLine(text);
      observed ??= line;
      log.debug({ cause: line }, 'session: browser reported a problem');
      opts.onCause?.(line);
    };
    let browser: Browser | null = null;
    let page: Page | null = null;
    const onAbort = () => void killProfileProcesses(opts.profileDir);
    opts.signal.addEventListener('abort', onAbort, { once: true });
    try {
      if (opts.signal.aborted) throw new Error('session start aborted');
      browser = await launch(options.chromiumPath, opts.profileDir);
      watchBrowser(browser, cause);
      page = (await browser.pages())[0] ?? (await browser.newPage());
      watchPage(page, cause, log);
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
        logger: createWppconnectLogger(
          options.logger.child({ component: 'wppconnect', session: opts.session }),
          (line) => cause(line),
        ),
        browserArgs: BROWSER_ARGS,
        puppeteerOptions: { executablePath: options.chromiumPath, userDataDir: opts.profileDir },
        catchQR: (base64Qr: string, asciiQR: string, attempt: number, urlCode?: string) =>
          opts.onQr({ dataUrl: base64Qr, ascii: asciiQR, attempt, urlCode: urlCode ?? '' }),
        statusFind: (status: string) => opts.onStatus(status),
      });
      return adapt(client, browser, page, opts.profileDir, options.closeTimeoutMs);
    } catch (error) {
      await shutdownBrowser(browser, page, opts.profileDir, options.closeTimeoutMs);
      if (opts.signal.aborted) throw error;
      throw new Error(combineCauses(errorText(error), observed), { cause: error });
    } finally {
      opts.signal.removeEventListener('abort', onAbort);
    }
  };
}

/** puppeteer-extra with the stealth plugin, as WPPConnect's `initBrowser`; launch errors cut to one line. */
async function launch(chromiumPath: string, profileDir: string): Promise<Browser> {
  try {
    return (await puppeteer.launch({
      headless: true,
      executablePath: chromiumPath,
      userDataDir: profileDir,
      args: BROWSER_ARGS,
    })) as unknown as Browser;
  } catch (error) {
    throw new Error(launchErrorLine(errorText(error), chromiumPath), { cause: error });
  }
}

/**
 * puppeteer's launch error in one line: `Failed to launch the browser process: Code: 125 — <Chromium's
 * first stderr line>` (its message spans lines: code, `stderr:`, Chromium's output, a troubleshooting
 * link), or `Browser was not found at the configured executablePath (/x)` as it is.
 */
export function launchErrorLine(message: string, chromiumPath: string): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && line !== 'stderr:' && !line.startsWith('TROUBLESHOOTING'));
  const [head = 'Chromium did not start', ...rest] = lines;
  const named = head.includes(chromiumPath) ? head : `${head} (${chromiumPath})`;
  return firstLine(rest.length ? `${named} — ${rest[0]}` : named, 600);
}

/** Chromium exiting (a crash, the OOM killer, a kill) is a cause. */
function watchBrowser(browser: Browser, cause: (text: string) => void): void {
  browser.process()?.once('exit', (code, signal) => {
    if (signal === 'SIGKILL' || code === 0) return; // ours (shutdownBrowser) or a clean close
    cause(`Chromium exited (${signal ? `signal ${signal}` : `code ${String(code)}`})`);
  });
}

/** The WhatsApp Web page's failed navigations and crashes are causes; its script errors are only logged. */
function watchPage(page: Page, cause: (text: string) => void, log: Logger): void {
  page.on('requestfailed', (request) => {
    if (!request.isNavigationRequest() || request.frame() !== page.mainFrame()) return;
    const reason = request.failure()?.errorText ?? 'failed';
    if (reason === 'net::ERR_ABORTED') return; // a navigation replaced by another, or our own close
    cause(`${reason} at ${request.url().replace(/\/$/, '')}`);
  });
  page.on('error', (error: Error) => cause(`the WhatsApp Web page crashed: ${error.message}`));
  page.on('pageerror', (error: unknown) =>
    log.debug({ err: errorText(error) }, 'session: script error in the WhatsApp Web page'),
  );
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
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
