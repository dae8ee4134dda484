/**
 * The sidecar's Prometheus metrics (prom-client), all defined here and served at `GET /metrics`
 * (docs/operations.md explains each one). Node's default process metrics live in one registry per
 * process; the sidecar's own metrics in one `SidecarMetrics` per running sidecar (tests start
 * several in one process), recorded by the session, inbound, outbox and send modules, plus the
 * session state and outbox backlog read at scrape time.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { SESSION_STATES, type SessionState } from './session/session-state';
import { withTimeout } from './timeout';

/** Node's default metrics (CPU, memory, event loop, GC) of this process. */
const processRegistry = new Registry();
collectDefaultMetrics({ register: processRegistry });

/** Outbox job counts as `Outbox.counts()` reports them. */
export interface OutboxCounts {
  waiting: number;
  active: number;
  delayed: number;
  dead: number;
  /** Events held back because the helpdesk is unavailable (waiting + active during an outage, else 0). */
  heldByOutage: number;
}

/** What the scrape reads: each session's current state and the outbox's counts. */
export interface MetricSources {
  sessionStates(): Array<{ session: string; state: SessionState }>;
  outboxCounts(): Promise<OutboxCounts>;
}

/** One running sidecar's metrics. */
export class SidecarMetrics {
  readonly registry = new Registry();

  /** Session state changes, by session and the state entered (`logged_out`: the phone must pair again). */
  readonly sessionTransitions = new Counter({
    name: 'wpp_sidecar_session_transitions_total',
    help: 'WhatsApp session state changes, by session and the state entered',
    labelNames: ['session', 'state'] as const,
    registers: [this.registry],
  });

  /**
   * Webhook POST attempts to the helpdesk by result: `delivered` (2xx), `retry` (helpdesk unavailable:
   * network error, timeout, 408, 429, 502, 503, 504; retried without limit), `rejected` (another status:
   * tried again while the attempt budget lasts), `exhausted` (the budget's last rejection: dead-lettered).
   */
  readonly webhookDeliveries = new Counter({
    name: 'wpp_sidecar_webhook_deliveries_total',
    help: 'Webhook POSTs to the helpdesk by result (delivered, retry: unavailable, rejected, exhausted: dead-lettered)',
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

  /**
   * Messages and statuses WhatsApp handed over that are not in the outbox yet (held in memory, retried
   * without limit while Redis is unreachable or refusing writes). Above 0 for long: Redis needs attention.
   */
  readonly inboundPending = new Gauge({
    name: 'wpp_sidecar_inbound_pending',
    help: 'Inbound events held in memory, waiting to enter the outbox (Redis unreachable or refusing writes)',
    registers: [this.registry],
  });

  /** Failed attempts to put an inbound event in the outbox (each one is retried). */
  readonly inboundEnqueueFailures = new Counter({
    name: 'wpp_sidecar_inbound_enqueue_failures_total',
    help: 'Failed attempts to put an inbound event in the outbox (retried without limit)',
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
    help: 'Each WhatsApp session state: 1 for the current state, 0 for the others, by session',
    labelNames: ['session', 'state'] as const,
    registers: [this.registry],
  });

  private readonly outboxJobs = new Gauge({
    name: 'wpp_sidecar_outbox_jobs',
    help: 'Events in the outbox by state (dead: dead-lettered, see GET /api/outbox)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });

  private readonly outboxHeldByOutage = new Gauge({
    name: 'wpp_sidecar_outbox_held_by_helpdesk_outage',
    help: 'Events held in the outbox because the helpdesk is unavailable (retried without limit)',
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
      // Reset first: a deleted session leaves no series behind.
      this.sessionState.reset();
      for (const { session, state: current } of this.sources.sessionStates()) {
        for (const state of SESSION_STATES)
          this.sessionState.set({ session, state }, state === current ? 1 : 0);
      }
      try {
        // Bounded: while Redis is unreachable ioredis holds the read, and the scrape must still answer.
        const { heldByOutage, ...states } = await withTimeout(
          this.sources.outboxCounts(),
          COUNTS_TIMEOUT_MS,
          'the outbox',
        );
        for (const [state, value] of Object.entries(states)) this.outboxJobs.set({ state }, value);
        this.outboxHeldByOutage.set(heldByOutage);
      } catch {
        this.outboxJobs.reset();
        this.outboxHeldByOutage.reset();
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

/** How long a scrape waits for the outbox counts (ms). */
const COUNTS_TIMEOUT_MS = 2000;

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
