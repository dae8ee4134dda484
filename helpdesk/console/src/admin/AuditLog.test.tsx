/**
 * The audit log page (Vitest, happy-dom, Testing Library) on stubbed `GET /api/agents` and
 * `GET /api/audit`: entries in Arabic with who, what, on what and a capacity change as before and
 * after; a failed sign-in with nobody and the email; the filters (who, action, a period of local
 * dates, `to` the day after the last) become the API's query; "more" asks with the cursor.
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
        : { json: PAGE },
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
