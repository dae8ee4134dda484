/**
 * Admin page "Auto-replies" (Vitest, happy-dom, Testing Library) against a stubbed API: the rules
 * listed in order with their keywords and both replies, a new one sent with keywords split on the
 * Arabic comma and "every number" as null, a missing reply refused before sending, and moving a
 * rule down swapping the two positions.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AutoReplyRule } from '@whatsapp-helpdesk/contract/api';
import { I18nContext, makeI18n } from '../i18n';
import { AGENT, recordFetch, type RecordedCall } from '../test-support';
import { AutoReplies, splitKeywords } from './AutoReplies';

const HOURS: AutoReplyRule = {
  id: '11111111-1111-4111-8111-111111111111',
  channelKey: null,
  keywords: ['مواعيد', 'opening hours'],
  reply: { ar: 'من ٩ إلى ١١', en: '9 am to 11 pm' },
  enabled: true,
  position: 0,
  createdAt: '2026-11-28T09:00:00.000Z',
  updatedAt: '2026-11-28T09:00:00.000Z',
};
const ADDRESS: AutoReplyRule = {
  ...HOURS,
  id: '22222222-2222-4222-8222-222222222222',
  keywords: ['عنوان'],
  reply: { ar: '١٢ شارع التحرير', en: '12 Tahrir Street' },
  position: 1,
};

function answer(call: RecordedCall) {
  if (call.url === '/api/auto-replies' && call.method === 'GET') return { json: { items: [HOURS, ADDRESS] } };
  if (call.url === '/api/auto-replies' && call.method === 'POST')
    return { json: { ...HOURS, ...(call.body as object) } };
  if (call.url.startsWith('/api/auto-replies/') && call.method === 'PATCH') return { json: HOURS };
  return undefined;
}

function show() {
  render(
    <I18nContext.Provider value={makeI18n('ar')}>
      <AutoReplies agent={{ ...AGENT, role: 'admin' }} />
    </I18nContext.Provider>,
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('AutoReplies admin page', () => {
  it('when the page opens, then each rule shows in order with its keywords and replies', async () => {
    recordFetch(answer);
    show();
    const row = await waitFor(() => {
      const found = document.querySelector<HTMLElement>(`[data-rule="${HOURS.id}"]`);
      if (!found) throw new Error('not listed yet');
      return found;
    });
    expect(within(row).getByDisplayValue('مواعيد، opening hours')).toBeTruthy();
    expect(within(row).getByDisplayValue('من ٩ إلى ١١')).toBeTruthy();
    expect(within(row).getByDisplayValue('9 am to 11 pm')).toBeTruthy();
    const rows = [...document.querySelectorAll('[data-rule]')].map((element) =>
      element.getAttribute('data-rule'),
    );
    expect(rows).toEqual([HOURS.id, ADDRESS.id]);
  });

  it('when an admin adds a rule, then the keywords are split and every number is null; a missing reply is refused', async () => {
    const calls = recordFetch(answer);
    show();
    await screen.findByText('إضافة رد تلقائي');
    const form = screen.getByText('إضافة رد تلقائي').closest('form')!;
    fireEvent.change(within(form).getByLabelText('الكلمات (مفصولة بفاصلة)'), {
      target: { value: 'عنوان، فين الفرع , address' },
    });
    fireEvent.change(within(form).getByLabelText('الرد بالعربية'), { target: { value: 'شارع التحرير' } });
    fireEvent.click(within(form).getByText('إضافة رد تلقائي'));
    expect((await screen.findByRole('alert')).textContent).toContain('باللغتين');
    expect(calls.some((call) => call.method === 'POST')).toBe(false);
    fireEvent.change(within(form).getByLabelText('الرد بالإنجليزية'), { target: { value: 'Tahrir Street' } });
    fireEvent.click(within(form).getByText('إضافة رد تلقائي'));
    await waitFor(() => expect(calls.some((call) => call.method === 'POST')).toBe(true));
    expect(calls.find((call) => call.method === 'POST')!.body).toEqual({
      keywords: ['عنوان', 'فين الفرع', 'address'],
      reply: { ar: 'شارع التحرير', en: 'Tahrir Street' },
      channelKey: null,
      enabled: true,
    });
  });

  it('when a rule moves down, then the two positions are swapped', async () => {
    const calls = recordFetch(answer);
    show();
    const row = await waitFor(() => {
      const found = document.querySelector<HTMLElement>(`[data-rule="${HOURS.id}"]`);
      if (!found) throw new Error('not listed yet');
      return found;
    });
    fireEvent.click(within(row).getByLabelText('تحريك لأسفل'));
    await waitFor(() => expect(calls.filter((call) => call.method === 'PATCH')).toHaveLength(2));
    expect(calls.filter((call) => call.method === 'PATCH').map((call) => [call.url, call.body])).toEqual([
      [`/api/auto-replies/${HOURS.id}`, { position: 1 }],
      [`/api/auto-replies/${ADDRESS.id}`, { position: 0 }],
    ]);
  });

  it('splits keywords on commas, the Arabic comma and new lines', () => {
    expect(splitKeywords(' مواعيد،عنوان\nhours, ,')).toEqual(['مواعيد', 'عنوان', 'hours']);
  });
});
