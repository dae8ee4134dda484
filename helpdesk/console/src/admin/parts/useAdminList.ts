/**
 * The list an admin page keeps: read when the page opens and again after each change; a failure
 * to read it is shown by the page and leaves an empty list.
 */
import { useEffect, useState } from 'react';

/**
 * @param read fetches the items (e.g. `async () => (await api.labels()).items`); `onError` shows a
 *   failure to read.
 * @returns `items` (null until first read) and `reload()`.
 */
export function useAdminList<Item>(read: () => Promise<Item[]>, onError: (caught: unknown) => void) {
  const [items, setItems] = useState<Item[] | null>(null);
  async function reload(): Promise<void> {
    try {
      setItems(await read());
    } catch (caught) {
      onError(caught);
      setItems([]);
    }
  }
  useEffect(() => {
    void reload();
    // Read once when the page opens; the page calls `reload` after its changes.
  }, []);
  return { items, reload };
}
