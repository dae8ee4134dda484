/**
 * The scheduled messages on the customer panel (Vitest, happy-dom, Testing Library), against a
 * stubbed API: "Remind on…" in N days (Arabic-Indic digits accepted) posts the reminder; a refill
 * carries its medicine, interval and repeat; a scheduled one is cancelled with DELETE and edited
 * with PATCH; a wrong number is refused before any request.
 */
import type { ScheduledMessage } from '@whatsapp-helpdesk/contract/api';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CUSTOMER_ID, recordFetch, TICKET_ID, type RecordedCall } from '../test-support';
import { parseDays, ScheduledMessages } from './ScheduledMessages';

const SCHEDULED: ScheduledMessage = {
  id: '99999999-9999-4999-8999-999999999999',
  customerId: CUSTOMER_ID,
  ticketId: TICKET_ID,
  channel: 'pharmacy',
  provider: 'wppconnect',
  kind: 'refill',
  text: 'موعد إعادة صرف الدواء',
  template: null,
  medicine: 'Metformin 500',
  intervalDays: 30,
  remaining: 3,
  sendAt: '2030-01-01T08:00:00.000Z',
  status: 'scheduled',
  reason: null,
  sentMessageId: null,
  createdBy: null,
  createdAt: '2026-11-28T10:00:00.000Z',
  updatedAt: '2026-11-28T10:00:00.000Z',
};

describe('ScheduledMessages', () => {
  let calls: RecordedCall[];

  beforeEach(() => {
    calls = recordFetch(({ method, url }) => {
      if (url === `/api/customers/${CUSTOMER_ID}/scheduled-messages` && method === 'GET')
        return { json: { items: [SCHEDULED] } };
      if (url.startsWith('/api/templates'))
        return {
          json: {
            items: [
              {
                id: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa',
                channelKey: 'pharmacy',
                channelName: 'Cloud',
                name: 'refill_due',
                language: 'ar',
                category: 'UTILITY',
                status: 'APPROVED',
                components: [{ type: 'BODY', text: 'مرحبا {{1}}، حان موعد {{2}}.' }],
                variables: { header: [], body: ['1', '2'] },
                syncedAt: '2026-11-28T10:00:00.000Z',
              },
            ],
          },
        };
      return { json: SCHEDULED };
    });
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  const mount = () =>
    render(<ScheduledMessages ticketId={TICKET_ID} customerId={CUSTOMER_ID} channelKey="pharmacy" />);
  const field = (container: HTMLElement, selector: string) =>
    container.querySelector(selector) as HTMLElement;

  it('reads numbers in Arabic-Indic or Latin digits, 1 to the maximum', () => {
    expect(parseDays('٣٠')).toBe(30);
    expect(parseDays(' 7 ')).toBe(7);
    expect(parseDays('۱۲')).toBe(12);
    expect(parseDays('0')).toBeNull();
    expect(parseDays('366')).toBeNull();
    expect(parseDays('25', 24)).toBeNull();
    expect(parseDays('soon')).toBeNull();
  });

  it('schedules a refill reminder in N days, typed with Arabic-Indic digits', async () => {
    const { container } = mount();
    await waitFor(() => expect(container.querySelector('[data-scheduled-id]')).not.toBeNull());
    fireEvent.click(field(container, '[data-action=remind-on]'));
    fireEvent.change(field(container, 'input[name=reminder-days]'), { target: { value: '٣٠' } });
    fireEvent.change(field(container, 'select[name=reminder-kind]'), { target: { value: 'refill' } });
    fireEvent.change(field(container, 'input[name=reminder-medicine]'), {
      target: { value: 'Metformin 500' },
    });
    fireEvent.change(field(container, 'input[name=reminder-interval]'), { target: { value: '٣٠' } });
    fireEvent.change(field(container, 'input[name=reminder-repeat]'), { target: { value: '٣' } });
    fireEvent.change(field(container, 'textarea[name=reminder-text]'), {
      target: { value: 'موعد إعادة صرف الدواء' },
    });
    fireEvent.click(field(container, '[data-action=schedule-message]'));
    await waitFor(() =>
      expect(calls.find((call) => call.method === 'POST')?.body).toEqual({
        text: 'موعد إعادة صرف الدواء',
        kind: 'refill',
        inDays: 30,
        medicine: 'Metformin 500',
        intervalDays: 30,
        repeat: 3,
      }),
    );
    expect(calls.find((call) => call.method === 'POST')?.url).toBe(
      `/api/tickets/${TICKET_ID}/scheduled-messages`,
    );
  });

  it('schedules a template with its variables instead of a text', async () => {
    const { container } = mount();
    fireEvent.click(field(container, '[data-action=remind-on]'));
    await waitFor(() => expect(container.querySelector('select[name=reminder-template]')).not.toBeNull());
    fireEvent.change(field(container, 'select[name=reminder-template]'), {
      target: { value: 'refill_due|ar' },
    });
    expect(container.querySelector('textarea[name=reminder-text]')).toBeNull();
    fireEvent.change(field(container, 'input[name=reminder-days]'), { target: { value: '7' } });
    fireEvent.change(field(container, 'input[name=reminder-template-body-0]'), { target: { value: 'منى' } });
    fireEvent.change(field(container, 'input[name=reminder-template-body-1]'), {
      target: { value: 'الإنسولين' },
    });
    fireEvent.click(field(container, '[data-action=schedule-message]'));
    await waitFor(() =>
      expect(calls.find((call) => call.method === 'POST')?.body).toEqual({
        kind: 'message',
        inDays: 7,
        template: { name: 'refill_due', language: 'ar', parameters: { body: ['منى', 'الإنسولين'] } },
      }),
    );
  });

  it('refuses a wrong number of days without a request', async () => {
    const { container } = mount();
    fireEvent.click(field(container, '[data-action=remind-on]'));
    fireEvent.change(field(container, 'input[name=reminder-days]'), { target: { value: '٠' } });
    fireEvent.change(field(container, 'textarea[name=reminder-text]'), { target: { value: 'x' } });
    fireEvent.click(field(container, '[data-action=schedule-message]'));
    await waitFor(() => expect(screen.getByRole('alert')).toBeTruthy());
    expect(calls.some((call) => call.method === 'POST')).toBe(false);
  });

  it('cancels a scheduled message with DELETE and edits one with PATCH', async () => {
    const { container } = mount();
    await waitFor(() => expect(container.querySelector('[data-action=cancel-scheduled]')).not.toBeNull());
    expect(container.textContent).toContain('Metformin 500');
    fireEvent.click(field(container, '[data-action=cancel-scheduled]'));
    await waitFor(() =>
      expect(
        calls.some(
          (call) => call.method === 'DELETE' && call.url === `/api/scheduled-messages/${SCHEDULED.id}`,
        ),
      ).toBe(true),
    );

    await waitFor(() => expect(container.querySelector('[data-action=edit-scheduled]')).not.toBeNull());
    fireEvent.click(field(container, '[data-action=edit-scheduled]'));
    fireEvent.change(field(container, 'textarea[name=reminder-edit-text]'), { target: { value: 'نص جديد' } });
    fireEvent.submit(field(container, '.cp-reminder-edit'));
    await waitFor(() => {
      const patch = calls.find((call) => call.method === 'PATCH');
      expect(patch?.url).toBe(`/api/scheduled-messages/${SCHEDULED.id}`);
      expect(patch?.body).toMatchObject({ text: 'نص جديد', sendAt: SCHEDULED.sendAt });
    });
  });
});
