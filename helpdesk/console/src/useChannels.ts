/**
 * The WhatsApp numbers (channels) the console knows, shared by the inbox (each ticket's channel
 * name, the channel filter), the open ticket (header, customer panel), the banner about numbers that
 * are not connected, and the admin page "WhatsApp numbers".
 *
 * The workspace owns one source (`useChannelSource`): it loads `GET /api/channels` and the teams
 * (`GET /api/teams`, for routing) once, applies every realtime `channel.state` event to the list in
 * place (a channel it does not know yet makes it load the list again), and reloads on `resync`.
 * Everything below reads it through `useChannels()`; outside a workspace (component tests) the
 * list is empty and a ticket's channel shows as its key.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState } from 'react';
import { api } from './api';
import {
  CHANNEL_STATES,
  type ChannelState,
  type ChannelStateEvent,
  type ChannelView,
  type Team,
} from './channel-types';

export interface Channels {
  /** Every channel by name; null until the first answer. */
  list: ChannelView[] | null;
  /** The teams a channel may route to (empty when they could not be read). */
  teams: Team[];
  /** The channel whose key a ticket's `channel` holds. */
  byKey(key: string): ChannelView | undefined;
  /** Its name, or the key itself while unknown. */
  nameOf(key: string): string;
  /** Reads the list again (after an admin's change). */
  reload(): Promise<void>;
}

const NO_CHANNELS: Channels = {
  list: null,
  teams: [],
  byKey: () => undefined,
  nameOf: (key) => key,
  reload: () => Promise.resolve(),
};

export const ChannelsContext = createContext<Channels>(NO_CHANNELS);

/** The workspace's channels (see the file's comment). */
export function useChannels(): Channels {
  return useContext(ChannelsContext);
}

/** A `channel.state` event's data, or null when it is not one (a malformed or older event). */
export function parseStateEvent(data: Record<string, unknown>): ChannelStateEvent | null {
  const { channelId, channel, name, provider, state, phone, since, detail } = data;
  if (typeof channelId !== 'string' || typeof channel !== 'string') return null;
  if (!CHANNEL_STATES.includes(state as ChannelState)) return null;
  return {
    channelId,
    channel,
    name: typeof name === 'string' ? name : channel,
    provider: provider === 'cloud' ? 'cloud' : 'wppconnect',
    state: state as ChannelState,
    phone: typeof phone === 'string' ? phone : null,
    since: typeof since === 'string' ? since : null,
    detail: typeof detail === 'string' ? detail : null,
  };
}

/**
 * The list with one channel's new state applied. An event older than what the list holds (by
 * `since`) changes nothing.
 * @returns the new list, or null when the channel is not in it (the caller reloads).
 */
export function applyStateEvent(list: ChannelView[], event: ChannelStateEvent): ChannelView[] | null {
  const index = list.findIndex((channel) => channel.id === event.channelId);
  if (index === -1) return null;
  const current = list[index]!;
  if (current.since && event.since && Date.parse(event.since) < Date.parse(current.since)) return list;
  const next = [...list];
  next[index] = {
    ...current,
    name: event.name,
    state: event.state,
    phone: event.phone ?? (event.state === 'logged_out' ? null : current.phone),
    since: event.since,
    detail: event.detail,
  };
  return next;
}

/**
 * The source the workspace provides through `ChannelsContext`.
 * @param onError called with a failed call's error (e.g. a 401 ends the session).
 * @returns the channels plus `onStateEvent`, to be given every realtime `channel.state` event.
 */
export function useChannelSource(
  onError: (error: unknown) => void,
): Channels & { onStateEvent: (data: Record<string, unknown>) => void } {
  const [list, setShownList] = useState<ChannelView[] | null>(null);
  // The list as last set (events apply to it synchronously, between renders too).
  const shown = useRef<ChannelView[] | null>(null);
  const setList = useCallback((next: ChannelView[]) => {
    shown.current = next;
    setShownList(next);
  }, []);
  const [teams, setTeams] = useState<Team[]>([]);
  const errors = useRef(onError);
  errors.current = onError;
  // Answers of an older read never overwrite a newer one.
  const request = useRef(0);

  const reload = useCallback(async () => {
    const mine = ++request.current;
    try {
      const channels = await api.channels();
      if (mine === request.current) setList(channels);
    } catch (error) {
      errors.current(error);
      if (mine === request.current && !shown.current) setList([]);
    }
  }, [setList]);

  useEffect(() => {
    void reload();
    api.teams().then(setTeams, () => setTeams([]));
  }, [reload]);

  const onStateEvent = useCallback(
    (data: Record<string, unknown>) => {
      const event = parseStateEvent(data);
      if (!event) return;
      const current = shown.current;
      // Before the first answer: that answer carries the state already.
      if (!current) return;
      const next = applyStateEvent(current, event);
      if (!next) return void reload();
      shown.current = next;
      setList(next);
    },
    [reload, setList],
  );

  return useMemo(() => {
    const byKey = (key: string) => list?.find((channel) => channel.key === key);
    return {
      list,
      teams,
      byKey,
      nameOf: (key: string) => byKey(key)?.name ?? key,
      reload,
      onStateEvent,
    };
  }, [list, teams, reload, onStateEvent]);
}
