/**
 * The thread header's transfer list offers teams as well as agents (Vitest, happy-dom, Testing
 * Library): choosing a team posts `{ teamId }` to the transfer route; choosing an agent still
 * posts `{ agentId }`.
 */
import { cleanup, fireEvent, render, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nContext, makeI18n } from '../i18n';
import { AGENT, makeThread, recordFetch, TICKET_ID } from '../test-support';
import { ChannelsContext, type Channels } from '../useChannels';
import { ThreadHeader } from './ThreadHeader';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const TEAM = { id: '88888888-8888-4888-8888-888888888888', name: 'الصيادلة', memberIds: [], categories: [] };
const OMAR = {
  id: '99999999-9999-4999-8999-999999999999',
  name: 'عمر',
  role: 'agent' as const,
  availability: 'online' as const,
  active: true,
};
const CHANNELS: Channels = {
  list: [],
  teams: [TEAM],
  byKey: () => undefined,
  nameOf: (key) => key,
  reload: () => Promise.resolve(),
};

function mount() {
  return render(
    <I18nContext.Provider value={makeI18n('ar')}>
      <ChannelsContext.Provider value={CHANNELS}>
        <ThreadHeader
          thread={makeThread({ ticket: { allowedActions: ['reply', 'note', 'transfer'] } })}
          agent={AGENT}
          agents={[OMAR]}
          onChanged={() => {}}
          panel={{ open: true, controls: 'customer-panel', onToggle: () => {} }}
        />
      </ChannelsContext.Provider>
    </I18nContext.Provider>,
  ).container;
}

describe('ThreadHeader transfer', () => {
  it('when a team is chosen, then the transfer posts its teamId; an agent still posts agentId', async () => {
    const calls = recordFetch(() => ({ json: {} }));
    const container = mount();
    const select = container.querySelector<HTMLSelectElement>('select[name=transfer]')!;
    const groups = [...select.querySelectorAll('optgroup')].map((group) => group.label);
    expect(groups).toEqual(['موظفون', 'فرق']);
    const transfer = () => fireEvent.click(select.parentElement!.querySelector('button')!);

    fireEvent.change(select, { target: { value: `team:${TEAM.id}` } });
    transfer();
    await waitFor(() => expect(calls).toHaveLength(1));
    expect(calls[0]).toEqual({
      method: 'POST',
      url: `/api/tickets/${TICKET_ID}/transfer`,
      body: { teamId: TEAM.id },
    });

    await waitFor(() => expect(select.value).toBe(''));
    fireEvent.change(select, { target: { value: OMAR.id } });
    transfer();
    await waitFor(() => expect(calls).toHaveLength(2));
    expect(calls[1]!.body).toEqual({ agentId: OMAR.id });
  });
});
