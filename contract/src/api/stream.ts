/** The realtime event stream's request (`GET /api/stream`, Server-Sent Events). */
import { z } from 'zod';

/** `GET /api/stream` query. */
export const streamQuerySchema = z.object({
  lastEventId: z
    .string()
    .max(64)
    .optional()
    .describe('resume after this event (or the Last-Event-ID header)'),
});

/**
 * The realtime event types (`event:` of `GET /api/stream`), the server's and the console's one list.
 * Each event's data is described beside its name.
 */
export const REALTIME_EVENT_TYPES = [
  /** A message was stored on a ticket (inbound from the customer, or outbound by an agent or the bot). */
  'message.created',
  /** An outbound message's delivery status changed (sent, delivered, read, failed). */
  'message.status',
  /**
   * A stored message changed: the customer edited or deleted it, or reacted to it (ours or
   * theirs). `{ messageId, change }`, change edit|deletion|reaction; consoles re-read the message.
   */
  'message.updated',
  /** A ticket was assigned, transferred or returned to the waiting queue. */
  'ticket.assigned',
  /** A ticket's status changed (open, pending, resolved, closed). */
  'ticket.status',
  /** An internal note was added. */
  'ticket.note',
  /**
   * A ticket's category or labels changed (`{ category, previousCategory }` or `{ labelIds }`), or a
   * response-time target was breached (`{ sla: { kind, dueAt, state: 'breached' } }`, the sla-check job).
   */
  'ticket.updated',
  /**
   * An agent's availability changed without them choosing it (`{ agentId, availability, reason }`,
   * reason `no_console`: no open console for longer than AGENT_PRESENCE_GRACE_MS); sent to that
   * agent. Not about a ticket: ticketId and ticketNumber are null. Also when an agent sets their
   * own availability (reason `chosen`; sent to admins only, for the live queue).
   */
  'agent.availability',
  /**
   * A channel's (a WhatsApp number's) state changed (`{ channelId, channel, name, provider, state,
   * phone, since, detail }`, channel = the key: session or phone number id, state
   * starting|qr|connected|disconnected|logged_out|error|unknown; only when the stored state
   * changed); sent to everyone. Not about a ticket: ticketId and ticketNumber are null.
   */
  'channel.state',
  /**
   * An admin added, renamed, recoloured or deleted a label (`{ labelId, change }`, change
   * created|updated|deleted); sent to everyone, so open consoles reload their labels. Not about a
   * ticket: ticketId and ticketNumber are null.
   */
  'labels.changed',
  /**
   * A customer rated a resolved ticket 1 or 2 (a low satisfaction rating): `{ score, comment,
   * assigneeId }` (the event's ticketId and ticketNumber name the ticket); sent to admins (team
   * leads) only.
   */
  'csat.low',
] as const;
export type RealtimeEventType = (typeof REALTIME_EVENT_TYPES)[number];

/** What the stream itself sends besides events: `resync` (reload everything), `logout` (the session ended). */
export const STREAM_CONTROL_TYPES = ['resync', 'logout'] as const;
