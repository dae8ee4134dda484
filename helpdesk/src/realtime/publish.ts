/**
 * Publishes realtime events to a Redis stream (`<QUEUE_PREFIX>:realtime:events`), capped at about
 * REALTIME_MAX_EVENTS entries. API and worker processes both publish; every API process reads the
 * stream (realtime/hub.ts) and pushes the events to its connected agents. The stream doubles as the
 * log a reconnecting console resumes from (SSE `Last-Event-ID`).
 *
 * Lookups (a ticket's number and assignee) are one plain SQL query each, since the inbound worker
 * publishes on its hot path. Publishing is best effort: a failure is logged and never fails the
 * request or job that caused it (consoles re-read the API when they reconnect or are told to resync).
 */
import type { Redis } from 'ioredis';
import type pg from 'pg';
import type { Config } from '../config';
import type { Logger } from '../infra/logger';
import { audienceOf, type Audience, type RealtimeEvent, type RealtimeEventType } from './events';

/** The Redis key of the realtime stream for a key prefix. */
export function realtimeStreamKey(prefix: string): string {
  return `${prefix}:realtime:events`;
}

/** An automatic assignment, as services/assignment.ts reports it. */
export interface AssignmentNotice {
  ticketId: string;
  ticketNumber: number;
  agentId: string;
}

/** A stored message, as `message.created` announces it. */
export interface CreatedMessage {
  id: string;
  ticketId: string;
  ticketNumber: number;
  /** The ticket's assignee: the event goes to them, or to everyone while the ticket waits. */
  assigneeId: string | null;
  direction: string;
  author: string;
  type: string;
}

/** An outbound message's new delivery status, as `message.status` announces it. */
export interface MessageStatusChange {
  messageId: string;
  ticketId: string;
  ticketNumber: number;
  /** The ticket's assignee: the event goes to them, or to everyone while the ticket waits. */
  assigneeId: string | null;
  deliveryStatus: string;
  error: string | null;
}

/** Appends realtime events to the stream, looking up each ticket's audience. */
export class RealtimePublisher {
  /**
   * @param redis a connection for XADD (the process's producer connection).
   * @param pool the database pool (for looking up a ticket's number and assignee).
   * @param streamKey see `realtimeStreamKey`.
   * @param maxEvents approximate number of events kept for resuming streams.
   * @param log where failures are reported.
   */
  constructor(
    private readonly redis: Redis,
    private readonly pool: pg.Pool,
    readonly streamKey: string,
    private readonly maxEvents: number,
    private readonly log?: Logger,
  ) {}

  /**
   * Appends one event.
   * @returns the event's stream id, or null when Redis refused (logged).
   */
  async publish(event: Omit<RealtimeEvent, 'at'>): Promise<string | null> {
    return (await this.publishAll([event]))[0] ?? null;
  }

  /**
   * Appends events in order, in one round trip to Redis (a pipeline of XADDs).
   * @returns each event's stream id, or null for those Redis refused (logged).
   */
  async publishAll(events: ReadonlyArray<Omit<RealtimeEvent, 'at'>>): Promise<Array<string | null>> {
    if (events.length === 0) return [];
    const at = new Date().toISOString();
    const pipeline = this.redis.pipeline();
    for (const event of events) {
      const full: RealtimeEvent = { ...event, at };
      pipeline.xadd(
        this.streamKey,
        'MAXLEN',
        '~',
        String(this.maxEvents),
        '*',
        'event',
        JSON.stringify(full),
      );
    }
    let replies: Array<[Error | null, unknown]> | null;
    try {
      replies = await pipeline.exec();
    } catch (error) {
      replies = null;
      this.log?.warn({ err: error, events: events.length }, 'realtime events not published');
    }
    return events.map((event, index) => {
      const [error, id] = replies?.[index] ?? [null, null];
      if (error)
        this.log?.warn(
          { err: error, type: event.type, ticketId: event.ticketId },
          'realtime event not published',
        );
      return typeof id === 'string' ? id : null;
    });
  }

  /**
   * Publishes an event about a ticket to its current assignee (or everyone while it waits) and
   * admins. Never throws.
   * @param options.alsoAgentIds other agents concerned (e.g. the previous assignee of a transfer).
   * @param options.everyone deliver to every agent (e.g. a ticket that left or joined the queue).
   */
  async publishTicketEvent(
    ticketId: string,
    type: RealtimeEventType,
    data: Record<string, unknown>,
    options: { alsoAgentIds?: Array<string | null>; everyone?: boolean } = {},
  ): Promise<void> {
    try {
      const { rows } = await this.pool.query<{ number: number; assignee_id: string | null }>(
        'SELECT number, assignee_id FROM tickets WHERE id = $1',
        [ticketId],
      );
      const ticket = rows[0];
      if (!ticket) return;
      const audience: Audience = audienceOf(ticket.assignee_id, options.alsoAgentIds);
      if (options.everyone) audience.everyone = true;
      await this.publish({ type, ticketId, ticketNumber: ticket.number, data, audience });
    } catch (error) {
      this.log?.warn({ err: error, type, ticketId }, 'realtime event not published');
    }
  }

  /** Publishes `ticket.assigned` for automatic assignments (tickets leaving the waiting queue). */
  async publishAssignments(assignments: readonly AssignmentNotice[]): Promise<void> {
    await this.publishAll(assignments.map(assignedEvent));
  }

  /** Publishes `message.created` for a message just stored on a ticket, looked up by id. Never throws. */
  async publishMessage(messageId: string): Promise<void> {
    try {
      const { rows } = await this.pool.query<CreatedMessage>(
        `SELECT m.id, m.ticket_id AS "ticketId", t.number AS "ticketNumber", t.assignee_id AS "assigneeId",
                m.direction, m.author, m.type
           FROM messages m JOIN tickets t ON t.id = m.ticket_id WHERE m.id = $1`,
        [messageId],
      );
      if (rows[0]) await this.publish(messageCreatedEvent(rows[0]));
    } catch (error) {
      this.log?.warn({ err: error, messageId }, 'realtime event not published');
    }
  }

  /**
   * Publishes what an inbound batch did, in one round trip: its automatic assignments, then a
   * `message.created` for each message stored. Never throws.
   */
  async publishInboundBatch(
    assignments: readonly AssignmentNotice[],
    messages: readonly CreatedMessage[],
  ): Promise<void> {
    await this.publishAll([...assignments.map(assignedEvent), ...messages.map(messageCreatedEvent)]);
  }

  /**
   * Publishes `message.status` for an outbound message by id, e.g. after the outbound worker sent
   * it (`sent`) or gave up (`failed`). Never throws.
   */
  async publishMessageStatus(messageId: string): Promise<void> {
    await this.publishStatusWhere('m.id = $1', [messageId]);
  }

  /** Publishes `message.status` for an outbound message whose delivery status changed. Never throws. */
  async publishDeliveryStatus(provider: string, providerMessageId: string): Promise<void> {
    await this.publishStatusWhere('m.provider = $1 AND m.provider_message_id = $2', [
      provider,
      providerMessageId,
    ]);
  }

  /**
   * Publishes `message.status` from what the caller already knows (the outbound worker, which
   * read the ticket when it claimed the message). Never throws.
   */
  async publishStatusChange(change: MessageStatusChange): Promise<void> {
    await this.publish({
      type: 'message.status',
      ticketId: change.ticketId,
      ticketNumber: change.ticketNumber,
      data: { messageId: change.messageId, deliveryStatus: change.deliveryStatus, error: change.error },
      audience: audienceOf(change.assigneeId),
    });
  }

  private async publishStatusWhere(condition: string, values: unknown[]): Promise<void> {
    try {
      const { rows } = await this.pool.query<MessageStatusChange>(
        `SELECT m.id AS "messageId", m.ticket_id AS "ticketId", t.number AS "ticketNumber",
                t.assignee_id AS "assigneeId", m.delivery_status AS "deliveryStatus", m.error
           FROM messages m JOIN tickets t ON t.id = m.ticket_id
          WHERE ${condition}`,
        values,
      );
      if (rows[0]) await this.publishStatusChange(rows[0]);
    } catch (error) {
      this.log?.warn({ err: error }, 'realtime event not published');
    }
  }
}

function assignedEvent(assignment: AssignmentNotice): Omit<RealtimeEvent, 'at'> {
  return {
    type: 'ticket.assigned',
    ticketId: assignment.ticketId,
    ticketNumber: assignment.ticketNumber,
    data: { assigneeId: assignment.agentId, previousAssigneeId: null, by: 'auto' },
    // Everyone: the ticket leaves the queue every agent sees.
    audience: { agentIds: [assignment.agentId], everyone: true },
  };
}

function messageCreatedEvent(message: CreatedMessage): Omit<RealtimeEvent, 'at'> {
  return {
    type: 'message.created',
    ticketId: message.ticketId,
    ticketNumber: message.ticketNumber,
    data: { messageId: message.id, direction: message.direction, author: message.author, type: message.type },
    audience: audienceOf(message.assigneeId),
  };
}

const publishers = new WeakMap<Redis, RealtimePublisher>();

/**
 * The publisher of a process, built from its shared context's parts (one per Redis connection).
 * @param deps `redis` (producer connection), `pool` and `config`; when one is missing (tests that
 *   build dependencies by hand), null: nothing is published.
 */
export function realtimePublisherFor(deps: {
  redis?: Redis;
  pool?: pg.Pool;
  config?: Pick<Config, 'queuePrefix' | 'agentsApi'>;
  log?: Logger;
}): RealtimePublisher | null {
  if (!deps.redis || !deps.pool || !deps.config) return null;
  let publisher = publishers.get(deps.redis);
  if (!publisher) {
    publisher = new RealtimePublisher(
      deps.redis,
      deps.pool,
      realtimeStreamKey(deps.config.queuePrefix),
      deps.config.agentsApi?.realtimeMaxEvents ?? 10_000,
      deps.log,
    );
    publishers.set(deps.redis, publisher);
  }
  return publisher;
}
