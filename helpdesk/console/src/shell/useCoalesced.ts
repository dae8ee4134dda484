/**
 * Many events, one reload: a broadcast's recipients change status by the hundred a minute and the
 * live queue hears every ticket change, while each page needs only one read per burst.
 */
import { useCallback, useEffect, useRef } from 'react';

/**
 * @param action what to run (e.g. read the page's data again); its latest version runs.
 * @param delayMs how long after the first call of a burst it runs, ms.
 * @returns `schedule()`: runs `action` once, `delayMs` after the first call; calls made meanwhile
 *   join that run. A pending run is dropped when the component goes.
 */
export function useCoalesced(action: () => void, delayMs: number): () => void {
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const latest = useRef(action);
  useEffect(() => {
    latest.current = action;
  }, [action]);
  useEffect(
    () => () => {
      if (timer.current) clearTimeout(timer.current);
      timer.current = null;
    },
    [],
  );
  return useCallback(() => {
    if (timer.current) return;
    timer.current = setTimeout(() => {
      timer.current = null;
      latest.current();
    }, delayMs);
  }, [delayMs]);
}
