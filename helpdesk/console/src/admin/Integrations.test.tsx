/**
 * Admin page "Integrations" (Vitest, happy-dom, Testing Library) against a stubbed API: a new API
 * key is sent with its name and scopes and shown once (gone after "Done", never in the list, which
 * shows the prefix); a webhook's delivery log shows status and attempts.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiKey, OutgoingWebhook, WebhookDelivery } from '@whatsapp-helpdesk/contract/api';
import { I18nContext, makeI18n } from '../i18n';
import { AGENT, recordFetch, type RecordedCall } from '../test-support';
import { Integrations } from './Integrations';

const KEY = 'hk_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789ABCDEFG';
const LISTED: ApiKey = {
  id: '11111111-1111-4111-8111-111111111111',
  name: 'Order system',
  scopes: ['messages:send'],
  prefix: KEY.slice(0, 8),
  lastUsedAt: null,
  revokedAt: null,
  createdAt: '2026-11-28T09:00:00.000Z',
};
const HOOK: OutgoingWebhook = {
  id: '22222222-2222-4222-8222-222222222222',
  name: 'CRM',
  url: 'https://crm.example.com/hook',
  events: ['ticket.created'],
  enabled: true,
  createdAt: '2026-11-28T09:00:00.000Z',
  updatedAt: '2026-11-28T09:00:00.000Z',
};
const DELIVERY: WebhookDelivery = {
  id: '7',
  eventType: 'ticket.created',
  eventId: '1-0:ticket.created',
  status: 'delivered',
  attempts: 3,
  lastStatusCode: 200,
  lastError: null,
  createdAt: '2026-11-28T09:00:00.000Z',
  deliveredAt: '2026-11-28T09:00:02.000Z',
};

let created = false;
function answer(call: RecordedCall) {
  if (call.url === '/api/api-keys' && call.method === 'GET')
    return { json: { items: created ? [LISTED] : [] } };
  if (call.url === '/api/api-keys' && call.method === 'POST') {
    created = true;
    return { json: { ...LISTED, key: KEY } };
  }
  if (call.url === '/api/webhooks' && call.method === 'GET') return { json: { items: [HOOK] } };
  if (call.url === `/api/webhooks/${HOOK.id}/deliveries`) return { json: { items: [DELIVERY] } };
  return undefined;
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  created = false;
});

describe('Integrations admin page', () => {
  it('when an API key is created, then it is shown once and the list shows only its prefix', async () => {
    const calls = recordFetch(answer);
    render(
      <I18nContext.Provider value={makeI18n('en')}>
        <Integrations agent={{ ...AGENT, role: 'admin' }} />
      </I18nContext.Provider>,
    );
    await screen.findByText('No API keys yet');
    fireEvent.change(screen.getAllByLabelText('Name')[0]!, { target: { value: 'Order system' } });
    fireEvent.click(screen.getByLabelText(/Send messages to customers/));
    fireEvent.click(screen.getByRole('button', { name: 'Create key' }));
    await screen.findByText(KEY);
    const post = calls.find((call) => call.method === 'POST' && call.url === '/api/api-keys')!;
    expect(post.body).toEqual({ name: 'Order system', scopes: ['messages:send'] });
    await screen.findByText(`${LISTED.prefix}…`);
    fireEvent.click(screen.getByRole('button', { name: 'Done' }));
    await waitFor(() => expect(screen.queryByText(KEY)).toBeNull());
  });

  it("when a webhook's delivery log is opened, then each delivery shows its status and attempts", async () => {
    recordFetch(answer);
    render(
      <I18nContext.Provider value={makeI18n('ar')}>
        <Integrations agent={{ ...AGENT, role: 'admin' }} />
      </I18nContext.Provider>,
    );
    fireEvent.click(await screen.findByRole('button', { name: 'سجل التسليم' }));
    const table = await screen.findByTestId('webhook-deliveries');
    expect(table.textContent).toContain('تم التسليم');
    expect(table.textContent).toContain('3');
  });
});
