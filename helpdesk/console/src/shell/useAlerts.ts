/**
 * Getting the agent's attention from realtime events: a beep, and a desktop notification while
 * the tab is hidden, for a new ticket assigned to them, a new customer message on one of their
 * tickets (not the one they are looking at), a snoozed ticket of theirs coming back, and (admins)
 * a customer's low satisfaction rating (`csat.low`). Also the
 * agent's switches (sound, desktop; saved per agent) and the one-time offer to allow desktop
 * notifications.
 */
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { api, type SessionAgent, type Ticket } from '../api';
import { useI18n } from '../i18n';
import type { StreamEvent } from '../useEventStream';
import {
  beep,
  desktopPermission,
  loadNotifySettings,
  markOfferedDesktop,
  requestDesktopPermission,
  saveNotifySettings,
  showDesktopNotification,
  unlockAudioOnFirstGesture,
  wasOfferedDesktop,
  type DesktopPermission,
  type NotifySettings,
} from './notifications';

export interface Alerts {
  notify: NotifySettings;
  changeNotify: (settings: NotifySettings) => void;
  permission: DesktopPermission;
  /** Asks the browser for desktop notifications; call it from a click. */
  askPermission: () => Promise<void>;
  /** Show the offer to allow desktop notifications (not yet answered). */
  offerDesktop: boolean;
  declineOffer: () => void;
  /** Looks at a realtime event and alerts when it concerns the agent. */
  alertFor: (event: StreamEvent) => void;
}

/**
 * @param selected the open ticket's id (no alert for messages the agent is looking at).
 * @param listed the tickets on screen (to skip others' tickets without asking the server).
 * @param open opens a ticket (clicking a desktop notification).
 * @param onError a failed call (e.g. 401).
 */
export function useAlerts({
  agent,
  selected,
  listed,
  open,
  onError,
}: {
  agent: SessionAgent;
  selected: RefObject<string | null>;
  listed: RefObject<Ticket[]>;
  open: (ticketId: string) => void;
  onError: (error: unknown) => void;
}): Alerts {
  const i18n = useI18n();
  const [notify, setNotify] = useState<NotifySettings>(() => loadNotifySettings(agent.id));
  const [permission, setPermission] = useState(desktopPermission);
  const [offerDesktop, setOfferDesktop] = useState(
    () => desktopPermission() === 'default' && !wasOfferedDesktop(agent.id),
  );
  useEffect(unlockAudioOnFirstGesture, []);

  // Events arrive through a callback made once: read the current words and switches from here.
  const current = useRef({ notify, i18n });
  current.current = { notify, i18n };

  const announce = useCallback(
    (title: string, body: string, ticketId: string | null, desktop: boolean) => {
      const { notify: settings, i18n: words } = current.current;
      if (settings.sound) beep();
      const lang = words.language;
      if (settings.desktop && desktop)
        showDesktopNotification(
          title,
          { body, tag: ticketId ?? title, lang, dir: lang === 'ar' ? 'rtl' : 'ltr' },
          () => ticketId && open(ticketId),
        );
    },
    [open],
  );

  const alertFor = useCallback(
    (event: StreamEvent) => {
      const { notify: settings, i18n: words } = current.current;
      const { t, label } = words;
      if (!settings.sound && !settings.desktop) return;
      const hidden = document.hidden;
      const ticketId = typeof event.ticketId === 'string' ? event.ticketId : null;
      const number = typeof event.ticketNumber === 'number' ? `#${event.ticketNumber}` : '';
      if (event.type === 'csat.low') {
        // A low satisfaction rating (1 or 2): team leads (admins) hear of it, even with the tab shown.
        if (agent.role === 'admin') {
          const comment = typeof event.comment === 'string' ? event.comment : '';
          announce(
            t.notifyCsatLow.replace('{number}', number).replace('{score}', String(event.score)),
            comment,
            ticketId,
            true,
          );
        }
        return;
      }
      if (event.type === 'ticket.assigned') {
        // Not when the agent took it themselves.
        if (event.assigneeId === agent.id && event.by !== agent.id)
          announce(t.notifyNewTicket, number, ticketId, hidden);
        return;
      }
      const inbound = event.type === 'message.created' && event.direction === 'inbound';
      const snoozeEnded = event.type === 'ticket.status' && event.reason === 'snooze_ended';
      if (!ticketId || !(inbound || snoozeEnded)) return;
      // The agent is looking at this very ticket: nothing to announce.
      if (inbound && !hidden && ticketId === selected.current) return;
      // Someone else's ticket on screen (admins receive every ticket's events): no need to ask.
      const known = listed.current?.find((ticket) => ticket.id === ticketId);
      if (known && known.assignee?.id !== agent.id) return;
      api.thread(ticketId).then((fresh) => {
        if (fresh.ticket.assignee?.id !== agent.id) return;
        const name = fresh.customer.name ?? fresh.customer.phone ?? number;
        if (snoozeEnded) {
          announce(t.notifySnoozeEnded.replace('{number}', number), name ?? '', ticketId, hidden);
          return;
        }
        // The customer's own words (the bot may have answered since).
        const message = fresh.messages.find((entry) => entry.id === event.messageId);
        const body = message ? (message.text ?? message.caption ?? label(message.type)) : number;
        announce(t.notifyNewMessage.replace('{name}', name ?? ''), body, ticketId, hidden);
      }, onError);
    },
    [agent.id, agent.role, announce, listed, onError, selected],
  );

  const changeNotify = useCallback(
    (settings: NotifySettings) => {
      setNotify(settings);
      saveNotifySettings(agent.id, settings);
    },
    [agent.id],
  );
  const askPermission = useCallback(async () => {
    setPermission(await requestDesktopPermission());
    markOfferedDesktop(agent.id);
    setOfferDesktop(false);
  }, [agent.id]);
  const declineOffer = useCallback(() => {
    markOfferedDesktop(agent.id);
    setOfferDesktop(false);
  }, [agent.id]);

  return { notify, changeNotify, permission, askPermission, offerDesktop, declineOffer, alertFor };
}
