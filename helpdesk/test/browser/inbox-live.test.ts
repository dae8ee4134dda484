/**
 * The inbox keeps up by itself ("nobody missed"), in headless Chromium: with two tickets, a new
 * customer message on the older one moves it to the top with an unread badge, the tab's title
 * counts it and a desktop notification is shown while the tab is hidden, without a reload (pushed:
 * nothing polls the inbox; how fast is `npm run bench:scale`'s stream_p99_ms). On a phone (390×844) the inbox and the ticket are separate screens with a way back.
 * Both in Arabic (Arabic-Indic digits) and in English. Screenshots go to test-artifacts/.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import {
  ARTIFACTS,
  PUSHED_WITHIN_MS,
  consoleContext,
  signIn,
  skipWithoutChromium,
  startConsoleFixture,
  type ConsoleFixture,
  type ConsoleLanguage,
} from './shell-support';

const EMAIL = 'mona@pharmacy.test';
const PASSWORD = 'mona-password-123';
const AHMED = { name: 'أحمد', phone: '+201001110001' };
const BASMA = { name: 'بسمة', phone: '+201001110002' };
const LAILA = { name: 'ليلى', phone: '+201001110003' };
const APP_NAME: Record<ConsoleLanguage, string> = { ar: 'مكتب مساعدة واتساب', en: 'WhatsApp helpdesk' };
const NEW_MESSAGE: Record<ConsoleLanguage, (name: string) => string> = {
  ar: (name) => `رسالة جديدة من ${name}`,
  en: (name) => `New message from ${name}`,
};

function unreadInTitle(title: string): number {
  return Number(/^\((\d+)\) /.exec(title)?.[1] ?? 0);
}

describe('inbox live in headless Chromium', { skip: skipWithoutChromium, timeout: 120_000 }, () => {
  let fixture: ConsoleFixture;
  let helpdesk: TestHelpdesk;
  let browser: Browser;

  before(async () => {
    fixture = await startConsoleFixture({
      agent: { name: 'منى', email: EMAIL, password: PASSWORD, capacity: 5 },
    });
    ({ helpdesk, browser } = fixture);
    // Ahmed writes first, Basma after: Basma's ticket is the newer activity.
    for (const [index, customer] of [AHMED, BASMA].entries()) {
      const text = index === 0 ? 'السلام عليكم، عندي استفسار عن دواء' : 'هل الطلب جاهز؟';
      assert.equal(
        (await helpdesk.postWppconnect(textEvent(customer.phone, text, { name: customer.name }))).status,
        202,
      );
      await waitFor(
        async () =>
          (await helpdesk.context.db.ticket.count({ where: { assignee: { email: EMAIL } } })) === index + 1,
        10_000,
        `${customer.name}'s ticket assigned to Mona`,
      );
    }
  });

  after(async () => {
    await fixture?.stop();
  });

  /**
   * Signs in with a hidden tab, has `older` write again and checks the inbox, title and
   * notification; then the phone layout.
   */
  async function scenario(
    language: ConsoleLanguage,
    older: { name: string; phone: string },
    newer: { name: string; phone: string },
    text: string,
  ): Promise<{ elapsed: number; page: Page }> {
    const context = await consoleContext(browser, language, { hiddenTab: true });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, helpdesk.url, EMAIL, PASSWORD);
    assert.equal(await page.getAttribute('html', 'lang'), language);

    const items = page.locator('.ticket-list .ticket-item');
    await items.nth(1).waitFor();
    assert.match((await items.first().textContent()) ?? '', new RegExp(newer.name), 'newest activity on top');
    await page.locator('.stream.live').waitFor();
    await page.waitForFunction(`document.title.startsWith('(')`);
    const before = unreadInTitle(await page.title());
    assert.ok(before > 0, `the title counts unread messages: ${await page.title()}`);
    await page.screenshot({ path: join(ARTIFACTS, `inbox-live-before-${language}.png`) });
    await page.evaluate('window.marker = true');

    const posted = Date.now();
    assert.equal(
      (await helpdesk.postWppconnect(textEvent(older.phone, text, { name: older.name }))).status,
      202,
    );
    const top = page.locator('.ticket-list .ticket-item').first();
    await page.waitForFunction(
      `(() => {
        const first = document.querySelector('.ticket-list .ticket-item');
        return Boolean(first && first.textContent.includes(${JSON.stringify(older.name)}) && first.querySelector('.unread'));
      })()`,
      undefined,
      { timeout: PUSHED_WITHIN_MS },
    );
    await page.waitForFunction(
      `document.title === ${JSON.stringify(`(${before + 1}) ${APP_NAME[language]}`)}`,
      undefined,
      { timeout: PUSHED_WITHIN_MS },
    );
    await page.waitForFunction('window.notifications.length > 0', undefined, { timeout: PUSHED_WITHIN_MS });
    const elapsed = Date.now() - posted;

    assert.equal(await page.evaluate('window.marker'), true, 'no reload');
    const badge = (await top.locator('.unread').textContent()) ?? '';
    assert.equal(await top.locator('.unread').getAttribute('data-unread'), '2', 'two unread messages');
    if (language === 'ar') assert.match(badge, /^٢/, `Arabic-Indic digits in the badge: ${badge}`);
    else assert.match(badge, /^2/);
    assert.ok(await top.locator('.preview').isVisible(), 'the last message shows');
    assert.ok(await top.locator('.waited').isVisible(), 'how long the customer waits shows');

    const notifications = (await page.evaluate('window.notifications')) as Array<{
      title: string;
      body: string;
    }>;
    assert.equal(notifications.length, 1, JSON.stringify(notifications));
    assert.equal(notifications[0]!.title, NEW_MESSAGE[language](older.name));
    assert.equal(notifications[0]!.body, text);
    await page.screenshot({ path: join(ARTIFACTS, `inbox-live-after-${language}.png`) });
    return { elapsed, page };
  }

  /** At 390×844: the list alone, then the ticket alone with a way back; nothing wider than the screen. */
  async function phone(page: Page, language: ConsoleLanguage): Promise<void> {
    await page.setViewportSize({ width: 390, height: 844 });
    const inbox = page.locator('.inbox');
    const pane = page.locator('.thread-pane');
    assert.ok(await inbox.isVisible(), 'the inbox shows');
    assert.ok(await pane.isHidden(), 'the thread pane does not show beside it');
    await assertFitsWidth(page, 'inbox');
    await page.click('[data-testid=settings-menu]');
    await page.locator('.menu-panel').waitFor();
    await assertFitsWidth(page, 'settings menu');
    await page.screenshot({ path: join(ARTIFACTS, `phone-settings-${language}.png`) });
    await page.keyboard.press('Escape');
    await page.screenshot({ path: join(ARTIFACTS, `phone-inbox-${language}.png`) });

    await page.locator('.ticket-list .ticket-item').first().click();
    await page.locator('.thread').waitFor();
    assert.ok(await inbox.isHidden(), 'the inbox gives way to the ticket');
    assert.ok(await page.locator('button.back').isVisible(), 'a back button');
    assert.equal(
      await page.evaluate(`document.activeElement.classList.contains('back')`),
      true,
      'focus follows',
    );
    assert.match(page.url(), /#ticket=[0-9a-f-]{36}$/, 'the ticket is in the address');
    await assertFitsWidth(page, 'thread');
    await page.screenshot({ path: join(ARTIFACTS, `phone-thread-${language}.png`) });

    await page.locator('button.back').click();
    await inbox.waitFor();
    assert.ok(await pane.isHidden(), 'back to the list alone');
    assert.ok(
      await page.evaluate(`document.activeElement.hasAttribute('data-ticket-id')`),
      'focus returns to the ticket in the list',
    );
    assert.doesNotMatch(page.url(), /#ticket=/);
    await page.setViewportSize({ width: 1366, height: 768 });
    assert.ok((await inbox.isVisible()) && (await pane.isVisible()), 'side by side on a desktop');
  }

  async function assertFitsWidth(page: Page, what: string): Promise<void> {
    const overflow = (await page.evaluate(`(() => {
      const width = document.documentElement.clientWidth;
      const wide = [];
      if (document.documentElement.scrollWidth > width) wide.push('page ' + document.documentElement.scrollWidth);
      for (const element of document.querySelectorAll('.topbar *, .inbox *, .thread-pane *')) {
        if (element.closest('.visually-hidden')) continue;
        const box = element.getBoundingClientRect();
        if (box.width < 2 || box.height < 2) continue;
        const style = getComputedStyle(element);
        if (style.visibility === 'hidden' || style.position === 'fixed') continue;
        if (box.left < -1 || box.right > width + 1)
          wide.push(element.tagName.toLowerCase() + '.' + String(element.className).replace(/ /g, '.') + ' ' + Math.round(box.left) + '..' + Math.round(box.right));
      }
      return wide.slice(0, 10);
    })()`)) as string[];
    assert.deepEqual(overflow, [], `${what}: elements cut off at 390 px`);
  }

  it('in Arabic: a new message on the older ticket moves it up with a badge, the title and a notification', async (t) => {
    const { elapsed, page } = await scenario('ar', AHMED, BASMA, 'أرجو الرد بسرعة من فضلك');
    t.diagnostic(`inbox, title and notification ${elapsed} ms after the webhook`);
    await phone(page, 'ar');
    await page.context().close();
  });

  it('in English: the same for the other ticket, now the older one', async (t) => {
    const { elapsed, page } = await scenario('en', BASMA, AHMED, 'Is my order ready yet?');
    t.diagnostic(`inbox, title and notification ${elapsed} ms after the webhook`);
    await phone(page, 'en');
    await page.context().close();
  });

  it('when a new customer is assigned to the agent, or a snooze ends, while the tab is hidden, then a desktop notification says so', async () => {
    const context = await consoleContext(browser, 'ar', { hiddenTab: true });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, helpdesk.url, EMAIL, PASSWORD);
    await page.locator('.stream.live').waitFor();
    assert.equal(
      (await helpdesk.postWppconnect(textEvent(LAILA.phone, 'مساء الخير', { name: LAILA.name }))).status,
      202,
    );
    await page.locator('.ticket-list .ticket-item', { hasText: LAILA.name }).waitFor();
    await page.waitForFunction(
      `window.notifications.some((notification) => notification.title === 'تذكرة جديدة أُسندت إليك')`,
    );

    // A snoozed ticket of hers comes back by itself (what the snooze worker publishes).
    const ticket = await helpdesk.context.db.ticket.findFirstOrThrow({
      where: { customer: { phone: AHMED.phone } },
      include: { assignee: true },
    });
    await helpdesk.context.realtime.publish({
      type: 'ticket.status',
      ticketId: ticket.id,
      ticketNumber: ticket.number,
      data: { status: 'open', previousStatus: 'pending', reason: 'snooze_ended' },
      audience: { agentIds: [ticket.assigneeId!], everyone: false },
    });
    await page.waitForFunction(
      `window.notifications.some((notification) => notification.title === 'انتهى تأجيل التذكرة #${ticket.number} وعادت مفتوحة')`,
    );
    await context.close();
  });

  it('when the agent opens a ticket with the tab in view, then it is read: its badge goes and the title counts less', async () => {
    const context = await consoleContext(browser, 'en');
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await signIn(page, helpdesk.url, EMAIL, PASSWORD);
    const item = page.locator('.ticket-list .ticket-item', { hasText: AHMED.name });
    await item.locator('.unread').waitFor();
    await page.waitForFunction(`document.title.startsWith('(')`);
    const before = unreadInTitle(await page.title());
    const unread = Number(await item.locator('.unread').getAttribute('data-unread'));
    await item.click();
    await item.locator('.unread').waitFor({ state: 'detached' });
    await page.waitForFunction(
      `document.title === ${JSON.stringify(before - unread > 0 ? `(${before - unread}) ${APP_NAME.en}` : APP_NAME.en)}`,
    );

    // A new message on the open ticket is read at once: no badge comes back.
    await page.locator('.stream.live').waitFor();
    const lastAt = await item.locator('time').getAttribute('datetime');
    await helpdesk.postWppconnect(textEvent(AHMED.phone, 'Thank you!', { name: AHMED.name }));
    await page.locator('.thread .message', { hasText: 'Thank you!' }).waitFor();
    const message = await helpdesk.context.db.message.findFirstOrThrow({ where: { text: 'Thank you!' } });
    await waitFor(
      async () => {
        const read = await helpdesk.context.db.ticketRead.findFirst({
          where: { ticketId: message.ticketId, agent: { email: EMAIL } },
        });
        return read && read.readAt >= message.createdAt;
      },
      5000,
      'the open ticket read again after the new message',
    );
    // The list has reloaded since (its last message is newer) and shows no badge.
    await page.waitForFunction(
      `(() => {
        const time = document.querySelector('.ticket-item[data-ticket-id="${message.ticketId}"] time');
        return Boolean(time && time.getAttribute('datetime') !== ${JSON.stringify(lastAt)});
      })()`,
    );
    assert.equal(await item.locator('.unread').count(), 0, 'no badge on the open ticket');
    await context.close();
  });
});
