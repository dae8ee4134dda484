/**
 * The sidecar's Prometheus metrics (prom-client), all defined here and served at `GET /metrics`
 * (docs/operations.md explains each one). Node's default process metrics live in one registry per
 * process; the sidecar's own metrics in one `SidecarMetrics` per running sidecar (tests start
 * several in one process), recorded by the session, inbound, outbox and send modules, plus the
 * session state and outbox backlog read at scrape time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import type { SessionState } from './session/session-manager';

/** Node's default metrics (CPU, memory, event loop, GC) of this process. */
const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });

/** Every session state, so the state gauge shows 0 for the states the session is not in. */
export const SESSION_STATES: readonly SessionState[] = [
  'starting',
  'qr',
  'connected',
  'disconnected',
  'logged_out',
  'error',
];

/** Outbox job counts as `Outbox.counts()` reports them. */
export interface OutboxCounts {
  waiting: number;
  active: number;
  delayed: number;
  dead: number;
}

/** What the scrape reads: the session's current state and the outbox's counts. */
export interface MetricSources {
  sessionState(): SessionState;
  outboxCounts(): Promise<OutboxCounts>;
}

/** One running sidecar's metrics. */
export class SidecarMetrics {
  readonly registry = new Registry();

  /** Session state changes, by the state entered (`logged_out` means the phone must pair again). */
  readonly sessionTransitions = new Counter({
    name: 'wpp_sidecar_session_transitions_total',
    help: 'WhatsApp session state changes, by the state entered',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  /**
   * Webhook POST attempts to the helpdesk by result: `delivered` (2xx), `retry` (network error,
   * timeout, 5xx or 429: tried again), `rejected` (another status: dead-lettered), `exhausted`
   * (the last allowed attempt failed: dead-lettered).
   */
  readonly webhookDeliveries = new Counter({
    name: 'wpp_sidecar_webhook_deliveries_total',
    help: 'Webhook POSTs to the helpdesk by result (delivered, retry, rejected, exhausted)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  /** Customer messages put in the outbox for the helpdesk, by the neutral message type. */
  readonly messagesForwarded = new Counter({
    name: 'wpp_sidecar_messages_forwarded_total',
    help: 'Inbound WhatsApp messages queued for the helpdesk, by message type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  /** Delivery statuses (acks) put in the outbox, by status. */
  readonly statusesForwarded = new Counter({
    name: 'wpp_sidecar_statuses_forwarded_total',
    help: 'Delivery statuses (acks) queued for the helpdesk, by status',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });

  /** Sends asked by the helpdesk, by type and result (`sent`, or the error code answered). */
  readonly sends = new Counter({
    name: 'wpp_sidecar_sends_total',
    help: 'Messages the helpdesk asked to send, by type and result (sent or the error code)',
    labelNames: ['type', 'result'] as const,
    registers: [this.registry],
  });

  private readonly sessionState = new Gauge({
    name: 'wpp_sidecar_session_state',
    help: 'The WhatsApp session state: 1 for the current state, 0 for the others',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  private readonly outboxJobs = new Gauge({
    name: 'wpp_sidecar_outbox_jobs',
    help: 'Events in the outbox by state (dead: dead-lettered, see GET /api/outbox)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  private readonly collectErrors = new Counter({
    name: 'wpp_sidecar_metrics_collect_errors_total',
    help: 'Scrapes that could not read the outbox counts (Redis unreachable)',
    registers: [this.registry],
  });

  private sources: MetricSources | null = null;

  /** Connects the scrape-time readings (set once the session and outbox exist). */
  bind(sources: MetricSources): void {
    this.sources = sources;
  }

  /** The metrics text: this sidecar's metrics and the process's default metrics. */
  async render(): Promise<string> {
    if (this.sources) {
      const current = this.sources.sessionState();
      for (const state of SESSION_STATES) this.sessionState.set({ state }, state === current ? 1 : 0);
      try {
        const counts = await this.sources.outboxCounts();
        for (const [state, value] of Object.entries(counts)) this.outboxJobs.set({ state }, value);
      } catch {
        this.outboxJobs.reset();
        this.collectErrors.inc();
      }
    }
    const [own, process] = await Promise.all([this.registry.metrics(), processRegistry.metrics()]);
    return `${own}\n${process}`;
  }

  /** The Prometheus text format's content type. */
  get contentType(): string {
    return this.registry.contentType;
  }
}

/**
 * True when a request may read metrics: always without a token, else with
 * `Authorization: Bearer <METRICS_TOKEN>` (compared in constant time).
 */
export function metricsAuthorized(authorization: string | undefined, token: string | null): boolean {
  if (!token) return true;
  const presented = /^Bearer (.+)$/i.exec(authorization ?? '')?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(presented), digest(token));
}
