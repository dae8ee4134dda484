/**
 * A small client of Meta's Graph API for the WhatsApp Cloud API: every request goes to
 * `<base URL>/<version>/…` with `Authorization: Bearer <access token>` (Meta, "Cloud API —
 * Get started" and "Graph API — Versioning") and a timeout; failures become ProviderError through
 * `graphErrorFromResponse`. Two axios instances (../upstream.ts), one per upstream: the Graph API
 * (CLOUD_API_BASE_URL's origin only) and media downloads (Meta's media host or that origin); both
 * send the token, neither to any other host, neither following a redirect.
 */
import type { Readable } from 'node:stream';
import type { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import { ProviderError } from '../../errors';
import { createUpstreamClient, transportFailure } from '../upstream';
import { graphErrorFromResponse } from './graph-errors';

/** `providerCode` of the ProviderError thrown when Meta cannot be reached or does not answer in time. */
export const UNREACHABLE = 'unreachable';

/** Meta's media host: the `url` of `GET /<media id>` is on it (Meta, "Media" reference). */
export const META_MEDIA_HOST = 'lookaside.fbsbx.com';

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
  private readonly api: AxiosInstance;
  private readonly media: AxiosInstance;

  constructor(private readonly options: GraphClientOptions) {
    this.graphUrl = `${options.baseUrl.replace(/\/+$/, '')}/${options.version}`;
    const graphOrigin = new URL(this.graphUrl).origin;
    const headers = { authorization: `Bearer ${options.token}` };
    this.api = createUpstreamClient({
      origins: [graphOrigin],
      baseURL: this.graphUrl,
      timeoutMs: options.timeoutMs,
      headers,
    });
    this.media = createUpstreamClient({
      origins: [`https://${META_MEDIA_HOST}`, graphOrigin],
      timeoutMs: options.timeoutMs,
      headers,
    });
  }

  /** The configured timeout, ms. */
  get timeoutMs(): number {
    return this.options.timeoutMs;
  }

  /**
   * Sends a request to a Graph API path and reads the JSON answer.
   * @param method HTTP method.
   * @param path path after the version, e.g. `/106540352242922/messages`.
   * @param body a JSON value (sent as application/json) or a FormData (multipart, its file
   *   streamed from disk when it is a file-backed Blob).
   * @returns the parsed JSON answer of a 2xx.
   * @throws ProviderError: the mapped Graph API error for a non-2xx (see graph-errors.ts);
   *   retryable when Meta is unreachable, times out or answers 2xx without JSON.
   */
  async json(method: 'GET' | 'POST', path: string, body?: unknown): Promise<unknown> {
    const what = `${method} ${path.split('?')[0]}`;
    const response = await this.send<string>(
      this.api,
      { method, url: path, ...(body === undefined ? {} : { data: body }) },
      what,
    );
    let parsed: unknown = null;
    try {
      parsed = response.data ? JSON.parse(response.data) : null;
    } catch {
      parsed = null;
    }
    if (response.status < 200 || response.status >= 300) {
      throw graphErrorFromResponse(response.status, parsed, what);
    }
    if (parsed === null) throw new ProviderError(`Cloud API ${what}: answer is not JSON`, true);
    return parsed;
  }

  /**
   * Opens a media URL with the bearer token; the answer's headers must arrive within the timeout.
   * The body is left unread (the caller streams it). Redirects are not followed (a 3xx is returned).
   * @param url an absolute URL on Meta's media host or CLOUD_API_BASE_URL's origin.
   * @returns the answer, whatever its status, its body a stream.
   * @throws ProviderError: not retryable for a URL on any other host; retryable (code UNREACHABLE)
   *   when the request cannot be made or times out.
   */
  async download(url: string, what: string): Promise<AxiosResponse<Readable>> {
    return this.send<Readable>(
      this.media,
      // The bytes as stored: Content-Length is their size, and the sha256 is Meta's.
      { method: 'GET', url, responseType: 'stream', headers: { 'accept-encoding': 'identity' } },
      what,
    );
  }

  private async send<T>(
    instance: AxiosInstance,
    config: AxiosRequestConfig,
    what: string,
  ): Promise<AxiosResponse<T>> {
    try {
      return await instance.request<T>(config);
    } catch (error) {
      if (error instanceof ProviderError) throw error;
      throw new ProviderError(`Cloud API ${what} unreachable: ${transportFailure(error)}`, true, UNREACHABLE);
    }
  }
}
