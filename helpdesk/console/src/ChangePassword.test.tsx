/**
 * The change-password dialog (Vitest, happy-dom, Testing Library): a modal `<dialog>` that opens
 * with the focus in the current password, keeps Tab and Shift+Tab inside, closes on Esc, and says
 * when the two new passwords differ without calling the API.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChangePassword } from './ChangePassword';
import { recordFetch } from './test-support';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe('ChangePassword', () => {
  it('when Tab leaves the last control or Shift+Tab the first, then the focus wraps inside the dialog', () => {
    render(<ChangePassword onClose={() => {}} />);
    const dialog = screen.getByRole('dialog');
    expect(dialog.tagName).toBe('DIALOG');
    expect((dialog as HTMLDialogElement).open).toBe(true);
    const current = dialog.querySelector<HTMLInputElement>('input[name=currentPassword]')!;
    expect(document.activeElement).toBe(current);

    const cancel = screen.getByRole('button', { name: 'إلغاء' });
    cancel.focus();
    fireEvent.keyDown(cancel, { key: 'Tab' });
    expect(document.activeElement).toBe(current);

    fireEvent.keyDown(current, { key: 'Tab', shiftKey: true });
    expect(document.activeElement).toBe(cancel);
  });

  it('when Esc is pressed, then it closes', () => {
    const onClose = vi.fn();
    render(<ChangePassword onClose={onClose} />);
    fireEvent(screen.getByRole('dialog'), new Event('cancel', { cancelable: true }));
    expect(onClose).toHaveBeenCalled();
  });

  it('when the new passwords differ, then it says so and calls nothing', () => {
    const calls = recordFetch();
    render(<ChangePassword onClose={() => {}} />);
    const dialog = screen.getByRole('dialog');
    const set = (name: string, value: string) =>
      fireEvent.change(dialog.querySelector(`input[name=${name}]`)!, { target: { value } });
    set('currentPassword', 'old-password-123');
    set('newPassword', 'new-password-123');
    set('confirmPassword', 'new-password-124');
    fireEvent.submit(dialog.querySelector('form')!);
    expect(screen.getByRole('alert').textContent).toBe('كلمتا المرور الجديدتان غير متطابقتين');
    expect(calls).toEqual([]);
  });
});
