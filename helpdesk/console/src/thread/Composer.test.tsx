/**
 * The composer on its own (Vitest, happy-dom, Testing Library): `/` and two letters open the
 * canned responses, Enter inserts one with the customer's name filled in, Enter sends it to the
 * reply API and clears the draft; a draft in localStorage comes back on mount and each ticket
 * keeps its own; Shift+Enter does not send; Esc closes the list.
 */
import type { CannedResponse, TicketThread } from '@whatsapp-helpdesk/contract/api';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionAgent } from '../api';
import { Composer } from './Composer';

const TICKET_ID = '11111111-1111-4111-8111-111111111111';
const AGENT: SessionAgent = {
  id: '22222222-2222-4222-8222-222222222222',
  name: 'منى',
  email: 'mona@pharmacy.test',
  role: 'agent',
  sessionId: '33333333-3333-4333-8333-333333333333',
  expiresAt: '2026-11-29T00:00:00.000Z',
};
const GREET: CannedResponse = {
  id: '44444444-4444-4444-8444-444444444444',
  shortcut: 'greet',
  title: 'ترحيب',
  body: 'مرحبا {{customer.name}}، معك {{agent.name}}',
  language: null,
  scope: 'shared',
  ownerId: null,
  createdAt: '2026-11-28T12:00:00.000Z',
  updatedAt: '2026-11-28T12:00:00.000Z',
};

function thread(ticketId = TICKET_ID): TicketThread {
  return {
    ticket: { id: ticketId, number: 7, language: 'ar', allowedActions: ['reply', 'note'] },
    customer: { id: '55555555-5555-4555-8555-555555555555', name: 'سلمى', phone: '+201001234567' },
    messages: [],
    notes: [],
    events: [],
  } as unknown as TicketThread;
}

interface Call {
  method: string;
  url: string;
  body: unknown;
}

describe('Composer', () => {
  let calls: Call[];

  beforeEach(() => {
    localStorage.clear();
    calls = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit = {}) => {
        const method = init.method ?? 'GET';
        calls.push({ method, url, body: typeof init.body === 'string' ? JSON.parse(init.body) : init.body });
        const json =
          url === '/api/canned-responses' ? { items: [GREET] } : { id: 'm1', text: 'sent', attachments: [] };
        return new Response(JSON.stringify(json), {
          status: method === 'POST' ? 201 : 200,
          headers: { 'content-type': 'application/json' },
        });
      }),
    );
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  function mount(onSent = () => {}) {
    return render(
      <Composer
        thread={thread()}
        agent={AGENT}
        canReply
        quoted={null}
        onClearQuote={() => {}}
        onSent={onSent}
      />,
    );
  }

  const replyBox = () => document.querySelector<HTMLTextAreaElement>('textarea[data-composer="reply"]')!;

  it('when the agent types /gr and presses Enter twice, then the filled response is sent and the draft cleared', async () => {
    const onSent = vi.fn();
    mount(onSent);
    await waitFor(() => expect(calls.some((call) => call.url === '/api/canned-responses')).toBe(true));
    const box = replyBox();
    expect(box.getAttribute('dir')).toBe('auto');
    box.focus();
    fireEvent.change(box, { target: { value: '/gr', selectionStart: 3, selectionEnd: 3 } });
    const option = await screen.findByRole('option');
    expect(option.getAttribute('data-shortcut')).toBe('greet');
    expect(option.textContent).toContain('مرحبا سلمى، معك منى');

    fireEvent.keyDown(box, { key: 'Enter' });
    expect(box.value).toBe('مرحبا سلمى، معك منى');
    expect(screen.queryByRole('option')).toBeNull();
    expect(localStorage.getItem(`draft:${TICKET_ID}:reply`)).toBe('مرحبا سلمى، معك منى');

    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(onSent).toHaveBeenCalled());
    expect(calls.find((call) => call.method === 'POST')).toEqual({
      method: 'POST',
      url: `/api/tickets/${TICKET_ID}/messages`,
      body: { text: 'مرحبا سلمى، معك منى' },
    });
    expect(box.value).toBe('');
    expect(localStorage.getItem(`draft:${TICKET_ID}:reply`)).toBeNull();
  });

  it('when a draft was kept, then it comes back on mount; Shift+Enter does not send', () => {
    localStorage.setItem(`draft:${TICKET_ID}:reply`, 'نص محفوظ');
    localStorage.setItem(`draft:${TICKET_ID}:note`, 'ملاحظة محفوظة');
    mount();
    const box = replyBox();
    expect(box.value).toBe('نص محفوظ');
    expect(document.querySelector<HTMLTextAreaElement>('textarea[data-composer="note"]')!.value).toBe(
      'ملاحظة محفوظة',
    );
    fireEvent.keyDown(box, { key: 'Enter', shiftKey: true });
    expect(calls.filter((call) => call.method === 'POST')).toEqual([]);
  });

  it('when another ticket is opened, then its own draft shows and typing goes to its key', () => {
    const other = '66666666-6666-4666-8666-666666666666';
    localStorage.setItem(`draft:${TICKET_ID}:reply`, 'للتذكرة الأولى');
    localStorage.setItem(`draft:${other}:reply`, 'للتذكرة الثانية');
    const props = { agent: AGENT, canReply: true, quoted: null, onClearQuote: () => {}, onSent: () => {} };
    const view = render(<Composer thread={thread()} {...props} />);
    expect(replyBox().value).toBe('للتذكرة الأولى');
    view.rerender(<Composer thread={thread(other)} {...props} />);
    expect(replyBox().value).toBe('للتذكرة الثانية');
    fireEvent.change(replyBox(), { target: { value: 'تعديل' } });
    expect(localStorage.getItem(`draft:${other}:reply`)).toBe('تعديل');
    expect(localStorage.getItem(`draft:${TICKET_ID}:reply`)).toBe('للتذكرة الأولى');
  });

  it('when Esc is pressed in the list, then it closes and the typed text stays', async () => {
    mount();
    const box = replyBox();
    box.focus();
    fireEvent.change(box, { target: { value: '/g', selectionStart: 2, selectionEnd: 2 } });
    await screen.findByTestId('canned-picker');
    fireEvent.keyDown(box, { key: 'Escape' });
    expect(screen.queryByTestId('canned-picker')).toBeNull();
    expect(box.value).toBe('/g');
  });
});
