/**
 * The agents and teams admin pages in a real headless Chromium (issue 16): an admin adds an agent
 * from the console, typing the capacity in Arabic-Indic digits, then changes the capacity; the
 * API shows each change. A capacity that is no number is refused on the page with nothing
 * written; deactivation asks first. On the teams page the admin adds a team and ticks a member and
 * a category, and the API shows them.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { addAgent } from '../../src/use-cases/agents/create-agent';
import { startTestHelpdesk, waitFor, type TestHelpdesk } from '../support/harness';
import {
  apiAs,
  ARTIFACTS,
  consoleContext,
  launchChromium,
  prepareConsole,
  signIn,
  skipWithoutChromium,
} from './shell-support';

const ADMIN_EMAIL = 'lead.agents@pharmacy.test';
const PASSWORD = 'lead-password-123';
const NEW_EMAIL = 'sara.new@pharmacy.test';

interface ApiAgent {
  id: string;
  email: string;
  name: string;
  capacity: number;
  active: boolean;
  role: string;
}

describe(
  'agents and teams admin pages in headless Chromium',
  { skip: skipWithoutChromium, timeout: 120_000 },
  () => {
    let helpdesk: TestHelpdesk;
    let browser: Browser;
    let context: BrowserContext;
    let page: Page;
    let call: (method: string, path: string, body?: unknown) => Promise<unknown>;

    const agentByEmail = async (email: string) =>
      ((await call('GET', '/api/agents')) as { items: ApiAgent[] }).items.find(
        (agent) => agent.email === email,
      );
    const row = () => page.locator(`li[data-agent-email="${NEW_EMAIL}"]`);

    before(async () => {
      await prepareConsole();
      helpdesk = await startTestHelpdesk();
      await addAgent(helpdesk.context.db, {
        name: 'Team Lead',
        email: ADMIN_EMAIL,
        password: PASSWORD,
        capacity: 0,
        role: 'admin',
      });
      call = await apiAs(helpdesk.url, ADMIN_EMAIL, PASSWORD);
      browser = await launchChromium();
      context = await consoleContext(browser, 'ar');
      page = await context.newPage();
      page.setDefaultTimeout(10_000);
      await signIn(page, helpdesk.url, ADMIN_EMAIL, PASSWORD);
    });

    after(async () => {
      if (page)
        await page.screenshot({ path: join(ARTIFACTS, 'agents-admin.png'), fullPage: true }).catch(() => {});
      await browser?.close();
      await helpdesk?.stop();
    });

    async function openAdminPage(key: string): Promise<void> {
      await page.click('[data-testid=admin-menu]');
      await page.click(`button[data-admin-page=${key}]`);
      await page.locator(`section[data-admin-page=${key}]`).waitFor();
    }

    it('when the capacity typed is no number, then the page says so and no agent is added', async () => {
      await openAdminPage('agents');
      await page.locator('[data-testid=agents-page] li[data-agent-email]').first().waitFor();
      await page.fill('input[name=agent-name]', 'سارة');
      await page.fill('input[name=agent-email]', NEW_EMAIL);
      await page.fill('input[name=agent-capacity]', 'خمسة');
      await page.fill('input[name=agent-password]', 'sara-password-123');
      await page.click('[data-testid=agent-new] button[type=submit]');
      await page.locator('[data-testid=agents-page] [role=alert]', { hasText: 'السعة عدد صحيح' }).waitFor();
      assert.equal(await agentByEmail(NEW_EMAIL), undefined);
    });

    it('when the admin adds an agent with capacity "٣" and then changes it to "١٢", then the API shows 3, then 12', async () => {
      await page.fill('input[name=agent-capacity]', '٣');
      await page.selectOption('select[name=agent-role]', 'agent');
      await page.click('[data-testid=agent-new] button[type=submit]');
      await row().waitFor();
      const created = await agentByEmail(NEW_EMAIL);
      assert.equal(created?.capacity, 3);
      assert.equal(created?.name, 'سارة');
      assert.equal(created?.role, 'agent');
      assert.match(await row().locator('[data-testid=agent-load]').innerText(), /٠ من ٣/);
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');

      await row().locator('[data-action=edit-agent]').click();
      await row().locator('input[name=edit-capacity]').fill('١٢');
      await row().locator('form.agent-edit button[type=submit]').click();
      await waitFor(async () => (await agentByEmail(NEW_EMAIL))?.capacity === 12, 10_000, 'capacity 12');
      await row().locator('[data-testid=agent-load]', { hasText: '١٢' }).waitFor();
    });

    it('when the admin deactivates the agent after confirming, then the API shows them inactive; reactivating undoes it', async () => {
      await row().locator('[data-action=deactivate-agent]').click();
      assert.equal((await agentByEmail(NEW_EMAIL))?.active, true, 'nothing before the confirmation');
      await row().locator('[data-action=confirm-deactivate]').click();
      await waitFor(async () => (await agentByEmail(NEW_EMAIL))?.active === false, 10_000, 'deactivated');
      await row().locator('[data-action=reactivate-agent]').click();
      await waitFor(async () => (await agentByEmail(NEW_EMAIL))?.active === true, 10_000, 'reactivated');
    });

    it('when the admin adds a team and ticks a member and a category, then the API shows them', async () => {
      await openAdminPage('teams');
      await page.fill('.team-new input[name=team-name]', 'الصيادلة');
      await page.click('.team-new button[type=submit]');
      // The only team: the one just added.
      const card = page.locator('li.team-card').first();
      await card.waitFor();
      const sara = (await agentByEmail(NEW_EMAIL))!;
      await card.locator(`input[name=team-member][value="${sara.id}"]`).check();
      await card.locator('input[name=team-category][value="pharmacist"]').check();
      await card.locator('button[type=submit]').click();
      const team = await waitFor(
        async () => {
          const teams = (await call('GET', '/api/teams')) as Array<{
            name: string;
            memberIds: string[];
            categories: string[];
          }>;
          const found = teams.find((candidate) => candidate.name === 'الصيادلة');
          return found && found.memberIds.length === 1 ? found : null;
        },
        10_000,
        'team saved',
      );
      assert.deepEqual(team.memberIds, [sara.id]);
      assert.deepEqual(team.categories, ['pharmacist']);

      await openAdminPage('agents');
      await row().locator('.agent-teams', { hasText: 'الصيادلة' }).waitFor();
    });
  },
);
