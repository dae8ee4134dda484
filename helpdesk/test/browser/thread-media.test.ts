/**
 * The open ticket in a real headless Chromium (Debian's /usr/bin/chromium via playwright-core): a
 * customer's photo opens in the viewer, turns a quarter (the CSS transform) and closes with Esc; a
 * voice note has its length and the speed buttons; a location links to OpenStreetMap and a shared
 * contact is a card with tel: links; a reply the WhatsApp side refuses is marked with its reason and
 * "Retry" sends it again; a snooze to a chosen time shows "until …"; closing asks first. Screenshots
 * (desktop 1366×768 and phone 390×844) go to test-artifacts/ at the repository root.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, skipWithoutChromium, ARTIFACTS, prepareConsole } from './shell-support';
import { addAgent } from '../../src/use-cases/agents/create-agent';
import { setAvailability } from '../../src/use-cases/agents/set-availability';
import { startTestHelpdesk, textEvent, waitFor, type TestHelpdesk } from '../support/harness';
import { makePng } from './png';

const EMAIL = 'huda@pharmacy.test';
const PASSWORD = 'huda-password-123';
const CUSTOMER_PHONE = '+201009876543';
const CUSTOMER_NAME = 'كريم';

/** A 300×160 prescription photographed sideways: a dark band down its left edge. */
const SIDEWAYS_PRESCRIPTION = makePng(300, 160, (x, y) => {
  if (x < 30) return [21, 101, 192];
  if (x > 60 && x % 22 < 4 && y > 20 && y < 140) return [120, 130, 140];
  return [250, 250, 246];
});

/** A real WAV file: `seconds` of silence, 8 kHz, 8-bit mono (a browser reads its length). */
function silentWav(seconds: number): Buffer {
  const rate = 8000;
  const samples = rate * seconds;
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + samples, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate, 28); // bytes per second
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(samples, 40);
  return Buffer.concat([header, Buffer.alloc(samples, 128)]);
}
const VOICE_NOTE = silentWav(3);
/** A one-page PDF (what the server's type sniffing recognises by its header). */
const MINIMAL_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj ' +
    '3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);

const AXE_SOURCE = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

/**
 * axe-core's serious and critical violations on the page as it is, one line each. axe goes in by
 * evaluation, not a script tag, which the console's CSP (no inline script) rightly refuses.
 */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe !== "undefined"'))) await page.evaluate(AXE_SOURCE);
  return (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((result) =>
    result.violations
      .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
      .map((violation) => violation.id + ': ' + violation.nodes.slice(0, 3).map((node) => node.target.join(' ')).join(', ')),
  )`)) as string[];
}

describe(
  'the open ticket: media, failed replies, snooze and close',
  { skip: skipWithoutChromium, timeout: 120_000 },
  () => {
    let helpdesk: TestHelpdesk;
    let browser: Browser;
    let page: Page;

    /** Posts one inbound message of `type` from the customer, as the sidecar forwards it. */
    async function customerSends(fields: Record<string, unknown>): Promise<void> {
      const event = textEvent(CUSTOMER_PHONE, '', { name: CUSTOMER_NAME });
      Object.assign(event.message, { text: null, ...fields });
      assert.equal((await helpdesk.postWppconnect(event)).status, 202);
    }

    /**
     * Polls a page expression until it is truthy. Page functions as strings (this file is type-checked
     * without the DOM library); page.evaluate, not waitForFunction, whose polling the console's CSP
     * (no eval) refuses.
     */
    async function waitInPage(expression: string, what: string): Promise<void> {
      await waitFor(() => page.evaluate(expression), 10_000, what);
    }

    function media(id: string, body: Buffer, mimeType: string, filename: string | null = null) {
      helpdesk.sidecar.media.set(id, { body, mimeType });
      return {
        id,
        mimeType,
        filename,
        size: body.length,
        sha256: null,
        url: `${helpdesk.sidecar.url}/api/media/${id}`,
      };
    }

    before(async () => {
      await prepareConsole();
      helpdesk = await startTestHelpdesk();
      await addAgent(helpdesk.context.db, { name: 'هدى', email: EMAIL, password: PASSWORD, capacity: 5 });
      await setAvailability(helpdesk.context.pool, EMAIL, 'online');

      await customerSends({
        type: 'image',
        caption: 'الروشتة',
        media: media('rx-sideways', SIDEWAYS_PRESCRIPTION, 'image/png'),
      });
      await customerSends({ type: 'voice', media: media('voice-1', VOICE_NOTE, 'audio/wav') });
      await customerSends({
        type: 'location',
        location: {
          latitude: 30.0444,
          longitude: 31.2357,
          name: 'صيدلية النور',
          address: 'شارع التحرير، القاهرة',
        },
      });
      await customerSends({
        type: 'contact',
        text: 'BEGIN:VCARD\nVERSION:3.0\nFN:د. سامي\nitem1.TEL;waid=201112223334:+20 111 222 3334\nEND:VCARD',
      });
      await customerSends({
        type: 'document',
        media: media('rx-pdf', MINIMAL_PDF, 'application/pdf', 'وصفة الطبيب.pdf'),
      });
      // A video the browser cannot decode (a broken upload from the phone).
      await customerSends({
        type: 'video',
        media: media('clip-broken', Buffer.from('not really a video'), 'video/mp4', 'clip.mp4'),
      });
      await waitFor(
        async () =>
          (await helpdesk.context.db.message.count({ where: { direction: 'inbound' } })) === 6 &&
          (await helpdesk.context.db.ticket.findFirst({ where: { assignee: { email: EMAIL } } })),
        15_000,
        'six customer messages in a ticket assigned to Huda',
      );

      browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
      page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'ar-EG' });
      page.setDefaultTimeout(10_000);
      await page.goto(helpdesk.url);
      await page.fill('input[name=email]', EMAIL);
      await page.fill('input[name=password]', PASSWORD);
      await page.click('button[type=submit]');
      const item = page.locator('.ticket-item', { hasText: CUSTOMER_NAME });
      await item.waitFor();
      await item.click();
      await page.locator('.thread-head .customer-name', { hasText: CUSTOMER_NAME }).waitFor();
    });

    after(async () => {
      await browser?.close();
      await helpdesk?.stop();
    });

    it('when the agent clicks the photo, then the viewer opens, rotates a quarter turn and closes with Esc', async () => {
      const photo = page.locator('.message.in .image-open');
      await photo.waitFor();
      await waitInPage(
        "(() => { const image = document.querySelector('.message.in .image-open img'); return Boolean(image && image.complete && image.naturalWidth === 300); })()",
        'the photo decoded',
      );
      await photo.click();
      const viewer = page.locator('dialog.image-viewer');
      await viewer.waitFor();
      assert.equal(
        await page.evaluate("document.querySelector('dialog.image-viewer').open"),
        true,
        'the viewer is an open dialog',
      );
      assert.equal(
        await page.evaluate("document.activeElement?.closest('dialog.image-viewer') !== null"),
        true,
        'the focus is inside the viewer',
      );

      await viewer.locator('button[data-viewer=rotate]').click();
      const image = viewer.locator('.viewer-stage img');
      assert.match((await image.getAttribute('style')) ?? '', /rotate\(90deg\)/, 'a quarter turn is asked');
      // The applied transform: a 90° rotation is the matrix (cos, sin, -sin, cos) = (0, 1, -1, 0).
      await waitInPage(
        "(() => { const m = new DOMMatrixReadOnly(getComputedStyle(document.querySelector('dialog.image-viewer .viewer-stage img')).transform); return Math.abs(m.a) < 1e-6 && Math.abs(m.b - 1) < 1e-6 && Math.abs(m.c + 1) < 1e-6; })()",
        'the image turned a quarter',
      );
      assert.deepEqual(await seriousViolations(page), [], 'the viewer passes axe');
      // Turned, the photo still fits the window: its long side (300 px) now runs top to bottom.
      const box = (await page.evaluate(
        "(() => { const r = document.querySelector('dialog.image-viewer .viewer-stage img').getBoundingClientRect(); return { width: r.width, height: r.height }; })()",
      )) as { width: number; height: number };
      assert.ok(box.height > box.width, `upright after the turn (${box.width}×${box.height})`);
      assert.ok(box.height <= 768, 'fits the window');
      const widthOf = async () =>
        parseFloat(
          (await page.evaluate(
            "document.querySelector('dialog.image-viewer .viewer-stage img').style.width",
          )) as string,
        );
      const fitted = await widthOf();
      await viewer.locator('button[data-viewer=zoom-in]').click();
      assert.ok(Math.abs((await widthOf()) - fitted * 1.5) < 1, 'zoomed in by half');
      await page.screenshot({ path: join(ARTIFACTS, 'thread-image-viewer-rotated.png') });

      // The keyboard turns it too (R), and the page's own shortcuts stay out of the viewer.
      await page.keyboard.press('r');
      assert.match((await image.getAttribute('style')) ?? '', /rotate\(180deg\)/, 'R turns another quarter');
      await page.keyboard.press('r');
      await page.keyboard.press('r');
      assert.match(
        (await image.getAttribute('style')) ?? '',
        /rotate\(0deg\)/,
        'four quarters: upright again',
      );

      // Tab stays inside the dialog.
      for (let step = 0; step < 8; step += 1) await page.keyboard.press('Tab');
      assert.equal(
        await page.evaluate("document.activeElement?.closest('dialog.image-viewer') !== null"),
        true,
        'Tab does not leave the viewer',
      );

      await page.keyboard.press('Escape');
      await viewer.waitFor({ state: 'detached' });
      assert.equal(
        await page.evaluate("document.activeElement?.classList.contains('image-open')"),
        true,
        'the focus is back on the photo',
      );
    });

    it('when a voice note arrives, then it shows its length and 1×/1.5×/2× speeds that set the playback rate', async () => {
      const note = page.locator('.message.in .voice-note');
      await note.waitFor();
      const speeds = note.locator('.speeds button');
      assert.equal(await speeds.count(), 3);
      assert.deepEqual(await speeds.allTextContents(), ['١×', '١٫٥×', '٢×'], 'Arabic-Indic digits');
      await note.locator('.duration').waitFor();
      assert.match(await note.locator('.duration').innerText(), /٠:٠٣/, 'three seconds, in Arabic digits');
      await note.locator('button[data-speed="1.5"]').click();
      assert.equal(await note.locator('button[data-speed="1.5"]').getAttribute('aria-pressed'), 'true');
      assert.equal(
        await page.evaluate("document.querySelector('.message.in .voice-note audio').playbackRate"),
        1.5,
      );
      assert.match(
        (await note.locator('a.download-link').getAttribute('href')) ?? '',
        /^\/api\/attachments\/[\w-]+\?download=1$/,
      );
    });

    it('when a location, a contact, a PDF and a broken video arrive, then a map link, a card with tel: links and named downloads', async () => {
      const map = page.locator('.message.in .location-card a.map-link');
      await map.waitFor();
      const href = (await map.getAttribute('href')) ?? '';
      assert.ok(href.startsWith('https://www.openstreetmap.org/?mlat=30.0444&mlon=31.2357'), href);
      assert.ok(await page.locator('.location-card', { hasText: 'صيدلية النور' }).isVisible());

      const card = page.locator('.message.in .contact-card');
      await card.waitFor();
      assert.equal(await card.locator('.contact-name').innerText(), 'د. سامي');
      assert.equal(await card.locator('a[href^="tel:"]').getAttribute('href'), 'tel:+201112223334');
      assert.equal(await card.locator('a[href^="tel:"]').getAttribute('dir'), 'ltr');
      const pdf = page.locator('.message.in .pdf-preview a.document');
      await pdf.waitFor();
      assert.equal(await pdf.getAttribute('download'), 'وصفة الطبيب.pdf', 'downloads under its own name');
      assert.match((await pdf.getAttribute('href')) ?? '', /^\/api\/attachments\/[\w-]+\?download=1$/);
      assert.match(await pdf.innerText(), /وصفة الطبيب\.pdf/);
      // The server offers PDFs inline (HEAD), so the console previews it in a frame.
      const frame = page.locator('.message.in .pdf-preview iframe.pdf-frame');
      await frame.waitFor();
      assert.equal(await frame.getAttribute('title'), 'وصفة الطبيب.pdf');
      const src = (await frame.getAttribute('src')) ?? '';
      assert.match(src, /^\/api\/attachments\/[\w-]+$/);
      // Chromium's PDF viewer opens inside the frame only when framing is allowed (a refused frame,
      // by X-Frame-Options DENY or frame-ancestors, or a sandboxed one shows an error page instead).
      await frame.scrollIntoViewIfNeeded();
      await waitFor(
        () => page.frames().some((candidate) => candidate.url().startsWith('chrome-extension://')),
        10_000,
        "the PDF in Chromium's viewer",
      );
      await page.screenshot({ path: join(ARTIFACTS, 'thread-pdf-ar.png') });
      const video = page.locator('.message.in .video-attachment');
      await video.locator('p', { hasText: 'تعذّر تشغيل الملف هنا' }).waitFor();
      assert.equal(
        await video.locator('a.document').getAttribute('download'),
        'clip.mp4',
        'offered as a download',
      );
      await card.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, 'thread-media-ar.png') });
      assert.deepEqual(await seriousViolations(page), [], 'the thread with its media passes axe');
    });

    it('when the agent clicks into the PDF preview from the reply box, then the focus stays in the PDF', async () => {
      // The preview gives back a focus its viewer takes on its own (useFocusKeptFromFrame), never
      // one the agent gave it.
      const box = page.locator('textarea[data-composer="reply"]');
      await box.click();
      await box.pressSequentially('Yes');
      const frame = page.locator('.message.in .pdf-preview iframe.pdf-frame');
      await frame.scrollIntoViewIfNeeded();
      const area = (await frame.boundingBox())!;
      await page.mouse.move(area.x + area.width / 2, area.y + area.height / 2, { steps: 8 });
      await page.mouse.down();
      await page.mouse.up();
      await new Promise((resolve) => setTimeout(resolve, 800));
      assert.equal(await page.evaluate('document.activeElement && document.activeElement.tagName'), 'IFRAME');
      await box.fill('');
    });

    it('when WhatsApp refuses a reply, then it is marked with the reason and Retry sends it', async () => {
      const text = 'الدواء متوفر، نرسله اليوم';
      // "Reply to this" on the customer's contact card puts it above the composer.
      await page.locator('.message.in.type-contact button[data-action=quote]').click();
      await page.locator('[data-testid=composer-quote]', { hasText: 'سامي' }).waitFor();
      helpdesk.sidecar.failSendsWith = 400;
      await page.fill('textarea[data-composer="reply"]', text);
      await page.click('form:has(textarea[data-composer="reply"]) button[type=submit]');
      const bubble = page.locator('.message.out.failed', { hasText: text });
      await bubble.waitFor({ timeout: 15_000 });
      const note = bubble.locator('.failed-note');
      assert.match(await note.innerText(), /لم تصل الرسالة إلى العميل/);
      assert.match(await note.locator('.failure-detail').innerText(), /400/, 'the reason from the driver');
      const retry = bubble.locator('button[data-action=retry]');
      assert.ok(await retry.isVisible(), 'Retry is offered');
      await page.screenshot({ path: join(ARTIFACTS, 'thread-failed-reply-ar.png') });

      helpdesk.sidecar.failSendsWith = null;
      await retry.click();
      const sent = await waitFor(
        () => helpdesk.sidecar.sends.find((send) => send.text === text),
        15_000,
        'the retried reply at the stand-in sidecar',
      );
      assert.equal(sent.to, CUSTOMER_PHONE);
      await page
        .locator('.message.out', { hasText: text })
        .locator('[data-delivery=sent], [data-delivery=delivered], [data-delivery=read]')
        .waitFor({ timeout: 15_000 });
      assert.equal(await page.locator('.message.out.failed', { hasText: text }).count(), 0);
    });

    it('when the agent snoozes to a chosen time, then the ticket is pending "until …" that time', async () => {
      await page.click('button[data-action=snooze]');
      const picker = page.locator('.snooze-picker');
      await picker.waitFor();
      assert.equal(
        await picker.locator('button[data-snooze]').count(),
        3,
        'later today, tomorrow, next week',
      );
      // Two days ahead at 10:30, local time of the browser.
      const until = (await page.evaluate(
        "(() => { const d = new Date(); d.setDate(d.getDate() + 2); d.setHours(10, 30, 0, 0); const p = (n) => String(n).padStart(2, '0'); return { local: `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T10:30`, iso: d.toISOString() }; })()",
      )) as { local: string; iso: string };
      await picker.locator('input[name=snoozeUntil]').fill(until.local);
      await picker.locator('button[type=submit]').click();
      const shown = page.locator('[data-testid=snoozed-until]');
      await shown.waitFor();
      assert.match(await shown.innerText(), /مؤجلة حتى/);
      assert.match(await shown.innerText(), /١٠:٣٠/, 'the chosen time, in Arabic digits');
      assert.equal(await shown.locator('time').getAttribute('datetime'), until.iso);
      assert.equal(await page.locator('[data-testid=ticket-status]').innerText(), 'معلّقة');
      const stored = await helpdesk.context.db.ticket.findFirst({ where: { assignee: { email: EMAIL } } });
      assert.equal(stored?.status, 'pending');
      await page.screenshot({ path: join(ARTIFACTS, 'thread-snoozed-ar.png') });
    });

    it('when the agent closes the ticket, then a dialog asks first and only Confirm closes it', async () => {
      await page.click('button[data-action=close]');
      const dialog = page.locator('dialog.confirm-dialog');
      await dialog.waitFor();
      assert.equal(await dialog.getAttribute('role'), 'alertdialog');
      assert.match(await dialog.innerText(), /إغلاق التذكرة #/);
      assert.equal(
        await page.evaluate("document.activeElement?.getAttribute('data-confirm')"),
        'no',
        'Cancel has the focus',
      );
      await page.screenshot({ path: join(ARTIFACTS, 'thread-close-confirm-ar.png') });
      assert.deepEqual(await seriousViolations(page), [], 'the confirmation passes axe');
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      assert.notEqual(await page.locator('[data-testid=ticket-status]').innerText(), 'مغلقة');

      await page.click('button[data-action=close]');
      await dialog.locator('button[data-confirm=yes]').click();
      await page.locator('[data-testid=ticket-status]', { hasText: 'مغلقة' }).waitFor();
      const stored = await helpdesk.context.db.ticket.findFirst({ where: { assignee: { email: EMAIL } } });
      assert.equal(stored?.status, 'closed');
      assert.equal(
        await page.locator('button[data-action=reopen]').count(),
        0,
        'only admins reopen closed tickets',
      );
    });

    it('when an admin opens the closed ticket, then "Reopen" is offered and opens it again', async () => {
      await addAgent(helpdesk.context.db, {
        name: 'Admin',
        email: 'admin@pharmacy.test',
        password: 'admin-password-123',
        capacity: 0,
        role: 'admin',
      });
      const ticket = await helpdesk.context.db.ticket.findFirstOrThrow({
        where: { assignee: { email: EMAIL } },
      });
      const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'ar-EG' });
      try {
        const admin = await context.newPage();
        admin.setDefaultTimeout(10_000);
        // The shell keeps the open ticket in the address: signing in lands on it.
        await admin.goto(`${helpdesk.url}/#ticket=${ticket.id}`);
        await admin.fill('input[name=email]', 'admin@pharmacy.test');
        await admin.fill('input[name=password]', 'admin-password-123');
        await admin.click('button[type=submit]');
        await admin.locator('[data-testid=ticket-status]', { hasText: 'مغلقة' }).waitFor();
        const reopen = admin.locator('button[data-action=reopen]');
        assert.equal(await reopen.innerText(), 'إعادة فتح');
        await reopen.click();
        await admin.locator('[data-testid=ticket-status]', { hasText: 'مفتوحة' }).waitFor();
        const stored = await helpdesk.context.db.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
        assert.equal(stored.status, 'open');
      } finally {
        await context.close();
      }
      // Back in the agent's page the ticket is open again (realtime), with its actions.
      await page.locator('[data-testid=ticket-status]', { hasText: 'مفتوحة' }).waitFor();
    });

    it('when the agent hides the customer panel, then the thread takes the width, and shows it again', async () => {
      const panel = page.locator('.thread-side');
      assert.ok(await panel.isVisible(), 'the panel shows beside the thread at 1366×768');
      const toggle = page.locator('.thread-head button.panel-toggle');
      assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
      await toggle.click();
      await panel.waitFor({ state: 'hidden' });
      assert.equal(await toggle.getAttribute('aria-expanded'), 'false');
      await toggle.click();
      await panel.waitFor({ state: 'visible' });
    });

    it('when the page is phone-sized, then the thread fits the width and the customer panel takes turns with it', async () => {
      await page.setViewportSize({ width: 390, height: 844 });
      const widths = (await page.evaluate(
        "(() => ({ page: document.documentElement.clientWidth, scroll: document.documentElement.scrollWidth, thread: document.querySelector('.thread')?.getBoundingClientRect().width ?? 0 }))()",
      )) as { page: number; scroll: number; thread: number };
      assert.ok(
        widths.scroll <= widths.page + 1,
        `no sideways scrolling (${widths.scroll} > ${widths.page})`,
      );
      assert.ok(widths.thread > 0 && widths.thread <= widths.page, `the thread fits (${widths.thread})`);
      await page.screenshot({ path: join(ARTIFACTS, 'thread-phone-ar.png') });
      // The thread and the customer panel take turns.
      assert.equal(
        await page.locator('.thread-side').isVisible(),
        false,
        'the panel waits behind its button',
      );
      await page.click('.thread-head button.panel-toggle');
      await page.locator('.thread-side').waitFor({ state: 'visible' });
      assert.equal(await page.locator('.thread').isVisible(), false, 'the panel replaces the thread');
      await page.screenshot({ path: join(ARTIFACTS, 'thread-phone-panel-ar.png') });
      await page.click('.thread-side button.side-back');
      await page.locator('.thread').waitFor({ state: 'visible' });
      await page.setViewportSize({ width: 1366, height: 768 });
    });

    it('when the agent switches to English, then the thread reads left to right with Latin digits', async () => {
      await page.click('[data-testid=language]');
      assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
      await page.locator('[data-testid=ticket-status]', { hasText: 'Open' }).waitFor();
      assert.deepEqual(await page.locator('.voice-note .speeds button').allTextContents(), [
        '1×',
        '1.5×',
        '2×',
      ]);
      assert.match(await page.locator('.thread-head .ticket-number').innerText(), /^#\d+$/);
      await page.screenshot({ path: join(ARTIFACTS, 'thread-en.png') });
      await page.click('[data-testid=language]');
      assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    });
  },
);
