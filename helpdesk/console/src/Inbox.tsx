/** The inbox: views (mine, waiting queue, all for admins), status filter, search and the list. */
import { useEffect, useState } from 'react';
import type { Ticket } from './api';
import { useI18n } from './i18n';

export interface InboxFilters {
  view: 'mine' | 'unassigned' | 'all';
  status: 'active' | 'resolved' | 'closed' | 'all';
  search: string;
}

/** The list of tickets with its filters. */
export function Inbox(props: {
  isAdmin: boolean;
  filters: InboxFilters;
  onFilters: (filters: InboxFilters) => void;
  tickets: Ticket[];
  selectedId: string | null;
  onSelect: (id: string) => void;
  hasMore: boolean;
  onMore: () => void;
}) {
  const { t, label, formatTime } = useI18n();
  const { filters, onFilters } = props;
  const [search, setSearch] = useState(filters.search);
  useEffect(() => {
    const timer = setTimeout(() => {
      if (search !== filters.search) onFilters({ ...filters, search });
    }, 300);
    return () => clearTimeout(timer);
  }, [search, filters, onFilters]);

  const views: Array<InboxFilters['view']> = props.isAdmin
    ? ['mine', 'unassigned', 'all']
    : ['mine', 'unassigned'];
  return (
    <aside className="inbox">
      <nav className="tabs" role="tablist">
        {views.map((view) => (
          <button
            key={view}
            type="button"
            role="tab"
            aria-selected={filters.view === view}
            className={filters.view === view ? 'tab active' : 'tab'}
            onClick={() => onFilters({ ...filters, view })}
          >
            {t[view]}
          </button>
        ))}
      </nav>
      <div className="filters">
        <input
          type="search"
          name="search"
          placeholder={t.search}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
        />
        <select
          name="status"
          aria-label={t.statusFilter}
          value={filters.status}
          onChange={(event) =>
            onFilters({ ...filters, status: event.target.value as InboxFilters['status'] })
          }
        >
          <option value="active">{t.active}</option>
          <option value="resolved">{t.resolved}</option>
          <option value="closed">{t.closed}</option>
          <option value="all">{t.all}</option>
        </select>
      </div>
      <ul className="ticket-list">
        {props.tickets.length === 0 && <li className="muted">{t.noTickets}</li>}
        {props.tickets.map((ticket) => (
          <li key={ticket.id}>
            <button
              type="button"
              className={ticket.id === props.selectedId ? 'ticket-item selected' : 'ticket-item'}
              data-ticket-number={ticket.number}
              onClick={() => props.onSelect(ticket.id)}
            >
              <span className="line">
                <strong className="customer-name" dir="auto">
                  {ticket.customer.name ?? ticket.customer.phone ?? ticket.customer.lid}
                </strong>
                <span className={`badge status-${ticket.status}`}>{label(ticket.status)}</span>
              </span>
              <span className="line muted">
                <span dir="ltr">#{ticket.number}</span>
                {ticket.category && <span>{label(ticket.category)}</span>}
                {ticket.lastMessage && <time>{formatTime(ticket.lastMessage.at)}</time>}
              </span>
              {ticket.lastMessage && (
                <span
                  dir="auto"
                  className={ticket.lastMessage.direction === 'inbound' ? 'preview unanswered' : 'preview'}
                >
                  {ticket.lastMessage.preview ?? label(ticket.lastMessage.type)}
                </span>
              )}
            </button>
          </li>
        ))}
      </ul>
      {props.hasMore && (
        <button type="button" className="more" onClick={props.onMore}>
          {t.loadMore}
        </button>
      )}
    </aside>
  );
}
