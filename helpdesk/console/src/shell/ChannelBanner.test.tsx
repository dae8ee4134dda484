/**
 * The banner about WhatsApp numbers that are not connected (Vitest, happy-dom, Testing Library),
 * fed the way the workspace feeds it: `useChannelSource` reads `GET /api/channels` and `/api/teams`
 * (stubbed fetch) and is given realtime `channel.state` events. A connected number shows nothing;
 * a dropped one shows its name, state and time as an alert in Arabic and in English, and the banner
 * goes when it reconnects; a number waiting for its QR scan is a status; a number routed to a team
 * concerns its members and admins only; a disabled one nobody; "Dismiss" hides it until the next
 * change.
 */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SessionAgent } from '../api';
import type { ChannelView, Team } from '../channel-types';
import { I18nContext, makeI18n, type Language } from '../i18n';
import { ChannelsContext, useChannelSource } from '../useChannels';
import { ChannelBanner, channelsToWarnAbout, STARTING_GRACE_MS } from './ChannelBanner';

const AGENT: SessionAgent = {
  id: '22222222-2222-4222-8222-222222222222',
  name: 'منى',
  email: 'mona@pharmacy.test',
  role: 'agent',
  sessionId: '33333333-3333-4333-8333-333333333333',
  expiresAt: '2026-11-29T00:00:00.000Z',
};
const TEAM_ID = '77777777-7777-4777-8777-777777777777';

function channel(overrides: Partial<ChannelView> = {}): ChannelView {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    name: 'فرع مدينة نصر',
    provider: 'wppconnect',
    key: 'branch-2',
    enabled: true,
    configured: false,
    teamId: null,
    overrides: { businessHours: null, businessTimeZone: null, botLanguage: null, texts: null },
    settings: null,
    state: 'connected',
    phone: '+201000000002',
    since: '2026-11-28T15:00:00.000Z',
    detail: null,
    createdAt: '2026-11-28T14:00:00.000Z',
    updatedAt: '2026-11-28T14:00:00.000Z',
    ...overrides,
  };
}

/** The workspace's wiring, with a handle to push realtime events. */
let push: (data: Record<string, unknown>) => void = () => {};
function Harness({ agent = AGENT }: { agent?: SessionAgent }) {
  const channels = useChannelSource(() => {});
  push = channels.onStateEvent;
  return (
    <ChannelsContext.Provider value={channels}>
      <ChannelBanner agent={agent} />
    </ChannelsContext.Provider>
  );
}

function mount(language: Language, agent?: SessionAgent) {
  return render(
    <I18nContext.Provider value={makeI18n(language)}>
      <Harness agent={agent} />
    </I18nContext.Provider>,
  );
}

function stateEvent(state: string, since: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'channel.state',
    channelId: '11111111-1111-4111-8111-111111111111',
    channel: 'branch-2',
    name: 'فرع مدينة نصر',
    provider: 'wppconnect',
    state,
    phone: state === 'connected' ? '+201000000002' : null,
    since,
    detail: null,
    ...extra,
  };
}

describe('ChannelBanner', () => {
  let channels: ChannelView[];
  let teams: Team[];

  beforeEach(() => {
    sessionStorage.clear();
    channels = [channel()];
    teams = [];
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        const json = url === '/api/channels' ? channels : url === '/api/teams' ? teams : {};
        return new Response(JSON.stringify(json), {
          status: 200,
          headers: { 'content-type': 'application/json' },
        });
      }),
    );
  });
  afterEach(() => {
    cleanup();
    vi.unstubAllGlobals();
  });

  for (const language of ['ar', 'en'] as const) {
    it(`in ${language}: when the number drops, then an alert names it with its state and time; when it reconnects, the alert goes`, async () => {
      mount(language);
      await waitFor(() => expect(vi.mocked(fetch)).toHaveBeenCalledWith('/api/channels', expect.anything()));
      // Connected: nothing to say.
      await act(async () => {});
      expect(screen.queryByRole('alert')).toBeNull();

      act(() => push(stateEvent('disconnected', '2026-11-28T15:30:00.000Z')));
      const alert = screen.getByRole('alert');
      expect(alert.getAttribute('data-state')).toBe('disconnected');
      const text = alert.textContent ?? '';
      expect(text).toContain('فرع مدينة نصر');
      if (language === 'ar') {
        expect(text).toContain('انقطع الاتصال');
        expect(text).toContain('غير متصل');
        expect(text).not.toMatch(/[A-Za-z]/);
      } else {
        expect(text).toContain('is not connected: Disconnected since');
      }
      expect(text).toContain(makeI18n(language).formatTime('2026-11-28T15:30:00.000Z'));

      // An older event arriving late changes nothing.
      act(() => push(stateEvent('connected', '2026-11-28T15:10:00.000Z')));
      expect(screen.getByRole('alert')).toBeTruthy();

      act(() => push(stateEvent('connected', '2026-11-28T15:31:00.000Z')));
      expect(screen.queryByRole('alert')).toBeNull();
      expect(document.querySelector('[data-notice=channel]')).toBeNull();
    });
  }

  it('when the number waits for its QR scan, then it is a status, not an alert; Dismiss hides it until the state changes', async () => {
    channels = [channel({ state: 'qr', phone: null })];
    mount('en');
    const status = await screen.findByRole('status');
    expect(status.textContent).toContain('Waiting for the QR scan');
    expect(screen.queryByRole('alert')).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    expect(screen.queryByRole('status')).toBeNull();

    act(() => push(stateEvent('logged_out', '2026-11-28T16:00:00.000Z')));
    expect(screen.getByRole('alert').textContent).toContain('Logged out of WhatsApp');
  });

  it('when an event names a number the console does not know yet, then the list is read again', async () => {
    channels = [];
    mount('en');
    await waitFor(() => expect(vi.mocked(fetch)).toHaveBeenCalledTimes(2));
    channels = [channel({ state: 'disconnected', since: '2026-11-28T15:30:00.000Z' })];
    act(() => push(stateEvent('disconnected', '2026-11-28T15:30:00.000Z')));
    expect((await screen.findByRole('alert')).textContent).toContain('فرع مدينة نصر');
  });

  it('when a number is routed to a team, then only its members and admins are warned; a disabled number warns nobody', () => {
    const now = Date.parse('2026-11-28T16:00:00.000Z');
    const down = channel({ state: 'error', teamId: TEAM_ID });
    const team: Team = { id: TEAM_ID, name: 'الفرع الثاني', memberIds: ['someone-else'], categories: [] };
    expect(channelsToWarnAbout([down], AGENT, [team], now)).toEqual([]);
    expect(channelsToWarnAbout([down], { ...AGENT, role: 'admin' }, [team], now)).toEqual([down]);
    expect(channelsToWarnAbout([down], AGENT, [{ ...team, memberIds: [AGENT.id] }], now)).toEqual([down]);
    expect(channelsToWarnAbout([{ ...down, enabled: false }], { ...AGENT, role: 'admin' }, [], now)).toEqual(
      [],
    );
  });

  it('when a number has been starting for longer than the grace period, then it warns; a fresh start does not', () => {
    const now = Date.parse('2026-11-28T16:00:00.000Z');
    const fresh = channel({ state: 'starting', since: new Date(now - 5_000).toISOString() });
    const stuck = channel({ state: 'starting', since: new Date(now - STARTING_GRACE_MS).toISOString() });
    expect(channelsToWarnAbout([fresh], AGENT, [], now)).toEqual([]);
    expect(channelsToWarnAbout([stuck], AGENT, [], now)).toEqual([stuck]);
    // Reconnecting after a drop this console saw: still a warning.
    expect(channelsToWarnAbout([fresh], AGENT, [], now, new Set([fresh.id]))).toEqual([fresh]);
  });

  it('when the sidecar has not answered for longer than the grace period (state unknown), then it warns; a blip does not', () => {
    const now = Date.parse('2026-11-28T16:00:00.000Z');
    const blip = channel({ state: 'unknown', since: new Date(now - 5_000).toISOString() });
    const down = channel({ state: 'unknown', since: new Date(now - STARTING_GRACE_MS).toISOString() });
    expect(channelsToWarnAbout([blip], AGENT, [], now)).toEqual([]);
    expect(channelsToWarnAbout([down], AGENT, [], now)).toEqual([down]);
  });

  it('when a dropped number starts again, then the banner stays (as a status) until it is connected', async () => {
    channels = [channel({ state: 'disconnected', since: '2026-11-28T15:30:00.000Z' })];
    mount('en');
    await screen.findByRole('alert');
    act(() => push(stateEvent('starting', new Date().toISOString())));
    expect(screen.getByRole('status').textContent).toContain('Starting');
    act(() => push(stateEvent('connected', new Date(Date.now() + 1000).toISOString())));
    expect(document.querySelector('[data-notice=channel]')).toBeNull();
  });
});
