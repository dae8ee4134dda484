/**
 * The inbox entry's response-time target (Vitest, happy-dom, Testing Library): the time left in
 * the console's language, at-risk and overdue tickets marked (class and words), and a target whose
 * due time passes on the console's clock shown overdue before the next list refresh.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { Ticket } from '../api';
import { I18nContext, makeI18n, type Language } from '../i18n';
import { makeThread } from '../test-support';
import { TicketListItem } from './TicketListItem';

const NOW = Date.parse('2026-11-28T10:00:00.000Z');

function ticketWith(sla: Ticket['sla']): Ticket {
  return { ...makeThread().ticket, sla } as Ticket;
}

function show(ticket: Ticket, language: Language = 'ar', now = NOW) {
  render(
    <I18nContext.Provider value={makeI18n(language)}>
      <ul>
        <TicketListItem
          ticket={ticket}
          selected={false}
          showAssignee={false}
          categories={[]}
          now={now}
          onSelect={() => {}}
        />
      </ul>
    </I18nContext.Provider>,
  );
  return screen.getByRole('button');
}

afterEach(cleanup);

describe('TicketListItem: response-time target', () => {
  it('when the first response is at risk, then the time left shows in Arabic digits and the ticket is marked', () => {
    const item = show(
      ticketWith({ kind: 'first_response', dueAt: '2026-11-28T10:05:00.000Z', state: 'at_risk' }),
    );
    expect(item.className).toContain('sla-at_risk');
    const line = item.querySelector('[data-sla-state]')!;
    expect(line.getAttribute('data-sla-state')).toBe('at_risk');
    expect(line.textContent).toContain('أول رد');
    expect(line.textContent).toContain('٥');
    expect(line.textContent).toContain('قارب الموعد');
  });

  it('when the target is ok, then the time left shows without a mark', () => {
    const item = show(
      ticketWith({ kind: 'resolution', dueAt: '2026-11-28T13:00:00.000Z', state: 'ok' }),
      'en',
    );
    expect(item.className).not.toContain('sla-');
    expect(item.querySelector('[data-sla-state]')!.textContent).toMatch(/Resolution:.*3 hr.* left/);
  });

  it("when the due time passes on the console's clock, then it shows overdue before the list is read again", () => {
    const item = show(
      ticketWith({ kind: 'first_response', dueAt: '2026-11-28T09:50:00.000Z', state: 'at_risk' }),
      'en',
    );
    expect(item.className).toContain('sla-breached');
    expect(item.querySelector('[data-sla-state]')!.textContent).toMatch(/10 mins? overdue.*Overdue/);
  });

  it('when no target applies, then nothing is shown', () => {
    const item = show(ticketWith(null));
    expect(item.querySelector('[data-sla-state]')).toBeNull();
  });
});
