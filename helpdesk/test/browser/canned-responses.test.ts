/**
 * The reply composer in a real headless Chromium: an agent types `/` and two letters, picks a
 * canned response with the keyboard, the box holds its text with the customer's name filled in,
 * the draft survives a reload and an expired session, Enter sends it and the stand-in sidecar
 * receives exactly that text; Esc closes the list; Ctrl+Enter can be chosen as the send key; two
 * files go as two messages, the text as the caption of the first; pasted and dropped files wait
 * in the list; a quoted message shows until the reply is sent; a personal response added on the
 * management page is offered at once; a note's draft is kept apart from the reply's.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import {
  launchChromium,
  skipWithoutChromium,
  ARTIFACTS,
  prepareConsole,
  reportPageOnFailure,
} from './shell-support';
import { createCannedResponse } from '../../src/use-cases/canned-responses/create-canned-response';
import { addAgent } from '../../src/use-cases/agents/create-agent';
import { setAvailability } from '../../src/use-cases/agents/set-availability';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import { makePng } from './png';

const EMAIL = 'mona.composer@pharmacy.test';
const PASSWORD = 'mona-password-123';
const CUSTOMER_PHONE = '+201001112233';
const REPLY = 'textarea[data-composer="reply"]';
const GREETING = 'مرحبا سلمى، معك منى. كيف أساعدك؟';

describe(
  'reply composer and canned responses in headless Chromium',
  { skip: skipWithoutChromium, timeout: 90_000 },
  () => {
    let helpdesk: TestHelpdesk;
    let browser: Browser;
    let page: Page;
    let ticketId: string;

    before(async () => {
      await prepareConsole();
      helpdesk = await startTestHelpdesk();
      const mona = await addAgent(helpdesk.context.db, {
        name: 'منى',
        email: EMAIL,
        password: PASSWORD,
        capacity: 5,
      });
      const admin = await addAgent(helpdesk.context.db, {
        name: 'Admin',
        email: 'admin.composer@pharmacy.test',
        password: PASSWORD,
        capacity: 0,
        role: 'admin',
      });
      await createCannedResponse(helpdesk.context.db, admin, {
        scope: 'shared',
        shortcut: 'greet',
        title: 'ترحيب',
        body: 'مرحبا {{customer.name}}، معك {{ agent.name }}. كيف أساعدك؟',
        language: null,
      });
      await createCannedResponse(helpdesk.context.db, mona, {
        scope: 'personal',
        shortcut: 'gratitude',
        title: 'Thanks',
        body: 'Thank you {{customer.name}}!',
        language: null,
      });
      await createCannedResponse(helpdesk.context.db, mona, {
        scope: 'personal',
        shortcut: 'hours',
        title: 'مواعيد العمل',
        body: 'نعمل من 9 صباحًا إلى 11 مساءً',
        language: null,
      });
      await setAvailability(helpdesk.context.pool, EMAIL, 'online');
      assert.equal(
        (await helpdesk.postWppconnect(textEvent(CUSTOMER_PHONE, 'السلام عليكم', { name: 'سلمى' }))).status,
        202,
      );
      const ticket = await waitFor(
        () => helpdesk.context.db.ticket.findFirst({ where: { assignee: { email: EMAIL } } }),
        10_000,
        'the ticket assigned to Mona',
      );
      ticketId = ticket.id;

      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: 'ar-EG' });
      page.setDefaultTimeout(10_000);
    });

    afterEach((test) => reportPageOnFailure(test, page));

    after(async () => {
      await browser?.close();
      await helpdesk?.stop();
    });

    /** Signs in when the login form shows, then opens Salma's ticket unless it is open already. */
    async function openTicket(): Promise<void> {
      const email = page.locator('input[name=email]');
      const box = page.locator(REPLY);
      await Promise.race([email.waitFor(), box.waitFor()]);
      if (await email.isVisible()) {
        await email.fill(EMAIL);
        await page.fill('input[name=password]', PASSWORD);
        await page.click('button[type=submit]');
      }
      await page.locator('.ticket-item', { hasText: 'سلمى' }).first().waitFor();
      if (!(await box.isVisible())) await page.locator('.ticket-item', { hasText: 'سلمى' }).first().click();
      await box.waitFor();
    }

    const draft = (mode: 'reply' | 'note') =>
      page.evaluate(`localStorage.getItem(${JSON.stringify(`draft:${ticketId}:${mode}`)})`);

    it('when the agent types / and two letters and picks a response, then the box holds it with the name filled in', async () => {
      await page.goto(helpdesk.url);
      await openTicket();
      assert.equal(await page.getAttribute(REPLY, 'dir'), 'auto');
      await page.locator(REPLY).click();
      await page.locator(REPLY).pressSequentially('/gr');

      const picker = page.locator('[data-testid=canned-picker]');
      await picker.waitFor();
      const shortcuts = await Promise.all(
        (await picker.locator('[role=option]').all()).map((option) => option.getAttribute('data-shortcut')),
      );
      assert.deepEqual(shortcuts.sort(), ['gratitude', 'greet'], 'only the matching ones');

      // Arrow keys move the highlight; Enter inserts the highlighted one.
      for (let step = 0; step < 3; step += 1) {
        if ((await picker.locator('[aria-selected=true]').getAttribute('data-shortcut')) === 'greet') break;
        await page.keyboard.press('ArrowDown');
      }
      assert.equal(await picker.locator('[aria-selected=true]').getAttribute('data-shortcut'), 'greet');
      await page.screenshot({ path: join(ARTIFACTS, 'composer-canned-ar.png') });
      await page.locator('form.composer').screenshot({ path: join(ARTIFACTS, 'composer-picker-ar.png') });
      await page.keyboard.press('Enter');

      await picker.waitFor({ state: 'hidden' });
      assert.equal(await page.inputValue(REPLY), GREETING);
      assert.equal(await draft('reply'), GREETING, 'the draft is kept as it is typed');
      assert.ok(!helpdesk.sidecar.sends.some((send) => send.text === GREETING), 'inserting sends nothing');
    });

    it('when the page is reloaded and later the session expires, then the draft is still there', async () => {
      await page.reload();
      await openTicket();
      assert.equal(await page.inputValue(REPLY), GREETING, 'after a reload');

      await page.context().clearCookies();
      await page.reload();
      await openTicket();
      assert.equal(await page.inputValue(REPLY), GREETING, 'after signing in again');
    });

    it('when the agent presses Enter, then the driver receives that text and the draft is cleared', async () => {
      const before = helpdesk.sidecar.sends.length;
      await page.locator(REPLY).focus();
      await page.keyboard.press('Enter');
      const sent = await waitFor(
        () => helpdesk.sidecar.sends.slice(before).find((send) => send.text === GREETING),
        10_000,
        'the canned reply at the stand-in sidecar',
      );
      assert.equal(sent.to, CUSTOMER_PHONE);
      await page.locator('.message.out', { hasText: 'كيف أساعدك' }).first().waitFor();
      assert.equal(await page.inputValue(REPLY), '');
      assert.equal(await draft('reply'), null);
      await page.reload();
      await openTicket();
      assert.equal(await page.inputValue(REPLY), '', 'nothing comes back after a reload');
    });

    it('when the agent presses Esc in the list, then it closes and the text stays', async () => {
      await page.locator(REPLY).click();
      await page.locator(REPLY).pressSequentially('/ho');
      const picker = page.locator('[data-testid=canned-picker]');
      await picker.waitFor();
      await page.keyboard.press('Escape');
      await picker.waitFor({ state: 'hidden' });
      assert.equal(await page.inputValue(REPLY), '/ho');
      // A title matches too ("مواعيد" is in the title of /hours), and Tab inserts.
      await page.fill(REPLY, '');
      await page.locator(REPLY).pressSequentially('/مواعيد');
      await picker.locator('[data-shortcut=hours]').waitFor();
      await page.keyboard.press('Tab');
      assert.equal(await page.inputValue(REPLY), 'نعمل من 9 صباحًا إلى 11 مساءً');
      await page.fill(REPLY, '');
    });

    it('when the agent chooses Ctrl+Enter, then Enter breaks the line and Ctrl+Enter sends', async () => {
      const hint = page.locator('[data-testid=composer-send-key]');
      assert.match((await hint.textContent()) ?? '', /Shift\+Enter/);
      await hint.locator('button').click();
      assert.match((await hint.textContent()) ?? '', /Ctrl\+Enter/);
      await page.locator(REPLY).click();
      await page.keyboard.type('السطر الأول');
      await page.keyboard.press('Enter');
      await page.keyboard.type('السطر الثاني');
      assert.equal(await page.inputValue(REPLY), 'السطر الأول\nالسطر الثاني', 'Enter made a new line');
      const before = helpdesk.sidecar.sends.length;
      await page.keyboard.press('Control+Enter');
      await waitFor(
        () => helpdesk.sidecar.sends.slice(before).find((send) => send.text === 'السطر الأول\nالسطر الثاني'),
        10_000,
        'the two-line reply',
      );
      await page.reload();
      await openTicket();
      assert.match((await hint.textContent()) ?? '', /Ctrl\+Enter/, 'the choice is remembered');
      await hint.locator('button').click();
    });

    it('when the agent attaches two files, then they go as two messages with the text as the first caption', async () => {
      await page.setInputFiles('form.composer input[type=file]', [
        { name: 'rx.png', mimeType: 'image/png', buffer: makePng(40, 30, () => [200, 30, 30]) },
        { name: 'invoice.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n') },
      ]);
      await page.locator('.composer-file[data-filename="rx.png"] img').waitFor();
      await page.locator('.composer-file[data-filename="invoice.pdf"]').waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'composer-files-ar.png') });
      await page.fill(REPLY, 'الروشتة والفاتورة');
      const before = helpdesk.sidecar.sends.length;
      await page.locator('form.composer button[type=submit]').click();
      const media = await waitFor(
        () => {
          const sends = helpdesk.sidecar.sends
            .slice(before)
            .filter((send) => send.path === '/api/send-media');
          return sends.length === 2 ? sends : null;
        },
        15_000,
        'two media sends',
      );
      assert.deepEqual(
        media.map((send) => [send.type, send.caption ?? null]),
        [
          ['image', 'الروشتة والفاتورة'],
          ['document', null],
        ],
      );
      assert.equal(helpdesk.sidecar.sends.slice(before).length, 2, 'no separate text message');
      await page.locator('.composer-file').first().waitFor({ state: 'detached' });
      assert.equal(await page.inputValue(REPLY), '');
    });

    it('when an image is pasted and a file dropped, then both wait in the list until removed', async () => {
      // Page functions as strings: this file is type-checked without the DOM library.
      await page.evaluate(`(() => {
      const box = document.querySelector('textarea[data-composer="reply"]');
      const pasted = new DataTransfer();
      pasted.items.add(new File([new Uint8Array([137, 80, 78, 71])], 'screenshot.png', { type: 'image/png' }));
      box.dispatchEvent(new ClipboardEvent('paste', { clipboardData: pasted, bubbles: true, cancelable: true }));
      const form = document.querySelector('form.composer');
      const dropped = new DataTransfer();
      dropped.items.add(new File(['report'], 'report.txt', { type: 'text/plain' }));
      form.dispatchEvent(new DragEvent('dragover', { dataTransfer: dropped, bubbles: true, cancelable: true }));
      form.dispatchEvent(new DragEvent('drop', { dataTransfer: dropped, bubbles: true, cancelable: true }));
    })()`);
      await page.locator('.composer-file[data-filename="screenshot.png"]').waitFor();
      await page.locator('.composer-file[data-filename="report.txt"]').waitFor();
      assert.equal(await page.inputValue(REPLY), '', 'pasting a file adds no text');
      await page.locator('.composer-file[data-filename="screenshot.png"] button').click();
      await page.locator('.composer-file[data-filename="report.txt"] button').click();
      await page.locator('.composer-file').first().waitFor({ state: 'detached' });
    });

    it('when the agent quotes a customer message, then the quote shows above the box until the reply is sent', async () => {
      await page
        .locator('.message.in', { hasText: 'السلام عليكم' })
        .first()
        .getByRole('button', { name: /رد على/ })
        .click();
      const quote = page.locator('[data-testid=composer-quote]');
      await quote.waitFor();
      assert.match((await quote.textContent()) ?? '', /السلام عليكم/);
      const before = helpdesk.sidecar.sends.length;
      await page.fill(REPLY, 'وعليكم السلام');
      await page.locator(REPLY).press('Enter');
      await waitFor(
        () => helpdesk.sidecar.sends.slice(before).find((send) => send.text === 'وعليكم السلام'),
        10_000,
        'the reply to the quoted message',
      );
      await quote.waitFor({ state: 'detached' });
    });

    it('when the agent adds a personal response on the management page, then the composer offers it', async () => {
      await page.click('[data-testid=admin-menu]');
      await page.click('button[data-admin-page=canned-responses]');
      const form = page.locator('form.canned-form');
      await form.waitFor();
      assert.equal(
        await page.locator('.canned-table tr[data-shortcut=greet] button').count(),
        0,
        'an agent cannot change a shared response',
      );
      await form.locator('input[name=shortcut]').fill('/Delivery');
      await form.locator('input[name=title]').fill('التوصيل');
      await form.locator('textarea[name=body]').fill('يا {{customer.name}}، التوصيل خلال ساعتين');
      assert.match((await form.locator('.canned-preview').textContent()) ?? '', /التوصيل خلال ساعتين/);
      await form.locator('button[type=submit]').click();
      const row = page.locator('.canned-table tr[data-shortcut=delivery][data-scope=personal]');
      await row.waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'canned-responses-page-ar.png') });
      // A bad shortcut is refused with the field named, and nothing is added.
      await form.locator('input[name=shortcut]').fill('two words');
      await form.locator('input[name=title]').fill('x');
      await form.locator('textarea[name=body]').fill('x');
      await form.locator('button[type=submit]').click();
      await page.locator('.canned-admin [role=alert]', { hasText: 'الاختصار' }).waitFor();
      await form.locator('input[name=shortcut][aria-invalid=true]').waitFor();
      // A shortcut already used is refused in Arabic words too.
      await form.locator('input[name=shortcut]').fill('delivery');
      await form.locator('button[type=submit]').click();
      await page.locator('.canned-admin [role=alert]', { hasText: 'مستخدم بالفعل' }).waitFor();
      assert.equal(await page.locator('.canned-table tr[data-shortcut=delivery]').count(), 1);
      await form.locator('input[name=shortcut]').fill('');
      await form.locator('input[name=title]').fill('');
      await form.locator('textarea[name=body]').fill('');

      await page.locator('.admin-page .admin-head button').click();
      await openTicket();
      // The thread is shown again with the PDF sent above, bytes Chromium's viewer cannot render:
      // about half a second after its frame loads it takes the focus, and the console gives it back
      // (useFocusKeptFromFrame), but keys pressed in those few ms go to the viewer. An agent starts
      // once the thread has settled.
      await waitFor(
        () => page.frames().some((frame) => frame.url().startsWith('chrome-extension://')),
        10_000,
        "the PDF in Chromium's viewer",
      );
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await page.locator(REPLY).click();
      await page.locator(REPLY).pressSequentially('/de');
      await page.locator('[data-testid=canned-picker] [data-shortcut=delivery]').waitFor();
      await page.keyboard.press('Enter');
      assert.equal(await page.inputValue(REPLY), 'يا سلمى، التوصيل خلال ساعتين');
      await page.fill(REPLY, '');

      // Delete it again (the browser asks first).
      await page.click('[data-testid=admin-menu]');
      await page.click('button[data-admin-page=canned-responses]');
      page.once('dialog', (dialog) => void dialog.accept());
      await row.locator('button', { hasText: 'حذف' }).click();
      await row.waitFor({ state: 'detached' });
      await page.locator('.admin-page .admin-head button').click();
      await openTicket();
    });

    it('when the agent writes a note, then its draft is kept apart from the reply', async () => {
      // The keyboard hook: focusing the note box (as the shell's shortcut does) switches to notes.
      const note = page.locator('textarea[data-composer="note"]');
      await note.focus();
      await page.locator('form.composer[data-mode=note]').waitFor();
      await note.waitFor();
      await note.fill('العميلة تفضل التوصيل مساءً');
      await page.locator('[data-mode-tab=reply]').click();
      assert.equal(await page.inputValue(REPLY), '');
      assert.equal(await draft('note'), 'العميلة تفضل التوصيل مساءً');
      await page.locator('[data-mode-tab=note]').click();
      await note.press('Enter');
      await page.locator('.note', { hasText: 'التوصيل مساءً' }).first().waitFor();
      assert.equal(await draft('note'), null);
      assert.ok(
        !helpdesk.sidecar.sends.some((send) => send.text?.includes('التوصيل مساءً')),
        'a note never reaches WhatsApp',
      );
    });

    it('when the console is in English, then the composer speaks English and lays out left to right', async () => {
      await page.click('[data-testid=language]');
      assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
      await page.locator('[data-mode-tab=reply]').click();
      assert.match(
        (await page.locator('[data-testid=composer-send-key]').textContent()) ?? '',
        /Enter sends/,
      );
      await page.locator(REPLY).click();
      await page.locator(REPLY).pressSequentially('/gr');
      // The thread shows the PDF sent above: Chromium's viewer took the focus about half a second
      // after the direction changed, which closed the list (and sent the next keys nowhere).
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(
        await page.evaluate('document.activeElement && document.activeElement.dataset.composer'),
        'reply',
        'the reply box keeps the focus',
      );
      await page.locator('[data-testid=canned-picker]', { hasText: 'Canned responses' }).waitFor();
      await page.screenshot({ path: join(ARTIFACTS, 'composer-canned-en.png') });
      await page.keyboard.press('Escape');
      await page.fill(REPLY, '');
      await page.click('[data-testid=language]');
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    });
  },
);
