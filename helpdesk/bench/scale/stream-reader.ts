/**
 * The scale benchmark's reader of console streams (`GET /api/stream`): keeps, for each inbound
 * `message.created` event, the message id, when it arrived and when it was published, and skips every
 * other event without parsing it. The 100 streams receive about 18,000 frames a second in all during
 * the fan-out; parsing and keeping every one, as the tests' reader does (test/api/sse-client.ts),
 * took the benchmark's process about 45 % of a core (37 % with this reader, measured with top), on
 * the two cores the API, the worker and PostgreSQL share, which a console on an agent's own
 * computer does not take from them.
 */
import { requestStream } from '../../test/api/sse-client';

/** One inbound message's `message.created` on a stream. */
export interface InboundDelivery {
  messageId: string;
  /** Date.now() when its frame arrived. */
  receivedAt: number;
  /** When the event was published (its `at`), ms since the epoch; 0 when absent. */
  publishedAt: number;
}

export interface StreamReader {
  status: number;
  /** Every inbound `message.created` received so far, in arrival order. */
  deliveries: InboundDelivery[];
  /** Frames of any kind received so far (events, comments and the `retry` line). */
  frames: number;
  close(): void;
}

const CREATED = 'event: message.created\n';
const INBOUND = '"direction":"inbound"';
const MESSAGE_ID = /"messageId":"([^"]+)"/;
const PUBLISHED_AT = /"at":"([^"]+)"/;

/**
 * Opens a stream with a bearer token; resolves once the response headers arrived.
 * @param baseUrl the API's origin, e.g. `http://127.0.0.1:19123`.
 */
export async function openStreamReader(baseUrl: string, token: string): Promise<StreamReader> {
  const { call, response } = await requestStream(baseUrl, token);
  const reader: StreamReader = {
    status: response.statusCode ?? 0,
    deliveries: [],
    frames: 0,
    close: () => call.destroy(),
  };
  if (reader.status !== 200) {
    response.resume();
    return reader;
  }
  response.setEncoding('utf8');
  let rest = '';
  response.on('data', (chunk: string) => {
    const text = rest + chunk;
    const receivedAt = Date.now();
    let start = 0;
    let end: number;
    while ((end = text.indexOf('\n\n', start)) >= 0) {
      reader.frames += 1;
      const frame = text.slice(start, end);
      if (frame.includes(CREATED) && frame.includes(INBOUND)) {
        const id = MESSAGE_ID.exec(frame)?.[1];
        const at = PUBLISHED_AT.exec(frame)?.[1];
        if (id) reader.deliveries.push({ messageId: id, receivedAt, publishedAt: at ? Date.parse(at) : 0 });
      }
      start = end + 2;
    }
    rest = text.slice(start);
  });
  return reader;
}
