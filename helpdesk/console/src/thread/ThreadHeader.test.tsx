/**
 * The thread's header (Vitest, happy-dom, Testing Library): the customer's name, the ticket number
 * in the console's digits, the phone left to right, the channel, the assignee, the labels and the
 * status; the buttons follow `allowedActions`; "Resolve" posts the status, "Close" asks first;
 * the customer panel's toggle says whether it is open.
 */
import { cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { I18nContext, makeI18n } from '../i18n';
import { AGENT, makeThread, recordFetch, TICKET_ID } from '../test-support';
import { ThreadHeader } from './ThreadHeader';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const VIP = { id: '77777777-7777-4777-8777-777777777777', name: 'VIP', color: '#aa00aa' };

function mount(
  thread = makeThread({ ticket: { number: 42, labels: [VIP] } }),
  options: { language?: 'ar' | 'en'; onChanged?: () => void; onToggle?: () => void } = {},
) {
  return render(
    <I18nContext.Provider value={makeI18n(options.language ?? 'ar')}>
      <ThreadHeader
        thread={thread}
        agent={AGENT}
        agents={[]}
        onChanged={options.onChanged ?? (() => {})}
        panel={{ open: true, controls: 'customer-panel', onToggle: options.onToggle ?? (() => {}) }}
      />
    </I18nContext.Provider>,
  ).container;
}

describe('ThreadHeader', () => {
  it('shows the customer, the number in Arabic digits, the phone left to right, channel, assignee and labels', () => {
    const container = mount();
    expect(container.querySelector('.customer-name')!.textContent).toBe('سلمى');
    expect(container.querySelector('.ticket-number')!.textContent).toBe('#٤٢');
    const phone = container.querySelector<HTMLAnchorElement>('a.phone')!;
    expect(phone.getAttribute('dir')).toBe('ltr');
    expect(phone.getAttribute('href')).toBe('tel:+201001234567');
    expect(container.querySelector('.channel')!.textContent).toContain('pharmacy');
    expect(container.textContent).toContain('منى');
    expect(container.querySelector(`[data-label-id="${VIP.id}"]`)!.textContent).toBe('VIP');
    expect(screen.getByTestId('ticket-status').textContent).toBe('مفتوحة');
  });

  it('in English, shows Latin digits and the words of the actions the ticket allows', () => {
    const container = mount(
      makeThread({ ticket: { number: 42, allowedActions: ['reply', 'note', 'resolve', 'close'] } }),
      { language: 'en' },
    );
    expect(container.querySelector('.ticket-number')!.textContent).toBe('#42');
    expect(container.querySelector('button[data-action=resolve]')!.textContent).toBe('Resolve');
    expect(container.querySelector('button[data-action=snooze]')).toBeNull();
    expect(container.querySelector('button[data-action=reopen]')).toBeNull();
  });

  it('when Resolve is clicked, then the status is posted and the thread reloads', async () => {
    const calls = recordFetch();
    const onChanged = vi.fn();
    const container = mount(makeThread({ ticket: { allowedActions: ['resolve'] } }), { onChanged });
    fireEvent.click(container.querySelector('button[data-action=resolve]')!);
    await waitFor(() => expect(onChanged).toHaveBeenCalled());
    expect(calls).toEqual([
      { method: 'POST', url: `/api/tickets/${TICKET_ID}/status`, body: { status: 'resolved' } },
    ]);
  });

  it('when Close is clicked, then it asks first and posts only after confirming', async () => {
    const calls = recordFetch();
    const container = mount(makeThread({ ticket: { number: 9, allowedActions: ['close'] } }));
    fireEvent.click(container.querySelector('button[data-action=close]')!);
    const dialog = await screen.findByRole('alertdialog');
    expect(dialog.textContent).toContain('إغلاق التذكرة #٩؟');
    expect(calls).toEqual([]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'إغلاق' }));
    await waitFor(() =>
      expect(calls).toEqual([
        { method: 'POST', url: `/api/tickets/${TICKET_ID}/status`, body: { status: 'closed' } },
      ]),
    );
  });

  it('says whether the customer panel is open and toggles it', () => {
    const onToggle = vi.fn();
    const container = mount(undefined, { onToggle });
    const toggle = container.querySelector<HTMLButtonElement>('.panel-toggle')!;
    expect(toggle.getAttribute('aria-expanded')).toBe('true');
    expect(toggle.getAttribute('aria-controls')).toBe('customer-panel');
    fireEvent.click(toggle);
    expect(onToggle).toHaveBeenCalled();
  });
});
