/**
 * An admin list as it loads: "Loading…" until the items are read, the page's empty text when
 * there are none, else the list the page renders.
 */
import type { ReactNode } from 'react';
import { useI18n } from '../../i18n';

/**
 * @param items the items (null: not read yet); `empty` the text for none (already translated);
 *   `children` renders the list of at least one item.
 */
export function LoadedList<Item>({
  items,
  empty,
  children,
}: {
  items: readonly Item[] | null;
  empty: string;
  children: (items: readonly Item[]) => ReactNode;
}) {
  const { t } = useI18n();
  if (items === null) return <p className="muted">{t.loading}</p>;
  if (items.length === 0) return <p className="muted">{empty}</p>;
  return <>{children(items)}</>;
}
