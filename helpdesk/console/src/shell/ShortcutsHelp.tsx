/**
 * The help sheet listing the keyboard shortcuts (opened with `?` or from the settings menu). A
 * native modal `<dialog>` (useModalDialog): the page behind is inert, Tab stays inside, Esc
 * closes, and focus returns to where it was.
 */
import { useRef } from 'react';
import { useI18n } from '../i18n';
import { useModalDialog } from '../thread/useModalDialog';
import { SHORTCUTS } from './useShortcuts';

/** @param onClose called on Escape, the close button or a click beside the sheet. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const { t } = useI18n();
  const dialog = useRef<HTMLDialogElement>(null);
  const close = useRef<HTMLButtonElement>(null);
  useModalDialog(dialog, onClose, close);

  return (
    // role="dialog" as well: `[role=dialog]` selectors (the browser tests) find it like before.
    <dialog
      ref={dialog}
      className="shortcuts-dialog"
      role="dialog"
      aria-modal="true"
      aria-labelledby="shortcuts-title"
      // A click on the backdrop reaches the dialog itself (the sheet fills it).
      onClick={(event) => event.target === event.currentTarget && onClose()}
    >
      <div className="sheet">
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
    </dialog>
  );
}
