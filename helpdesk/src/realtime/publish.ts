/**
 * Publishes realtime events to a Redis stream (`<QUEUE_PREFIX>:realtime:events`), capped at about
 * REALTIME_MAX_EVENTS entries. API and worker processes both publish; every API process reads the
 * stream (realtime/hub.ts) and pushes the events to its connected agents. The stream doubles as the
 * log a reconnecting console resumes from (SSE `Last-Event-ID`).
 *
 * Lookups (a ticket's number and assignee) are one plain SQL query each (store/tickets-realtime.ts),
 * since the inbound worker publishes on its hot path. Publishing is best effort: a failure is logged
 * and never fails the request or job that caused it (consoles re-read the API when they reconnect or
 * are told to resync). Every process has a publisher (context.ts); scripts get the silent one.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../infra/logger';
import type { Queryable } from '../store/sql';
import {
  findCreatedMessage,
  findMessageStatus,
  findMessageStatusByProviderId,
  findTicketAudience,
  type CreatedMessage,
  type MessageStatusChange,
} from '../store/tickets-realtime';
import { audienceOf, type Audience, type RealtimeEvent, type RealtimeEventType } from './events';

export type { CreatedMessage, MessageStatusChange } from '../store/tickets-realtime';

/** The Redis key of the realtime stream for a key prefix. */
export function realtimeStreamKey(prefix: string): string {
  return `${prefix}:realtime:events`;
}

/** An automatic assignment, as use-cases/assignment reports it. */
export interface AssignmentNotice {
  ticketId: string;
  ticketNumber: number;
  agentId: string;
}

/** What use cases and jobs publish; none of the methods throws. */
export interface RealtimePublisher {
  /** Appends one event. @returns its stream id, or null when not published. */
  publish(event: Omit<RealtimeEvent, 'at'>): Promise<string | null>;
  /** Appends events in order. @returns each event's stream id, or null for those not published. */
  publishAll(events: ReadonlyArray<Omit<RealtimeEvent, 'at'>>): Promise<Array<string | null>>;
  /**
   * Publishes an event about a ticket to its current assignee (or everyone while it waits) and
   * admins.
   * @param options.alsoAgentIds other agents concerned (e.g. the previous assignee of a transfer).
   * @param options.everyone deliver to every agent (e.g. a ticket that left or joined the queue).
   */
  publishTicketEvent(
    ticketId: string,
    type: RealtimeEventType,
    data: Record<string, unknown>,
    options?: { alsoAgentIds?: Array<string | null>; everyone?: boolean },
  ): Promise<void>;
  /** Publishes `ticket.assigned` for automatic assignments (tickets leaving the waiting queue). */
  publishAssignments(assignments: readonly AssignmentNotice[]): Promise<void>;
  /** Publishes `message.created` for a message just stored on a ticket, looked up by id. */
  publishMessage(messageId: string): Promise<void>;
  /** Publishes an inbound batch's automatic assignments, then a `message.created` per message. */
  publishInboundBatch(
    assignments: readonly AssignmentNotice[],
    messages: readonly CreatedMessage[],
  ): Promise<void>;
  /** Publishes `message.status` for an outbound message by id (sent or failed by the worker). */
  publishMessageStatus(messageId: string): Promise<void>;
  /** Publishes `message.status` for an outbound message whose delivery status changed. */
  publishDeliveryStatus(provider: string, providerMessageId: string): Promise<void>;
  /** Publishes `message.status` from what the caller already knows. */
  publishStatusChange(change: MessageStatusChange): Promise<void>;
  /** Publishes `message.status` for each change, in order, in one round trip. */
  publishStatusChanges(changes: readonly MessageStatusChange[]): Promise<void>;
}

/** A publisher that publishes nothing: for scripts and the CLI, which have no consoles to tell. */
export const silentRealtimePublisher: RealtimePublisher = {
  publish: async () => null,
  publishAll: async (events) => events.map(() => null),
  publishTicketEvent: async () => {},
  publishAssignments: async () => {},
  publishMessage: async () => {},
  publishInboundBatch: async () => {},
  publishMessageStatus: async () => {},
  publishDeliveryStatus: async () => {},
  publishStatusChange: async () => {},
  publishStatusChanges: async () => {},
};

/** Appends realtime events to the Redis stream, looking up each ticket's audience. */
export class RedisRealtimePublisher implements RealtimePublisher {
  /**
   * @param redis a connection for XADD (the process's producer connection).
   * @param pool the database pool (for looking up a ticket's number and assignee).
   * @param streamKey see `realtimeStreamKey`.
   * @param maxEvents approximate number of events kept for resuming streams.
   * @param log where failures are reported.
   */
  constructor(
    private readonly redis: Redis,
    private readonly pool: Queryable,
    readonly streamKey: string,
    private readonly maxEvents: number,
    private readonly log: Logger,
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
      this.log.warn({ err: error, events: events.length }, 'realtime events not published');
    }
    return events.map((event, index) => {
      const [error, id] = replies?.[index] ?? [null, null];
      if (error)
        this.log.warn(
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
      const ticket = await findTicketAudience(this.pool, ticketId);
      if (!ticket) return;
      const audience: Audience = audienceOf(ticket.assigneeId, options.alsoAgentIds);
      if (options.everyone) audience.everyone = true;
      await this.publish({ type, ticketId, ticketNumber: ticket.number, data, audience });
    } catch (error) {
      this.log.warn({ err: error, type, ticketId }, 'realtime event not published');
    }
  }

  /** Publishes `ticket.assigned` for automatic assignments (tickets leaving the waiting queue). */
  async publishAssignments(assignments: readonly AssignmentNotice[]): Promise<void> {
    await this.publishAll(assignments.map(assignedEvent));
  }

  /** Publishes `message.created` for a message just stored on a ticket, looked up by id. Never throws. */
  async publishMessage(messageId: string): Promise<void> {
    try {
      const message = await findCreatedMessage(this.pool, messageId);
      if (message) await this.publish(messageCreatedEvent(message));
    } catch (error) {
      this.log.warn({ err: error, messageId }, 'realtime event not published');
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
    await this.publishStatusFrom(() => findMessageStatus(this.pool, messageId));
  }

  /** Publishes `message.status` for an outbound message whose delivery status changed. Never throws. */
  async publishDeliveryStatus(provider: string, providerMessageId: string): Promise<void> {
    await this.publishStatusFrom(() => findMessageStatusByProviderId(this.pool, provider, providerMessageId));
  }

  /**
   * Publishes `message.status` from what the caller already knows (the outbound worker, which
   * read the ticket when it claimed the message). Never throws.
   */
  async publishStatusChange(change: MessageStatusChange): Promise<void> {
    await this.publish(statusEvent(change));
  }

  /**
   * Publishes `message.status` for each change, in order, in one round trip (the outbound worker,
   * once a job's sends are done). Never throws.
   */
  async publishStatusChanges(changes: readonly MessageStatusChange[]): Promise<void> {
    await this.publishAll(changes.map(statusEvent));
  }

  private async publishStatusFrom(lookup: () => Promise<MessageStatusChange | null>): Promise<void> {
    try {
      const change = await lookup();
      if (change) await this.publishStatusChange(change);
    } catch (error) {
      this.log.warn({ err: error }, 'realtime event not published');
    }
  }
}

function statusEvent(change: MessageStatusChange): Omit<RealtimeEvent, 'at'> {
  return {
    type: 'message.status',
    ticketId: change.ticketId,
    ticketNumber: change.ticketNumber,
    data: { messageId: change.messageId, deliveryStatus: change.deliveryStatus, error: change.error },
    audience: audienceOf(change.assigneeId),
  };
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
