/**
 * One message bubble per kind (Vitest, happy-dom, Testing Library), with the API's message fields
 * (INTERFACES C): the quote block, "edited" with the earlier versions, "deleted by the customer"
 * keeping the text, reactions on the message, a contact card whose "open as customer" finds the
 * customer with `GET /api/search`, a location with its OpenStreetMap link, view-once media, list
 * and interactive replies, a poll, forwarded, and the older text forms of a location and a contact.
 */
import type { Message } from '@whatsapp-helpdesk/contract/api';
import { cleanup, fireEvent, render, waitFor, within } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nContext, makeI18n } from '../i18n';
import { makeMessage, recordFetch, TICKET_ID } from '../test-support';
import { MessageBubble } from './MessageBubble';
import { ThreadLinksContext } from './message-kinds/thread-links';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function bubble(
  message: Message,
  options: { language?: 'ar' | 'en'; openTicket?: (id: string) => void; onQuote?: () => void } = {},
) {
  const wrap = (children: ReactNode) => (
    <I18nContext.Provider value={makeI18n(options.language ?? 'ar')}>
      <ThreadLinksContext.Provider
        value={{ hasMessage: () => false, openTicket: options.openTicket ?? (() => {}) }}
      >
        <ol>{children}</ol>
      </ThreadLinksContext.Provider>
    </I18nContext.Provider>
  );
  const view = render(
    wrap(
      <MessageBubble
        message={message}
        ticketId={TICKET_ID}
        canReply
        onQuote={options.onQuote ?? (() => {})}
        onRetried={() => {}}
        onMediaLoad={() => {}}
      />,
    ),
  );
  return view.container.querySelector<HTMLElement>('li.message')!;
}

describe('MessageBubble', () => {
  it('when a reply quotes our message, then the quote names our team, the type and the text', () => {
    const li = bubble(
      makeMessage({
        text: 'شكرا',
        quoted: {
          messageId: null,
          providerMessageId: 'true_201001234567@c.us_3EB0',
          direction: 'outbound',
          type: 'image',
          text: 'صورة الفاتورة',
        },
      }),
    );
    const quote = li.querySelector('.quote-block')!;
    expect(quote.tagName).toBe('DIV');
    expect(quote.textContent).toContain('فريقنا');
    expect(quote.textContent).toContain('صورة');
    expect(quote.textContent).toContain('صورة الفاتورة');
    expect(li.querySelector('.text')!.textContent).toBe('شكرا');
  });

  it('when a message was edited, then "edited" shows and the earlier versions sit in a disclosure', () => {
    const li = bubble(
      makeMessage({
        text: 'أحتاج علبتين',
        editedAt: '2026-11-28T09:05:00.000Z',
        edits: [
          { text: 'أحتاج علبة', at: '2026-11-28T09:00:00.000Z' },
          { text: 'أحتاج ثلاث علب', at: '2026-11-28T09:03:00.000Z' },
        ],
      }),
    );
    const history = li.querySelector('details.edit-history')!;
    expect(history.querySelector('summary')!.textContent).toContain('معدّلة');
    expect(history.querySelector('summary')!.textContent).toContain('النسخ السابقة (٢)');
    expect([...history.querySelectorAll('.edit-text')].map((item) => item.textContent)).toEqual([
      'أحتاج علبة',
      'أحتاج ثلاث علب',
    ]);
    expect(li.querySelector('.text')!.textContent).toBe('أحتاج علبتين');
  });

  it('when the customer deleted a message, then it says so, keeps the text and offers no reply', () => {
    const li = bubble(makeMessage({ text: 'رقم بطاقتي 1234', deletedAt: '2026-11-28T09:06:00.000Z' }));
    expect(li.classList.contains('deleted')).toBe(true);
    expect(li.querySelector('.deleted-marker')!.textContent).toContain('حذفها العميل');
    expect(li.querySelector('.text')!.textContent).toBe('رقم بطاقتي 1234');
    expect(li.querySelector('button[data-action=quote]')).toBeNull();
  });

  it('when the customer reacted, then the emojis show on the message, counted', () => {
    const li = bubble(
      makeMessage({
        direction: 'outbound',
        author: 'agent',
        agent: { id: 'a', name: 'منى' },
        deliveryStatus: 'read',
        text: 'الطلب في الطريق',
        reactions: [
          { emoji: '👍', by: 'customer', at: '2026-11-28T09:07:00.000Z' },
          { emoji: '❤️', by: 'customer', at: '2026-11-28T09:08:00.000Z' },
          { emoji: '👍', by: 'customer', at: '2026-11-28T09:09:00.000Z' },
          { emoji: '', by: 'customer', at: '2026-11-28T09:10:00.000Z' },
        ],
      }),
    );
    const list = within(li).getByRole('list', { name: 'تفاعلات العميل' });
    const chips = [...list.querySelectorAll('.reaction')];
    expect(chips.map((chip) => chip.querySelector('.emoji')!.textContent)).toEqual(['👍', '❤️']);
    expect(chips[0]!.querySelector('.count')!.textContent).toBe('٢');
    // An agent's sent message may be quoted too.
    expect(li.querySelector('button[data-action=quote]')).not.toBeNull();
  });

  it('when a contact card arrives, then name, org and phones show; "open as customer" searches and opens the ticket', async () => {
    const openTicket = vi.fn();
    const calls = recordFetch(({ url }) =>
      url.startsWith('/api/search')
        ? {
            json: {
              items: [
                {
                  ticket: { id: 'bbbbbbbb-0000-4000-8000-000000000001' },
                  matchedIn: 'phone',
                  messageId: null,
                  snippet: null,
                  matchedAt: null,
                  openable: true,
                  reason: null,
                },
              ],
            },
          }
        : undefined,
    );
    const li = bubble(
      makeMessage({
        type: 'contact',
        text: 'BEGIN:VCARD\nFN:د. سامي\nEND:VCARD',
        contacts: [
          {
            name: 'د. سامي',
            org: 'صيدلية النور',
            phones: [{ number: '+20 100 765 4321', waId: '201007654321', type: 'CELL' }],
            vcard: 'BEGIN:VCARD…',
          },
        ],
      }),
      { openTicket },
    );
    const card = li.querySelector('.contact-card')!;
    expect(card.querySelector('.contact-name')!.textContent).toBe('د. سامي');
    expect(card.querySelector('.contact-org')!.textContent).toBe('صيدلية النور');
    const tel = card.querySelector<HTMLAnchorElement>('a[href^="tel:"]')!;
    expect(tel.getAttribute('href')).toBe('tel:+201007654321');
    expect(tel.getAttribute('dir')).toBe('ltr');

    fireEvent.click(within(card as HTMLElement).getByRole('button', { name: 'فتح كعميل' }));
    await waitFor(() => expect(openTicket).toHaveBeenCalledWith('bbbbbbbb-0000-4000-8000-000000000001'));
    expect(calls[0]!.url).toBe('/api/search?q=%2B201007654321&limit=10');
  });

  it('when nobody has the contact\'s number, then the card says so; "copy" puts the number on the clipboard', async () => {
    recordFetch(() => ({ json: { items: [] } }));
    const writeText = vi.fn(async () => {});
    vi.stubGlobal('navigator', { ...navigator, clipboard: { writeText } });
    const li = bubble(
      makeMessage({
        type: 'contact',
        text: null,
        contacts: [
          {
            name: 'Sami',
            org: null,
            phones: [{ number: '0100 765 4321', waId: null, type: null }],
            vcard: '',
          },
        ],
      }),
      { language: 'en' },
    );
    fireEvent.click(within(li).getByRole('button', { name: 'Open as customer' }));
    await within(li).findByText('No customer with this number yet');
    fireEvent.click(within(li).getByRole('button', { name: 'Copy' }));
    await within(li).findByText('Number copied');
    expect(writeText).toHaveBeenCalledWith('0100 765 4321');
  });

  it('when a location arrives, then name, address, live flag, coordinates in Arabic digits and the map link show', () => {
    const li = bubble(
      makeMessage({
        type: 'location',
        text: 'صيدلية النور، شارع التحرير (30.0444, 31.2357)',
        location: {
          latitude: 30.0444,
          longitude: 31.2357,
          name: 'صيدلية النور',
          address: 'شارع التحرير، القاهرة',
          live: true,
          url: 'https://maps.google.com/?q=30.0444,31.2357',
        },
      }),
    );
    const card = li.querySelector('.location-card')!;
    expect(card.querySelector('.place-name')!.textContent).toBe('صيدلية النور');
    expect(card.querySelector('.place-address')!.textContent).toBe('شارع التحرير، القاهرة');
    expect(card.querySelector('.live-badge')!.textContent).toBe('موقع مباشر');
    expect(card.querySelector('.coordinates bdi')!.textContent).toBe('٣٠٫٠٤٤٤, ٣١٫٢٣٥٧');
    const map = card.querySelector<HTMLAnchorElement>('a.map-link')!;
    expect(
      map.getAttribute('href')!.startsWith('https://www.openstreetmap.org/?mlat=30.0444&mlon=31.2357'),
    ).toBe(true);
    expect(map.getAttribute('rel')).toContain('noopener');
    expect(card.querySelector('a.location-url')!.getAttribute('href')).toBe(
      'https://maps.google.com/?q=30.0444,31.2357',
    );
  });

  it('when a location has only the older text form, then the card still links to the map', () => {
    const li = bubble(makeMessage({ type: 'location', text: 'صيدلية النور (30.0444, 31.2357)' }), {
      language: 'en',
    });
    expect(li.querySelector('.coordinates bdi')!.textContent).toBe('30.0444, 31.2357');
    expect(li.querySelector('.location-card .place-name')!.textContent).toBe('صيدلية النور');
    expect(li.querySelector('.live-badge')).toBeNull();
  });

  it('when view-once media arrives without a file, then it says view once and offers no download', () => {
    const li = bubble(
      makeMessage({
        type: 'image',
        text: null,
        attachments: [],
        details: {
          forwarded: false,
          viewOnce: true,
          albumId: null,
          durationSeconds: null,
          width: null,
          height: null,
          pages: null,
          listReply: null,
          buttonReply: null,
          interactive: null,
        },
      }),
    );
    const note = li.querySelector('.view-once')!;
    expect(note.textContent).toContain('للعرض مرة واحدة');
    expect(note.textContent).toContain('لا تُحفظ هنا');
    expect(li.querySelector('a[href^="/api/attachments"]')).toBeNull();
    expect(li.querySelector('img, audio, video')).toBeNull();
  });

  it('when a forwarded voice note, a list reply and a form reply arrive, then their details show', () => {
    const details = {
      forwarded: true,
      viewOnce: false,
      albumId: null,
      durationSeconds: 75,
      width: null,
      height: null,
      pages: null,
      listReply: null,
      buttonReply: null,
      interactive: null,
    };
    const voice = bubble(makeMessage({ type: 'voice', text: null, details }));
    expect(voice.querySelector('.forwarded-marker')!.textContent).toContain('معاد توجيهها');
    expect(voice.querySelector('.media-duration')!.textContent).toContain('١:١٥');
    cleanup();

    const list = bubble(
      makeMessage({
        type: 'interactive',
        text: 'فرع المعادي',
        details: {
          ...details,
          forwarded: false,
          listReply: { id: 'b2', title: 'فرع المعادي', description: 'يفتح ٢٤ ساعة' },
        },
      }),
    );
    expect(list.querySelector('.list-reply .choice-title')!.textContent).toBe('فرع المعادي');
    expect(list.querySelector('.list-reply')!.textContent).toContain('اختار من القائمة');
    // The title is not repeated as the text.
    expect(list.querySelector('.text')).toBeNull();
    cleanup();

    const form = bubble(
      makeMessage({
        type: 'interactive',
        text: null,
        details: {
          ...details,
          forwarded: false,
          interactive: {
            kind: 'nfm_reply',
            name: 'flow',
            body: 'Sent',
            response: '{"flow_token":"x","medicine":"Panadol","quantity":2}',
          },
        },
      }),
      { language: 'en' },
    );
    const fields = [...form.querySelectorAll('.interactive-fields div')].map((row) => row.textContent);
    expect(form.querySelector('.interactive-reply')!.textContent).toContain('Form reply');
    expect(fields).toEqual(['medicinePanadol', 'quantity2']);
  });

  it('when a poll arrives, then the question and its options show', () => {
    const li = bubble(makeMessage({ type: 'poll', text: 'أي فرع أقرب لك؟\n• المعادي\n• الدقي' }));
    expect(li.querySelector('.poll-question')!.textContent).toBe('أي فرع أقرب لك؟');
    expect([...li.querySelectorAll('.poll-options li')].map((item) => item.textContent)).toEqual([
      'المعادي',
      'الدقي',
    ]);
  });

  it('when "Reply" is chosen or q is pressed in the message, then the message is quoted', () => {
    const onQuote = vi.fn();
    const message = makeMessage({ text: 'مرحبا' });
    const li = bubble(message, { onQuote });
    fireEvent.click(within(li).getByRole('button', { name: 'رد على هذه الرسالة' }));
    fireEvent.keyDown(li, { key: 'q' });
    expect(onQuote).toHaveBeenCalledTimes(2);
    expect(onQuote).toHaveBeenLastCalledWith(message);
  });
});
