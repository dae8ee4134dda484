/**
 * The broadcasts admin page in a real headless Chromium (issue 17), on a WPPConnect number served
 * by the stand-in sidecar: four customers write through the real webhook and their tickets get the
 * label "وصفات شهرية"; one of them answers "إلغاء" and is opted out; WhatsApp refuses the message to
 * another (the sidecar's 502 `send_failed`). The admin creates a text broadcast to the label's
 * customers from the console, in Arabic, typing the pace in Arabic-Indic digits, starts it, sees
 * the progress move, pauses (nothing pending is sent until) and resumes it, and reads each
 * recipient's result: sent, failed with the reason in Arabic and WhatsApp's own words, skipped as
 * opted out. The same results then read in English.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { addAgent } from '../../src/use-cases/agents/create-agent';
import { query } from '../support/database';
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

const ADMIN_EMAIL = 'lead.broadcasts@pharmacy.test';
const PASSWORD = 'lead-password-123';
const TEXT = 'صيدلية النور: موعد صرف الدواء الشهري غدًا';
const CUSTOMERS = [
  { phone: '+201001110001', name: 'منى' },
  { phone: '+201001110002', name: 'عمر' },
  { phone: '+201001110003', name: 'سلمى' },
  { phone: '+201001110004', name: 'خالد' },
] as const;
const OPTED_OUT = CUSTOMERS[3];
const REFUSED = CUSTOMERS[2];

interface ApiBroadcast {
  id: string;
  status: string;
  progress: { total: number; pending: number; sent: number; failed: number; skipped: number };
}

describe(
  'broadcasts admin page in headless Chromium',
  { skip: skipWithoutChromium, timeout: 240_000 },
  () => {
    let helpdesk: TestHelpdesk;
    let browser: Browser;
    let page: Page;
    let call: (method: string, path: string, body?: unknown) => Promise<unknown>;

    /** A customer writes through the real webhook; @returns their ticket's id once stored. */
    async function customerWrites(phone: string, name: string, text: string): Promise<string> {
      const event = textEvent(phone, text, { name });
      assert.equal((await helpdesk.postWppconnect(event)).status, 202);
      const [stored] = await waitFor(
        () =>
          query<{ ticketId: string }>(
            helpdesk.database.url,
            `SELECT ticket_id AS "ticketId" FROM messages WHERE provider_message_id = $1`,
            [event.message.providerMessageId],
          ).then((found) => (found.length ? found : null)),
        30_000,
        `"${text}" from ${name} stored`,
      );
      return stored!.ticketId;
    }

    const broadcastSends = () => helpdesk.sidecar.sends.filter((send) => send.text === TEXT);
    const broadcasts = async () =>
      ((await call('GET', '/api/broadcasts')) as { items: ApiBroadcast[] }).items;
    const listRow = () => page.locator('table.broadcasts-list tbody tr').first();
    const recipientRow = (phone: string) =>
      page.locator('[data-testid=broadcast-recipients] tbody tr', { hasText: phone });

    before(async () => {
      await prepareConsole();
      // Three tries (backoff 200 ms, then 400 ms) before a refused send is final, instead of ten.
      helpdesk = await startTestHelpdesk({ env: { JOB_ATTEMPTS: '3' } });
      await addAgent(helpdesk.context.db, {
        name: 'مديرة الصيدلية',
        email: ADMIN_EMAIL,
        password: PASSWORD,
        capacity: 0,
        role: 'admin',
      });
      call = await apiAs(helpdesk.url, ADMIN_EMAIL, PASSWORD);
      const label = (await call('POST', '/api/labels', { name: 'وصفات شهرية', color: '#2e7d32' })) as {
        id: string;
      };
      for (const customer of CUSTOMERS) {
        const ticketId = await customerWrites(customer.phone, customer.name, 'أريد تجديد الوصفة');
        await call('PUT', `/api/tickets/${ticketId}/labels`, { labelIds: [label.id] });
      }
      // The customer's own opt-out word, through the real inbound path.
      await customerWrites(OPTED_OUT.phone, OPTED_OUT.name, 'إلغاء');
      await waitFor(
        async () =>
          (
            await query<{ optedOut: boolean }>(
              helpdesk.database.url,
              `SELECT opted_out_at IS NOT NULL AS "optedOut" FROM customers WHERE phone = $1`,
              [OPTED_OUT.phone],
            )
          )[0]?.optedOut,
        30_000,
        'the customer opted out',
      );
      helpdesk.sidecar.refusedRecipients.set(REFUSED.phone, 'chat not found');

      browser = await launchChromium();
      page = await (await consoleContext(browser, 'ar')).newPage();
      page.setDefaultTimeout(15_000);
      await signIn(page, helpdesk.url, ADMIN_EMAIL, PASSWORD);
    });

    after(async () => {
      if (page)
        await page.screenshot({ path: join(ARTIFACTS, 'broadcasts.png'), fullPage: true }).catch(() => {});
      await browser?.close();
      await helpdesk?.stop();
    });

    it('when the admin creates a text broadcast to a label in Arabic, then it is a draft with the opted-out customer already skipped', async () => {
      await page.click('[data-testid=admin-menu]');
      await page.click('button[data-admin-page=broadcasts]');
      const form = page.locator('form.broadcasts-form');
      await form.waitFor();
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
      // A linked WhatsApp Web number: the ban warning is shown before anything is sent.
      await page.locator('[data-testid=wppconnect-warning]', { hasText: 'حظره' }).waitFor();
      await form.getByLabel('الاسم', { exact: true }).fill('تذكير الوصفات');
      await form.getByLabel('النص', { exact: true }).fill(TEXT);
      await form.getByRole('radio', { name: 'عملاء لتذاكرهم وسم' }).check();
      await form.locator('select[aria-label="عملاء لتذاكرهم وسم"]').selectOption({ label: 'وصفات شهرية' });
      await form.getByLabel('رسائل في الدقيقة', { exact: true }).fill('١٥');
      await form.getByRole('button', { name: 'إنشاء' }).click();
      // Three to send: the fourth customer opted out.
      await page.getByRole('status').filter({ hasText: 'أُنشئت: ٣ مستلمًا' }).waitFor();
      await listRow().locator('.status', { hasText: 'مسودة' }).waitFor();
      await recipientRow(OPTED_OUT.phone).filter({ hasText: 'طلب إيقاف الرسائل' }).waitFor();
      const [created] = await broadcasts();
      assert.equal(created?.status, 'draft');
      assert.deepEqual(
        {
          total: created?.progress.total,
          pending: created?.progress.pending,
          skipped: created?.progress.skipped,
        },
        { total: 4, pending: 3, skipped: 1 },
      );
    });

    it('when the admin starts, pauses and resumes it, then the progress moves, stops while paused, and ends done', async () => {
      await listRow().getByRole('button', { name: 'ابدأ' }).click();
      await listRow().locator('.status', { hasText: 'قيد الإرسال' }).waitFor();
      // The progress moves: the first recipient is done while others still wait (15 a minute).
      const progress = listRow().locator('progress');
      await waitFor(
        async () => Number(await progress.getAttribute('value')) >= 1,
        30_000,
        'the first recipient done',
      );
      assert.equal(await progress.getAttribute('max'), '3');
      await listRow().getByRole('button', { name: 'إيقاف مؤقت' }).click();
      await listRow().locator('.status', { hasText: 'متوقفة مؤقتًا' }).waitFor();
      const paused = (await broadcasts())[0]!;
      assert.equal(paused.status, 'paused');
      assert.ok(
        paused.progress.pending >= 1,
        `paused with recipients still pending: ${JSON.stringify(paused.progress)}`,
      );
      // A page opened again shows it paused, with Resume offered and Pause not.
      await page.reload();
      await page.click('[data-testid=admin-menu]');
      await page.click('button[data-admin-page=broadcasts]');
      await listRow().locator('.status', { hasText: 'متوقفة مؤقتًا' }).waitFor();
      assert.equal(await listRow().getByRole('button', { name: 'إيقاف مؤقت' }).count(), 0);

      await listRow().getByRole('button', { name: 'استئناف' }).click();
      await listRow().locator('.status', { hasText: 'اكتملت' }).waitFor({ timeout: 90_000 });
      assert.equal(await progress.getAttribute('value'), '3');
      const done = (await broadcasts())[0]!;
      assert.equal(done.progress.pending, 0);
      assert.equal(done.progress.skipped, 1);
      // Each customer who may be sent to got the text once; the opted-out one nothing.
      assert.deepEqual(
        broadcastSends()
          .map((send) => send.to)
          .sort(),
        [CUSTOMERS[0].phone, CUSTOMERS[1].phone],
      );
    });

    it('when the admin reads the recipients, then each shows its result, the failure with its reason in Arabic and WhatsApp’s words', async () => {
      // A recipient counts as sent once its message is queued; WhatsApp's refusal comes later, from
      // the outbound job's last attempt, and may land after the broadcast is done. The page reads a
      // done broadcast's recipients when it is opened, so open it once the refusal is recorded.
      const [broadcast] = await broadcasts();
      await waitFor(
        async () =>
          (
            (await call('GET', `/api/broadcasts/${broadcast!.id}/recipients`)) as {
              items: Array<{ phone: string; status: string }>;
            }
          ).items.some((recipient) => recipient.phone === REFUSED.phone && recipient.status === 'failed'),
        90_000,
        'the refused recipient recorded as failed',
      );
      await listRow().getByRole('button', { name: 'تذكير الوصفات' }).click();
      for (const customer of CUSTOMERS.slice(0, 2)) {
        await recipientRow(customer.phone)
          .filter({ hasText: 'أُرسلت' })
          .filter({ hasText: customer.name })
          .waitFor();
      }
      const refused = recipientRow(REFUSED.phone);
      await refused.filter({ hasText: 'فشلت' }).waitFor({ timeout: 30_000 });
      assert.equal(await refused.getAttribute('data-status'), 'failed');
      assert.equal(await refused.locator('[data-reason]').getAttribute('data-reason'), 'provider_error');
      await refused.getByText('رفض مزوّد واتساب الرسالة').waitFor();
      assert.equal(
        await refused.locator('.reason-detail').innerText(),
        'WhatsApp did not accept the message: chat not found',
      );
      const optedOut = recipientRow(OPTED_OUT.phone);
      assert.equal(await optedOut.getAttribute('data-status'), 'skipped');
      assert.match(await optedOut.innerText(), /خالد[\s\S]*تُخطّيت[\s\S]*طلب إيقاف الرسائل/);
    });

    it('when the console is in English, then the same results read in English', async () => {
      const english = await (await consoleContext(browser, 'en')).newPage();
      english.setDefaultTimeout(15_000);
      try {
        await signIn(english, helpdesk.url, ADMIN_EMAIL, PASSWORD);
        await english.click('[data-testid=admin-menu]');
        await english.click('button[data-admin-page=broadcasts]');
        const row = english.locator('table.broadcasts-list tbody tr').first();
        await row.locator('.status', { hasText: 'Done' }).waitFor();
        await row.getByRole('button', { name: 'تذكير الوصفات' }).click();
        const recipients = english.locator('[data-testid=broadcast-recipients]');
        await recipients.getByRole('columnheader', { name: 'Reason' }).waitFor();
        const optedOut = recipients.locator('tbody tr', { hasText: OPTED_OUT.phone });
        assert.match(await optedOut.innerText(), /Skipped[\s\S]*Opted out/);
        const refused = recipients.locator('tbody tr', { hasText: REFUSED.phone });
        assert.match(await refused.innerText(), /Failed[\s\S]*The WhatsApp provider refused the message/);
        assert.equal(await english.getAttribute('html', 'dir'), 'ltr');
      } finally {
        await english.context().close();
      }
    });
  },
);
