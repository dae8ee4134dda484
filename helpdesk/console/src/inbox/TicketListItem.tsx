/**
 * One ticket in the inbox: customer, unread count, status, number, channel, assignee (in "All"),
 * labels, how long the customer has waited for an answer, the time left to the next response-time
 * target (at risk and overdue tickets marked), and the last message with its direction
 * (and a failed marker when our last message could not be delivered).
 */
import type { Ticket, TicketCategory } from '../api';
import { useI18n } from '../i18n';
import { useChannels } from '../useChannels';
import { formatCount, formatWaited, textColorOn } from './format';
import { slaCountdown } from './sla-text';
import './sla.css';

/**
 * @param showAssignee show who has the ticket (the "All" view).
 * @param now the current time in ms (the caller ticks it so waiting times keep counting).
 */
export function TicketListItem({
  ticket,
  selected,
  showAssignee,
  categories,
  now,
  onSelect,
}: {
  ticket: Ticket;
  selected: boolean;
  showAssignee: boolean;
  categories: TicketCategory[];
  now: number;
  onSelect: (id: string) => void;
}) {
  const { t, label, formatTime, language } = useI18n();
  const { nameOf } = useChannels();
  const last = ticket.lastMessage;
  const category = ticket.category
    ? (categories.find((entry) => entry.id === ticket.category)?.[language] ?? label(ticket.category))
    : null;
  const waited = ticket.waitingSince ? formatWaited(ticket.waitingSince, now, language) : null;
  const unread = ticket.unreadCount > 0;
  const sla = ticket.sla ? slaCountdown(ticket.sla, now, language) : null;
  return (
    <li>
      <button
        type="button"
        className={[
          'ticket-item',
          selected ? 'selected' : '',
          unread ? 'has-unread' : '',
          sla && sla.state !== 'ok' ? `sla-${sla.state}` : '',
        ]
          .join(' ')
          .trim()}
        data-ticket-number={ticket.number}
        data-ticket-id={ticket.id}
        aria-current={selected ? 'true' : undefined}
        onClick={() => onSelect(ticket.id)}
      >
        <span className="line">
          <strong className="customer-name" dir="auto">
            {ticket.customer.name ?? ticket.customer.phone ?? ticket.customer.lid}
          </strong>
          <span className="badges">
            {unread && (
              <span className="unread" data-unread={ticket.unreadCount}>
                {formatCount(ticket.unreadCount, language)}
                <span className="visually-hidden"> {t.unreadMessages}</span>
              </span>
            )}
            <span className={`badge status-${ticket.status}`}>{label(ticket.status)}</span>
          </span>
        </span>
        <span className="line meta">
          <span dir="ltr">#{ticket.number}</span>
          <span className="channel" title={t.channel} data-channel={ticket.channel}>
            <span className="visually-hidden">{t.channel}: </span>
            <bdi>{nameOf(ticket.channel)}</bdi>
          </span>
          {category && <span>{category}</span>}
          {showAssignee && (
            <span className="assignee">
              <span className="visually-hidden">{t.assignee}: </span>
              <bdi>{ticket.assignee?.name ?? t.unassignedTicket}</bdi>
            </span>
          )}
          {last && <time dateTime={last.at}>{formatTime(last.at)}</time>}
        </span>
        {ticket.labels.length > 0 && (
          <span className="line chips">
            {ticket.labels.map((entry) => (
              <span
                key={entry.id}
                className="chip"
                style={{ background: entry.color, color: textColorOn(entry.color) }}
              >
                <bdi>{entry.name}</bdi>
              </span>
            ))}
          </span>
        )}
        {last && (
          <span className="line last">
            <span
              className={`direction ${last.direction === 'inbound' ? 'in' : 'out'}`}
              aria-hidden="true"
              title={last.direction === 'inbound' ? t.lastFromCustomer : t.lastFromUs}
            >
              {last.direction === 'inbound' ? '↙' : '↗'}
            </span>
            <span className="visually-hidden">
              {last.direction === 'inbound' ? t.lastFromCustomer : t.lastFromUs}:
            </span>
            <span dir="auto" className={last.direction === 'inbound' ? 'preview unanswered' : 'preview'}>
              {last.preview ?? label(last.type)}
            </span>
            {last.deliveryStatus === 'failed' && (
              <span className="failed-mark" data-failed="true">
                ⚠ {t.failed}
              </span>
            )}
          </span>
        )}
        {ticket.waitingSince && (
          <span className="line waited" data-waiting-since={ticket.waitingSince}>
            {t.waitingFor} {waited ?? t.lessThanMinute}
          </span>
        )}
        {ticket.sla && sla && (
          <span
            className={`line sla sla-${sla.state}`}
            data-sla-state={sla.state}
            data-sla-kind={ticket.sla.kind}
          >
            <span>{ticket.sla.kind === 'first_response' ? t.slaFirstResponse : t.slaResolution}:</span>{' '}
            <time dateTime={ticket.sla.dueAt} title={formatTime(ticket.sla.dueAt)}>
              {(sla.overdue ? t.slaOverdue : t.slaLeft).replace('{time}', sla.time ?? t.lessThanMinute)}
            </time>
            {sla.state !== 'ok' && (
              <span className="sla-flag">{sla.state === 'breached' ? t.slaBreached : t.slaAtRisk}</span>
            )}
          </span>
        )}
      </button>
    </li>
  );
}
