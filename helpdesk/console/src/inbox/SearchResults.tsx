/**
 * Search everywhere (`GET /api/search`): tickets of any status whose customer, number or messages
 * match, each with where it matched, the excerpt and the status. A ticket the agent may not open
 * says why, in the console's language.
 */
import { useEffect, useState } from 'react';
import { api, ApiError, type SearchHit } from '../api';
import { useI18n, type Words } from '../i18n';
import { errorText } from '../shell/error-text';

/** Why the agent may not open a hit, in their language (a reason without words: the general one). */
function refusalText(reason: SearchHit['reason'], t: Words): string {
  const words = reason ? (t as Record<string, string>)[`reason_${reason}`] : undefined;
  return words ?? t.notOpenable;
}

/** Wait this long after the last key press before asking the server (ms). */
const DEBOUNCE_MS = 250;

/**
 * @param query what the agent typed (at least two characters after trimming).
 * @param onOpen opens a ticket the agent may open.
 * @param onSessionEnded the server answered 401.
 */
export function SearchResults({
  query,
  selectedId,
  onOpen,
  onSessionEnded,
}: {
  query: string;
  selectedId: string | null;
  onOpen: (ticketId: string) => void;
  onSessionEnded: () => void;
}) {
  const i18n = useI18n();
  const { t, label } = i18n;
  const [hits, setHits] = useState<SearchHit[] | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    let current = true;
    setHits(null);
    setError(null);
    const timer = setTimeout(() => {
      api.search(query).then(
        (result) => current && setHits(result.items),
        (caught: unknown) => {
          if (!current) return;
          if (caught instanceof ApiError && caught.status === 401) onSessionEnded();
          setError(caught);
        },
      );
    }, DEBOUNCE_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [query, onSessionEnded]);

  if (error) {
    return (
      <p className="error list-state" role="alert">
        {errorText(error, i18n)}
      </p>
    );
  }
  if (!hits) {
    return (
      <p className="muted list-state" role="status">
        {t.searching}
      </p>
    );
  }
  return (
    <>
      <p className="visually-hidden" role="status">
        {hits.length === 0 ? t.noHits : `${t.searchResults}: ${hits.length}`}
      </p>
      <ul className="ticket-list search-hits" aria-label={t.searchResults}>
        {hits.length === 0 && <li className="muted list-state">{t.noHits}</li>}
        {hits.map((hit) => {
          const { ticket } = hit;
          const content = (
            <>
              <span className="line">
                <strong className="customer-name" dir="auto">
                  {ticket.customer.name ?? ticket.customer.phone ?? ticket.customer.lid}
                </strong>
                <span className={`badge status-${ticket.status}`}>{label(ticket.status)}</span>
              </span>
              <span className="line meta">
                <span dir="ltr">#{ticket.number}</span>
                <bdi>{ticket.channel}</bdi>
                <span>
                  {t.matchedIn}: {t[`matched_${hit.matchedIn}`]}
                </span>
              </span>
              {hit.snippet && (
                <span className="preview snippet" dir="auto">
                  {hit.snippet}
                </span>
              )}
              {!hit.openable && <span className="line refusal">{refusalText(hit.reason, t)}</span>}
            </>
          );
          return (
            <li key={ticket.id}>
              {hit.openable ? (
                <button
                  type="button"
                  className={ticket.id === selectedId ? 'ticket-item selected' : 'ticket-item'}
                  data-ticket-number={ticket.number}
                  data-ticket-id={ticket.id}
                  onClick={() => onOpen(ticket.id)}
                >
                  {content}
                </button>
              ) : (
                <div className="ticket-item not-openable" data-ticket-number={ticket.number}>
                  {content}
                </div>
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
