/**
 * Opens a native `<dialog>` as a modal while the component is mounted: the page behind becomes inert
 * (the browser's own focus containment), Tab and Shift+Tab wrap inside the dialog, Esc calls
 * `onClose`, keys do not reach the page's shortcuts, and focus returns to where it was when the
 * dialog closes. Keys of the dialog's own go in native listeners on the dialog element (React's
 * handlers, which listen at the root, do not see them).
 */
import { useEffect, useRef, type RefObject } from 'react';

const FOCUSABLE =
  'a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), textarea:not([disabled]), [tabindex]:not([tabindex="-1"])';

/**
 * @param dialog the `<dialog>` element.
 * @param onClose called on Esc (the dialog stays open until the caller unmounts it).
 * @param initialFocus the element focused first (default: the first focusable one).
 */
export function useModalDialog(
  dialog: RefObject<HTMLDialogElement | null>,
  onClose: () => void,
  initialFocus?: RefObject<HTMLElement | null>,
): void {
  const close = useRef(onClose);
  close.current = onClose;

  useEffect(() => {
    const element = dialog.current;
    if (!element) return undefined;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!element.open) element.showModal();
    (initialFocus?.current ?? element.querySelector<HTMLElement>(FOCUSABLE))?.focus();

    const onCancel = (event: Event) => {
      event.preventDefault();
      close.current();
    };
    const onKeyDown = (event: KeyboardEvent) => {
      // The page's keyboard shortcuts stay out of a modal (its own keys apply).
      event.stopPropagation();
      if (event.key !== 'Tab') return;
      const focusable = [...element.querySelectorAll<HTMLElement>(FOCUSABLE)];
      if (focusable.length === 0) return;
      const first = focusable[0]!;
      const last = focusable[focusable.length - 1]!;
      if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    };
    element.addEventListener('cancel', onCancel);
    element.addEventListener('keydown', onKeyDown);
    return () => {
      element.removeEventListener('cancel', onCancel);
      element.removeEventListener('keydown', onKeyDown);
      if (element.open) element.close();
      previous?.focus();
    };
  }, [dialog, initialFocus]);
}
