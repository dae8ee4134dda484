/**
 * The list of canned responses that opens above the reply box when the agent types `/`: a listbox
 * whose active option the textarea's arrow keys move (the textarea keeps the focus, and points at
 * the list with aria-activedescendant). Clicking an option inserts it.
 */
import type { CannedResponse } from '@whatsapp-helpdesk/contract/api';
import { useEffect, useRef } from 'react';
import { useI18n } from '../../i18n';
import { shortcutDirection } from './slash';

/** The DOM id of an option, for aria-activedescendant. */
export function cannedOptionId(listId: string, index: number): string {
  return `${listId}-option-${index}`;
}

/**
 * @param items the matches, best first (already filtered).
 * @param active the highlighted index.
 * @param render fills an item's variables for its preview (as it would be inserted).
 * @param onPick inserts an item.
 */
export function CannedPicker({
  id,
  items,
  active,
  loading,
  render,
  onPick,
  onHover,
}: {
  id: string;
  items: CannedResponse[];
  active: number;
  loading: boolean;
  render: (body: string) => string;
  onPick: (item: CannedResponse) => void;
  onHover: (index: number) => void;
}) {
  const { t } = useI18n();
  const list = useRef<HTMLUListElement>(null);
  useEffect(() => {
    list.current
      ?.querySelector(`#${CSS.escape(cannedOptionId(id, active))}`)
      ?.scrollIntoView({ block: 'nearest' });
  }, [id, active]);
  return (
    <div className="canned-picker" data-testid="canned-picker">
      <div className="canned-picker-head">
        <strong>{t.cannedTitle}</strong>
        <span className="muted">{t.cannedHint}</span>
      </div>
      {items.length === 0 ? (
        <p className="muted canned-empty">{loading ? '…' : t.cannedNoMatch}</p>
      ) : (
        <ul id={id} role="listbox" ref={list} aria-label={t.cannedTitle}>
          {items.map((item, index) => (
            <li
              key={item.id}
              id={cannedOptionId(id, index)}
              role="option"
              aria-selected={index === active}
              data-shortcut={item.shortcut}
              className={index === active ? 'active' : undefined}
              // mousedown, not click: the textarea must not lose its caret first.
              onMouseDown={(event) => {
                event.preventDefault();
                onPick(item);
              }}
              onMouseEnter={() => onHover(index)}
            >
              <span className="canned-shortcut" dir={shortcutDirection(item.shortcut)}>
                /{item.shortcut}
              </span>
              <span className="canned-title" dir="auto">
                {item.title}
              </span>
              {item.scope === 'personal' && <span className="canned-scope">{t.cannedPersonalBadge}</span>}
              <span className="canned-body muted" dir="auto">
                {render(item.body)}
              </span>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
