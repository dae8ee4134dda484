/**
 * The console's shell in headless Chromium: the open ticket survives a reload and an expired
 * session (the sign-in page says why), keyboard shortcuts, search everywhere with a hit the agent
 * may not open, a refused ticket explained in Arabic, the availability notice, saved alert settings,
 * and the admin's "All" view and menu. Screenshots go to test-artifacts/.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addAgent } from '../../src/use-cases/agents/create-agent';
import { setAvailability } from '../../src/use-cases/agents/set-availability';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import {
  ARTIFACTS,
  consoleContext,
  launchChromium,
  prepareConsole,
  signIn,
  skipWithoutChromium,
} from './shell-support';

const MONA = { email: 'mona@pharmacy.test', password: 'mona-password-123' };
const OMAR = { email: 'omar@pharmacy.test', password: 'omar-password-123' };
const ADMIN = { email: 'admin@pharmacy.test', password: 'admin-password-123' };
const AHMED = { name: 'أحمد', phone: '+201003330001', text: 'السلام عليكم، أريد إعادة صرف الروشتة' };
const BASMA = { name: 'بسمة', phone: '+201003330002', text: 'هل يتوفر دواء الضغط في فرع المعادي؟' };
const KARIM = { name: 'كريم', phone: '+201003330003', text: 'متى يصل طلبي؟' };

describe('console shell in headless Chromium', { skip: skipWithoutChromium, timeout: 120_000 }, () => {
  let helpdesk: TestHelpdesk;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const ticketOf: Record<string, string> = {};

  async function customerWrites(customer: typeof AHMED, agentEmail: string): Promise<void> {
    assert.equal(
      (await helpdesk.postWppconnect(textEvent(customer.phone, customer.text, { name: customer.name })))
        .status,
      202,
    );
    const ticket = await waitFor(
      () =>
        helpdesk.context.db.ticket.findFirst({
          where: { customer: { phone: customer.phone }, assignee: { email: agentEmail } },
        }),
      10_000,
      `${customer.name}'s ticket assigned to ${agentEmail}`,
    );
    ticketOf[customer.name] = ticket.id;
  }

  before(async () => {
    await prepareConsole();
    helpdesk = await startTestHelpdesk();
    const db = helpdesk.context.db;
    await addAgent(db, { name: 'منى', ...MONA, capacity: 2 });
    await addAgent(db, { name: 'Omar', ...OMAR, capacity: 5 });
    await addAgent(db, { name: 'Admin', ...ADMIN, capacity: 0, role: 'admin' });
    await setAvailability(helpdesk.context.pool, MONA.email, 'online');
    await customerWrites(AHMED, MONA.email);
    await customerWrites(BASMA, MONA.email);
    // Mona is full (capacity 2): Karim's ticket goes to Omar.
    await setAvailability(helpdesk.context.pool, OMAR.email, 'online');
    await customerWrites(KARIM, OMAR.email);
    browser = await launchChromium();
    context = await consoleContext(browser, 'ar');
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  });

  after(async () => {
    await browser?.close();
    await helpdesk?.stop();
  });

  const threadOf = (name: string) => page.locator('.thread', { hasText: name });

  it('when the agent reloads, or signs in again after the session expired, then the same ticket is open', async () => {
    await signIn(page, helpdesk.url, MONA.email, MONA.password);
    await page.locator(`.ticket-item[data-ticket-id="${ticketOf[AHMED.name]}"]`).click();
    await threadOf(AHMED.name).waitFor();
    assert.ok(page.url().endsWith(`#ticket=${ticketOf[AHMED.name]}`), page.url());

    await page.reload();
    await threadOf(AHMED.name).waitFor();

    await helpdesk.context.db.agentSession.updateMany({ data: { expiresAt: new Date(Date.now() - 1000) } });
    // The next reload of the list (here: after a customer's message) finds the session gone.
    await helpdesk.postWppconnect(textEvent(AHMED.phone, 'هل من جديد؟', { name: AHMED.name }));
    const notice = page.locator('[data-notice=session-ended]');
    await notice.waitFor();
    assert.match((await notice.textContent()) ?? '', /انتهت جلستك/);
    await page.screenshot({ path: join(ARTIFACTS, 'shell-session-ended-ar.png') });

    await page.fill('input[name=email]', MONA.email);
    await page.fill('input[name=password]', MONA.password);
    await page.click('form.login-card button[type=submit]');
    await threadOf(AHMED.name).waitFor();
    assert.ok(page.url().endsWith(`#ticket=${ticketOf[AHMED.name]}`), 'still in the address');
  });

  it('when the agent uses the keyboard, then j/k move between tickets, / searches, ? helps, r replies and e resolves', async () => {
    await page.locator('.ticket-list .ticket-item').nth(1).waitFor();
    const order = await page.evaluate(
      `[...document.querySelectorAll('.ticket-list .ticket-item')].map((item) => item.getAttribute('data-ticket-id'))`,
    );
    const ids = order as string[];
    const at = () => page.url().replace(/^.*#ticket=/, '');
    await page.locator('.thread .timeline').click({ position: { x: 5, y: 5 } });
    const start = ids.indexOf(at());
    assert.ok(start >= 0);
    await page.keyboard.press('j');
    await page.waitForFunction(`location.hash === '#ticket=${ids[Math.min(start + 1, ids.length - 1)]}'`);
    await page.keyboard.press('k');
    await page.waitForFunction(`location.hash === '#ticket=${ids[start]}'`);

    await page.keyboard.press('/');
    // The console focuses the search box on the next frame (it may first leave an admin page).
    await page.waitForFunction("document.activeElement?.name === 'search'", undefined, { timeout: 2000 });
    await page.keyboard.type('j');
    assert.equal(at(), ids[start], 'typing in the search box moves nothing');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Escape');
    assert.notEqual(await page.evaluate('document.activeElement.name'), 'search', 'Escape leaves the field');

    await page.keyboard.press('?');
    const help = page.locator('[role=dialog]', { hasText: 'اختصارات لوحة المفاتيح' });
    await help.waitFor();
    await page.screenshot({ path: join(ARTIFACTS, 'shell-shortcuts-ar.png') });
    await page.keyboard.press('Escape');
    await help.waitFor({ state: 'detached' });

    await page.keyboard.press('r');
    assert.equal(await page.evaluate('document.activeElement.getAttribute("data-composer")'), 'reply');
    await page.keyboard.press('Escape');

    const openId = at();
    await page.keyboard.press('e');
    await waitFor(
      async () =>
        (await helpdesk.context.db.ticket.findUnique({ where: { id: openId } }))?.status === 'resolved',
      10_000,
      'the ticket resolved by "e"',
    );
  });

  it("when the agent searches, then hits of every status show where they matched, and another agent's ticket says why it cannot open", async () => {
    const search = page.locator('input[type=search][name=search]');
    await search.fill(KARIM.name);
    const refused = page.locator('.search-hits .ticket-item', { hasText: KARIM.name });
    await refused.waitFor();
    assert.match((await refused.textContent()) ?? '', /تذكرة موظف آخر/);
    assert.equal(await refused.locator('button').count(), 0);
    assert.ok(
      await page.locator('.search-hits div.ticket-item.not-openable', { hasText: KARIM.name }).isVisible(),
      'shown, not a button',
    );

    await search.fill('فرع المعادي');
    const hit = page.locator('.search-hits button.ticket-item', { hasText: BASMA.name });
    await hit.waitFor();
    assert.match((await hit.textContent()) ?? '', /نص رسالة/);
    await page.screenshot({ path: join(ARTIFACTS, 'shell-search-ar.png') });
    await hit.click();
    await threadOf(BASMA.name).waitFor();
    await search.fill('');
  });

  it('when the agent opens a ticket they may not read, then the reason shows in Arabic', async () => {
    await page.evaluate(`location.hash = 'ticket=${ticketOf[KARIM.name]}'`);
    const empty = page.locator('.thread-pane .empty[role=alert]');
    await empty.waitFor();
    const words = (await empty.textContent()) ?? '';
    assert.match(words, /صلاحية/);
    assert.doesNotMatch(words, /[A-Za-z]/, `no English: ${words}`);
  });

  it('when the server set the agent away, then the console says why; alert settings are kept', async () => {
    const mona = await helpdesk.context.db.agent.findFirstOrThrow({ where: { email: MONA.email } });
    await helpdesk.context.realtime.publish({
      type: 'agent.availability',
      ticketId: null,
      ticketNumber: null,
      data: { agentId: mona.id, availability: 'away', reason: 'no_console' },
      audience: { agentIds: [mona.id], everyone: false },
    });
    const notice = page.locator('[data-notice=away]');
    await notice.waitFor();
    assert.match((await notice.textContent()) ?? '', /بعيد/);
    await notice.locator('button.link').click();
    await notice.waitFor({ state: 'detached' });

    await page.click('[data-testid=settings-menu]');
    const sound = page.locator('input[name=sound]');
    assert.equal(await sound.isChecked(), true, 'sound on by default');
    await sound.uncheck();
    await page.reload();
    await page.click('[data-testid=settings-menu]');
    assert.equal(await page.locator('input[name=sound]').isChecked(), false, 'the choice is kept');
    await page.keyboard.press('Escape');
  });

  it('when the network drops, then the live indicator says updates stopped, and live again when it is back', async () => {
    await page.locator('.stream.live').waitFor();
    await context.setOffline(true);
    const down = page.locator('.stream.down');
    await down.waitFor();
    assert.match((await down.textContent()) ?? '', /التحديثات المباشرة متوقفة/);
    await page.screenshot({ path: join(ARTIFACTS, 'shell-stream-down-ar.png') });
    await context.setOffline(false);
    await page.locator('.stream.live').waitFor({ timeout: 15_000 });
  });

  it('when an admin looks at All tickets, then each shows its assignee (and a failed last reply), and the admin menu opens Labels', async () => {
    // Karim's last message is the bot's answer; WhatsApp refused it.
    const last = await helpdesk.context.db.message.findFirstOrThrow({
      where: { ticketId: ticketOf[KARIM.name] },
      orderBy: { createdAt: 'desc' },
    });
    assert.equal(last.direction, 'outbound', 'the bot answered Karim last');
    await helpdesk.context.db.message.update({ where: { id: last.id }, data: { deliveryStatus: 'failed' } });
    const admin = await consoleContext(browser, 'en');
    const adminPage = await admin.newPage();
    adminPage.setDefaultTimeout(10_000);
    await signIn(adminPage, helpdesk.url, ADMIN.email, ADMIN.password);
    await adminPage.locator('.tab[data-view=all]').click();
    await adminPage
      .locator('.ticket-item', { hasText: KARIM.name })
      .locator('.assignee', { hasText: 'Omar' })
      .waitFor();
    await adminPage
      .locator('.ticket-item', { hasText: KARIM.name })
      .locator('.failed-mark', { hasText: 'Failed' })
      .waitFor();
    // Mona's ticket still open (the other was resolved with "e").
    await adminPage.locator('.ticket-item .assignee', { hasText: 'منى' }).first().waitFor();
    await adminPage.screenshot({ path: join(ARTIFACTS, 'shell-all-en.png') });

    await adminPage.click('[data-testid=admin-menu]');
    await adminPage.click('[data-admin-page=labels]');
    await adminPage.locator('.admin-page h2', { hasText: 'Labels' }).waitFor();
    await adminPage.locator('.admin-page button', { hasText: 'Close' }).first().click();
    await adminPage.locator('.inbox').waitFor();
    await admin.close();
  });
});
