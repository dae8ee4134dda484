/** The help sheet listing the keyboard shortcuts (opened with `?` or from the settings menu). */
import { useEffect, useRef } from 'react';
import { useI18n } from '../i18n';
import { SHORTCUTS } from './useShortcuts';

/** @param onClose called on Escape, the close button or a click beside the sheet. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const close = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    close.current?.focus();
    return () => previous?.focus();
  }, []);

  return (
    <div
      className="overlay"
      role="presentation"
      onClick={(event) => event.target === event.currentTarget && onClose()}
    >
      <div
        className="sheet"
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            onClose();
          }
          // The close button is the sheet's only control: Tab stays on it while the sheet is open.
          if (event.key === 'Tab') {
            event.preventDefault();
            close.current?.focus();
          }
        }}
      >
        <div className="sheet-head">
          <h2 id="shortcuts-title">{t.shortcuts}</h2>
          <button type="button" ref={close} onClick={onClose}>
            {t.closeDialog}
          </button>
        </div>
        <dl className="shortcuts">
          {SHORTCUTS.map((shortcut) => (
            <div key={shortcut.action}>
              <dt>
                {shortcut.keys.map((key, index) => (
                  <span key={key}>
                    {index > 0 && <> {t.or} </>}
                    <kbd>{key}</kbd>
                  </span>
                ))}
              </dt>
              <dd>{t[shortcut.action]}</dd>
            </div>
          ))}
        </dl>
      </div>
    </div>
  );
}
