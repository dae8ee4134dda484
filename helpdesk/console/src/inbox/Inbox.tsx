/**
 * The inbox: views (mine, waiting queue, all for admins) with their counts, the search box (two or
 * more characters search every ticket through `GET /api/search`), filters (status, label,
 * category, channel) and the list, newest customer activity first.
 */
import { useState } from 'react';
import type { Label, Ticket, TicketCategory, TicketCounts } from '../api';
import { useI18n } from '../i18n';
import { useChannels } from '../useChannels';
import { formatCount } from './format';
import { SearchResults } from './SearchResults';
import { TicketListItem } from './TicketListItem';
import { useNow } from './useNow';

export interface InboxFilters {
  view: 'mine' | 'unassigned' | 'all';
  status: 'active' | 'resolved' | 'closed' | 'all';
  /** A label id, or '' for any. */
  label: string;
  /** A category id, or '' for any. */
  category: string;
  /** A channel's key (`GET /api/tickets?channel=`), or '' for any. */
  channel: string;
}

export const DEFAULT_FILTERS: InboxFilters = {
  view: 'mine',
  status: 'active',
  label: '',
  category: '',
  channel: '',
};

/** The shortest search the server answers (contract SEARCH_QUERY_MIN_LENGTH). */
const SEARCH_MIN = 2;

/** The list of tickets with its views, search and filters. */
export function Inbox(props: {
  isAdmin: boolean;
  filters: InboxFilters;
  onFilters: (filters: InboxFilters) => void;
  counts: TicketCounts | null;
  labels: Label[];
  categories: TicketCategory[];
  tickets: Ticket[];
  /** False until the first page of the current filters has loaded. */
  loaded: boolean;
  error: string | null;
  selectedId: string | null;
  onSelect: (id: string) => void;
  hasMore: boolean;
  onMore: () => void;
  onSessionEnded: () => void;
}) {
  const { t, language } = useI18n();
  const { filters, onFilters } = props;
  const [search, setSearch] = useState('');
  const now = useNow();
  const searching = search.trim().length >= SEARCH_MIN;

  const { list: channels } = useChannels();
  const shown = props.tickets;
  const filtered =
    filters.status !== 'active' || filters.label !== '' || filters.category !== '' || filters.channel !== '';

  const views: Array<InboxFilters['view']> = props.isAdmin
    ? ['mine', 'unassigned', 'all']
    : ['mine', 'unassigned'];
  const countOf = (view: InboxFilters['view']): number | null =>
    !props.counts
      ? null
      : view === 'mine'
        ? props.counts.mine
        : view === 'unassigned'
          ? props.counts.unassigned
          : null;

  return (
    <aside className="inbox" aria-labelledby="inbox-heading">
      <h2 id="inbox-heading" className="visually-hidden">
        {t.ticketsHeading}
      </h2>
      <div className="tabs" role="tablist">
        {views.map((view) => {
          const count = countOf(view);
          return (
            <button
              key={view}
              type="button"
              role="tab"
              aria-selected={filters.view === view}
              className={filters.view === view ? 'tab active' : 'tab'}
              data-view={view}
              onClick={() => onFilters({ ...filters, view })}
            >
              {t[view]}
              {count !== null && (
                <span className="count" data-count={count}>
                  {formatCount(count, language)}
                </span>
              )}
            </button>
          );
        })}
      </div>
      <div className="filters">
        <input
          type="search"
          name="search"
          aria-label={t.searchBox}
          placeholder={t.searchPlaceholder}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && search) {
              event.stopPropagation();
              setSearch('');
            }
          }}
        />
        {!searching && (
          <div className="filter-row">
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
            {props.labels.length > 0 && (
              <select
                name="label"
                aria-label={t.labelFilter}
                value={filters.label}
                onChange={(event) => onFilters({ ...filters, label: event.target.value })}
              >
                <option value="">{t.allLabels}</option>
                {props.labels.map((entry) => (
                  <option key={entry.id} value={entry.id}>
                    {entry.name}
                  </option>
                ))}
              </select>
            )}
            {props.categories.length > 0 && (
              <select
                name="category"
                aria-label={t.category}
                value={filters.category}
                onChange={(event) => onFilters({ ...filters, category: event.target.value })}
              >
                <option value="">{t.allCategories}</option>
                {props.categories.map((entry) => (
                  <option key={entry.id} value={entry.id}>
                    {entry[language]}
                  </option>
                ))}
              </select>
            )}
            {((channels?.length ?? 0) > 1 || filters.channel !== '') && (
              <select
                name="channel"
                aria-label={t.channel}
                value={filters.channel}
                onChange={(event) => onFilters({ ...filters, channel: event.target.value })}
              >
                <option value="">{t.allChannels}</option>
                {(channels ?? []).map((channel) => (
                  <option key={channel.id} value={channel.key}>
                    {channel.name}
                  </option>
                ))}
                {filters.channel && !channels?.some((channel) => channel.key === filters.channel) && (
                  <option value={filters.channel}>{filters.channel}</option>
                )}
              </select>
            )}
          </div>
        )}
      </div>
      {searching ? (
        <SearchResults
          query={search.trim()}
          selectedId={props.selectedId}
          onOpen={props.onSelect}
          onSessionEnded={props.onSessionEnded}
        />
      ) : (
        <>
          {props.error && (
            <p className="error list-state" role="alert">
              {props.error}
            </p>
          )}
          <ul className="ticket-list" aria-label={t[filters.view]} aria-busy={!props.loaded}>
            {!props.loaded && !props.error && <li className="muted list-state">{t.loading}</li>}
            {props.loaded && shown.length === 0 && (
              <li className="muted list-state">{filtered ? t.noMatchingTickets : t.noTickets}</li>
            )}
            {shown.map((ticket) => (
              <TicketListItem
                key={ticket.id}
                ticket={ticket}
                selected={ticket.id === props.selectedId}
                showAssignee={filters.view === 'all'}
                categories={props.categories}
                now={now}
                onSelect={props.onSelect}
              />
            ))}
          </ul>
          {props.hasMore && (
            <button type="button" className="more" onClick={props.onMore}>
              {t.loadMore}
            </button>
          )}
        </>
      )}
    </aside>
  );
}
