/**
 * Subscribes to the agent's realtime stream (`GET /api/stream`, Server-Sent Events, authenticated
 * by the session cookie). EventSource reconnects by itself and sends Last-Event-ID, so the server
 * replays what was missed; `resync` asks for a full reload.
 */
import { useEffect, useRef, useState } from 'react';

export type StreamState = 'connecting' | 'live' | 'reconnecting';

export interface StreamEvent {
  type: string;
  ticketId?: string;
  [key: string]: unknown;
}

const TYPES = [
  'message.created',
  'message.status',
  'ticket.assigned',
  'ticket.status',
  'ticket.note',
  'resync',
  'logout',
];

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
  const handlers = useRef({ onEvent, onClosed });
  handlers.current = { onEvent, onClosed };

  useEffect(() => {
    if (!enabled) return undefined;
    const source = new EventSource('/api/stream');
    const listeners = TYPES.map((type) => {
      const listener = (message: MessageEvent<string>) => {
        let data: Record<string, unknown> = {};
        try {
          data = JSON.parse(message.data) as Record<string, unknown>;
        } catch {
          // keep the type alone
        }
        handlers.current.onEvent({ ...data, type });
      };
      source.addEventListener(type, listener);
      return [type, listener] as const;
    });
    source.addEventListener('ready', () => setState('live'));
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) handlers.current.onClosed();
      else setState('reconnecting');
    };
    return () => {
      for (const [type, listener] of listeners) source.removeEventListener(type, listener);
      source.close();
    };
  }, [enabled]);

  return state;
}
