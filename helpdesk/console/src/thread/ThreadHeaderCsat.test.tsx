/**
 * The customer's satisfaction rating (CSAT) in the thread's header (Vitest, happy-dom, Testing
 * Library): a badge with the score in the console's digits, marked low for 1 or 2, its comment as
 * the tooltip; no badge before the customer rated.
 */
import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nContext, makeI18n } from '../i18n';
import { AGENT, makeThread, recordFetch } from '../test-support';
import { ThreadHeader } from './ThreadHeader';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function mount(
  csat: { score: number; comment: string | null; answeredAt: string } | null,
  language: 'ar' | 'en',
) {
  recordFetch(() => ({ json: [] }));
  return render(
    <I18nContext.Provider value={makeI18n(language)}>
      <ThreadHeader
        thread={makeThread({ ticket: { status: 'resolved', csat } })}
        agent={AGENT}
        agents={[]}
        onChanged={() => {}}
        panel={{ open: true, controls: 'customer-panel', onToggle: () => {} }}
      />
    </I18nContext.Provider>,
  ).container;
}

describe('ThreadHeader: satisfaction rating', () => {
  it('when the customer rated 4, then the badge shows it in Arabic digits with the comment as its title', () => {
    mount({ score: 4, comment: 'خدمة ممتازة', answeredAt: '2026-11-28T10:00:00.000Z' }, 'ar');
    const badge = screen.getByTestId('ticket-csat');
    expect(badge.textContent).toBe('التقييم ٤/٥');
    expect(badge.getAttribute('title')).toBe('خدمة ممتازة');
    expect(badge.classList.contains('csat-ok')).toBe(true);
  });

  it('when the customer rated 1, then the badge is marked low (English)', () => {
    mount({ score: 1, comment: null, answeredAt: '2026-11-28T10:00:00.000Z' }, 'en');
    const badge = screen.getByTestId('ticket-csat');
    expect(badge.textContent).toBe('Rating 1/5');
    expect(badge.classList.contains('csat-low')).toBe(true);
  });

  it('when the customer has not rated, then there is no badge', () => {
    mount(null, 'en');
    expect(screen.queryByTestId('ticket-csat')).toBeNull();
  });
});
