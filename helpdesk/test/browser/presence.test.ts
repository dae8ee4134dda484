/**
 * Presence told by a real browser: an agent who chooses "online" in the console and then closes
 * it (the browser context goes, and with it the event stream) becomes away by itself once
 * AGENT_PRESENCE_GRACE_MS has passed, and the next customer goes to a colleague whose console
 * stays open; signing in again does not make them online, only choosing it does. In headless
 * Chromium, one agent in Arabic and one in English; screenshots go to test-artifacts/.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { presenceRefreshMs, presenceSweepMs } from '../../src/domain/presence';
import { addAgent } from '../../src/use-cases/agents/create-agent';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import {
  apiAs,
  ARTIFACTS,
  consoleContext,
  launchChromium,
  prepareConsole,
  signIn,
  skipWithoutChromium,
} from './shell-support';

const GRACE_MS = 2000;
const MONA = { name: 'منى', email: 'mona.presence@pharmacy.test', password: 'mona-password-123' };
const SALMA = { name: 'Salma', email: 'salma.presence@pharmacy.test', password: 'salma-password-123' };
const FIRST = { name: 'أحمد', phone: '+201002220001' };
const SECOND = { name: 'بسمة', phone: '+201002220002' };

describe('presence in headless Chromium', { skip: skipWithoutChromium, timeout: 120_000 }, () => {
  let helpdesk: TestHelpdesk;
  let browser: Browser;
  let salmaContext: BrowserContext;
  let salmaPage: Page;

  before(async () => {
    await prepareConsole();
    helpdesk = await startTestHelpdesk({ env: { AGENT_PRESENCE_GRACE_MS: String(GRACE_MS) } });
    for (const agent of [MONA, SALMA]) await addAgent(helpdesk.context.db, { ...agent, capacity: 5 });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await helpdesk?.stop();
  });

  /** Signs in and chooses "online" in the top bar; resolves once the event stream is live. */
  async function goOnline(context: BrowserContext, email: string, password: string): Promise<Page> {
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, helpdesk.url, email, password);
    await page.locator('.stream.live').waitFor();
    await page.selectOption('select[name=availability]', 'online');
    await waitFor(
      async () => (await availabilityOf(email)) === 'online',
      5000,
      `${email} online after choosing it`,
    );
    // The top bar shows the stored value once the server has answered (a busy machine may lag).
    await waitFor(
      async () => (await page.inputValue('select[name=availability]')) === 'online',
      5000,
      `${email}'s top bar showing online`,
    );
    return page;
  }

  async function availabilityOf(email: string): Promise<string> {
    const agent = await helpdesk.context.db.agent.findUniqueOrThrow({ where: { email } });
    return agent.availability;
  }

  /** What a colleague sees of an agent in `GET /api/agents`. */
  async function directoryAvailability(name: string): Promise<string | undefined> {
    const api = await apiAs(helpdesk.url, SALMA.email, SALMA.password);
    const { items } = (await api('GET', '/api/agents')) as {
      items: Array<{ name: string; availability: string }>;
    };
    return items.find((agent) => agent.name === name)?.availability;
  }

  async function customerWrites(customer: { name: string; phone: string }, text: string): Promise<void> {
    const posted = await helpdesk.postWppconnect(textEvent(customer.phone, text, { name: customer.name }));
    assert.equal(posted.status, 202);
  }

  async function assigneeOf(phone: string): Promise<string> {
    const ticket = await waitFor(
      () =>
        helpdesk.context.db.ticket.findFirst({
          where: { customer: { phone }, assigneeId: { not: null } },
          include: { assignee: true },
        }),
      10_000,
      `the ticket of ${phone} assigned`,
    );
    return ticket.assignee!.email;
  }

  it('when an online agent closes the console, then after the grace period they are away and the next customer goes to the colleague whose console is open', async (t) => {
    salmaContext = await consoleContext(browser, 'en');
    salmaPage = await goOnline(salmaContext, SALMA.email, SALMA.password);
    // Salma already holds a ticket: were Mona still there, the next one would be Mona's (fewest open).
    await customerWrites(FIRST, 'السلام عليكم، عندي استفسار عن دواء');
    assert.equal(await assigneeOf(FIRST.phone), SALMA.email);

    const monaContext = await consoleContext(browser, 'ar');
    const monaPage = await goOnline(monaContext, MONA.email, MONA.password);
    assert.equal(await monaPage.inputValue('select[name=availability]'), 'online');
    await monaPage.screenshot({ path: join(ARTIFACTS, 'presence-online-ar.png') });
    // Several grace periods with the console open: still online.
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS * 2));
    assert.equal(await availabilityOf(MONA.email), 'online', 'an open console keeps Mona online');
    assert.equal(await directoryAvailability(MONA.name), 'online');

    await monaContext.close();
    const closedAt = Date.now();
    await waitFor(
      async () => (await availabilityOf(MONA.email)) === 'away',
      GRACE_MS + presenceSweepMs(GRACE_MS) + 5000,
      'Mona away after the grace period',
    );
    const elapsed = Date.now() - closedAt;
    t.diagnostic(`away ${elapsed} ms after the console closed (grace ${GRACE_MS} ms)`);
    // Counted from the console's last heartbeat, at most one refresh before it closed.
    assert.ok(
      elapsed >= GRACE_MS - presenceRefreshMs(GRACE_MS),
      `not before the grace period (${elapsed} ms)`,
    );
    assert.equal(await directoryAvailability(MONA.name), 'away', 'colleagues see Mona away');
    assert.equal(await availabilityOf(SALMA.email), 'online', "Salma's open console keeps her online");

    await customerWrites(SECOND, 'هل الطلب جاهز؟');
    assert.equal(await assigneeOf(SECOND.phone), SALMA.email, 'the new ticket goes to Salma, not to Mona');
    await salmaPage.locator('.ticket-list .ticket-item', { hasText: SECOND.name }).waitFor();
    await salmaPage.screenshot({ path: join(ARTIFACTS, 'presence-colleague-en.png') });
    const monaTickets = await helpdesk.context.db.ticket.count({
      where: { assignee: { email: MONA.email } },
    });
    assert.equal(monaTickets, 0, 'Mona received no ticket');
  });

  it('when the away agent opens the console again, then they stay away until they choose online', async () => {
    const context = await consoleContext(browser, 'ar');
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, helpdesk.url, MONA.email, MONA.password);
    await page.locator('.stream.live').waitFor();
    // The top bar shows the stored value once the server has answered (before it, the console's
    // own default): read once, a busy machine saw 'offline' (a CI run of 2026-11-30, morning).
    await waitFor(
      async () => (await page.inputValue('select[name=availability]')) === 'away',
      5000,
      'the console shows away',
    );
    await page.screenshot({ path: join(ARTIFACTS, 'presence-away-ar.png') });
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS));
    assert.equal(
      await availabilityOf(MONA.email),
      'away',
      'opening the console alone does not make Mona online',
    );

    await page.selectOption('select[name=availability]', 'online');
    await waitFor(async () => (await availabilityOf(MONA.email)) === 'online', 5000, 'Mona online by choice');
    await new Promise((resolve) => setTimeout(resolve, GRACE_MS * 2));
    assert.equal(await availabilityOf(MONA.email), 'online', 'online by choice, with the console open');
    await context.close();
    await salmaContext.close();
  });
});
