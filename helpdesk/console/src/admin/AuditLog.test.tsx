/**
 * The audit log page (Vitest, happy-dom, Testing Library) on stubbed `GET /api/agents` and
 * `GET /api/audit`: entries in Arabic with who, what, on what and a capacity change as before and
 * after; a failed sign-in with nobody and the email; the filters (who, action, a period of local
 * dates, `to` the day after the last) become the API's query; "more" asks with the cursor and adds
 * the next page. API key, webhook, response-time target and auto-reply entries read in Arabic and
 * English (a deleted subject by its recorded name), and the action filter offers them.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { AuditPage } from '@whatsapp-helpdesk/contract/api';
import { I18nContext, makeI18n } from '../i18n';
import { AGENT, recordFetch } from '../test-support';
import { AuditLog, auditQuery } from './AuditLog';

const ADMIN_ID = '22222222-2222-4222-8222-222222222222';
const OMAR_ID = '44444444-4444-4444-8444-444444444444';
const PAGE: AuditPage = {
  items: [
    {
      id: 'a2',
      at: '2026-11-28T14:30:00.000Z',
      action: 'agent.updated',
      actor: { id: ADMIN_ID, name: 'منى' },
      subject: { type: 'agent', id: OMAR_ID, name: 'عمر', number: null },
      data: { changes: { capacity: { before: 5, after: 8 } } },
    },
    {
      id: 'a1',
      at: '2026-11-28T14:00:00.000Z',
      action: 'auth.sign_in_failed',
      actor: null,
      subject: { type: 'agent', id: null, name: null, number: null },
      data: { email: 'nobody@pharmacy.test', reason: 'unknown_email' },
    },
  ],
  nextCursor: 'next-page',
};

const NEXT_PAGE: AuditPage = {
  items: [
    {
      id: 'a0',
      at: '2026-11-28T13:00:00.000Z',
      action: 'auth.sign_in',
      actor: { id: OMAR_ID, name: 'عمر' },
      subject: { type: 'agent', id: OMAR_ID, name: 'عمر', number: null },
      data: { email: 'omar@pharmacy.test' },
    },
  ],
  nextCursor: null,
};

const SETTINGS_PAGE: AuditPage = {
  items: [
    {
      id: 'a14',
      at: '2026-11-28T15:00:00.000Z',
      action: 'api_key.created',
      actor: { id: ADMIN_ID, name: 'منى' },
      subject: { type: 'api_key', id: '55555555-5555-4555-8555-555555555555', name: 'Orders', number: null },
      data: { name: 'Orders', scopes: ['messages:send'] },
    },
    {
      id: 'a13',
      at: '2026-11-28T14:59:00.000Z',
      action: 'webhook.updated',
      actor: { id: ADMIN_ID, name: 'منى' },
      subject: { type: 'webhook', id: '66666666-6666-4666-8666-666666666666', name: 'CRM', number: null },
      data: { changes: { enabled: { before: true, after: false } } },
    },
    {
      id: 'a12',
      at: '2026-11-28T14:58:00.000Z',
      action: 'sla_policy.deleted',
      actor: { id: ADMIN_ID, name: 'منى' },
      subject: { type: 'sla_policy', id: '77777777-7777-4777-8777-777777777777', name: null, number: null },
      data: { name: 'Refills' },
    },
    {
      id: 'a11',
      at: '2026-11-28T14:57:00.000Z',
      action: 'auto_reply.updated',
      actor: { id: ADMIN_ID, name: 'منى' },
      subject: {
        type: 'auto_reply',
        id: '88888888-8888-4888-8888-888888888888',
        name: 'مواعيد · hours',
        number: null,
      },
      data: { changes: { keywords: { before: ['مواعيد'], after: ['مواعيد', 'hours'] } } },
    },
  ],
  nextCursor: null,
};

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('audit log page', () => {
  it('when entries load in Arabic, then who, what and the change before and after show', async () => {
    const calls = recordFetch((call) =>
      call.url.startsWith('/api/agents')
        ? {
            json: {
              items: [{ id: OMAR_ID, name: 'عمر', role: 'agent', availability: 'online', active: true }],
            },
          }
        : { json: call.url.includes('cursor=next-page') ? NEXT_PAGE : PAGE },
    );
    render(
      <I18nContext.Provider value={makeI18n('ar')}>
        <AuditLog agent={AGENT} />
      </I18nContext.Provider>,
    );
    const table = within(await screen.findByRole('table'));
    const changed = table.getByText('عدّل موظفًا').closest('tr')!;
    expect(changed.textContent).toContain('منى');
    expect(changed.textContent).toContain('السعة: ٥ ← ٨');
    const failed = table.getByText('محاولة دخول فاشلة').closest('tr')!;
    expect(failed.textContent).toContain('لا أحد');
    expect(failed.textContent).toContain('nobody@pharmacy.test');
    expect(failed.textContent).toContain('بريد غير معروف');

    fireEvent.click(screen.getByText('المزيد'));
    await waitFor(() => expect(calls.some((call) => call.url.includes('cursor=next-page'))).toBe(true));
    // The next page is added beneath the first, each entry once.
    await table.findByText('سجّل الدخول');
    expect(table.getAllByRole('row')).toHaveLength(1 + 3);
  });

  it('when settings were changed, then API keys, webhooks, targets and auto-replies read in Arabic and English, and the filter offers them', async () => {
    const calls = recordFetch((call) =>
      call.url.startsWith('/api/agents') ? { json: { items: [] } } : { json: SETTINGS_PAGE },
    );
    const shown = render(
      <I18nContext.Provider value={makeI18n('ar')}>
        <AuditLog agent={AGENT} />
      </I18nContext.Provider>,
    );
    const table = within(await screen.findByRole('table'));
    expect(table.getByText('أنشأ مفتاح API').closest('tr')!.textContent).toContain(
      'الصلاحيات: messages:send',
    );
    const webhook = table.getByText('عدّل Webhook صادرًا').closest('tr')!;
    expect(webhook.textContent).toContain('CRM');
    expect(webhook.textContent).toContain('يعمل: نعم ← لا');
    const target = table.getByText('حذف هدف زمن استجابة').closest('tr')!;
    expect(target.textContent).toContain('Refills (محذوف)');
    const reply = table.getByText('عدّل ردًا تلقائيًا').closest('tr')!;
    expect(reply.textContent).toContain('الكلمات: مواعيد ← مواعيد، hours');
    const filter = screen.getByLabelText('الإجراء');
    for (const action of [
      'ألغى مفتاح API',
      'حذف Webhook صادرًا',
      'أضاف هدف زمن استجابة',
      'أضاف ردًا تلقائيًا',
    ]) {
      expect(within(filter).getByRole('option', { name: action })).toBeTruthy();
    }
    fireEvent.change(filter, { target: { value: 'api_key.revoked' } });
    fireEvent.click(screen.getByText('عرض'));
    await waitFor(() => expect(calls.some((call) => call.url.includes('action=api_key.revoked'))).toBe(true));

    shown.unmount();
    render(
      <I18nContext.Provider value={makeI18n('en')}>
        <AuditLog agent={AGENT} />
      </I18nContext.Provider>,
    );
    const english = within(await screen.findByRole('table'));
    expect(english.getByText('Created an API key').closest('tr')!.textContent).toContain(
      'scopes: messages:send',
    );
    expect(english.getByText('Changed an outgoing webhook').closest('tr')!.textContent).toContain(
      'enabled: yes → no',
    );
    expect(english.getByText('Deleted a response-time target').closest('tr')!.textContent).toContain(
      'Refills (deleted)',
    );
    expect(
      within(screen.getByLabelText('Action')).getByRole('option', { name: 'Deleted an auto-reply' }),
    ).toBeTruthy();
  });

  it('builds the query of the filters: actor, action and local dates, to the day after', () => {
    const query = auditQuery(
      { actor: OMAR_ID, action: 'agent.updated', from: '2026-11-01', to: '2026-11-28' },
      null,
    );
    expect(query.get('actor')).toBe(OMAR_ID);
    expect(query.get('action')).toBe('agent.updated');
    expect(query.get('from')).toBe(new Date(2026, 10, 1).toISOString());
    expect(query.get('to')).toBe(new Date(2026, 10, 29).toISOString());
    expect(query.get('cursor')).toBeNull();
    expect(auditQuery({ actor: '', action: '', from: '', to: '' }, 'c1').toString()).toBe(
      'limit=50&cursor=c1',
    );
  });
});
