/**
 * A `broadcast` job: sends one recipient. The recipient row is claimed and its outbound message
 * stored on the customer's ticket in one transaction (store/broadcasts.ts), then the message is
 * enqueued for the outbound worker (the existing send path: driver, ack, delivery statuses, and
 * replies come back into the ticket). A broadcast no longer running, or a recipient already
 * claimed, sends nothing. On WPPConnect the channel's daily cap holds the job until the next day;
 * it is counted in the sending transaction, so two worker processes never pass it together.
 */
import type { BroadcastRecipientReason } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { checkFreeFormReply } from '../../domain/customer-service-window';
import { enqueueOutbound } from '../../jobs/queues';
import {
  finishBroadcastIfComplete,
  findBroadcastForSend,
  sendBroadcastRecipientRow,
  unqueuedRecipientMessage,
  type BroadcastRow,
} from '../../store/broadcasts';
import { assignAndPublish } from '../assignment/assign-and-publish';

export type SendRecipientDependencies = Pick<Deps, 'pool' | 'queues' | 'realtime' | 'log'>;

/** The outbound message of a broadcast: its text, or its template. */
function content(broadcast: Omit<BroadcastRow, 'progress'>): {
  type: string;
  text: string;
  raw: Record<string, unknown>;
} {
  const origin = { broadcastId: broadcast.id };
  if (broadcast.template) {
    return {
      type: 'template',
      text: broadcast.template.outbound.text,
      raw: { kind: 'template', template: broadcast.template.outbound, ...origin },
    };
  }
  return { type: 'text', text: broadcast.text ?? '', raw: { kind: 'broadcast', ...origin } };
}

/** The start of the UTC day of `now` (the daily cap's day). */
function dayStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/**
 * @returns `sent`, `skipped` (opted out), `failed` (reason stored), `not_pending` (claimed before,
 *   or the broadcast is not running), or `capped` with the time to try again (daily cap reached).
 * @throws when PostgreSQL fails (nothing stored: the job is retried).
 */
export async function sendBroadcastRecipient(
  deps: SendRecipientDependencies,
  broadcastId: string,
  phone: string,
  now = new Date(),
): Promise<
  | { outcome: 'sent'; provider: string; ratePerMinute: number }
  | { outcome: 'skipped' | 'failed' | 'not_pending' }
  | { outcome: 'capped'; retryAt: Date }
> {
  const broadcast = await findBroadcastForSend(deps.pool, broadcastId);
  // A retry after the enqueue failed: the message is stored, only its outbound job is missing.
  const unqueued = await unqueuedRecipientMessage(deps.pool, broadcastId, phone);
  if (unqueued) await enqueueOutbound(deps.queues, `broadcast|${broadcastId}|${phone}`, [unqueued]);
  if (!broadcast || broadcast.status !== 'running') return { outcome: 'not_pending' };
  const today = dayStart(now);
  const result = await sendBroadcastRecipientRow(deps.pool, broadcastId, phone, {
    now,
    dailyCap:
      broadcast.dailyCap === null
        ? null
        : { channel: broadcast.channel, limit: broadcast.dailyCap, since: today },
    content: content(broadcast),
    refusal: (lastInboundAt) => {
      if (broadcast.template) return null;
      // Stored as its code (domain/broadcast-reasons.ts): the console words it in each language.
      const window = checkFreeFormReply({ provider: broadcast.provider, lastInboundAt, now });
      return window.allowed ? null : ('outside_customer_service_window' satisfies BroadcastRecipientReason);
    },
  });
  if (result.outcome === 'capped')
    return { outcome: 'capped', retryAt: new Date(today.getTime() + 86_400_000) };
  const log = deps.log.child({ broadcastId, phone });
  if (result.outcome === 'sent') {
    await enqueueOutbound(deps.queues, `broadcast|${broadcastId}|${phone}`, [result.messageId]);
    await deps.realtime.publishMessage(result.messageId);
    if (result.ticketOpened) await assignAndPublish(deps);
  } else if (result.outcome !== 'not_pending') {
    log.info({ outcome: result.outcome, reason: result.reason }, 'broadcast recipient not sent');
  }
  if (await finishBroadcastIfComplete(deps.pool, broadcastId)) log.info('broadcast done');
  return result.outcome === 'sent'
    ? { outcome: 'sent', provider: broadcast.provider, ratePerMinute: broadcast.ratePerMinute }
    : { outcome: result.outcome };
}
