/**
 * A small Server-Sent Events reader for tests: opens `GET /api/stream` with a bearer token (and
 * optionally `Last-Event-ID`) and collects events as they arrive.
 */
import { request, type ClientRequest, type IncomingMessage } from 'node:http';

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

/**
 * Opens a stream; resolves once the response headers arrived. Read with node:http, not fetch: the
 * scale benchmark holds 100 streams in one process, and fetch's web streams cost that process more
 * CPU than the API spends writing the events, which then showed as event latency.
 */
export async function openStream(
  baseUrl: string,
  token: string,
  options: { lastEventId?: string } = {},
): Promise<SseConnection> {
  const url = new URL('/api/stream', baseUrl);
  const { call, response } = await new Promise<{ call: ClientRequest; response: IncomingMessage }>(
    (resolve, reject) => {
      const call = request(
        url,
        {
          agent: false,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'text/event-stream',
            ...(options.lastEventId ? { 'last-event-id': options.lastEventId } : {}),
          },
        },
        (response) => resolve({ call, response }),
      );
      call.on('error', reject);
      call.end();
    },
  );
  const status = response.statusCode ?? 0;
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  // Closing the stream aborts the request; the errors that follow are expected.
  call.on('error', () => {});
  response.on('error', () => {});
  if (status !== 200) {
    response.resume();
  } else {
    response.setEncoding('utf8');
    let buffer = '';
    response.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      let received = false;
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
        received = true;
      }
      if (received) for (const wake of [...waiters]) wake();
    });
  }
  return {
    status,
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
    close: () => call.destroy(),
  };
}
