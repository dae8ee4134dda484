/**
 * The customer panel in a real headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core): agent A writes "حساسية من البنسلين" in the customer's notes in the panel beside
 * the ticket and saves; the ticket is closed; the customer writes again, the new ticket goes to
 * agent B, who opens it in their own browser and finds the allergy in front of them in the panel,
 * with the earlier ticket among the previous ones and its photo among the files shared before. Then an admin adds a label on the admin page
 * and agent B labels the ticket, sets its category and tags the customer from the panel.
 * Screenshots go to test-artifacts/.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, skipWithoutChromium, ARTIFACTS, prepareConsole } from './shell-support';
import { addAgent } from '../../src/use-cases/agents/create-agent';
import { setAvailability } from '../../src/use-cases/agents/set-availability';
import { apiClient } from '../api/api-support';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import { makePng } from './png';

const PASSWORD = 'pharmacy-password-123';
const AGENT_A = 'mona@pharmacy.test';
const AGENT_B = 'omar@pharmacy.test';
const ADMIN = 'admin@pharmacy.test';
const CUSTOMER_PHONE = '+201001112233';
const CUSTOMER_NAME = 'سلمى';
const ALLERGY = 'حساسية من البنسلين';
/** A 120×80 photo the customer sends: a green band over a white sheet. */
const PHOTO = makePng(120, 80, (_x, y) => (y < 20 ? [15, 123, 108] : [250, 250, 246]));

const AXE_SOURCE = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/** axe-core's serious and critical violations inside `selector` ("id: help" each). */
async function seriousViolations(page: Page, selector: string): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"')))
    await page.addScriptTag({ content: AXE_SOURCE });
  return (await page.evaluate(`axe.run(document.querySelector(${JSON.stringify(selector)}), { resultTypes: ['violations'] })
    .then((result) => result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => violation.id + ': ' + violation.help + ' ' + violation.nodes.map((node) => node.target.join(' ')).join(', ')))`)) as string[];
}

describe('customer panel in headless Chromium', { skip: skipWithoutChromium, timeout: 90_000 }, () => {
  let helpdesk: TestHelpdesk;
  let browser: Browser;
  let pageB: Page;
  let secondTicketId: string;

  /** A page of its own (own cookies) signed in as `email`. */
  async function signIn(email: string): Promise<Page> {
    // bypassCSP: axe-core is injected as an inline script, which the console's CSP refuses.
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      locale: 'ar-EG',
      bypassCSP: true,
    });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    await page.goto(helpdesk.url);
    await page.fill('input[name=email]', email);
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    return page;
  }

  /** Waits until the customer's open ticket is assigned to the agent with `email`. */
  async function openTicketOf(email: string) {
    return waitFor(
      () =>
        helpdesk.context.db.ticket.findFirst({
          where: { customer: { phone: CUSTOMER_PHONE }, status: 'open', assignee: { email } },
          select: { id: true, number: true },
        }),
      10_000,
      `the customer's ticket assigned to ${email}`,
    );
  }

  before(async () => {
    await prepareConsole();
    helpdesk = await startTestHelpdesk();
    const db = helpdesk.context.db;
    await addAgent(db, { name: 'منى', email: AGENT_A, password: PASSWORD, capacity: 5 });
    await addAgent(db, { name: 'عمر', email: AGENT_B, password: PASSWORD, capacity: 5 });
    await addAgent(db, { name: 'المدير', email: ADMIN, password: PASSWORD, capacity: 0, role: 'admin' });
    await setAvailability(helpdesk.context.pool, AGENT_A, 'online');
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await helpdesk?.stop();
  });

  it("when agent A writes an allergy in the customer's notes, then agent B sees it on the customer's next ticket", async () => {
    // The customer writes; the ticket goes to A (the only agent online).
    const hello = textEvent(CUSTOMER_PHONE, 'أريد دواء للالتهاب', { name: CUSTOMER_NAME });
    assert.equal((await helpdesk.postWppconnect(hello)).status, 202);
    const first = await openTicketOf(AGENT_A);
    // …and a photo of the prescription, which the panel lists among the files shared.
    helpdesk.sidecar.media.set('rx-photo', { body: PHOTO, mimeType: 'image/png' });
    const photo = textEvent(CUSTOMER_PHONE, '', { name: CUSTOMER_NAME });
    Object.assign(photo.message, {
      type: 'image',
      text: null,
      caption: 'الروشتة',
      media: {
        id: 'rx-photo',
        mimeType: 'image/png',
        filename: null,
        size: PHOTO.length,
        sha256: null,
        url: `${helpdesk.sidecar.url}/api/media/rx-photo`,
      },
    });
    assert.equal((await helpdesk.postWppconnect(photo)).status, 202);
    await waitFor(
      () => helpdesk.context.db.attachment.findFirst({ where: { message: { ticketId: first.id } } }),
      10_000,
      'the photo stored',
    );

    const pageA = await signIn(AGENT_A);
    await pageA.locator('.ticket-item', { hasText: CUSTOMER_NAME }).click();
    const panelA = pageA.locator('[data-testid=customer-panel]');
    await panelA.waitFor();
    assert.equal(
      await panelA.locator('.cp-phone').getAttribute('dir'),
      'ltr',
      'the phone reads left to right in the Arabic page',
    );
    assert.equal(await panelA.locator('.cp-phone').textContent(), CUSTOMER_PHONE);
    await panelA.locator('.cp-media-item.image img').waitFor();
    await pageA.waitForFunction(
      "(() => { const image = document.querySelector('.cp-media-item.image img'); return Boolean(image && image.complete && image.naturalWidth === 120); })()",
    );
    await panelA.locator('[data-action=edit-customer-notes]').click();
    await panelA.locator('textarea[name=customer-notes]').fill(ALLERGY);
    await panelA.locator('[data-action=save-customer-notes]').click();
    await panelA.locator('[data-testid=customer-notes]', { hasText: ALLERGY }).waitFor();
    const saved = await helpdesk.context.db.customer.findUnique({
      where: { phone: CUSTOMER_PHONE },
      select: { notes: true },
    });
    assert.equal(saved?.notes, ALLERGY, 'saved for the customer, not only shown');
    await pageA.screenshot({ path: join(ARTIFACTS, 'customer-panel-notes-a.png') });

    // A closes the ticket and goes away; B comes online; the customer writes again.
    const login = await apiClient(helpdesk.url, null).post<{ token: string }>('/api/auth/login', {
      email: AGENT_A,
      password: PASSWORD,
    });
    const closed = await apiClient(helpdesk.url, login.body.token).post(`/api/tickets/${first.id}/status`, {
      status: 'closed',
    });
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    await setAvailability(helpdesk.context.pool, AGENT_A, 'away');
    await setAvailability(helpdesk.context.pool, AGENT_B, 'online');
    const again = textEvent(CUSTOMER_PHONE, 'هل الدواء الجديد مناسب لي؟', { name: CUSTOMER_NAME });
    assert.equal((await helpdesk.postWppconnect(again)).status, 202);
    const second = await openTicketOf(AGENT_B);
    assert.notEqual(second.id, first.id, 'a new ticket');

    // B opens it: the allergy is in front of them, with the earlier ticket among the previous ones.
    secondTicketId = second.id;
    pageB = await signIn(AGENT_B);
    await pageB.locator('.ticket-item', { hasText: CUSTOMER_NAME }).click();
    const panelB = pageB.locator('[data-testid=customer-panel]');
    const notes = panelB.locator('[data-testid=customer-notes]');
    await notes.waitFor();
    assert.equal((await notes.textContent())?.trim(), ALLERGY);
    const box = await notes.boundingBox();
    assert.ok(
      box && box.y >= 0 && box.y + box.height <= 900,
      `the note is on screen without scrolling or opening anything: ${JSON.stringify(box)}`,
    );
    await panelB.locator(`.cp-ticket[data-ticket-id="${first.id}"]`).waitFor();
    // The photo of the earlier ticket (A's) shows for B, who works the customer's ticket now.
    await pageB.waitForFunction(
      "(() => { const image = document.querySelector('.cp-media-item.image img'); return Boolean(image && image.complete && image.naturalWidth === 120); })()",
    );
    await pageB.screenshot({ path: join(ARTIFACTS, 'customer-panel-notes-b.png') });
    await pageA.context().close();
  });

  it('when an admin adds a label, then agent B labels the ticket, sets its category and tags the customer from the panel', async () => {
    const admin = await signIn(ADMIN);
    await admin.locator('.stream.live, [data-stream=live]').first().waitFor();
    await admin.click('[data-testid=admin-menu]');
    await admin.click('button[data-admin-page=labels]');
    const labelsPage = admin.locator('[data-testid=labels-page]');
    await labelsPage.waitFor();
    await labelsPage.locator('.label-new input[name=label-name]').fill('حساسية دوائية');
    await labelsPage.locator('.label-new input[name=label-color]').fill('#c0392b');
    await labelsPage.locator('.label-new button[type=submit]').click();
    await labelsPage.locator('.labels-list input[name=label-name]').first().waitFor();
    assert.equal(
      await labelsPage.locator('.labels-list input[name=label-name]').first().inputValue(),
      'حساسية دوائية',
    );
    await admin.screenshot({ path: join(ARTIFACTS, 'labels-admin-ar.png') });
    assert.deepEqual(
      await seriousViolations(admin, '[data-testid=labels-page]'),
      [],
      'the labels page (axe-core)',
    );
    const label = await helpdesk.context.db.label.findFirstOrThrow({ select: { id: true, color: true } });
    assert.equal(label.color, '#c0392b');
    await admin.context().close();

    const panel = pageB.locator('[data-testid=customer-panel]');
    await panel.locator('.cp-label-chooser summary').click();
    await panel.locator(`input[name=ticket-label][value="${label.id}"]`).check();
    await panel.locator('.cp-labels .cp-label', { hasText: 'حساسية دوائية' }).waitFor();
    await waitFor(
      () =>
        helpdesk.context.db.ticketLabel.findFirst({ where: { ticketId: secondTicketId, labelId: label.id } }),
      5000,
      'the label on the ticket',
    );

    await panel.locator('select[name=ticket-category]').selectOption('pharmacist');
    await waitFor(
      async () =>
        (await helpdesk.context.db.ticket.findUnique({ where: { id: secondTicketId } }))?.category ===
        'pharmacist',
      5000,
      'the category saved',
    );
    assert.equal(await panel.locator('select[name=ticket-category]').inputValue(), 'pharmacist');

    await panel.locator('input[name=customer-tag]').fill('مزمن');
    await panel.locator('input[name=customer-tag]').press('Enter');
    await panel.locator('.cp-tags .cp-chip', { hasText: 'مزمن' }).waitFor();
    const customer = await helpdesk.context.db.customer.findUniqueOrThrow({
      where: { phone: CUSTOMER_PHONE },
      select: { tags: true, notes: true },
    });
    assert.deepEqual(customer.tags, ['مزمن']);
    assert.equal(customer.notes, ALLERGY, 'the notes stay');
    await pageB.screenshot({ path: join(ARTIFACTS, 'customer-panel-labels-b.png') });
    assert.deepEqual(
      await seriousViolations(pageB, '[data-testid=customer-panel]'),
      [],
      'the panel (axe-core)',
    );

    // In English the panel reads left to right, its category in English.
    await pageB.click('[data-testid=language]');
    await panel.locator('#cp-tags-title', { hasText: 'Customer tags' }).waitFor();
    assert.equal(await pageB.getAttribute('html', 'dir'), 'ltr');
    assert.equal(
      await panel.locator('select[name=ticket-category] option:checked').textContent(),
      'Talk to a pharmacist',
    );
    await pageB.screenshot({ path: join(ARTIFACTS, 'customer-panel-en.png') });
    await pageB.context().close();
  });
});
