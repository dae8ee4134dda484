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
 * Sends `GET /api/stream` with a bearer token (and `Last-Event-ID` when given); resolves once the
 * response headers arrived. The errors that follow closing it (`call.destroy()`) are swallowed.
 * Also the scale benchmark's way in (bench/scale/stream-reader.ts).
 */
export async function requestStream(
  baseUrl: string,
  token: string,
  lastEventId?: string,
): Promise<{ call: ClientRequest; response: IncomingMessage }> {
  const url = new URL('/api/stream', baseUrl);
  const opened = await new Promise<{ call: ClientRequest; response: IncomingMessage }>((resolve, reject) => {
    const call = request(
      url,
      {
        agent: false,
        headers: {
          authorization: `Bearer ${token}`,
          accept: 'text/event-stream',
          ...(lastEventId ? { 'last-event-id': lastEventId } : {}),
        },
      },
      (response) => resolve({ call, response }),
    );
    call.on('error', reject);
    call.end();
  });
  // Closing the stream aborts the request; the errors that follow are expected.
  opened.call.on('error', () => {});
  opened.response.on('error', () => {});
  return opened;
}

/**
 * Opens a stream and collects every event; resolves once the response headers arrived. Read with
 * node:http, not fetch: with many streams in one process, fetch's web streams cost it more CPU than
 * the API spends writing the events, which then showed as event latency.
 */
export async function openStream(
  baseUrl: string,
  token: string,
  options: { lastEventId?: string } = {},
): Promise<SseConnection> {
  const { call, response } = await requestStream(baseUrl, token, options.lastEventId);
  const status = response.statusCode ?? 0;
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
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
