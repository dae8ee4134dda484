/**
 * Subscribes to the agent's realtime stream (`GET /api/stream`, Server-Sent Events, authenticated
 * by the session cookie). EventSource reconnects by itself and sends Last-Event-ID, so the server
 * replays what was missed; `resync` asks for a full reload.
 *
 * The state says the truth about the stream: `live` only after the server's `ready`, and `down`
 * when the browser is offline or the server refused the stream (EventSource then gives up, so a new
 * one is opened after a growing pause: 2 s, 4 s, … up to 30 s).
 */
import { REALTIME_EVENT_TYPES, STREAM_CONTROL_TYPES } from '@whatsapp-helpdesk/contract/api';
import { useEffect, useRef, useState } from 'react';

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'down';

export interface StreamEvent {
  type: string;
  ticketId?: string;
  [key: string]: unknown;
}

const TYPES = [...REALTIME_EVENT_TYPES, ...STREAM_CONTROL_TYPES];

const MAX_RETRY_MS = 30_000;

/** Pages that follow the workspace's stream (useStreamEvents), without a stream of their own. */
const followers = new Set<(event: StreamEvent) => void>();

/** Hands an event of the stream to the pages following it (exported for their tests). */
export function announceToFollowers(event: StreamEvent): void {
  for (const follower of followers) follower(event);
}

/**
 * Calls `onEvent` for every event of the console's one stream (opened by the workspace) while the
 * calling component is mounted, e.g. an admin page that refetches on events.
 */
export function useStreamEvents(onEvent: (event: StreamEvent) => void): void {
  const latest = useRef(onEvent);
  latest.current = onEvent;
  useEffect(() => {
    const follower = (event: StreamEvent) => latest.current(event);
    followers.add(follower);
    return () => {
      followers.delete(follower);
    };
  }, []);
}

/**
 * @param enabled open the stream only while signed in.
 * @param onEvent called for every event (the latest callback is used).
 * @param onClosed called when the server refused the stream (e.g. the session ended).
 */
export function useEventStream(
  enabled: boolean,
  onEvent: (event: StreamEvent) => void,
  onClosed: () => void,
): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  // Bumped to open a new EventSource after the server closed the last one.
  const [generation, setGeneration] = useState(0);
  const failures = useRef(0);
  // The last event seen: a new stream resumes after it (the server replays or says resync).
  const lastEventId = useRef<string | null>(null);
  const handlers = useRef({ onEvent, onClosed });
  handlers.current = { onEvent, onClosed };

  useEffect(() => {
    if (!enabled) return undefined;
    const resume = lastEventId.current;
    const source = new EventSource(
      resume ? `/api/stream?${new URLSearchParams({ lastEventId: resume }).toString()}` : '/api/stream',
    );
    let retry: ReturnType<typeof setTimeout> | null = null;
    const listeners = TYPES.map((type) => {
      const listener = (message: MessageEvent<string>) => {
        if (message.lastEventId) lastEventId.current = message.lastEventId;
        let data: Record<string, unknown> = {};
        try {
          data = JSON.parse(message.data) as Record<string, unknown>;
        } catch {
          // keep the type alone
        }
        handlers.current.onEvent({ ...data, type });
        announceToFollowers({ ...data, type });
      };
      source.addEventListener(type, listener);
      return [type, listener] as const;
    });
    source.addEventListener('ready', (message: MessageEvent<string>) => {
      try {
        const { lastEventId: last } = JSON.parse(message.data) as { lastEventId?: string | null };
        if (last) lastEventId.current = last;
      } catch {
        // an old server: keep the id of the last event
      }
      setState('live');
      failures.current = 0;
    });
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        setState('down');
        handlers.current.onClosed();
        const pause = Math.min(MAX_RETRY_MS, 2000 * 2 ** failures.current);
        failures.current += 1;
        retry = setTimeout(() => setGeneration((current) => current + 1), pause);
      } else {
        setState(navigator.onLine ? 'reconnecting' : 'down');
      }
    };
    const offline = () => setState('down');
    // Back online: the old connection may be silently dead; open a new one that resumes.
    const online = () => {
      setState('reconnecting');
      setGeneration((current) => current + 1);
    };
    window.addEventListener('offline', offline);
    window.addEventListener('online', online);
    return () => {
      if (retry) clearTimeout(retry);
      window.removeEventListener('offline', offline);
      window.removeEventListener('online', online);
      for (const [type, listener] of listeners) source.removeEventListener(type, listener);
      source.close();
    };
  }, [enabled, generation]);

  return state;
}
