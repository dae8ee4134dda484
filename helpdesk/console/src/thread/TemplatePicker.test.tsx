/**
 * The template picker on its own (Vitest, happy-dom, Testing Library): only approved templates of
 * the ticket's channel are offered, a variable is filled from the offered customer name, the
 * preview shows the filled template, and Send posts `{ template }` to the reply API; the window
 * rule (`isWindowClosed`) holds for Cloud API tickets only.
 */
import type { MessageTemplate } from '@whatsapp-helpdesk/contract/api';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { recordFetch, TICKET_ID, type RecordedCall } from '../test-support';
import { isWindowClosed, TemplatePicker } from './TemplatePicker';

const template = (fields: Partial<MessageTemplate>): MessageTemplate => ({
  id: '66666666-6666-4666-8666-666666666666',
  channelKey: '106540352242922',
  channelName: 'Cloud number',
  name: 'order_ready',
  language: 'ar',
  category: 'UTILITY',
  status: 'APPROVED',
  components: [
    { type: 'BODY', text: 'مرحبا {{1}}، طلبك رقم {{2}} جاهز.' },
    { type: 'FOOTER', text: 'الصيدلية' },
  ],
  variables: { header: [], body: ['1', '2'] },
  syncedAt: '2026-11-28T12:00:00.000Z',
  ...fields,
});

describe('TemplatePicker', () => {
  let calls: RecordedCall[];

  beforeEach(() => {
    localStorage.clear();
    calls = recordFetch(({ url }) => ({
      json: url.startsWith('/api/templates')
        ? {
            items: [
              template({}),
              template({ id: '77777777-7777-4777-8777-777777777777', name: 'offer', status: 'PENDING' }),
            ],
          }
        : { id: 'm1', type: 'template', text: 'sent', attachments: [] },
    }));
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  it('when the agent chooses a template and fills it, then the preview shows it and Send posts the template', async () => {
    const onSent = vi.fn();
    render(
      <TemplatePicker
        ticketId={TICKET_ID}
        channelKey="106540352242922"
        fill={{ customerName: 'سلمى', ticketNumber: 42, agentName: 'منى' }}
        onSent={onSent}
      />,
    );
    fireEvent.click(document.querySelector('[data-action=open-templates]')!);
    await waitFor(() => expect(document.querySelectorAll('select[name=template] option')).toHaveLength(2));
    expect(calls[0]!.url).toBe('/api/templates?channel=106540352242922');
    fireEvent.change(document.querySelector('select[name=template]')!, {
      target: { value: 'order_ready|ar' },
    });
    const [first, second] = document.querySelectorAll<HTMLElement>('.template-variable');
    fireEvent.click(first!.querySelector('[data-offer=customer]')!);
    fireEvent.click(second!.querySelector('[data-offer=ticket]')!);
    expect(screen.getByTestId('template-preview').textContent).toBe(
      'مرحبا سلمى، طلبك رقم 42 جاهز.\n\nالصيدلية',
    );

    fireEvent.click(document.querySelector('[data-action=send-template]')!);
    await waitFor(() => expect(onSent).toHaveBeenCalled());
    const send = calls.find((call) => call.method === 'POST')!;
    expect(send.url).toBe(`/api/tickets/${TICKET_ID}/messages`);
    expect(send.body).toEqual({
      template: { name: 'order_ready', language: 'ar', parameters: { body: ['سلمى', '42'] } },
    });
  });

  it('when a variable is empty, then nothing is sent and the agent is told', async () => {
    render(
      <TemplatePicker
        ticketId={TICKET_ID}
        channelKey="106540352242922"
        fill={{ customerName: null, ticketNumber: 42, agentName: 'منى' }}
        onSent={() => {}}
      />,
    );
    fireEvent.click(document.querySelector('[data-action=open-templates]')!);
    await waitFor(() => expect(document.querySelectorAll('select[name=template] option')).toHaveLength(2));
    fireEvent.change(document.querySelector('select[name=template]')!, {
      target: { value: 'order_ready|ar' },
    });
    fireEvent.click(document.querySelector('[data-action=send-template]')!);
    await screen.findByRole('alert');
    expect(calls.some((call) => call.method === 'POST')).toBe(false);
  });

  it('when the ticket is a Cloud API one, then the window closes 24 hours after the last message', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(isWindowClosed('cloud', '2026-11-27T13:00:00Z', now)).toBe(false);
    expect(isWindowClosed('cloud', '2026-11-27T12:00:00Z', now)).toBe(true);
    expect(isWindowClosed('cloud', null, now)).toBe(true);
    expect(isWindowClosed('wppconnect', null, now)).toBe(false);
    expect(isWindowClosed(undefined, '2026-11-20T12:00:00Z', now)).toBe(false);
  });
});
