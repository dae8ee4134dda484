/**
 * The wpp-sidecar's sessions API, as the channels' admin use cases call it (wpp-sidecar
 * src/http/routes/sessions.ts; SPEC section 9). Every call carries the sidecar's API key
 * (`X-API-Key`) and goes through one axios instance (./upstream.ts) bound to the sidecar's origin:
 * - `POST /api/sessions {name}` → 201 the session (409 when it exists; 400 naming `name`);
 * - `GET /api/sessions/:name` → 200 the session, 404 when there is none;
 * - `GET /api/sessions/:name/qr-code` → 200 `{ qr: "data:image/png;base64,…", attempt, expiresAt }`,
 *   409 when the session is not waiting for a scan;
 * - `POST /api/sessions/:name/logout` → 200 the session (unlinked, pairing again);
 * - `POST /api/sessions/:name/restart` → 200 the session (browser closed and started again);
 * - `DELETE /api/sessions/:name` → 204 (409 for the sidecar's default session).
 * A session is `{ name, state, phone, since, detail }` (state starting|qr|connected|disconnected|
 * logged_out|error, phone E.164 while connected, since ISO 8601). Errors are the sidecar's
 * `{ error, message }`.
 *
 * Failures become AppErrors an admin can act on, naming the field of the channel's settings at
 * fault where one is: an unreachable sidecar or a 5xx is a 502 naming `wppconnect.sidecarUrl`, a
 * refused API key a 400 naming `wppconnect.apiKey`.
 */
import type { AxiosInstance, AxiosRequestConfig, AxiosResponse } from 'axios';
import { AppError, ProviderError, validationError } from '../errors';
import { createUpstreamClient, transportFailure } from './upstream';

/** A sidecar session as its API describes it. */
export interface SidecarSession {
  name: string;
  state: string;
  /** E.164 while connected, else null. */
  phone: string | null;
  /** ISO 8601: when the state began. */
  since: string | null;
  detail: string | null;
}

/** The QR of a session waiting for a scan. */
export interface SidecarQr {
  /** `data:image/png;base64,…`. */
  qr: string;
  /** ISO 8601: about when WhatsApp replaces it. */
  expiresAt: string;
}

export interface SidecarSessionsOptions {
  /** The sidecar's base URL, e.g. http://127.0.0.1:21465. */
  sidecarUrl: string;
  /** The sidecar's API_KEY. */
  apiKey: string;
  /** Wait for an answer, ms (SIDECAR_TIMEOUT_MS). */
  timeoutMs: number;
}

/** Talks to one sidecar's sessions API (see the module comment). */
export class SidecarSessions {
  private readonly http: AxiosInstance;

  constructor(private readonly options: SidecarSessionsOptions) {
    this.http = createUpstreamClient({
      origins: [new URL(options.sidecarUrl).origin],
      baseURL: options.sidecarUrl,
      timeoutMs: options.timeoutMs,
      headers: { 'x-api-key': options.apiKey, accept: 'application/json' },
    });
  }

  /**
   * Asks the sidecar to create (and start) a session; one that exists already is fine.
   * @returns the session and whether this call created it (false: it existed).
   * @throws AppError validation_failed naming `wppconnect.session` (the sidecar refused the name) or
   *   `wppconnect.apiKey` (refused key); provider_error (502) naming `wppconnect.sidecarUrl` when the
   *   sidecar cannot be reached or fails.
   */
  async createSession(name: string): Promise<{ session: SidecarSession; created: boolean }> {
    const response = await this.call({ method: 'POST', url: '/api/sessions', data: { name } });
    if (response.status === 201 || response.status === 200) {
      return { session: this.session(response, name), created: true };
    }
    if (response.status === 409) {
      const existing = await this.getSession(name);
      if (existing) return { session: existing, created: false };
    }
    if (response.status === 400) {
      throw fieldError('wppconnect.session', `the sidecar refused it: ${this.reason(response)}`);
    }
    throw this.failure(response, `create the session "${name}"`);
  }

  /**
   * @returns the session, or null when the sidecar has none by that name.
   * @throws AppError as `createSession` for an unreachable sidecar or a refused key.
   */
  async getSession(name: string): Promise<SidecarSession | null> {
    const response = await this.call({ method: 'GET', url: this.path(name) });
    if (response.status === 404) return null;
    if (response.status === 200) return this.session(response, name);
    throw this.failure(response, `read the session "${name}"`);
  }

  /**
   * @returns the session's current QR, or null when it is not waiting for a scan (the sidecar's 409).
   * @throws AppError not_found when the sidecar has no such session; as `createSession` otherwise.
   */
  async qrCode(name: string): Promise<SidecarQr | null> {
    const response = await this.call({ method: 'GET', url: `${this.path(name)}/qr-code` });
    if (response.status === 409) return null;
    if (response.status === 404) throw this.missing(name);
    if (response.status !== 200) throw this.failure(response, `read the QR of "${name}"`);
    const body = this.json(response) as { qr?: unknown; expiresAt?: unknown } | null;
    if (typeof body?.qr !== 'string' || !body.qr.startsWith('data:image/')) {
      throw new AppError(
        'provider_error',
        `wppconnect.sidecarUrl: the sidecar answered a QR without an image`,
      );
    }
    const expiresAt =
      typeof body.expiresAt === 'string' && !Number.isNaN(Date.parse(body.expiresAt))
        ? new Date(body.expiresAt).toISOString()
        : new Date(Date.now() + 20_000).toISOString();
    return { qr: body.qr, expiresAt };
  }

  /**
   * Unlinks the phone (the session pairs again: a new QR follows).
   * @returns the session after it. @throws AppError not_found; as `createSession` otherwise.
   */
  async logout(name: string): Promise<SidecarSession> {
    return this.action(name, 'logout');
  }

  /**
   * Closes the session's browser and starts it again (sidecar `POST /api/sessions/:name/restart`).
   * @returns the session after it. @throws AppError not_found; as `createSession` otherwise.
   */
  async restart(name: string): Promise<SidecarSession> {
    return this.action(name, 'restart');
  }

  /**
   * Deletes the session (phone unlinked, profile removed); one the sidecar does not have is fine.
   * @throws AppError conflict when the sidecar refuses (its default session); as `createSession` otherwise.
   */
  async deleteSession(name: string): Promise<void> {
    const response = await this.call({ method: 'DELETE', url: this.path(name) });
    if (response.status === 204 || response.status === 200 || response.status === 404) return;
    if (response.status === 409) {
      throw new AppError(
        'conflict',
        `the sidecar refuses to delete the session "${name}": ${this.reason(response)}`,
      );
    }
    throw this.failure(response, `delete the session "${name}"`);
  }

  private async action(name: string, action: 'logout' | 'restart'): Promise<SidecarSession> {
    const response = await this.call({ method: 'POST', url: `${this.path(name)}/${action}` });
    if (response.status === 404) throw this.missing(name);
    if (response.status !== 200) throw this.failure(response, `${action} the session "${name}"`);
    return this.session(response, name);
  }

  private path(name: string): string {
    return `/api/sessions/${encodeURIComponent(name)}`;
  }

  /**
   * One request; the answer whatever its status.
   * @throws AppError provider_error naming `wppconnect.sidecarUrl` when there is no answer.
   */
  private async call(config: AxiosRequestConfig): Promise<AxiosResponse<string>> {
    try {
      return await this.http.request<string>(config);
    } catch (error) {
      const reason = error instanceof ProviderError ? error.message : transportFailure(error);
      throw new AppError(
        'provider_error',
        `wppconnect.sidecarUrl: the sidecar at ${this.options.sidecarUrl} cannot be reached: ${reason}`,
      );
    }
  }

  private json(response: AxiosResponse<string>): unknown {
    try {
      return JSON.parse(response.data);
    } catch {
      return null;
    }
  }

  /** The sidecar's `message`, or the start of its body. */
  private reason(response: AxiosResponse<string>): string {
    const body = this.json(response) as { message?: unknown } | null;
    return typeof body?.message === 'string'
      ? body.message
      : `HTTP ${response.status} ${String(response.data).slice(0, 200)}`;
  }

  private session(response: AxiosResponse<string>, name: string): SidecarSession {
    const body = (this.json(response) ?? {}) as Partial<Record<keyof SidecarSession, unknown>>;
    const text = (value: unknown) => (typeof value === 'string' && value ? value : null);
    return {
      name: text(body.name) ?? name,
      state: text(body.state) ?? 'unknown',
      phone: text(body.phone),
      since: text(body.since),
      detail: text(body.detail),
    };
  }

  private missing(name: string): AppError {
    return new AppError(
      'conflict',
      `the sidecar has no session "${name}"; restart the channel to create it again`,
      { reason: 'no_session' },
    );
  }

  /** A refused key (401) as a 400 naming the key; anything else as a 502 naming the sidecar. */
  private failure(response: AxiosResponse<string>, what: string): AppError {
    if (response.status === 401 || response.status === 403) {
      return fieldError('wppconnect.apiKey', `the sidecar refused the API key (${this.reason(response)})`);
    }
    return new AppError(
      'provider_error',
      `wppconnect.sidecarUrl: the sidecar could not ${what}: ${this.reason(response)}`,
    );
  }
}

/** A 400 naming one field of the channel's settings (`details.fields`, as the contract's errors). */
function fieldError(field: string, problem: string): AppError {
  return validationError({ issues: [{ path: field.split('.'), message: problem }] });
}
