/**
 * The live queue page (Vitest, happy-dom, Testing Library) on a stubbed `GET /api/queue`: the
 * waiting ticket with its wait clock in Arabic-Indic digits and its response target, the agents'
 * load and console, the numbers' state; a burst of realtime events is read again once (300 ms
 * debounce), and an event that does not change the queue is not read at all.
 */
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveQueue as Queue } from '@whatsapp-helpdesk/contract/api';
import { I18nContext, makeI18n } from '../i18n';
import { AGENT, recordFetch } from '../test-support';
import { announceToFollowers } from '../useEventStream';
import { formatClock, LiveQueue } from './LiveQueue';

const AT = new Date().toISOString();
const QUEUE: Queue = {
  at: AT,
  waiting: [
    {
      id: '11111111-1111-4111-8111-111111111111',
      number: 42,
      customer: { id: '55555555-5555-4555-8555-555555555555', name: 'هالة', phone: '+201001230001' },
      channel: { key: 'pharmacy', provider: 'wppconnect', name: 'الفرع الرئيسي' },
      category: null,
      waitingSince: new Date(Date.parse(AT) - 65_000).toISOString(),
      sla: {
        kind: 'first_response',
        dueAt: new Date(Date.parse(AT) - 60_000).toISOString(),
        state: 'breached',
      },
    },
  ],
  agents: [
    {
      id: '22222222-2222-4222-8222-222222222222',
      name: 'عمر',
      role: 'agent',
      availability: 'online',
      consoleOpen: true,
      openTickets: 3,
      capacity: 5,
      lastReplyAt: null,
    },
  ],
  channels: [
    {
      id: '66666666-6666-4666-8666-666666666666',
      name: 'الفرع الرئيسي',
      provider: 'wppconnect',
      key: 'pharmacy',
      enabled: true,
      state: 'disconnected',
      phone: null,
      since: null,
    },
  ],
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('live queue page', () => {
  it('when the queue loads in Arabic, then the wait, load and states show in Arabic', async () => {
    recordFetch(() => ({ json: QUEUE }));
    render(
      <I18nContext.Provider value={makeI18n('ar')}>
        <LiveQueue agent={AGENT} />
      </I18nContext.Provider>,
    );
    const row = await screen.findByText('هالة');
    const line = row.closest('tr')!;
    expect(line.getAttribute('data-ticket-number')).toBe('42');
    expect(line.className).toContain('sla-breached');
    expect(line.querySelector('.live-queue-clock')!.textContent).toMatch(/^[١-٩]:[٠-٩]{2}$/);
    expect(line.textContent).toContain('تجاوز الموعد');
    expect(screen.getByText('٣ / ٥')).toBeTruthy();
    expect(screen.getByText(/الشاشة مفتوحة/)).toBeTruthy();
    expect(screen.getByText('انقطع الاتصال')).toBeTruthy();
  });

  it('when events arrive in a burst, then the queue is read once more; others are ignored', async () => {
    const calls = recordFetch(() => ({ json: QUEUE }));
    render(
      <I18nContext.Provider value={makeI18n('en')}>
        <LiveQueue agent={AGENT} />
      </I18nContext.Provider>,
    );
    await screen.findByText('هالة');
    expect(calls).toHaveLength(1);
    announceToFollowers({ type: 'message.created', ticketId: QUEUE.waiting[0]!.id });
    announceToFollowers({ type: 'ticket.assigned', ticketId: QUEUE.waiting[0]!.id });
    announceToFollowers({ type: 'agent.availability', agentId: QUEUE.agents[0]!.id });
    await waitFor(() => expect(calls).toHaveLength(2), { timeout: 2000 });
    announceToFollowers({ type: 'ticket.note', ticketId: QUEUE.waiting[0]!.id });
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(calls).toHaveLength(2);
    expect(calls.every((call) => call.url === '/api/queue')).toBe(true);
  });

  it('when a waiting ticket gets its response-time due times, then the queue is read again', async () => {
    const calls = recordFetch(() => ({ json: QUEUE }));
    render(
      <I18nContext.Provider value={makeI18n('en')}>
        <LiveQueue agent={AGENT} />
      </I18nContext.Provider>,
    );
    await screen.findByText('هالة');
    expect(calls).toHaveLength(1);
    announceToFollowers({
      type: 'ticket.updated',
      ticketId: QUEUE.waiting[0]!.id,
      sla: { kind: 'first_response', dueAt: '2026-01-05T10:01:00.000Z', state: 'ok' },
    });
    await waitFor(() => expect(calls).toHaveLength(2), { timeout: 2000 });
  });

  it('formats a wait as a clock in the language', () => {
    expect(formatClock(65_000, 'en')).toBe('1:05');
    expect(formatClock(3_725_000, 'en')).toBe('1:02:05');
    expect(formatClock(65_000, 'ar')).toBe('١:٠٥');
    expect(formatClock(-5, 'en')).toBe('0:00');
  });
});
