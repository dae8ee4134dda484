/**
 * An agent schedules a message to a ticket's customer (issue 17): "remind this customer on <date>"
 * or "in N days", with a text or a template, as a plain reminder or a refill reminder (medicine,
 * interval in days, repeat count). Stored, then a delayed job is enqueued whose id is the
 * message's id; if Redis refuses, the `scheduled-sweep` still sends it (at most 30 s late).
 */
import type { ScheduledMessageCreateBody } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { canReadTicket, type Actor } from '../../domain/ticket-rules';
import { AppError } from '../../errors';
import { enqueueScheduledSend } from '../../jobs/scheduled-queue';
import {
  findScheduleTicket,
  insertScheduledMessage,
  type ScheduledMessageRow,
} from '../../store/scheduled-messages';
import { resolveTemplate } from '../templates/resolve-template';

export type ScheduleDependencies = Pick<Deps, 'pool' | 'queues' | 'log' | 'config'>;

/** The body as validated by the contract's schema (numbers parsed, kind defaulted). */
export type ScheduleInput = Omit<
  ScheduledMessageCreateBody,
  'kind' | 'inDays' | 'intervalDays' | 'repeat'
> & {
  kind: 'message' | 'refill';
  inDays?: number;
  intervalDays?: number;
  repeat?: number;
  template?: { name: string; language: string; parameters: { header?: string[]; body: string[] } };
};

/**
 * Schedules a message from the ticket `ticketId` to its customer, sent from the ticket's channel.
 * @param input `sendAt` (future) or `inDays` (× REMINDER_DAY_MS from now); `text` or `template`;
 *   for a refill `medicine`, `intervalDays` and `repeat` (sendings, default 1).
 * @returns the scheduled message (status `scheduled`).
 * @throws AppError not_found (ticket); forbidden (a ticket of another agent, unless admin);
 *   validation_failed naming `sendAt` (in the past), `template…` (see resolve-template.ts).
 */
export async function scheduleMessage(
  deps: ScheduleDependencies,
  actor: Actor,
  ticketId: string,
  input: ScheduleInput,
  now = new Date(),
): Promise<ScheduledMessageRow> {
  const ticket = await findScheduleTicket(deps.pool, ticketId);
  if (!ticket) throw new AppError('not_found', `ticket: no ticket ${ticketId}`);
  if (!canReadTicket(actor, ticket)) {
    throw new AppError('forbidden', `ticket: #${ticket.number} is assigned to another agent`);
  }
  const dayMs = deps.config.reminders.dayMs;
  const sendAt = input.sendAt ? new Date(input.sendAt) : new Date(now.getTime() + input.inDays! * dayMs);
  if (sendAt.getTime() <= now.getTime()) {
    throw new AppError('validation_failed', 'sendAt: must be in the future');
  }
  const text = input.text?.trim() ? input.text : null;
  const template = input.template
    ? { ...input.template, outbound: await resolveTemplate(deps.pool, ticket, input.template) }
    : null;
  const refill = input.kind === 'refill';
  const scheduled = await insertScheduledMessage(deps.pool, {
    customerId: ticket.customerId,
    ticketId: ticket.id,
    channel: ticket.channel,
    provider: ticket.provider,
    kind: input.kind,
    text,
    template,
    medicine: refill ? (input.medicine ?? null) : null,
    intervalDays: refill ? (input.intervalDays ?? null) : null,
    remaining: refill ? (input.repeat ?? 1) : null,
    sendAt,
    createdBy: actor.id,
  });
  try {
    await enqueueScheduledSend(deps.queues.scheduled, scheduled.id, sendAt, { now });
  } catch (error) {
    deps.log.warn(
      { err: error, scheduledMessageId: scheduled.id },
      'scheduled send not enqueued; the sweep will send it',
    );
  }
  return scheduled;
}
