/**
 * Admin page "Broadcasts" (Vitest, happy-dom, Testing Library) against a stubbed API: a WPPConnect
 * number shows the ban warning; a CSV segment is sent as typed and its bad lines are listed; a
 * broadcast's progress and recipients show in Arabic, and Pause posts the action.
 */
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Broadcast } from '@whatsapp-helpdesk/contract/api';
import type { ChannelView } from '../channel-types';
import { I18nContext, makeI18n } from '../i18n';
import { AGENT, recordFetch, type RecordedCall } from '../test-support';
import { ChannelsContext, type Channels } from '../useChannels';
import { announceToFollowers } from '../useEventStream';
import { Broadcasts } from './Broadcasts';

const BROADCAST: Broadcast = {
  id: '11111111-1111-4111-8111-111111111111',
  name: 'مواعيد رمضان',
  channel: 'pharmacy',
  provider: 'wppconnect',
  text: 'نفتح ١٠ صباحًا',
  template: null,
  segment: { wroteWithinDays: 30 },
  status: 'running',
  ratePerMinute: 10,
  dailyCap: 200,
  createdBy: null,
  createdAt: '2026-11-28T09:00:00.000Z',
  startedAt: '2026-11-28T09:01:00.000Z',
  finishedAt: null,
  progress: { total: 3, pending: 1, sent: 1, delivered: 0, read: 0, failed: 0, skipped: 1 },
  warning: 'WPPConnect …',
};

const CHANNELS: Channels = {
  list: [{ id: 'c1', key: 'pharmacy', name: 'الصيدلية', provider: 'wppconnect' } as unknown as ChannelView],
  teams: [],
  byKey: () => undefined,
  nameOf: (key) => key,
  reload: () => Promise.resolve(),
};

function answer(call: RecordedCall) {
  if (call.url === '/api/broadcasts' && call.method === 'GET') return { json: { items: [BROADCAST] } };
  if (call.url === '/api/labels') return { json: { items: [] } };
  if (call.url === '/api/broadcasts' && call.method === 'POST')
    return {
      status: 201,
      json: { ...BROADCAST, status: 'draft', recipientCount: 1, invalidLines: [{ line: 2, text: 'abc' }] },
    };
  if (call.url.endsWith('/recipients'))
    return {
      json: {
        items: [
          {
            phone: '+201100000001',
            customerId: null,
            customerName: 'منى',
            status: 'skipped',
            reason: 'opted_out',
            reasonDetail: null,
            messageId: null,
            updatedAt: BROADCAST.createdAt,
          },
        ],
      },
    };
  if (call.url.endsWith('/pause')) return { json: { ...BROADCAST, status: 'paused' } };
  return undefined;
}

function show(channels: Channels = CHANNELS) {
  render(
    <I18nContext.Provider value={makeI18n('ar')}>
      <ChannelsContext.Provider value={channels}>
        <Broadcasts agent={{ ...AGENT, role: 'admin' }} />
      </ChannelsContext.Provider>
    </I18nContext.Provider>,
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('Broadcasts admin page', () => {
  it('when a WPPConnect number is chosen and a CSV sent, then the warning shows and the bad line is listed', async () => {
    const calls = recordFetch(answer);
    show();
    expect(screen.getByTestId('wppconnect-warning').textContent).toContain('حظره');
    fireEvent.change(screen.getByLabelText('الاسم'), { target: { value: 'تجربة' } });
    fireEvent.change(screen.getByLabelText('النص'), { target: { value: 'مرحبًا' } });
    fireEvent.click(screen.getByLabelText('قائمة أرقام (CSV، رقم في كل سطر)', { selector: 'input' }));
    fireEvent.change(screen.getByLabelText('قائمة أرقام (CSV، رقم في كل سطر)', { selector: 'textarea' }), {
      target: { value: '٠١١٠٠٠٠٠٠٠١\nabc' },
    });
    fireEvent.click(screen.getByText('إنشاء'));
    await waitFor(() => expect(screen.getByTestId('invalid-lines').textContent).toContain('abc'));
    const post = calls.find((call) => call.method === 'POST' && call.url === '/api/broadcasts')!;
    expect(post.body).toMatchObject({
      name: 'تجربة',
      channel: 'pharmacy',
      segment: { phones: '٠١١٠٠٠٠٠٠٠١\nabc' },
    });
  });

  it('when a broadcast is selected, then its recipients show in Arabic, and Pause posts the action', async () => {
    const calls = recordFetch(answer);
    show();
    fireEvent.click(await screen.findByText('مواعيد رمضان'));
    await waitFor(() =>
      expect(screen.getByTestId('broadcast-recipients').textContent).toContain('طلب إيقاف الرسائل'),
    );
    fireEvent.click(screen.getByText('إيقاف مؤقت'));
    await waitFor(() =>
      expect(calls.some((call) => call.url === `/api/broadcasts/${BROADCAST.id}/pause`)).toBe(true),
    );
    // The list is read again after the action (before the page is removed).
    await waitFor(() => {
      const paused = calls.findIndex((call) => call.url.endsWith('/pause'));
      expect(calls.slice(paused + 1).some((call) => call.url.endsWith('/recipients'))).toBe(true);
    });
  });

  it('when a Cloud API number and a template are chosen, then the template and its variable are sent, without a warning', async () => {
    const calls = recordFetch((call) => {
      if (call.url.startsWith('/api/templates'))
        return {
          json: {
            items: [
              {
                id: '22222222-2222-4222-8222-222222222222',
                channelKey: '1055',
                channelName: 'Cloud',
                name: 'ramadan_hours',
                language: 'ar',
                category: 'MARKETING',
                status: 'APPROVED',
                components: [{ type: 'BODY', text: 'مواعيدنا: {{1}}' }],
                variables: { header: [], body: ['1'] },
                syncedAt: BROADCAST.createdAt,
              },
            ],
          },
        };
      return answer(call);
    });
    show({
      ...CHANNELS,
      list: [{ id: 'c2', key: '1055', name: 'Cloud', provider: 'cloud' } as unknown as ChannelView],
    });
    expect(screen.queryByTestId('wppconnect-warning')).toBeNull();
    const select = await screen.findByLabelText('قالب (بدل النص)');
    fireEvent.change(select, { target: { value: '22222222-2222-4222-8222-222222222222' } });
    fireEvent.change(screen.getByLabelText('الاسم'), { target: { value: 'رمضان' } });
    fireEvent.change(screen.getByLabelText('{{1}}'), { target: { value: '١٠ص' } });
    fireEvent.click(screen.getByText('إنشاء'));
    await waitFor(() =>
      expect(calls.some((call) => call.method === 'POST' && call.url === '/api/broadcasts')).toBe(true),
    );
    const post = calls.find((call) => call.method === 'POST' && call.url === '/api/broadcasts')!;
    expect(post.body).toMatchObject({
      channel: '1055',
      template: { name: 'ramadan_hours', language: 'ar', parameters: { body: ['١٠ص'] } },
    });
    expect((post.body as { text?: string }).text).toBeUndefined();
    // The new broadcast's recipients are read (before the page is removed).
    await waitFor(() => expect(calls.some((call) => call.url.endsWith('/recipients'))).toBe(true));
  });
  it('when WhatsApp refuses a recipient after the broadcast is done, then the open recipients show it without reopening', async () => {
    const done: Broadcast = {
      ...BROADCAST,
      status: 'done',
      finishedAt: '2026-11-28T09:05:00.000Z',
      progress: { total: 1, pending: 0, sent: 1, delivered: 0, read: 0, failed: 0, skipped: 0 },
    };
    const recipient = {
      phone: '+201100000002',
      customerId: null,
      customerName: 'سارة',
      status: 'sent',
      reason: null,
      reasonDetail: null,
      messageId: '33333333-3333-4333-8333-333333333333',
      updatedAt: BROADCAST.createdAt,
    };
    let refused = false;
    recordFetch((call) => {
      if (call.url === '/api/broadcasts' && call.method === 'GET') return { json: { items: [done] } };
      if (call.url.endsWith('/recipients'))
        return {
          json: {
            items: [
              refused
                ? { ...recipient, status: 'failed', reason: 'undeliverable', reasonDetail: 'not on WhatsApp' }
                : recipient,
            ],
          },
        };
      return answer(call);
    });
    show();
    fireEvent.click(await screen.findByText('مواعيد رمضان'));
    await waitFor(() => expect(screen.getByTestId('broadcast-recipients').textContent).toContain('سارة'));
    expect(screen.getByTestId('broadcast-recipients').textContent).not.toContain('not on WhatsApp');
    // The outbound job's last attempt records the refusal and the stream announces it.
    refused = true;
    announceToFollowers({
      type: 'message.status',
      ticketId: '44444444-4444-4444-8444-444444444444',
      messageId: recipient.messageId,
      deliveryStatus: 'failed',
    });
    await waitFor(() =>
      expect(screen.getByTestId('broadcast-recipients').textContent).toContain('not on WhatsApp'),
    );
  });
  it('when a hundred recipients change status at once, then the recipients are read again once, not a hundred times', async () => {
    const done: Broadcast = { ...BROADCAST, status: 'done', finishedAt: '2026-11-28T09:05:00.000Z' };
    const recipients = Array.from({ length: 100 }, (_, index) => ({
      phone: `+2011000${String(index).padStart(5, '0')}`,
      customerId: null,
      customerName: `عميل ${index}`,
      status: 'sent',
      reason: null,
      reasonDetail: null,
      messageId: `33333333-3333-4333-8333-${String(index).padStart(12, '0')}`,
      updatedAt: BROADCAST.createdAt,
    }));
    const calls = recordFetch((call) => {
      if (call.url === '/api/broadcasts' && call.method === 'GET') return { json: { items: [done] } };
      if (call.url.endsWith('/recipients')) return { json: { items: recipients } };
      return answer(call);
    });
    show();
    fireEvent.click(await screen.findByText('مواعيد رمضان'));
    await waitFor(() => expect(screen.getByTestId('broadcast-recipients').textContent).toContain('عميل 99'));
    const reads = () => calls.filter((call) => call.url.endsWith('/recipients')).length;
    const before = reads();
    for (const recipient of recipients) {
      announceToFollowers({
        type: 'message.status',
        ticketId: '44444444-4444-4444-8444-444444444444',
        messageId: recipient.messageId,
        deliveryStatus: 'delivered',
      });
    }
    await waitFor(() => expect(reads()).toBe(before + 1));
    // Nothing more follows the burst.
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(reads()).toBe(before + 1);
  });
});
