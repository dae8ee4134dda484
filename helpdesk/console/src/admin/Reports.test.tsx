/**
 * The reports page (Vitest, happy-dom, Testing Library) on a stubbed `GET /api/reports`: it asks
 * for the last 30 days per day by agent in the console's language, shows the breakdown with the
 * totals in Arabic-Indic digits in Arabic (durations in minutes and hours), asks again with the
 * chosen interval and breakdown, refuses custom dates that end before they start, and its CSV
 * links carry the same query with the table. Charts are drawn by Chart.js in the browser test.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PeriodReport, ReportRow } from '@whatsapp-helpdesk/contract/api';
import type { SessionAgent } from '../api';
import { I18nContext, makeI18n, type Language } from '../i18n';
import { Reports } from './Reports';

const ADMIN: SessionAgent = {
  id: '22222222-2222-4222-8222-222222222222',
  name: 'منى',
  email: 'mona@pharmacy.test',
  role: 'admin',
  sessionId: '33333333-3333-4333-8333-333333333333',
  expiresAt: '2026-11-29T00:00:00.000Z',
};

function row(overrides: Partial<ReportRow>): ReportRow {
  return {
    key: '44444444-4444-4444-8444-444444444444',
    label: 'منى الصيدلانية',
    opened: 12,
    resolved: 9,
    reopened: 1,
    firstResponse: { count: 10, medianSeconds: 360, p90Seconds: 1500 },
    resolution: { count: 9, medianSeconds: 7200, p90Seconds: 172_800 },
    messagesIn: 40,
    messagesOut: 35,
    csat: { average: 4.5, responses: 4, requested: 8, responseRate: 0.5 },
    sla: { met: 3, breached: 1, attainment: 0.75 },
    ...overrides,
  };
}

const REPORT: PeriodReport = {
  period: { from: '2026-10-29T00:00:00.000Z', to: '2026-11-28T00:00:00.000Z', timeZone: 'Africa/Cairo' },
  interval: 'day',
  by: 'agent',
  businessHours: true,
  series: [
    {
      bucketStart: '2026-11-26T22:00:00.000Z',
      opened: 5,
      resolved: 4,
      reopened: 0,
      messagesIn: 20,
      messagesOut: 18,
    },
    {
      bucketStart: '2026-11-27T22:00:00.000Z',
      opened: 7,
      resolved: 5,
      reopened: 1,
      messagesIn: 20,
      messagesOut: 17,
    },
  ],
  breakdown: [row({}), row({ key: null, label: null, opened: 3 })],
  totals: row({ key: null, label: null, opened: 15 }),
};

let calls: string[] = [];

beforeEach(() => {
  calls = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (url: string) => {
      calls.push(url);
      return new Response(JSON.stringify(REPORT), {
        status: 200,
        headers: { 'content-type': 'application/json' },
      });
    }),
  );
  vi.spyOn(console, 'error').mockImplementation(() => undefined);
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function show(language: Language) {
  return render(
    <I18nContext.Provider value={makeI18n(language)}>
      <Reports agent={ADMIN} />
    </I18nContext.Provider>,
  );
}

describe('reports page', () => {
  it('when it opens in Arabic, then it asks for 30 days by agent and shows Arabic-Indic figures', async () => {
    show('ar');
    const table = await screen.findByTestId('reports-breakdown-table');
    const query = new URLSearchParams(calls[0]!.split('?')[1]);
    expect(query.get('interval')).toBe('day');
    expect(query.get('by')).toBe('agent');
    expect(query.get('language')).toBe('ar');
    expect(new Date(query.get('to')!).getTime() - new Date(query.get('from')!).getTime()).toBe(
      30 * 86_400_000,
    );
    const mona = table.querySelector('tbody tr[data-key="44444444-4444-4444-8444-444444444444"]')!;
    expect(mona.querySelector('th')!.textContent).toBe('منى الصيدلانية');
    expect(mona.querySelector('[data-field=opened]')!.textContent).toBe('١٢');
    expect(mona.querySelector('[data-field=first-response-median]')!.textContent).toBe('٦ د');
    expect(mona.querySelector('[data-field=resolution-median]')!.textContent).toBe('٢ س');
    expect(mona.querySelector('[data-field=sla]')!.textContent).toContain('٧٥');
    expect(table.querySelector('tbody tr[data-key=""] th')!.textContent).toBe('بدون');
    expect(table.querySelector('tfoot [data-field=opened]')!.textContent).toBe('١٥');
    expect(screen.getByTestId('reports-time-basis').textContent).toBe('الأوقات محسوبة بساعات العمل فقط');
  });

  it('when the interval and breakdown change, then it asks again and the CSV links follow', async () => {
    show('en');
    await screen.findByTestId('reports-breakdown-table');
    fireEvent.change(document.querySelector('select[name=reports-interval]')!, { target: { value: 'week' } });
    fireEvent.change(document.querySelector('select[name=reports-by]')!, { target: { value: 'category' } });
    fireEvent.click(screen.getByRole('button', { name: 'Show' }));
    await waitFor(() => expect(calls).toHaveLength(2));
    const query = new URLSearchParams(calls[1]!.split('?')[1]);
    expect([query.get('interval'), query.get('by'), query.get('language')]).toEqual([
      'week',
      'category',
      'en',
    ]);
    const csv = new URL(
      screen.getByTestId('reports-csv-breakdown').getAttribute('href')!,
      'http://console.test',
    );
    expect(csv.pathname).toBe('/api/reports.csv');
    expect([csv.searchParams.get('table'), csv.searchParams.get('by')]).toEqual(['breakdown', 'category']);
    const mona = document.querySelector('tbody tr[data-key="44444444-4444-4444-8444-444444444444"]')!;
    expect(mona.querySelector('[data-field=first-response-median]')!.textContent).toBe('6 min');
  });

  it('when custom dates end before they start, then it says so and does not ask', async () => {
    show('en');
    await screen.findByTestId('reports-breakdown-table');
    fireEvent.click(screen.getByLabelText('Other dates'));
    fireEvent.change(document.querySelector('input[name=reports-from]')!, {
      target: { value: '2026-11-20' },
    });
    fireEvent.change(document.querySelector('input[name=reports-to]')!, { target: { value: '2026-11-10' } });
    fireEvent.click(screen.getByRole('button', { name: 'Show' }));
    expect((await screen.findByRole('alert')).textContent).toContain('at most 366 days');
    expect(calls).toHaveLength(1);
  });
});
