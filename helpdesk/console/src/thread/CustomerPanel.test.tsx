/**
 * The customer panel on its own (Vitest, happy-dom, Testing Library), against a stubbed API: the
 * notes stand first and are saved with PATCH; tags are added and removed; the ticket's labels and
 * category are saved with their PUT, and offered only when the ticket allows `note`; a previous
 * ticket opens through onOpenTicket; shared images show as thumbnails, documents by name.
 */
import type { Label, TicketAction, TicketThread } from '@whatsapp-helpdesk/contract/api';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AGENT, CUSTOMER_ID, makeThread, recordFetch, TICKET_ID, type RecordedCall } from '../test-support';
import { CustomerPanel } from './CustomerPanel';

const EARLIER_ID = '66666666-6666-4666-8666-666666666666';
const VIP: Label = { id: '77777777-7777-4777-8777-777777777777', name: 'VIP', color: '#aa00aa' };
const REFUND: Label = { id: '88888888-8888-4888-8888-888888888888', name: 'استرجاع', color: '#c0392b' };

function thread(
  options: { allowed?: TicketAction[]; notes?: string | null; labels?: Label[] } = {},
): TicketThread {
  return makeThread({
    ticket: { number: 9, labels: options.labels ?? [], allowedActions: options.allowed ?? ['reply', 'note'] },
    customer: { tags: ['vip'], notes: options.notes === undefined ? 'حساسية من البنسلين' : options.notes },
  });
}

describe('CustomerPanel', () => {
  let calls: RecordedCall[];

  beforeEach(() => {
    calls = recordFetch((call) => {
      const { method, url } = call;
      const body = call.body as Record<string, unknown> | null;
      let json: unknown = {};
      if (url === `/api/customers/${CUSTOMER_ID}` && method === 'GET') {
        json = {
          id: CUSTOMER_ID,
          tickets: [
            {
              id: TICKET_ID,
              number: 9,
              status: 'open',
              category: null,
              channel: 'pharmacy',
              assignee: null,
              openedAt: '2026-11-28T10:00:00.000Z',
            },
            {
              id: EARLIER_ID,
              number: 4,
              status: 'closed',
              category: 'delivery',
              channel: 'pharmacy',
              assignee: { id: 'x', name: 'عمر' },
              openedAt: '2026-10-01T10:00:00.000Z',
            },
          ],
        };
      } else if (url.startsWith(`/api/customers/${CUSTOMER_ID}/media`)) {
        json = {
          items: [
            {
              id: 'a1',
              url: '/api/attachments/a1',
              messageId: 'm1',
              ticketId: EARLIER_ID,
              ticketNumber: 4,
              mimeType: 'image/png',
              size: 2048,
              filename: null,
              sentAt: '2026-10-01T10:05:00.000Z',
              direction: 'inbound',
            },
            {
              id: 'a2',
              url: '/api/attachments/a2',
              messageId: 'm2',
              ticketId: EARLIER_ID,
              ticketNumber: 4,
              mimeType: 'application/pdf',
              size: 4096,
              filename: 'فاتورة.pdf',
              sentAt: '2026-10-01T10:06:00.000Z',
              direction: 'outbound',
            },
          ],
        };
      } else if (url === '/api/labels') {
        json = { items: [VIP, REFUND] };
      } else if (url === '/api/ticket-categories') {
        json = {
          items: [
            { id: 'delivery', ar: 'التوصيل والفروع', en: 'Delivery and branches' },
            { id: 'pharmacist', ar: 'التحدث مع صيدلي', en: 'Talk to a pharmacist' },
          ],
        };
      } else if (url === `/api/customers/${CUSTOMER_ID}` && method === 'PATCH') {
        json = {
          id: CUSTOMER_ID,
          tags: body?.tags ?? ['vip'],
          notes: body && 'notes' in body ? body.notes : 'حساسية من البنسلين',
        };
      } else if (url === `/api/tickets/${TICKET_ID}/labels`) {
        const ids = (body?.labelIds as string[]) ?? [];
        json = { id: TICKET_ID, labels: [VIP, REFUND].filter((label) => ids.includes(label.id)) };
      } else if (url === `/api/tickets/${TICKET_ID}/category`) {
        json = { id: TICKET_ID, category: body?.category ?? null, labels: [] };
      }
      return { json, status: 200 };
    });
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  function mount(data = thread(), onOpenTicket = (_id: string) => {}, onChanged = () => {}) {
    return render(
      <CustomerPanel thread={data} agent={AGENT} onOpenTicket={onOpenTicket} onChanged={onChanged} />,
    );
  }
  const field = (container: HTMLElement, selector: string) =>
    container.querySelector(selector) as HTMLElement;

  it('shows the notes first, the phone left to right, and saves edited notes with PATCH', async () => {
    const onChanged = vi.fn();
    const { container } = mount(thread(), undefined, onChanged);
    const notes = screen.getByTestId('customer-notes');
    expect(notes.textContent).toBe('حساسية من البنسلين');
    const sections = [...container.querySelectorAll('section')];
    expect(sections[0]!.classList.contains('has-notes')).toBe(true);
    expect(field(container, '.cp-phone').getAttribute('dir')).toBe('ltr');

    fireEvent.click(field(container, '[data-action=edit-customer-notes]'));
    const textarea = field(container, 'textarea[name=customer-notes]') as HTMLTextAreaElement;
    expect(textarea.value).toBe('حساسية من البنسلين');
    fireEvent.change(textarea, { target: { value: 'حساسية من البنسلين والأسبرين' } });
    fireEvent.click(field(container, '[data-action=save-customer-notes]'));
    await waitFor(() =>
      expect(screen.getByTestId('customer-notes').textContent).toBe('حساسية من البنسلين والأسبرين'),
    );
    expect(calls.find((call) => call.method === 'PATCH')).toEqual({
      method: 'PATCH',
      url: `/api/customers/${CUSTOMER_ID}`,
      body: { notes: 'حساسية من البنسلين والأسبرين' },
    });
    expect(onChanged).toHaveBeenCalled();
  });

  it('adds and removes tags with PATCH of the whole list', async () => {
    const { container } = mount();
    fireEvent.change(field(container, 'input[name=customer-tag]'), { target: { value: ' مزمن ' } });
    fireEvent.submit(field(container, '.cp-tag-form'));
    await waitFor(() => expect(container.querySelectorAll('.cp-tags .cp-chip')).toHaveLength(2));
    expect(calls.at(-1)).toMatchObject({ method: 'PATCH', body: { tags: ['vip', 'مزمن'] } });
    fireEvent.click(container.querySelector('.cp-chip-remove') as HTMLElement);
    await waitFor(() => expect(container.querySelectorAll('.cp-tags .cp-chip')).toHaveLength(1));
    expect(calls.at(-1)).toMatchObject({ method: 'PATCH', body: { tags: ['مزمن'] } });
  });

  it("saves the ticket's labels and category with PUT when the ticket allows it", async () => {
    const { container } = mount(thread({ labels: [VIP] }));
    const chooser = field(container, '.cp-label-chooser') as HTMLDetailsElement;
    chooser.open = true;
    fireEvent(chooser, new Event('toggle'));
    await waitFor(() => expect(container.querySelectorAll('input[name=ticket-label]')).toHaveLength(2));
    fireEvent.click(field(container, `input[name=ticket-label][value="${REFUND.id}"]`));
    await waitFor(() => expect(container.querySelectorAll('.cp-labels .cp-label')).toHaveLength(2));
    expect(calls.find((call) => call.method === 'PUT')).toEqual({
      method: 'PUT',
      url: `/api/tickets/${TICKET_ID}/labels`,
      body: { labelIds: [VIP.id, REFUND.id] },
    });

    await waitFor(() =>
      expect(container.querySelectorAll('select[name=ticket-category] option')).toHaveLength(3),
    );
    fireEvent.change(field(container, 'select[name=ticket-category]'), { target: { value: 'pharmacist' } });
    await waitFor(() =>
      expect(calls.find((call) => call.url.endsWith('/category'))).toEqual({
        method: 'PUT',
        url: `/api/tickets/${TICKET_ID}/category`,
        body: { category: 'pharmacist' },
      }),
    );
  });

  it('offers no label or category editing when the ticket does not allow note', () => {
    const { container } = mount(thread({ allowed: [] }));
    expect(container.querySelector('.cp-label-chooser')).toBeNull();
    expect(container.querySelector('select[name=ticket-category]')).toBeNull();
  });

  it('lists the previous tickets to open and the files shared before', async () => {
    const onOpenTicket = vi.fn();
    const { container } = mount(thread(), onOpenTicket);
    const earlier = await waitFor(() => {
      const button = container.querySelector(`.cp-ticket[data-ticket-id="${EARLIER_ID}"]`);
      expect(button).not.toBeNull();
      return button as HTMLElement;
    });
    expect(container.querySelector(`.cp-ticket[data-ticket-id="${TICKET_ID}"]`)).toBeNull();
    fireEvent.click(earlier);
    expect(onOpenTicket).toHaveBeenCalledWith(EARLIER_ID);

    await waitFor(() => expect(container.querySelector('.cp-media-item.image img')).not.toBeNull());
    expect(container.querySelector('.cp-media-item.image img')!.getAttribute('src')).toBe(
      '/api/attachments/a1',
    );
    const document = container.querySelector('.cp-media-item.file a')!;
    expect(document.textContent).toContain('فاتورة.pdf');
    expect(document.getAttribute('href')).toBe('/api/attachments/a2?download=1');
  });
});
