/**
 * The shortcut hook on its own (Vitest, happy-dom): keys pressed on the page move between tickets,
 * but not while a native `<dialog open>` or an alert dialog holds the page, wherever the focus is;
 * a closed `<dialog>` left in the page does not stop them.
 */
import { cleanup, fireEvent, render } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { useShortcuts, type ShortcutHandlers } from './useShortcuts';

function Shortcuts({ handlers, children }: { handlers: ShortcutHandlers; children?: ReactNode }) {
  useShortcuts(handlers);
  return <>{children}</>;
}

function setup(children?: ReactNode) {
  const handlers = { move: vi.fn(), search: vi.fn(), help: vi.fn() };
  render(<Shortcuts handlers={handlers}>{children}</Shortcuts>);
  return handlers;
}

afterEach(cleanup);

describe('useShortcuts', () => {
  it('when no dialog is open, then j and ? act', () => {
    const handlers = setup(
      <dialog className="confirm-dialog" role="alertdialog">
        <button type="button">Cancel</button>
      </dialog>,
    );
    fireEvent.keyDown(document.body, { key: 'j' });
    fireEvent.keyDown(document.body, { key: '?' });
    expect(handlers.move).toHaveBeenCalledWith(1);
    expect(handlers.help).toHaveBeenCalledTimes(1);
  });

  it('when a native dialog is open, then keys on the page behind it do nothing', () => {
    const handlers = setup(
      <dialog open>
        <button type="button">Close</button>
      </dialog>,
    );
    fireEvent.keyDown(document.body, { key: 'j' });
    fireEvent.keyDown(document.body, { key: '/' });
    fireEvent.keyDown(document.querySelector('dialog button')!, { key: 'k' });
    expect(handlers.move).not.toHaveBeenCalled();
    expect(handlers.search).not.toHaveBeenCalled();
  });

  it('when an alert dialog is shown, then keys do nothing, inside it or on the body', () => {
    const handlers = setup(
      <div role="alertdialog" aria-labelledby="title">
        <h2 id="title">Close the ticket?</h2>
        <button type="button">Confirm</button>
      </div>,
    );
    fireEvent.keyDown(document.body, { key: 'k' });
    fireEvent.keyDown(document.querySelector('[role=alertdialog] button')!, { key: '?' });
    expect(handlers.move).not.toHaveBeenCalled();
    expect(handlers.help).not.toHaveBeenCalled();
  });
});
