/**
 * A scheduled message's time has come (the `send-scheduled` job, or the sweep): in one transaction
 * (store/scheduled-messages.ts `sendScheduledMessageRow`) the row is claimed, and either cancelled
 * (the customer opted out: reason `opted_out`), failed (a text outside the Cloud API's 24-hour
 * window: only a template may be sent), or stored as a queued outbound message (author bot) on the
 * customer's open ticket of the channel — a new ticket when there is none, waiting for assignment
 * as usual — with a refill's next sending scheduled on this one. Then, outside the transaction,
 * the send is enqueued for the outbound worker (job key `scheduled|<id>`: enqueuing twice adds one
 * job), and a refill's next delayed job. A crash between the commit and the enqueue is repaired by
 * the sweep (send-due-scheduled-messages.ts); the claim makes the message stored exactly once.
 */
import type { Deps } from '../../context';
import { checkFreeFormReply } from '../../domain/customer-service-window';
import { enqueueOutbound } from '../../jobs/queues';
import { enqueueScheduledSend } from '../../jobs/scheduled-queue';
import {
  findScheduledMessage,
  sendScheduledMessageRow,
  type ScheduledMessageRow,
} from '../../store/scheduled-messages';
import { assignAndPublish } from '../assignment/assign-and-publish';

export type SendScheduledDependencies = Pick<Deps, 'pool' | 'queues' | 'realtime' | 'log' | 'config'>;

/** The outbound message a scheduled message becomes: its text, or its template. */
function content(message: ScheduledMessageRow): { type: string; text: string; raw: Record<string, unknown> } {
  const origin = { scheduledMessageId: message.id, reminder: message.kind };
  if (message.template && (!message.text || message.provider === 'cloud')) {
    const outbound = message.template.outbound as { text: string };
    return {
      type: 'template',
      text: outbound.text,
      raw: { kind: 'template', template: outbound, ...origin },
    };
  }
  return { type: 'text', text: message.text ?? '', raw: { kind: 'scheduled', ...origin } };
}

/** Why a scheduled message cannot be sent now, or null. */
function refusal(message: ScheduledMessageRow, lastInboundAt: Date | null, now: Date): string | null {
  if (message.template && (!message.text || message.provider === 'cloud')) {
    return message.template.outbound ? null : 'the template could not be resolved when it was scheduled';
  }
  const window = checkFreeFormReply({ provider: message.provider, lastInboundAt, now });
  return window.allowed
    ? null
    : `outside the 24-hour customer-service window a Cloud API channel can send only a template: ${window.reason}`;
}

/**
 * Sends the scheduled message `id` if it is still scheduled and due at `now`.
 * @returns `sent`, `cancelled` (opted out), `failed` (with its reason stored) or `skipped` (not
 *   scheduled or not yet due: sent, cancelled or moved later meanwhile).
 * @throws when PostgreSQL fails (nothing is stored: the job is retried, or the sweep sends it);
 *   an enqueue failure after the commit is logged and left to the sweep.
 */
export async function sendScheduledMessage(
  deps: SendScheduledDependencies,
  id: string,
  now = new Date(),
): Promise<'sent' | 'cancelled' | 'failed' | 'skipped'> {
  const result = await sendScheduledMessageRow(deps.pool, id, {
    now,
    dayMs: deps.config.reminders.dayMs,
    refusal: (message, lastInboundAt) => refusal(message, lastInboundAt, now),
    content,
  });
  if (result.outcome === 'skipped') return 'skipped';
  const log = deps.log.child({ scheduledMessageId: id, customerId: result.message.customerId });
  if (result.outcome !== 'sent') {
    log.info({ status: result.message.status, reason: result.message.reason }, 'scheduled message not sent');
    return result.outcome;
  }
  try {
    await enqueueOutbound(deps.queues, `scheduled|${id}`, [result.outboundMessageId]);
  } catch (error) {
    log.warn({ err: error }, 'scheduled message stored but not enqueued; the sweep will enqueue it');
  }
  if (result.next) {
    try {
      await enqueueScheduledSend(deps.queues.scheduled, result.next.id, result.next.sendAt, { now });
    } catch (error) {
      log.warn(
        { err: error, next: result.next.id },
        'next refill sending not enqueued; the sweep will send it',
      );
    }
  }
  await deps.realtime.publishMessage(result.outboundMessageId);
  if (result.ticketOpened) await assignAndPublish(deps);
  log.info(
    { ticketId: result.ticketId, messageId: result.outboundMessageId },
    'scheduled message stored for sending',
  );
  return 'sent';
}

/**
 * When a message whose run found it not yet due is due: its time while it is still scheduled and
 * later than `now`, else null (sent, cancelled, or due: nothing to wait for).
 */
export async function scheduledMessageDueLater(
  deps: Pick<Deps, 'pool'>,
  id: string,
  now = new Date(),
): Promise<Date | null> {
  const message = await findScheduledMessage(deps.pool, id);
  return message?.status === 'scheduled' && message.sendAt.getTime() > now.getTime() ? message.sendAt : null;
}
