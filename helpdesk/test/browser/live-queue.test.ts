/**
 * The live queue wallboard in headless Chromium (issue 16, "Live queue"): an admin leaves the page
 * open; when a customer writes, the new waiting ticket appears with its wait clock ticking, and
 * when an agent goes online their row says so (and the ticket, now theirs, leaves the queue) —
 * from the realtime stream, without a reload. In Arabic (Arabic-Indic digits, right to left) and
 * in English. The audit log page then lists the agent's sign-in. axe-core finds no serious
 * violation on either page. Screenshots go to test-artifacts/.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { addAgent } from '../../src/use-cases/agents/create-agent';
import { setAvailability } from '../../src/use-cases/agents/set-availability';
import { startTestHelpdesk, textEvent, type TestHelpdesk } from '../support/harness';
import {
  apiAs,
  ARTIFACTS,
  PUSHED_WITHIN_MS,
  consoleContext,
  launchChromium,
  prepareConsole,
  signIn,
  skipWithoutChromium,
  type ConsoleLanguage,
} from './shell-support';

const ADMIN_EMAIL = 'lead.queue@pharmacy.test';
const AGENT_EMAIL = 'omar.queue@pharmacy.test';
const PASSWORD = 'queue-password-123';
const CUSTOMERS: Record<ConsoleLanguage, { name: string; phone: string; text: string }> = {
  ar: { name: 'هالة', phone: '+201001230001', text: 'هل يوجد دواء للضغط؟' },
  en: { name: 'Hala English', phone: '+201001230002', text: 'Is my order ready?' },
};
const AXE_SOURCE = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/** axe-core's serious and critical violations inside the open admin page. */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"')))
    await page.addScriptTag({ content: AXE_SOURCE });
  return (await page.evaluate(`axe.run(document.querySelector('.admin-page'), { resultTypes: ['violations'] }).then((result) =>
    result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => violation.id + ': ' + violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')),
  )`)) as string[];
}

const ONLINE: Record<ConsoleLanguage, string> = { ar: 'متاح', en: 'Online' };
const AUDIT_SIGNED_IN: Record<ConsoleLanguage, string> = { ar: 'سجّل الدخول', en: 'Signed in' };

describe('live queue in headless Chromium', { skip: skipWithoutChromium, timeout: 120_000 }, () => {
  let helpdesk: TestHelpdesk;
  let browser: Browser;
  let agentId: string;
  let asAgent: (method: string, path: string, body?: unknown) => Promise<unknown>;

  before(async () => {
    await prepareConsole();
    helpdesk = await startTestHelpdesk();
    // The admin takes no tickets (capacity 0) and the agent is offline: a new ticket waits.
    await addAgent(helpdesk.context.db, {
      name: 'Team Lead',
      email: ADMIN_EMAIL,
      password: PASSWORD,
      capacity: 0,
      role: 'admin',
    });
    agentId = (
      await addAgent(helpdesk.context.db, {
        name: 'عمر',
        email: AGENT_EMAIL,
        password: PASSWORD,
        capacity: 5,
        role: 'agent',
      })
    ).id;
    asAgent = await apiAs(helpdesk.url, AGENT_EMAIL, PASSWORD);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await helpdesk?.stop();
  });

  async function scenario(
    language: ConsoleLanguage,
  ): Promise<{ appeared: number; online: number; page: Page }> {
    await setAvailability(helpdesk.context.pool, AGENT_EMAIL, 'offline');
    const context = await consoleContext(browser, language);
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, helpdesk.url, ADMIN_EMAIL, PASSWORD);
    await page.click('[data-testid=admin-menu]');
    await page.click('button[data-admin-page=live-queue]');
    await page.locator('[data-testid=live-queue]').waitFor();
    const agentRow = page.locator(`li[data-agent-id="${agentId}"]`);
    await agentRow.waitFor();
    assert.equal(await agentRow.getAttribute('data-availability'), 'offline');
    await page.locator('.stream.live').waitFor();
    await page.evaluate('window.marker = true');

    const customer = CUSTOMERS[language];
    const posted = Date.now();
    assert.equal(
      (await helpdesk.postWppconnect(textEvent(customer.phone, customer.text, { name: customer.name })))
        .status,
      202,
    );
    const row = page.locator('.live-queue-table tbody tr', { hasText: customer.name });
    await row.waitFor({ timeout: PUSHED_WITHIN_MS });
    const appeared = Date.now() - posted;
    const clock = row.locator('.live-queue-clock');
    const first = (await clock.textContent()) ?? '';
    if (language === 'ar') assert.match(first, /^[٠-٩]+:[٠-٩]{2}$/, `Arabic-Indic clock: ${first}`);
    else assert.match(first, /^\d+:\d{2}$/, `clock: ${first}`);
    await page.waitForFunction(
      `document.querySelector('.live-queue-table tbody tr .live-queue-clock')?.textContent !== ${JSON.stringify(first)}`,
      undefined,
      { timeout: 3000 },
    );
    assert.equal(await page.getAttribute('html', 'dir'), language === 'ar' ? 'rtl' : 'ltr');
    await page.screenshot({ path: join(ARTIFACTS, `live-queue-waiting-${language}.png`), fullPage: true });
    assert.deepEqual(await seriousViolations(page), [], 'axe-core: the live queue');

    const wentOnline = Date.now();
    await asAgent('PUT', '/api/me/availability', { availability: 'online' });
    await page.waitForFunction(
      `document.querySelector('li[data-agent-id="${agentId}"]')?.getAttribute('data-availability') === 'online'`,
      undefined,
      { timeout: PUSHED_WITHIN_MS },
    );
    const online = Date.now() - wentOnline;
    assert.match((await agentRow.textContent()) ?? '', new RegExp(ONLINE[language]));
    // Going online took the waiting ticket: it leaves the queue.
    await row.waitFor({ state: 'detached', timeout: PUSHED_WITHIN_MS });
    assert.equal(await page.evaluate('window.marker'), true, 'no reload');
    await page.screenshot({ path: join(ARTIFACTS, `live-queue-online-${language}.png`), fullPage: true });

    // The audit log beside it: the agent's sign-in, with who and when in the page's language.
    await page.click('[data-testid=admin-menu]');
    await page.click('button[data-admin-page=audit]');
    const signInRow = page.locator('.audit-table tr[data-action="auth.sign_in"]', { hasText: 'عمر' }).first();
    await signInRow.waitFor();
    assert.match((await signInRow.textContent()) ?? '', new RegExp(AUDIT_SIGNED_IN[language]));
    await page.screenshot({ path: join(ARTIFACTS, `audit-log-${language}.png`), fullPage: true });
    assert.deepEqual(await seriousViolations(page), [], 'axe-core: the audit log');
    return { appeared, online, page };
  }

  it('in Arabic: a customer who writes appears waiting, and an agent going online shows', async (t) => {
    const { appeared, online, page } = await scenario('ar');
    t.diagnostic(`ticket shown ${appeared} ms after the webhook, agent online ${online} ms after the call`);
    await page.context().close();
  });

  it('in English: the same', async (t) => {
    const { appeared, online, page } = await scenario('en');
    t.diagnostic(`ticket shown ${appeared} ms after the webhook, agent online ${online} ms after the call`);
    await page.context().close();
  });
});
