/**
 * A small client of Meta's Graph API for the WhatsApp Cloud API: every request goes to
 * `<base URL>/<version>/…` with `Authorization: Bearer <access token>` (Meta, "Cloud API —
 * Get started" and "Graph API — Versioning") and a timeout; failures become ProviderError through
 * `graphErrorFromResponse`. Uses the global fetch.
 */
import { ProviderError } from '../../errors';
import { graphErrorFromResponse } from './graph-errors';

/** `providerCode` of the ProviderError thrown when Meta cannot be reached or does not answer in time. */
export const UNREACHABLE = 'unreachable';

export interface GraphClientOptions {
  /** e.g. https://graph.facebook.com (CLOUD_API_BASE_URL), without a trailing slash. */
  baseUrl: string;
  /** Graph API version, e.g. v23.0 (CLOUD_API_VERSION). */
  version: string;
  /** System user or app access token (CLOUD_API_TOKEN). */
  token: string;
  /** Longest wait for an answer's headers, and for each chunk of a download, ms. */
  timeoutMs: number;
}

export class GraphClient {
  /** `<base URL>/<version>`, e.g. https://graph.facebook.com/v23.0. */
  readonly graphUrl: string;

  constructor(private readonly options: GraphClientOptions) {
    this.graphUrl = `${options.baseUrl.replace(/\/+$/, '')}/${options.version}`;
  }

  /** The configured timeout, ms. */
  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  /**
   * Sends a request to a Graph API path and reads the JSON answer.
   * @param method HTTP method.
   * @param path path after the version, e.g. `/106540352242922/messages`.
   * @param body a JSON value (sent as application/json) or a FormData (multipart).
   * @returns the parsed JSON answer of a 2xx.
   * @throws ProviderError: the mapped Graph API error for a non-2xx (see graph-errors.ts);
   *   retryable when Meta is unreachable, times out or answers 2xx without JSON.
   */
  async json(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const what = `${method} ${path.split('?')[0]}`;
    const init: RequestInit = { method };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      init.headers = { 'content-type': 'application/json' };
    }
    const response = await this.fetch(`${this.graphUrl}${path}`, init, what);
    const text = await response.text().catch(() => '');
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (!response.ok) throw graphErrorFromResponse(response.status, parsed, what);
    if (parsed === null) throw new ProviderError(`Cloud API ${what}: answer is not JSON`, true);
    return parsed;
  }

  /**
   * Fetches a URL with the bearer token; the answer's headers must arrive within the timeout.
   * The body is left unread (the caller streams it). Redirects are not followed (a 3xx is returned).
   * @param controller aborts the request and later its body (e.g. a download that stalls); the
   *   header timeout aborts it too.
   * @throws ProviderError (retryable) when the request cannot be made or times out.
   */
  async fetch(
    url: string,
    init: RequestInit,
    what: string,
    controller: AbortController = new AbortController(),
  ): Promise<Response> {
    const timer = setTimeout(
      () => controller.abort(new Error(`no answer within ${this.options.timeoutMs} ms`)),
      this.options.timeoutMs,
    );
    try {
      return await fetch(url, {
        // A redirect is answered as it is, never followed: the token must not travel to its target.
        redirect: 'manual',
        ...init,
        headers: {
          ...(init.headers as Record<string, string> | undefined),
          authorization: `Bearer ${this.options.token}`,
        },
        signal: controller.signal,
      });
    } catch (error) {
      const reason = controller.signal.aborted ? controller.signal.reason : error;
      throw new ProviderError(
        `Cloud API ${what} unreachable: ${(reason as Error).message}`,
        true,
        UNREACHABLE,
      );
    } finally {
      clearTimeout(timer);
    }
  }
}
