/**
 * What a bubble may reach outside itself: whether a quoted message is in the open thread (and
 * scrolling to it), and opening another ticket (a shared contact's "open as customer"). The
 * Timeline provides it; the defaults find nothing and open through the address (`#ticket=<id>`,
 * which the shell follows).
 */
import { createContext, useContext } from 'react';

export interface ThreadLinks {
  /** Whether the message with this id is shown in the thread. */
  hasMessage: (messageId: string) => boolean;
  /** Opens another ticket. */
  openTicket: (ticketId: string) => void;
}

export function openTicketByAddress(ticketId: string): void {
  window.location.hash = `ticket=${encodeURIComponent(ticketId)}`;
}

export const ThreadLinksContext = createContext<ThreadLinks>({
  hasMessage: () => false,
  openTicket: openTicketByAddress,
});

export function useThreadLinks(): ThreadLinks {
  return useContext(ThreadLinksContext);
}

/** Brings a message of the thread into view, focuses it and marks it for a moment. */
export function scrollToMessage(messageId: string): boolean {
  if (!/^[\w-]+$/.test(messageId)) return false;
  const element = document.querySelector<HTMLElement>(`[data-message-id="${messageId}"]`);
  if (!element) return false;
  element.scrollIntoView?.({ block: 'center', behavior: 'smooth' });
  element.focus({ preventScroll: true });
  element.classList.add('flash');
  setTimeout(() => element.classList.remove('flash'), 1600);
  return true;
}
