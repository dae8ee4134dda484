/**
 * "Send a template" in a real headless Chromium on a Cloud API helpdesk (issue 17): the agent's
 * ticket is outside the 24-hour customer-service window, so the composer says why free text is
 * refused; the agent opens the template picker, chooses an approved template, fills its variable
 * with the customer's name, reads the preview and sends it; the stand-in Graph API receives exactly
 * Meta's documented template body ("Send message templates"). The admin page lists the channel's
 * templates with their approval status and syncs them again.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, skipWithoutChromium, ARTIFACTS, prepareConsole } from './shell-support';
import { addAgent } from '../../src/use-cases/agents/create-agent';
import { setAvailability } from '../../src/use-cases/agents/set-availability';
import { syncChannelTemplates } from '../../src/use-cases/templates/sync-channel-templates';
import { message, messagesValue, notification, PHONE_NUMBER_ID } from '../support/cloud-payloads';
import { query } from '../support/database';
import { startTestHelpdesk, waitFor, type TestHelpdesk } from '../support/harness';

const EMAIL = 'mona.templates@pharmacy.test';
const ADMIN_EMAIL = 'admin.templates@pharmacy.test';
const PASSWORD = 'mona-password-123';
const CUSTOMER = { waId: '201001119988', name: 'Salma' };

describe('message templates in headless Chromium', { skip: skipWithoutChromium, timeout: 90_000 }, () => {
  let helpdesk: TestHelpdesk;
  let browser: Browser;
  let page: Page;

  before(async () => {
    await prepareConsole();
    helpdesk = await startTestHelpdesk({ provider: 'cloud' });
    const graph = helpdesk.graph!;
    // Meta's shapes ("WhatsApp Business Account — Message Templates" reference).
    graph.templates.push(
      {
        id: '2001',
        name: 'order_ready',
        language: 'en_US',
        category: 'UTILITY',
        status: 'APPROVED',
        components: [
          { type: 'BODY', text: 'Hello {{1}}, your order is ready.', example: { body_text: [['Salma']] } },
          { type: 'FOOTER', text: 'Pharmacy' },
        ],
      },
      {
        id: '2002',
        name: 'summer_offer',
        language: 'en_US',
        category: 'MARKETING',
        status: 'PENDING',
        components: [{ type: 'BODY', text: 'Our summer offer is here!' }],
      },
    );
    await query(
      helpdesk.database.url,
      `UPDATE channels SET settings = settings || jsonb_build_object('businessAccountId', $1::text), updated_at = now() WHERE key = $2`,
      [graph.businessAccountId, PHONE_NUMBER_ID],
    );
    await helpdesk.context.channels.reload();
    const [channel] = await query<{ id: string }>(
      helpdesk.database.url,
      'SELECT id FROM channels WHERE key = $1',
      [PHONE_NUMBER_ID],
    );
    await syncChannelTemplates(helpdesk.context, channel!.id);

    await addAgent(helpdesk.context.db, { name: 'Mona', email: EMAIL, password: PASSWORD, capacity: 5 });
    await addAgent(helpdesk.context.db, {
      name: 'Admin',
      email: ADMIN_EMAIL,
      password: PASSWORD,
      capacity: 0,
      role: 'admin',
    });
    await setAvailability(helpdesk.context.pool, EMAIL, 'online');
    const posted = await helpdesk.postCloud(
      notification(messagesValue(CUSTOMER, [message.text(CUSTOMER, 'hello')])),
    );
    assert.equal(posted.status, 200);
    await waitFor(
      () => helpdesk.context.db.ticket.findFirst({ where: { assignee: { email: EMAIL } } }),
      10_000,
      'the ticket assigned to Mona',
    );
    // The customer last wrote two days ago: the window is closed.
    await query(helpdesk.database.url, `UPDATE tickets SET last_inbound_at = now() - interval '48 hours'`);

    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'en-GB' });
    page.setDefaultTimeout(10_000);
    await page.addInitScript("localStorage.setItem('helpdesk.language', 'en')");
  });

  after(async () => {
    assert.deepEqual(helpdesk?.graph?.violations ?? [], [], 'the stand-in Graph API found no broken rule');
    await browser?.close();
    await helpdesk?.stop();
  });

  async function signIn(email: string): Promise<void> {
    await page.goto(helpdesk.url);
    await page.locator('input[name=email]').fill(email);
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
  }

  it('when the window is closed, then the agent picks a template, fills the variable, previews and sends it', async () => {
    await signIn(EMAIL);
    await page.locator('.ticket-item', { hasText: 'Salma' }).first().click();
    const notice = page.locator('[data-testid=composer-window]');
    await notice.waitFor();
    assert.match(await notice.innerText(), /24 hours/);

    await page.click('[data-action=open-templates]');
    const picker = page.locator('[data-testid=template-picker]');
    await picker.waitFor();
    const offered = await picker.locator('select[name=template] option').allInnerTexts();
    assert.deepEqual(offered, ['—', 'order_ready (en_US)'], 'only approved templates are offered');
    await picker.locator('select[name=template]').selectOption('order_ready|en_US');
    await picker.locator('[data-offer=customer]').click();
    assert.equal(await picker.locator('input[name="body.1"]').inputValue(), 'Salma');
    assert.equal(
      await picker.locator('[data-testid=template-preview]').innerText(),
      'Hello Salma, your order is ready.\n\nPharmacy',
    );
    await page.locator('form.composer').screenshot({ path: join(ARTIFACTS, 'composer-template-en.png') });
    await picker.locator('[data-action=send-template]').click();

    const send = await waitFor(
      () => helpdesk.graph!.sends.find((candidate) => candidate.type === 'template'),
      10_000,
      'the template at the stand-in Graph API',
    );
    assert.deepEqual(send.body, {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: CUSTOMER.waId,
      type: 'template',
      template: {
        name: 'order_ready',
        language: { code: 'en_US' },
        components: [{ type: 'body', parameters: [{ type: 'text', text: 'Salma' }] }],
      },
    });
    await picker.waitFor({ state: 'hidden' });
    await page.locator('li[data-type=template]', { hasText: 'Hello Salma, your order is ready.' }).waitFor();
  });

  it('when the console is in Arabic, then the notice and the picker read right to left', async () => {
    const arabic = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'ar-EG' });
    arabic.setDefaultTimeout(10_000);
    await arabic.addInitScript("localStorage.setItem('helpdesk.language', 'ar')");
    try {
      await arabic.goto(helpdesk.url);
      await arabic.locator('input[name=email]').fill(EMAIL);
      await arabic.fill('input[name=password]', PASSWORD);
      await arabic.click('button[type=submit]');
      await arabic.locator('.ticket-item', { hasText: 'Salma' }).first().click();
      const notice = arabic.locator('[data-testid=composer-window]');
      await notice.waitFor();
      assert.equal(await arabic.getAttribute('html', 'dir'), 'rtl');
      assert.match(await notice.innerText(), /24 ساعة/);
      await arabic.click('[data-action=open-templates]');
      await arabic.locator('select[name=template]').selectOption('order_ready|en_US');
      await arabic.locator('[data-offer=agent]').click();
      assert.equal(await arabic.locator('input[name="body.1"]').inputValue(), 'Mona');
      await arabic.locator('form.composer').screenshot({ path: join(ARTIFACTS, 'composer-template-ar.png') });
    } finally {
      await arabic.close();
    }
  });

  it('when an admin opens the templates page, then each template shows its approval status and Sync reads Meta again', async () => {
    await page.context().clearCookies();
    await signIn(ADMIN_EMAIL);
    await page.click('[data-testid=admin-menu]');
    await page.click('button[data-admin-page=templates]');
    const admin = page.locator('[data-testid=templates-page]');
    await admin.waitFor();
    const row = admin.locator('tr[data-template="summer_offer|en_US"]');
    await row.waitFor();
    assert.match(await row.innerText(), /In review/);
    const before = helpdesk.graph!.requests.length;
    await admin.locator('[data-action=sync-templates]').click();
    await admin.locator('[role=status]').waitFor();
    assert.ok(helpdesk.graph!.requests.length > before, 'Meta was asked again');
    await page.screenshot({ path: join(ARTIFACTS, 'admin-templates-en.png') });
  });
});
