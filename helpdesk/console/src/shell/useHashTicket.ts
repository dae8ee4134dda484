/**
 * The open ticket lives in the address as `#ticket=<id>`, so a reload, the browser's back button
 * and signing in again after an expired session all return to the same ticket.
 */
import { useCallback, useEffect, useState } from 'react';

/** The ticket id in the current address, or null. */
export function readHashTicket(): string | null {
  const match = /^#ticket=([^&]+)$/.exec(window.location.hash);
  if (!match?.[1]) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

/** @returns the selected ticket id and a setter (null: back to the list), kept in the address. */
export function useHashTicket(): [string | null, (id: string | null) => void] {
  const [id, setId] = useState<string | null>(readHashTicket);

  useEffect(() => {
    const sync = () => setId(readHashTicket());
    window.addEventListener('hashchange', sync);
    window.addEventListener('popstate', sync);
    return () => {
      window.removeEventListener('hashchange', sync);
      window.removeEventListener('popstate', sync);
    };
  }, []);

  const select = useCallback((next: string | null) => {
    if (next) {
      // A new history entry per ticket: the back button returns to the previous one.
      if (readHashTicket() !== next) window.location.hash = `ticket=${encodeURIComponent(next)}`;
    } else if (window.location.hash) {
      window.history.pushState(null, '', window.location.pathname + window.location.search);
    }
    setId(next);
  }, []);

  return [id, select];
}
