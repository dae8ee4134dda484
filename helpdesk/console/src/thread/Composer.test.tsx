/**
 * The composer on its own (Vitest, happy-dom, Testing Library): `/` and two letters open the
 * canned responses, Enter inserts one with the customer's name filled in, Enter sends it to the
 * reply API and clears the draft (not what was typed while it was sending); a draft in
 * localStorage comes back on mount and each ticket keeps its own; Shift+Enter does not send; Esc
 * closes the list. A message chosen with "Reply" shows above the box and the reply (text or file)
 * carries `replyTo`; Esc removes the quote.
 */
import type { CannedResponse, Message } from '@whatsapp-helpdesk/contract/api';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AGENT, makeMessage, makeThread, recordFetch, TICKET_ID, type RecordedCall } from '../test-support';
import { Composer } from './Composer';
import { MessageBubble } from './MessageBubble';

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

function thread(ticketId = TICKET_ID) {
  return makeThread({ ticket: { id: ticketId } });
}

describe('Composer', () => {
  let calls: RecordedCall[];

  beforeEach(() => {
    localStorage.clear();
    calls = recordFetch(({ url }) => ({
      json:
        url === '/api/canned-responses' ? { items: [GREET] } : { id: 'm1', text: 'sent', attachments: [] },
    }));
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

  it('when the agent types on while a reply is sending, then only the sent text leaves the box', async () => {
    let answer: () => void = () => {};
    const stored = new Promise<void>((resolve) => (answer = resolve));
    calls = recordFetch(({ url }) => ({ json: url === '/api/canned-responses' ? { items: [GREET] } : {} }));
    const recorded = fetch;
    let sending = false;
    // The reply's POST answers only when the test says so: the agent types during the round trip.
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init: RequestInit = {}) => {
        if (init.method === 'POST') {
          sending = true;
          await stored;
        }
        return recorded(url, init);
      }),
    );
    const onSent = vi.fn();
    mount(onSent);
    const box = replyBox();
    box.focus();
    fireEvent.change(box, { target: { value: 'الدواء متوفر' } });
    fireEvent.keyDown(box, { key: 'Enter' });
    await waitFor(() => expect(sending).toBe(true));
    fireEvent.change(box, { target: { value: 'الدواء متوفر\nوالتوصيل خلال ساعة' } });
    answer();
    await waitFor(() => expect(onSent).toHaveBeenCalled());
    expect(calls.find((call) => call.method === 'POST')!.body).toEqual({ text: 'الدواء متوفر' });
    expect(box.value).toBe('والتوصيل خلال ساعة');
    expect(localStorage.getItem(`draft:${TICKET_ID}:reply`)).toBe('والتوصيل خلال ساعة');
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

  it('when the agent clicks the reply tab already shown and types /gr, then the list opens at the caret', async () => {
    mount();
    await waitFor(() => expect(calls.some((call) => call.url === '/api/canned-responses')).toBe(true));
    fireEvent.click(document.querySelector<HTMLButtonElement>('[data-mode-tab=reply]')!);
    const box = replyBox();
    fireEvent.change(box, { target: { value: '/gr', selectionStart: 3, selectionEnd: 3 } });
    expect((await screen.findByRole('option')).getAttribute('data-shortcut')).toBe('greet');
    expect(box.selectionStart).toBe(3);
    expect(document.activeElement).toBe(box);
  });

  describe('replying to a message', () => {
    const question = makeMessage({ text: 'هل الدواء متوفر؟' });

    /** The customer's message (with its "Reply" action) above the composer, as the thread shows them. */
    function QuotingThread({ onSent = () => {} }: { onSent?: () => void }) {
      const [quoted, setQuoted] = useState<Message | null>(null);
      return (
        <>
          <ol>
            <MessageBubble
              message={question}
              ticketId={TICKET_ID}
              canReply
              onQuote={setQuoted}
              onRetried={() => {}}
              onMediaLoad={() => {}}
            />
          </ol>
          <Composer
            thread={makeThread({ messages: [question] })}
            agent={AGENT}
            canReply
            quoted={quoted}
            onClearQuote={() => setQuoted(null)}
            onSent={() => {
              setQuoted(null);
              onSent();
            }}
          />
        </>
      );
    }

    it('when the agent chooses Reply and sends text, then the quote shows and the reply carries replyTo', async () => {
      const onSent = vi.fn();
      render(<QuotingThread onSent={onSent} />);
      fireEvent.click(screen.getByRole('button', { name: 'رد على هذه الرسالة' }));
      const quote = await screen.findByTestId('composer-quote');
      expect(quote.textContent).toContain('هل الدواء متوفر؟');
      expect(quote.textContent).toContain('العميل');
      expect(document.activeElement).toBe(replyBox());

      fireEvent.change(replyBox(), { target: { value: 'نعم، متوفر' } });
      fireEvent.keyDown(replyBox(), { key: 'Enter' });
      await waitFor(() => expect(onSent).toHaveBeenCalled());
      expect(calls.find((call) => call.method === 'POST')).toEqual({
        method: 'POST',
        url: `/api/tickets/${TICKET_ID}/messages`,
        body: { text: 'نعم، متوفر', replyTo: question.id },
      });
      expect(screen.queryByTestId('composer-quote')).toBeNull();
    });

    it('when a file is sent while quoting, then the multipart reply carries replyTo', async () => {
      render(<QuotingThread />);
      fireEvent.click(screen.getByRole('button', { name: 'رد على هذه الرسالة' }));
      await screen.findByTestId('composer-quote');
      const input = document.querySelector<HTMLInputElement>('input[type=file]')!;
      const photo = new File(['png'], 'وصفة.png', { type: 'image/png' });
      fireEvent.change(input, { target: { files: [photo] } });
      fireEvent.change(replyBox(), { target: { value: 'هذه الوصفة' } });
      fireEvent.click(screen.getByRole('button', { name: 'إرسال' }));
      await waitFor(() => expect(calls.some((call) => call.method === 'POST')).toBe(true));
      const form = calls.find((call) => call.method === 'POST')!.body as FormData;
      expect(form).toBeInstanceOf(FormData);
      expect(form.get('replyTo')).toBe(question.id);
      expect(form.get('text')).toBe('هذه الوصفة');
      expect((form.get('file') as File).name).toBe('وصفة.png');
    });

    it('when Esc is pressed in the box, then the quote goes and the next reply has no replyTo', async () => {
      render(<QuotingThread />);
      fireEvent.click(screen.getByRole('button', { name: 'رد على هذه الرسالة' }));
      await screen.findByTestId('composer-quote');
      fireEvent.keyDown(replyBox(), { key: 'Escape' });
      expect(screen.queryByTestId('composer-quote')).toBeNull();
      fireEvent.change(replyBox(), { target: { value: 'شكرا' } });
      fireEvent.keyDown(replyBox(), { key: 'Enter' });
      await waitFor(() => expect(calls.some((call) => call.method === 'POST')).toBe(true));
      expect(calls.find((call) => call.method === 'POST')!.body).toEqual({ text: 'شكرا' });
    });
  });
});
