/**
 * The reports page in a real headless Chromium, in Arabic and English: an admin opens "Reports"
 * from the menu; the breakdown table shows the figures of a history seeded straight into the
 * database (counted here by hand: two tickets for منى answered after 2 and 10 minutes, one
 * resolved after 2 hours, one for Karim never answered), in Arabic-Indic digits in Arabic; both
 * charts are drawn (their canvases hold painted pixels); the CSV export downloads a UTF-8 file with
 * the BOM, the header row and the Arabic name. Screenshots go to test-artifacts/.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { addAgent } from '../../src/use-cases/agents/create-agent';
import { seedTicket } from '../api/api-support';
import { startTestHelpdesk, type TestHelpdesk } from '../support/harness';
import {
  ARTIFACTS,
  consoleContext,
  launchChromium,
  prepareConsole,
  signIn,
  skipWithoutChromium,
  type ConsoleLanguage,
} from './shell-support';

const ADMIN = { email: 'lead.reports@pharmacy.test', password: 'lead-password-123' };
const MONA = 'منى الصيدلانية';
const MINUTE = 60_000;

describe('reports page in headless Chromium', { skip: skipWithoutChromium, timeout: 120_000 }, () => {
  let helpdesk: TestHelpdesk;
  let browser: Browser;
  let monaId: string;

  before(async () => {
    await prepareConsole();
    helpdesk = await startTestHelpdesk({ env: { BUSINESS_HOURS: '', BUSINESS_TIMEZONE: 'Africa/Cairo' } });
    await addAgent(helpdesk.context.db, { name: 'Lead', ...ADMIN, capacity: 0, role: 'admin' });
    const mona = await addAgent(helpdesk.context.db, {
      name: MONA,
      email: 'mona.reports@pharmacy.test',
      password: 'mona-password-123',
      capacity: 5,
    });
    const karim = await addAgent(helpdesk.context.db, {
      name: 'Karim',
      email: 'karim.reports@pharmacy.test',
      password: 'karim-password-123',
      capacity: 5,
    });
    monaId = mona.id;
    const pool = helpdesk.context.pool;
    const reply = (ticketId: string, agentId: string, at: Date) =>
      pool.query(
        `INSERT INTO messages (id, ticket_id, channel, direction, author, agent_id, provider, type, text, delivery_status, created_at, sent_at, updated_at)
         VALUES (gen_random_uuid(), $1, 'pharmacy', 'outbound', 'agent', $2, 'wppconnect', 'text', 'reply', 'delivered', $3, $3, $3)`,
        [ticketId, agentId, at],
      );
    const day = 24 * 60 * MINUTE;
    const first = new Date(Date.now() - 3 * day);
    const second = new Date(Date.now() - 2 * day);
    const one = await seedTicket(helpdesk.context.db, {
      assigneeId: mona.id,
      openedAt: first,
      phone: '+201055500001',
    });
    await reply(one.id, mona.id, new Date(first.getTime() + 2 * MINUTE));
    await pool.query(
      `INSERT INTO ticket_events (ticket_id, type, data, created_at) VALUES ($1, 'status_changed', '{"from":"open","to":"resolved"}', $2)`,
      [one.id, new Date(first.getTime() + 120 * MINUTE)],
    );
    await pool.query(`UPDATE tickets SET status = 'resolved', resolved_at = $2 WHERE id = $1`, [
      one.id,
      new Date(first.getTime() + 120 * MINUTE),
    ]);
    const two = await seedTicket(helpdesk.context.db, {
      assigneeId: mona.id,
      openedAt: second,
      phone: '+201055500002',
    });
    await reply(two.id, mona.id, new Date(second.getTime() + 10 * MINUTE));
    await seedTicket(helpdesk.context.db, { assigneeId: karim.id, openedAt: second, phone: '+201055500003' });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await helpdesk?.stop();
  });

  /** Painted pixels of a canvas (alpha > 0). */
  async function paintedPixels(page: Page, testId: string): Promise<number> {
    return (await page.evaluate(`(() => {
      const canvas = document.querySelector('[data-testid=${testId}]');
      if (!canvas || !canvas.width || !canvas.height) return 0;
      const data = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
      let painted = 0;
      for (let index = 3; index < data.length; index += 4) if (data[index] > 0) painted += 1;
      return painted;
    })()`)) as number;
  }

  async function scenario(language: ConsoleLanguage): Promise<void> {
    const context = await consoleContext(browser, language);
    const page = await context.newPage();
    try {
      await signIn(page, helpdesk.url, ADMIN.email, ADMIN.password);
      await page.click('[data-testid=admin-menu]');
      await page.click('button[data-admin-page=reports]');
      await page.locator('[data-testid=reports-breakdown-table]').waitFor();
      const digits = (text: string) =>
        language === 'ar' ? text.replace(/[0-9]/g, (digit) => '٠١٢٣٤٥٦٧٨٩'[Number(digit)]!) : text;
      const row = page.locator(`[data-testid=reports-breakdown-table] tbody tr[data-key="${monaId}"]`);
      assert.equal((await row.locator('th').textContent())?.trim(), MONA);
      const cell = async (field: string) =>
        (await row.locator(`td[data-field=${field}]`).textContent())?.trim();
      // Two opened, one resolution, three messages in/out: two inbound at opening, two replies.
      assert.equal(await cell('opened'), digits('2'));
      assert.equal(await cell('resolved'), digits('1'));
      assert.equal(await cell('messages-in'), digits('2'));
      assert.equal(await cell('messages-out'), digits('2'));
      // First responses 2 and 10 minutes: median 6 minutes; resolution 2 hours.
      assert.equal(await cell('first-response-median'), `${digits('6')} ${language === 'ar' ? 'د' : 'min'}`);
      assert.equal(await cell('resolution-median'), `${digits('2')} ${language === 'ar' ? 'س' : 'h'}`);
      const total = page.locator('[data-testid=reports-breakdown-table] tfoot tr');
      assert.equal((await total.locator('td[data-field=opened]').textContent())?.trim(), digits('3'));

      assert.ok((await paintedPixels(page, 'reports-series-chart')) > 500, 'the series chart is drawn');
      assert.ok((await paintedPixels(page, 'reports-breakdown-chart')) > 500, 'the breakdown chart is drawn');
      await page.screenshot({ path: join(ARTIFACTS, `reports-${language}.png`), fullPage: true });

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('[data-testid=reports-csv-breakdown]'),
      ]);
      assert.match(
        download.suggestedFilename(),
        /^report-by-agent-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/,
      );
      const bytes = await readFile((await download.path())!);
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 byte-order mark');
      const lines = bytes.subarray(3).toString('utf8').trimEnd().split('\r\n');
      assert.ok(lines[0]!.startsWith('key,label,opened,resolved,reopened,'), lines[0]);
      const monaLine = lines.find((line) => line.startsWith(monaId))!;
      assert.deepEqual(monaLine.split(',').slice(0, 4), [monaId, MONA, '2', '1']);
      assert.equal(lines.at(-1)!.split(',')[1], language === 'ar' ? 'المجموع' : 'Total');
    } finally {
      await context.close();
    }
  }

  it('when an admin opens Reports in Arabic, then the table, charts and CSV show the seeded numbers', () =>
    scenario('ar'));
  it('when an admin opens Reports in English, then the table, charts and CSV show the seeded numbers', () =>
    scenario('en'));
});
