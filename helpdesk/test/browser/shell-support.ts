/**
 * Shared steps of the console's browser tests (shell, inbox, accessibility): Debian's Chromium
 * through playwright-core, a fresh console build when none exists, a helpdesk with an online agent
 * and Chromium started together (`startConsoleFixture`), sign-in, and a page that records desktop
 * notifications and believes its tab is hidden.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { CONSOLE_DIR } from '../../src/http/routes/console';
import { addAgent } from '../../src/use-cases/agents/create-agent';
import { setAvailability } from '../../src/use-cases/agents/set-availability';
import {
  HELPDESK_DIR,
  startTestHelpdesk,
  type TestHelpdesk,
  type TestHelpdeskOptions,
} from '../support/harness';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(HELPDESK_DIR, '..', 'test-artifacts');
/**
 * How long a test waits for a change the server pushes (a webhook's message stored, assigned and
 * streamed to the console), ms. Here it arrives in 0.2 – 1.1 s; the bound is wide because the
 * browser files run beside the fault and sidecar tests on two cores, and how fast it arrives is
 * measured by `npm run bench:scale` (stream_p99_ms), never by a test.
 */
export const PUSHED_WITHIN_MS = 15_000;

/** A reason to skip when Chromium is missing, else false. */
export const skipWithoutChromium = existsSync(CHROMIUM)
  ? false
  : `Chromium is not installed at ${CHROMIUM} (apt-get install -y chromium)`;

/** Builds the console when helpdesk/public has none, and makes the screenshot folder. */
export async function prepareConsole(): Promise<void> {
  if (!existsSync(join(CONSOLE_DIR, 'index.html'))) {
    const build = spawnSync('npm', ['run', 'build:console'], { cwd: HELPDESK_DIR, encoding: 'utf8' });
    assert.equal(build.status, 0, `the console build failed:\n${build.stdout}\n${build.stderr}`);
  }
  await mkdir(ARTIFACTS, { recursive: true });
}

/** Starts headless Chromium, with `extraArgs` after the usual switches. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      ...extraArgs,
    ],
  });
}

/**
 * For an `afterEach` hook: when the test failed, prints what the page showed (address, language,
 * the focused element, the composer's boxes, the canned-response list, alerts) and saves a
 * screenshot as `test-artifacts/failed-<test>.png`. CI keeps only the log, and a timed-out wait
 * says what was missing, not what was there instead.
 */
export async function reportPageOnFailure(test: { name: string }, page: Page | undefined): Promise<void> {
  // `passed` is on Node 20's test context, not yet in its types.
  if ((test as { passed?: boolean }).passed !== false || !page || page.isClosed()) return;
  // A string: this project's TypeScript has no DOM types (as in the other browser tests).
  const state = await page
    .evaluate(
      `(() => {
        const html = (element) => (element ? element.outerHTML.slice(0, 400) : null);
        return {
          language: document.documentElement.lang,
          focused: html(document.activeElement),
          composer: [...document.querySelectorAll('textarea[data-composer]')].map((box) => ({
            box: box.dataset.composer, value: box.value, caret: box.selectionStart,
          })),
          picker: html(document.querySelector('[data-testid=canned-picker]')),
          alerts: [...document.querySelectorAll('[role=alert]')].map((alert) => alert.textContent),
        };
      })()`,
    )
    .catch((error: Error) => ({ unreadable: error.message }));
  console.log(`the page when "${test.name}" failed: ${page.url()}\n${JSON.stringify(state, null, 2)}`);
  const name = test.name.replace(/[^\p{L}\p{N}]+/gu, '-').slice(0, 80);
  await page.screenshot({ path: join(ARTIFACTS, `failed-${name}.png`) }).catch(() => undefined);
}

/** An agent the console fixture adds and puts online (`capacity`: maximum open tickets). */
export interface FixtureAgent {
  name: string;
  email: string;
  password: string;
  capacity: number;
}

/** A running helpdesk with an online agent, and headless Chromium to open its console in. */
export interface ConsoleFixture {
  helpdesk: TestHelpdesk;
  browser: Browser;
  /** Closes Chromium, then stops the helpdesk (for an `after` hook). */
  stop(): Promise<void>;
}

/**
 * What most console browser tests start with: the console built (`prepareConsole`), a test
 * helpdesk, `agent` added through the real service and set online, and Chromium. Whatever was
 * started is stopped again when a later step fails.
 * @param options.helpdesk options of `startTestHelpdesk` (environment, provider…).
 * @param options.chromiumArgs switches after the usual ones (`launchChromium`).
 */
export async function startConsoleFixture(options: {
  agent: FixtureAgent;
  helpdesk?: TestHelpdeskOptions;
  chromiumArgs?: readonly string[];
}): Promise<ConsoleFixture> {
  await prepareConsole();
  const helpdesk = await startTestHelpdesk(options.helpdesk);
  try {
    await addAgent(helpdesk.context.db, options.agent);
    await setAvailability(helpdesk.context.pool, options.agent.email, 'online');
    const browser = await launchChromium(options.chromiumArgs);
    return {
      helpdesk,
      browser,
      async stop() {
        await browser.close();
        await helpdesk.stop();
      },
    };
  } catch (error) {
    await helpdesk.stop();
    throw error;
  }
}

export type ConsoleLanguage = 'ar' | 'en';

/**
 * A browser context in the console's language (saved in localStorage before the page loads).
 * @param options.hiddenTab the page sees `document.hidden === true` and records every
 *   `new Notification(title, options)` in `window.notifications` (permission "granted").
 */
export async function consoleContext(
  browser: Browser,
  language: ConsoleLanguage,
  options: { hiddenTab?: boolean; viewport?: { width: number; height: number } } = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1366, height: 768 },
    locale: language === 'ar' ? 'ar-EG' : 'en-GB',
    // The console's Content-Security-Policy forbids eval, which string page functions need.
    bypassCSP: true,
  });
  // Page scripts as strings: this file is type-checked without the DOM library.
  await context.addInitScript(`localStorage.setItem('helpdesk.language', ${JSON.stringify(language)});`);
  if (options.hiddenTab) {
    await context.addInitScript(`
      window.notifications = [];
      class RecordingNotification {
        static permission = 'granted';
        static requestPermission() { return Promise.resolve('granted'); }
        constructor(title, options) {
          window.notifications.push({ title, body: options && options.body, tag: options && options.tag });
          this.onclick = null;
        }
        close() {}
      }
      window.Notification = RecordingNotification;
      Object.defineProperty(Document.prototype, 'hidden', { configurable: true, get: () => true });
      Object.defineProperty(Document.prototype, 'visibilityState', { configurable: true, get: () => 'hidden' });
    `);
  }
  return context;
}

/** Opens the console and signs in; resolves when the inbox shows. */
export async function signIn(page: Page, url: string, email: string, password: string): Promise<void> {
  await page.goto(url);
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('form.login-card button[type=submit]');
  await page.locator('.inbox').waitFor();
}

/**
 * Calls the API as an agent (Bearer token from a real sign-in).
 * @returns a function `(method, path, body?) => parsed JSON` that throws on a non-2xx answer.
 */
export async function apiAs(
  url: string,
  email: string,
  password: string,
): Promise<(method: string, path: string, body?: unknown) => Promise<unknown>> {
  const login = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  assert.equal(login.status, 200, `sign-in of ${email}`);
  const { token } = (await login.json()) as { token: string };
  return async (method, path, body) => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
    return text ? (JSON.parse(text) as unknown) : undefined;
  };
}
