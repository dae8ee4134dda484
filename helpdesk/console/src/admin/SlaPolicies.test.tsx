/**
 * Admin page "Response-time targets" (Vitest, happy-dom, Testing Library) against a stubbed API:
 * the policies listed with their fields, a new one sent with Arabic-Indic digits read as numbers
 * and empty match fields as "any" (null), a taken name shown as such, and a bad number refused
 * before anything is sent.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { SlaPolicy } from '@whatsapp-helpdesk/contract/api';
import { I18nContext, makeI18n } from '../i18n';
import { AGENT, recordFetch, type RecordedCall } from '../test-support';
import { SlaPolicies, westernNumber } from './SlaPolicies';

const POLICY: SlaPolicy = {
  id: '99999999-9999-4999-8999-999999999999',
  name: 'الروشتات',
  category: 'prescription_refill',
  channelKey: null,
  teamId: null,
  firstResponseMinutes: 15,
  resolutionMinutes: 240,
  resolutionHours: 4,
  businessHours: true,
  createdAt: '2026-11-28T09:00:00.000Z',
  updatedAt: '2026-11-28T09:00:00.000Z',
};

function answer(call: RecordedCall) {
  if (call.url === '/api/sla-policies' && call.method === 'GET') return { json: { items: [POLICY] } };
  if (call.url === '/api/ticket-categories')
    return { json: { items: [{ id: 'prescription_refill', ar: 'صرف روشتة', en: 'Prescription refill' }] } };
  if (call.url === '/api/sla-policies' && call.method === 'POST') {
    const body = call.body as { name: string };
    return body.name === 'الروشتات'
      ? { status: 409, json: { error: 'conflict', message: 'name: taken' } }
      : { json: { ...POLICY, ...body } };
  }
  return undefined;
}

function show() {
  render(
    <I18nContext.Provider value={makeI18n('ar')}>
      <SlaPolicies agent={{ ...AGENT, role: 'admin' }} />
    </I18nContext.Provider>,
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('SlaPolicies admin page', () => {
  it('when the page opens, then each policy shows with its fields', async () => {
    recordFetch(answer);
    show();
    const row = await waitFor(() => {
      const found = document.querySelector<HTMLElement>('[data-policy="الروشتات"]');
      if (!found) throw new Error('not listed yet');
      return found;
    });
    expect(within(row).getByDisplayValue('15')).toBeTruthy();
    expect(within(row).getByDisplayValue('4')).toBeTruthy();
    await waitFor(() =>
      expect(within(row).getByRole('option', { name: 'صرف روشتة', selected: true })).toBeTruthy(),
    );
  });

  it('when an admin adds a target typed in Arabic-Indic digits, then the API gets numbers and nulls for any', async () => {
    const calls = recordFetch(answer);
    show();
    await screen.findByText('إضافة هدف');
    const form = screen.getByText('إضافة هدف').closest('form')!;
    fireEvent.change(within(form).getByLabelText('الاسم'), { target: { value: 'التوصيل' } });
    fireEvent.change(within(form).getByLabelText('أول رد خلال (دقائق)'), { target: { value: '٣٠' } });
    fireEvent.change(within(form).getByLabelText('الحل خلال (ساعات)'), { target: { value: '١٫٥' } });
    fireEvent.click(within(form).getByText('إضافة هدف'));
    await waitFor(() => expect(calls.some((call) => call.method === 'POST')).toBe(true));
    expect(calls.find((call) => call.method === 'POST')!.body).toEqual({
      name: 'التوصيل',
      category: null,
      channelKey: null,
      teamId: null,
      firstResponseMinutes: 30,
      resolutionHours: 1.5,
      businessHours: true,
    });
  });

  it('when the name is taken, then the page says so; a bad number is refused before sending', async () => {
    const calls = recordFetch(answer);
    show();
    await screen.findByText('إضافة هدف');
    const form = screen.getByText('إضافة هدف').closest('form')!;
    fireEvent.change(within(form).getByLabelText('الاسم'), { target: { value: 'الروشتات' } });
    fireEvent.click(within(form).getByText('إضافة هدف'));
    expect((await screen.findByRole('alert')).textContent).toContain('الاسم مستخدم');
    fireEvent.change(within(form).getByLabelText('أول رد خلال (دقائق)'), { target: { value: '0' } });
    const before = calls.length;
    fireEvent.click(within(form).getByText('إضافة هدف'));
    expect((await screen.findByRole('alert')).textContent).toContain('أكبر من صفر');
    expect(calls.length).toBe(before);
  });

  it('when digits are Arabic-Indic, then westernNumber reads them', () => {
    expect(westernNumber('١٢٠')).toBe(120);
    expect(westernNumber('۲٫۵')).toBe(2.5);
    expect(Number.isNaN(westernNumber(''))).toBe(true);
  });
});
