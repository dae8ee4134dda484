/**
 * Outbound HTTP of the WhatsApp drivers, on axios: one configured instance per upstream (the
 * wpp-sidecar; Meta's Graph API; Meta's media host), and the guard every media download passes
 * through.
 *
 * Each instance keeps connections alive, times out (axios `timeout`: the answer's headers within
 * the time, then no silence as long on the socket), follows no redirect (a 3xx is answered as it
 * is, the caller refuses it: followed, it could take the credential to another host), ignores
 * HTTP(S)_PROXY from the environment (a proxy is another host), and refuses before sending
 * anything a URL outside its own origins. Every status resolves; the drivers map statuses, and
 * `transportFailure` describes the rest, to `ProviderError` themselves.
 */
import http from 'node:http';
import https from 'node:https';
import { Transform, type Readable } from 'node:stream';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { ProviderError } from '../errors';

/**
 * Idle keep-alive sockets close after this long, ms: under the 5 s keep-alive timeout of Node's
 * HTTP server (Express), so a request never goes out on a socket the server is closing.
 */
const IDLE_SOCKET_MS = 4_000;

/** What axios takes for an absolute URL (a scheme, or `//`), whatever its baseURL. */
const ABSOLUTE_URL = /^([a-z][a-z\d+\-.]*:)?\/\//i;

/** `providerCode` of the ProviderError of a media item larger than MEDIA_MAX_BYTES. */
export const MEDIA_TOO_LARGE = 'media_too_large';

export interface UpstreamOptions {
  /** Origins this instance may call, e.g. `http://127.0.0.1:21465`; any other URL is refused. */
  origins: readonly string[];
  /** What relative request URLs resolve against (absolute ones still must be on `origins`). */
  baseURL?: string;
  /** Wait for the answer's headers, and longest silence on the socket after them, ms. */
  timeoutMs: number;
  /** Sent with every request, e.g. the credential. */
  headers: Record<string, string>;
}

/**
 * Builds one upstream's axios instance (see the file comment). Responses are text unless a
 * request asks for `responseType: 'stream'`.
 * @throws (from its requests) ProviderError, not retryable, for a URL outside `origins`; an
 *   AxiosError when the request cannot be made (see `transportFailure`).
 */
export function createUpstreamClient(options: UpstreamOptions): AxiosInstance {
  const agent = { keepAlive: true, timeout: IDLE_SOCKET_MS };
  const instance = axios.create({
    ...(options.baseURL ? { baseURL: options.baseURL } : {}),
    timeout: options.timeoutMs,
    timeoutErrorMessage: `no answer within ${options.timeoutMs} ms`,
    headers: options.headers,
    httpAgent: new http.Agent(agent),
    httpsAgent: new https.Agent(agent),
    maxRedirects: 0,
    proxy: false,
    validateStatus: () => true,
    responseType: 'text',
    // Node's http adapter, named: axios otherwise picks one from its list on every request.
    adapter: 'http',
    // Text and streams are handed on as they come: no response transform to run.
    transformResponse: [],
  });
  // axios's built-in transitional defaults, without checking the option object on every request.
  instance.defaults.transitional = undefined;
  const origins = new Set(options.origins);
  const allowed = (url: URL) => origins.has(url.origin) && url.username === '' && url.password === '';
  // A path relative to the instance's own baseURL stays on its origin (axios appends it after the
  // base's authority): checked once here rather than by parsing the whole URL on every request.
  const baseAllowed = options.baseURL !== undefined && allowed(new URL(options.baseURL));
  instance.interceptors.request.use(
    (config) => {
      const relative = typeof config.url === 'string' && !ABSOLUTE_URL.test(config.url);
      if (relative && baseAllowed && config.baseURL === options.baseURL) return config;
      const url = new URL(instance.getUri(config));
      if (!allowed(url)) {
        throw new ProviderError(`refused a request to ${url.host}, which is not this upstream's`, false);
      }
      return config;
    },
    undefined,
    { synchronous: true },
  );
  return instance;
}

/**
 * Why a request failed without an answer (refused, reset, timed out, aborted), in one line.
 * Node's "happy eyeballs" connect reports an AggregateError without a message: its parts are named.
 */
export function transportFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.message) return error.message;
  const parts = (error as { errors?: unknown }).errors;
  if (Array.isArray(parts) && parts.length) return parts.map((part) => transportFailure(part)).join('; ');
  const cause = (error as { cause?: unknown }).cause;
  if (cause) return transportFailure(cause);
  return (error as { code?: string }).code ?? error.name;
}

export interface DownloadGuard {
  /** Start of every error message, e.g. `sidecar media 3EB0…`. */
  what: string;
  /** MEDIA_MAX_BYTES, bytes: a declared or streamed size above it ends the download for good. */
  maxBytes: number;
  /** Longest wait for the next chunk, ms; then the download fails (retryable). */
  idleMs: number;
  /**
   * MEDIA_DOWNLOAD_TIMEOUT_MS: longest time for the whole body from its headers, ms; then the
   * download fails (retryable). Bounds a body that trickles in just faster than `idleMs`, which
   * would otherwise hold its inbound shard (and every customer behind it) for as long as it lasts.
   * None when omitted.
   */
  totalMs?: number;
  /** Sees every chunk (e.g. to hash it). */
  onChunk?: (chunk: Buffer) => void;
  /** At the end, with the size in bytes: an error to fail the stream with, or null. */
  onEnd?: (size: number) => Error | null;
}

/**
 * The body of a 2xx media download as the drivers hand it on: the bytes, or an error that is
 * always a ProviderError, so a provider's failure is never taken for our own infrastructure's.
 * A `Content-Length` above `maxBytes` is refused before any byte is read; a body that grows past
 * it is cut at that point. Ending the returned stream early (e.g. the storage refusing it) closes
 * the connection.
 * @param response an axios response with `responseType: 'stream'`.
 * @returns the guarded stream.
 * @throws ProviderError, not retryable, code MEDIA_TOO_LARGE, when the declared length is too large;
 *   the stream fails with the same error when the bytes are, and with a retryable ProviderError
 *   when the connection fails, stalls for `idleMs` or has not ended within `totalMs`.
 */
export function guardDownload(response: AxiosResponse<Readable>, guard: DownloadGuard): Readable {
  const source = response.data;
  const tooLarge = () =>
    new ProviderError(`media is larger than ${guard.maxBytes} bytes`, false, MEDIA_TOO_LARGE);
  const declared = Number(response.headers['content-length']);
  if (Number.isFinite(declared) && declared > guard.maxBytes) {
    source.destroy();
    throw tooLarge();
  }
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const stalled = () =>
    output.destroy(new ProviderError(`${guard.what}: no bytes for ${guard.idleMs} ms`, true));
  const arm = () => {
    clearTimeout(timer);
    timer = setTimeout(stalled, guard.idleMs).unref();
  };
  const deadline =
    guard.totalMs === undefined
      ? undefined
      : setTimeout(
          () =>
            output.destroy(
              new ProviderError(`${guard.what}: not downloaded within ${guard.totalMs} ms`, true),
            ),
          guard.totalMs,
        ).unref();
  const output = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      size += chunk.length;
      if (size > guard.maxBytes) {
        callback(tooLarge());
        return;
      }
      arm();
      guard.onChunk?.(chunk);
      callback(null, chunk);
    },
    flush(callback) {
      clearTimeout(timer);
      clearTimeout(deadline);
      callback(guard.onEnd?.(size) ?? null);
    },
  });
  const failed = (error: unknown) =>
    output.destroy(
      error instanceof ProviderError
        ? error
        : new ProviderError(`${guard.what}: ${transportFailure(error)}`, true),
    );
  const cut = () => new ProviderError(`${guard.what}: the connection closed before the end`, true);
  source.once('error', failed);
  // Node's response emits no 'error' when nobody listened as it broke (e.g. between the headers
  // and this guard): its early 'close' says it.
  source.once('close', () => {
    if (!source.readableEnded) failed(cut());
  });
  if (source.destroyed && !source.readableEnded) process.nextTick(failed, cut());
  output.once('close', () => {
    clearTimeout(timer);
    clearTimeout(deadline);
    // Not read to its end: close the connection rather than leave it waiting.
    if (!source.readableEnded) source.destroy();
  });
  arm();
  source.pipe(output);
  return output;
}
