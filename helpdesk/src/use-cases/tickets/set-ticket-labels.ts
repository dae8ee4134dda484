/**
 * An agent sets a ticket's labels (whoever may add a note to the ticket may label it: admins, the
 * assignee, anyone while it waits; see domain/ticket-rules.ts).
 */
import type { Deps } from '../../context';
import { canReadTicket, type Actor } from '../../domain/ticket-rules';
import { AppError } from '../../errors';
import { findExistingLabelIds, replaceTicketLabels } from '../../store/labels';
import type { TicketListItem } from '../../store/tickets-read';
import { recordAudit } from '../audit/record-audit';
import { getTicketListItem } from './get-ticket-list-item';
import { loadTicket } from './load-ticket';

/**
 * Makes the ticket's labels exactly `labelIds` (repeats count once; empty: none) and announces it
 * (`ticket.updated` with `{ labelIds }`).
 * @returns the ticket after the change.
 * @throws AppError not_found (ticket); forbidden (a ticket of another agent, unless admin);
 *   validation_failed naming `labelIds` for ids that are not labels.
 */
export async function setTicketLabels(
  deps: Pick<Deps, 'db' | 'pool' | 'realtime'>,
  actor: Actor,
  ticketId: string,
  labelIds: readonly string[],
): Promise<TicketListItem> {
  const ticket = await loadTicket(deps.db, ticketId);
  if (!canReadTicket(actor, ticket)) {
    throw new AppError('forbidden', `ticket: #${ticket.number} is assigned to another agent`);
  }
  const wanted = [...new Set(labelIds.map((id) => id.toLowerCase()))];
  const existing = await findExistingLabelIds(deps.db, wanted);
  const unknown = wanted.filter((id) => !existing.has(id));
  if (unknown.length > 0) {
    throw new AppError('validation_failed', `labelIds: no label ${unknown.join(', ')}`);
  }
  if (!(await replaceTicketLabels(deps.db, ticketId, wanted))) {
    throw new AppError('validation_failed', 'labelIds: a label was deleted meanwhile; reload the labels');
  }
  await deps.realtime.publishTicketEvent(ticketId, 'ticket.updated', { labelIds: wanted });
  await recordAudit(deps.db, {
    action: 'ticket.labels_set',
    subjectType: 'ticket',
    subjectId: ticketId,
    actorAgentId: actor.id,
    data: { labelIds: wanted },
  });
  return getTicketListItem(deps.pool, ticketId, actor.id);
}
