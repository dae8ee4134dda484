/**
 * The console's keyboard shortcuts. They act on hooks other parts expose in the page
 * (`textarea[data-composer=reply|note]`, `button[data-action=resolve|snooze]`, the inbox's
 * `input[type=search][name=search]`), so the shell needs no reference to the thread's components.
 * While the agent types in a field only Escape counts (it leaves the field); while a dialog is open
 * (native `<dialog>`, alert dialog, modal sheet) none does: the dialog's own keys apply.
 */
import { useEffect, useRef } from 'react';

/** The keys and what they do, in the order the help sheet lists them. */
export const SHORTCUTS = [
  { keys: ['j', '↓'], action: 'shortcutNext' },
  { keys: ['k', '↑'], action: 'shortcutPrevious' },
  { keys: ['r'], action: 'shortcutReply' },
  { keys: ['q'], action: 'shortcutQuote' },
  { keys: ['n'], action: 'shortcutNote' },
  { keys: ['e'], action: 'shortcutResolve' },
  { keys: ['s'], action: 'shortcutSnooze' },
  { keys: ['/'], action: 'shortcutSearch' },
  { keys: ['?'], action: 'shortcutHelp' },
  { keys: ['Esc'], action: 'shortcutEscape' },
] as const;

export interface ShortcutHandlers {
  /** Opens the ticket after (+1) or before (-1) the selected one in the list shown. */
  move: (step: 1 | -1) => void;
  /** Focuses the inbox's search box. */
  search: () => void;
  /** Opens the help sheet. */
  help: () => void;
}

function isTyping(target: EventTarget | null): target is HTMLElement {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  return !['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'range', 'color'].includes(target.type);
}

/**
 * True while a dialog holds the page: an open native `<dialog>` (the image viewer, the close
 * confirmation), an alert dialog or any `aria-modal` sheet, wherever the focus is (a click on the
 * backdrop can leave it on the body). A closed `<dialog>` in the page does not count.
 */
function modalOpen(): boolean {
  for (const element of document.querySelectorAll('dialog[open], [role=alertdialog], [aria-modal=true]')) {
    if (element instanceof HTMLDialogElement && !element.open) continue;
    return true;
  }
  return false;
}

function focusIn(selector: string): boolean {
  const element = document.querySelector<HTMLElement>(selector);
  if (!element) return false;
  element.focus();
  return true;
}

function clickOn(selector: string): boolean {
  const element = document.querySelector<HTMLButtonElement>(selector);
  if (!element || element.disabled) return false;
  element.click();
  return true;
}

/** Listens for the shortcuts while mounted (the latest handlers are used). */
export function useShortcuts(handlers: ShortcutHandlers): void {
  const latest = useRef(handlers);
  latest.current = handlers;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey) return;
      if (isTyping(event.target)) {
        if (event.key === 'Escape') event.target.blur();
        return;
      }
      // Inside an open dialog, or while one holds the page, the dialog's own keys apply.
      const inDialog =
        event.target instanceof Element && event.target.closest('[role=dialog], [role=alertdialog], dialog');
      if (inDialog || modalOpen()) return;
      const { move, search, help } = latest.current;
      let handled = true;
      switch (event.key) {
        case 'j':
          move(1);
          break;
        case 'k':
          move(-1);
          break;
        case 'ArrowDown':
        case 'ArrowUp':
          // Arrows keep scrolling the conversation; they move between tickets elsewhere.
          if (event.target instanceof Element && event.target.closest('.thread-pane')) handled = false;
          else move(event.key === 'ArrowDown' ? 1 : -1);
          break;
        case 'r':
          handled = focusIn('textarea[data-composer="reply"]');
          break;
        case 'q':
          handled = clickOn('button[data-action="quote"][data-latest="true"]');
          break;
        case 'n':
          handled = focusIn('textarea[data-composer="note"]');
          break;
        case 'e':
          handled = clickOn('button[data-action="resolve"]');
          break;
        case 's':
          handled = clickOn('button[data-action="snooze"]');
          break;
        case '/':
          search();
          break;
        case '?':
          help();
          break;
        default:
          handled = false;
      }
      if (handled) event.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
