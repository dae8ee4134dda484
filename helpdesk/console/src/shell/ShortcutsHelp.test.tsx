/**
 * The shortcuts' help sheet (Vitest, happy-dom, Testing Library): a modal `<dialog>` that opens
 * with the focus on its close button, keeps Tab there (its only control), keeps the page's
 * shortcuts out, closes on Esc, the close button and a click beside the sheet, and gives the focus
 * back to where it was.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ShortcutsHelp } from './ShortcutsHelp';

afterEach(cleanup);

describe('ShortcutsHelp', () => {
  it('when it opens, then it is a modal dialog with the focus on the close button, and Tab stays there', () => {
    render(<ShortcutsHelp onClose={() => {}} />);
    const dialog = screen.getByRole('dialog', { name: 'اختصارات لوحة المفاتيح' });
    expect(dialog.tagName).toBe('DIALOG');
    expect((dialog as HTMLDialogElement).open).toBe(true);
    const close = screen.getByRole('button', { name: 'إغلاق' });
    expect(document.activeElement).toBe(close);

    fireEvent.keyDown(close, { key: 'Tab' });
    expect(document.activeElement).toBe(close);
    fireEvent.keyDown(close, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(close);
  });

  it("when a key is pressed inside, then the page's shortcuts do not see it", () => {
    const pageKeys = vi.fn();
    document.addEventListener('keydown', pageKeys);
    render(<ShortcutsHelp onClose={() => {}} />);
    fireEvent.keyDown(screen.getByRole('button', { name: 'إغلاق' }), { key: 'j' });
    document.removeEventListener('keydown', pageKeys);
    expect(pageKeys).not.toHaveBeenCalled();
  });

  it('when Esc, the close button or a click beside the sheet, then it closes', () => {
    const onClose = vi.fn();
    render(<ShortcutsHelp onClose={onClose} />);
    const dialog = screen.getByRole('dialog');
    fireEvent(dialog, new Event('cancel', { cancelable: true }));
    fireEvent.click(screen.getByRole('button', { name: 'إغلاق' }));
    fireEvent.click(dialog);
    expect(onClose).toHaveBeenCalledTimes(3);
    // A click inside the sheet is not one beside it.
    fireEvent.click(dialog.querySelector('.shortcuts')!);
    expect(onClose).toHaveBeenCalledTimes(3);
  });

  it('when it closes, then the focus returns to where it was', () => {
    const opener = document.createElement('button');
    document.body.append(opener);
    opener.focus();
    const { unmount } = render(<ShortcutsHelp onClose={() => {}} />);
    expect(document.activeElement).not.toBe(opener);
    unmount();
    expect(document.activeElement).toBe(opener);
    opener.remove();
  });
});
