/**
 * A small Server-Sent Events reader for tests: opens `GET /api/stream` with a bearer token (and
 * optionally `Last-Event-ID`) and collects events as they arrive.
 */

export interface SseEvent {
  id: string | null;
  event: string;
  data: Record<string, unknown>;
  /** Date.now() when it arrived. */
  receivedAt: number;
}

export interface SseConnection {
  status: number;
  events: SseEvent[];
  /** Waits for the first event (already received or future) that matches. */
  next(match: (event: SseEvent) => boolean, timeoutMs?: number, what?: string): Promise<SseEvent>;
  close(): void;
}

/** Opens a stream; resolves once the response headers arrived. */
export async function openStream(
  baseUrl: string,
  token: string,
  options: { lastEventId?: string } = {},
): Promise<SseConnection> {
  const controller = new AbortController();
  const response = await fetch(`${baseUrl}/api/stream`, {
    headers: {
      authorization: `Bearer ${token}`,
      accept: 'text/event-stream',
      ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
    },
    signal: controller.signal,
  });
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  if (response.ok && response.body) {
    void (async () => {
      const decoder = new TextDecoder();
      let buffer = '';
      try {
        for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
          buffer += decoder.decode(chunk, { stream: true });
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            let id: string | null = null;
            let event = 'message';
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith('id: ')) id = line.slice(4);
              else if (line.startsWith('event: ')) event = line.slice(7);
              else if (line.startsWith('data: ')) data.push(line.slice(6));
            }
            if (data.length === 0) continue;
            events.push({
              id,
              event,
              data: JSON.parse(data.join('\n')) as Record<string, unknown>,
              receivedAt: Date.now(),
            });
            for (const wake of [...waiters]) wake();
          }
        }
      } catch {
        // aborted
      }
    })();
  }
  return {
    status: response.status,
    events,
    next(match, timeoutMs = 5000, what = 'event') {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = events.find(match);
          if (!found) return false;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(
            new Error(
              `timed out after ${timeoutMs} ms waiting for ${what}; got ${events.map((e) => e.event).join(', ')}`,
            ),
          );
        }, timeoutMs);
        if (!check()) waiters.add(check);
      });
    },
    close: () => controller.abort(),
  };
}
