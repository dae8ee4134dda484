/**
 * The canned responses the signed-in agent may insert, loaded once per composer, again when this
 * page changed them (the management page announces it) and when the list is older than a minute
 * as the agent opens the picker (an admin elsewhere may have added some).
 */
import type { CannedResponse } from '@whatsapp-helpdesk/contract/api';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api } from '../../api';

const FRESH_MS = 60_000;
const CHANGED = 'helpdesk:canned-responses-changed';

/** Tells the open composers that canned responses changed (they reload the list). */
export function announceCannedResponsesChanged(): void {
  window.dispatchEvent(new Event(CHANGED));
}

/** @returns the items, whether a load is under way, and `refresh` (reloads when stale). */
export function useCannedResponses(): {
  items: CannedResponse[];
  loading: boolean;
  refresh: () => void;
} {
  const [items, setItems] = useState<CannedResponse[]>([]);
  const [loading, setLoading] = useState(false);
  const loadedAt = useRef(0);
  const inFlight = useRef(false);

  const load = useCallback(() => {
    if (inFlight.current) return;
    inFlight.current = true;
    setLoading(true);
    api
      .cannedResponses()
      .then((list) => {
        loadedAt.current = Date.now();
        setItems(list.items);
      })
      // Without the list the box still works; the picker says nothing matches.
      .catch(() => undefined)
      .finally(() => {
        inFlight.current = false;
        setLoading(false);
      });
  }, []);

  useEffect(() => {
    load();
    window.addEventListener(CHANGED, load);
    return () => window.removeEventListener(CHANGED, load);
  }, [load]);
  const refresh = useCallback(() => {
    if (Date.now() - loadedAt.current > FRESH_MS) load();
  }, [load]);
  return { items, loading, refresh };
}
