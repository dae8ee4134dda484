/**
 * Accessibility of the console, checked by axe-core in headless Chromium: the sign-in page, the
 * inbox, an open ticket and the shortcuts sheet, in Arabic and in English, have no serious or
 * critical violations (contrast, names of controls and inputs, headings, ARIA use). Screenshots go
 * to test-artifacts/.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { addAgent } from '../../src/use-cases/agents/create-agent';
import { textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import {
  apiAs,
  ARTIFACTS,
  consoleContext,
  signIn,
  skipWithoutChromium,
  startConsoleFixture,
  type ConsoleFixture,
  type ConsoleLanguage,
} from './shell-support';

const AXE_SOURCE = (createRequire(import.meta.url)('axe-core') as { source: string }).source;
const EMAIL = 'sara@pharmacy.test';
const PASSWORD = 'sara-password-123';

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

/** Runs axe on the page as it is; returns its violations (every impact). */
async function violationsOf(page: Page): Promise<Violation[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"')))
    await page.addScriptTag({ content: AXE_SOURCE });
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations.map((violation) => ({
      id: violation.id,
      impact: violation.impact,
      help: violation.help,
      nodes: violation.nodes.slice(0, 5).map((node) => node.target.join(' ') + ' :: ' + node.failureSummary),
    })),
  )`)) as Violation[];
  return violations;
}

function isSerious(violation: Violation): boolean {
  return violation.impact === 'serious' || violation.impact === 'critical';
}

describe('console accessibility (axe-core)', { skip: skipWithoutChromium, timeout: 120_000 }, () => {
  let fixture: ConsoleFixture;
  let helpdesk: TestHelpdesk;
  let browser: Browser;

  before(async () => {
    fixture = await startConsoleFixture({
      agent: { name: 'سارة', email: EMAIL, password: PASSWORD, capacity: 5 },
    });
    ({ helpdesk, browser } = fixture);
    for (const [phone, name, text] of [
      ['+201002220001', 'خالد', 'أريد معرفة موعد التوصيل'],
      ['+201002220002', 'Laila', 'Do you have this medicine in stock?'],
    ] as const) {
      assert.equal((await helpdesk.postWppconnect(textEvent(phone, text, { name }))).status, 202);
    }
    await waitFor(
      async () => (await helpdesk.context.db.ticket.count({ where: { assignee: { email: EMAIL } } })) === 2,
      10_000,
      'both tickets assigned to Sara',
    );
    // Labels on a ticket: coloured chips in the inbox (their words must stay readable).
    await addAgent(helpdesk.context.db, {
      name: 'Admin',
      email: 'admin@pharmacy.test',
      password: 'admin-password-123',
      capacity: 0,
      role: 'admin',
    });
    const admin = await apiAs(helpdesk.url, 'admin@pharmacy.test', 'admin-password-123');
    const labelIds: string[] = [];
    for (const [name, color] of [
      ['VIP', '#f4c430'],
      ['مرتجع', '#1f4e99'],
    ])
      labelIds.push(((await admin('POST', '/api/labels', { name, color })) as { id: string }).id);
    const ticket = await helpdesk.context.db.ticket.findFirstOrThrow({
      where: { assignee: { email: EMAIL } },
    });
    await admin('PUT', `/api/tickets/${ticket.id}/labels`, { labelIds });
  });

  after(async () => {
    await fixture?.stop();
  });

  for (const language of ['ar', 'en'] as const satisfies ConsoleLanguage[]) {
    it(`in ${language === 'ar' ? 'Arabic' : 'English'}: sign-in, inbox, ticket and shortcuts have no serious violations`, async (t) => {
      const context = await consoleContext(browser, language);
      const page = await context.newPage();
      page.setDefaultTimeout(10_000);
      const found: Record<string, Violation[]> = {};

      await page.goto(helpdesk.url);
      await page.locator('input[name=email]').waitFor();
      found.login = await violationsOf(page);
      await page.screenshot({ path: join(ARTIFACTS, `a11y-login-${language}.png`) });

      await signIn(page, helpdesk.url, EMAIL, PASSWORD);
      await page.locator('.ticket-list .ticket-item').nth(1).waitFor();
      await page.locator('.stream.live').waitFor();
      assert.equal(await page.locator('h1').count(), 1, 'one page heading');
      found.inbox = await violationsOf(page);

      await page.locator('.ticket-list .ticket-item').first().click();
      await page.locator('.thread').waitFor();
      await page.locator('.timeline .message').first().waitFor();
      found.thread = await violationsOf(page);
      await page.screenshot({ path: join(ARTIFACTS, `a11y-thread-${language}.png`) });

      await page.locator('body').click({ position: { x: 5, y: 300 } });
      await page.keyboard.press('?');
      await page
        .locator('[role=dialog]', { hasText: language === 'ar' ? 'اختصارات' : 'shortcuts' })
        .waitFor();
      found.shortcuts = await violationsOf(page);
      await page.keyboard.press('Escape');

      await context.close();
      for (const [where, violations] of Object.entries(found))
        for (const violation of violations.filter((entry) => !isSerious(entry)))
          t.diagnostic(`${where}: ${violation.impact} ${violation.id} (${violation.help})`);
      const failures = Object.entries(found)
        .map(([where, violations]) => [where, violations.filter(isSerious)] as const)
        .filter(([, violations]) => violations.length > 0);
      assert.deepEqual(failures, [], JSON.stringify(failures, null, 2));
    });
  }

  it('when the agent moves with Tab only, then every control of the bar and the inbox is reached and shows a focus ring', async () => {
    const context = await consoleContext(browser, 'ar');
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, helpdesk.url, EMAIL, PASSWORD);
    await page.locator('.ticket-list .ticket-item').nth(1).waitFor();
    const reached = new Set<string>();
    const withoutRing: string[] = [];
    for (let step = 0; step < 40; step += 1) {
      await page.keyboard.press('Tab');
      const focused = (await page.evaluate(`(() => {
        const element = document.activeElement;
        if (!element || element === document.body) return null;
        const name = element.getAttribute('data-testid') || element.getAttribute('name') ||
          (element.classList.contains('ticket-item') ? 'ticket-item' : element.classList.contains('tab') ? 'tab' : element.tagName.toLowerCase());
        const style = getComputedStyle(element);
        const inShell = Boolean(element.closest('.topbar, .inbox, .notices'));
        return { name, ring: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2, inShell };
      })()`)) as { name: string; ring: boolean; inShell: boolean } | null;
      if (!focused) continue;
      reached.add(focused.name);
      if (focused.inShell && !focused.ring) withoutRing.push(focused.name);
    }
    for (const name of [
      'language',
      'availability',
      'settings-menu',
      'admin-menu',
      'tab',
      'search',
      'status',
      'ticket-item',
    ])
      assert.ok(reached.has(name), `Tab reaches ${name}: ${[...reached].join(', ')}`);
    assert.deepEqual(withoutRing, [], 'a visible focus ring on each');
    await context.close();
  });
});
