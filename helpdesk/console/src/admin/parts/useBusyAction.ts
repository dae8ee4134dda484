/**
 * One change at a time from an admin row: `run` marks the row busy, runs the API call, then lets
 * the page read its list again, or hands the failure to the page.
 */
import { useState } from 'react';

/**
 * @param onChanged reads the list again after a change; `onError` shows a failure.
 * @returns `busy` (true while a change runs) and `run(action)`.
 */
export function useBusyAction(onChanged: () => Promise<void>, onError: (caught: unknown) => void) {
  const [busy, setBusy] = useState(false);
  async function run(action: () => Promise<unknown>): Promise<void> {
    setBusy(true);
    try {
      await action();
      await onChanged();
    } catch (caught) {
      onError(caught);
    } finally {
      setBusy(false);
    }
  }
  return { busy, run };
}
