/**
 * One open ticket: the header (ThreadHeader), the timeline (Timeline) and the composer (Composer),
 * with the customer panel (CustomerPanel) beside them. At desktop widths the panel sits beside the thread and can be
 * collapsed (the choice is remembered); on a phone the thread and the panel take turns.
 */
import { useState } from 'react';
import type { AgentEntry, Message, SessionAgent, Thread } from '../api';
import { useI18n } from '../i18n';
import { Composer } from './Composer';
import { CustomerPanel } from './CustomerPanel';
import { ThreadHeader } from './ThreadHeader';
import { Timeline } from './Timeline';
import { useIsPhone } from './useIsPhone';
import './thread.css';

const PANEL_KEY = 'helpdesk.customerPanel';

function savedPanelOpen(): boolean {
  try {
    return localStorage.getItem(PANEL_KEY) !== 'closed';
  } catch {
    return true;
  }
}

/**
 * The open ticket.
 * @param onChanged reload after an action.
 * @param onOpenTicket open another ticket (from the customer panel's history); default: the
 *   address's `#ticket=<id>`, which the shell follows.
 */
export function ThreadView({
  thread,
  agent,
  agents,
  onChanged,
  onOpenTicket = openByAddress,
}: {
  thread: Thread;
  agent: SessionAgent;
  agents: AgentEntry[];
  onChanged: () => void;
  onOpenTicket?: (ticketId: string) => void;
}) {
  const { t } = useI18n();
  const { ticket } = thread;
  const allowed = new Set(ticket.allowedActions);
  const canReply = allowed.has('reply');
  const [quoted, setQuoted] = useState<Message | null>(null);
  const [panelOpen, setPanelOpen] = useState(savedPanelOpen);
  const [phonePanel, setPhonePanel] = useState(false);
  const phone = useIsPhone();
  // CustomerPanel's own element id.
  const panelId = `customer-panel-${ticket.id}`;

  function togglePanel() {
    if (phone) return setPhonePanel((open) => !open);
    setPanelOpen((open) => {
      try {
        localStorage.setItem(PANEL_KEY, open ? 'closed' : 'open');
      } catch {
        // private mode: remembered for this page only
      }
      return !open;
    });
  }

  return (
    <div
      className={`thread-layout${panelOpen ? ' panel-open' : ' panel-closed'}${phonePanel ? ' phone-panel' : ''}`}
    >
      <section className="thread" aria-label={`${t.ticket} #${ticket.number}`}>
        <ThreadHeader
          thread={thread}
          agent={agent}
          agents={agents}
          onChanged={onChanged}
          panel={{ open: phone ? phonePanel : panelOpen, controls: panelId, onToggle: togglePanel }}
        />
        <Timeline
          thread={thread}
          agents={agents}
          canReply={canReply}
          onQuote={setQuoted}
          onChanged={onChanged}
          onOpenTicket={onOpenTicket}
        />
        <Composer
          thread={thread}
          agent={agent}
          canReply={canReply}
          quoted={quoted}
          onClearQuote={() => setQuoted(null)}
          onSent={() => {
            setQuoted(null);
            onChanged();
          }}
        />
      </section>
      {/* The panel is its own <aside id={panelId}> (the header's toggle controls it). */}
      <div className="thread-side">
        <button type="button" className="side-back" onClick={togglePanel}>
          {t.backToConversation}
        </button>
        <CustomerPanel thread={thread} agent={agent} onOpenTicket={onOpenTicket} onChanged={onChanged} />
      </div>
    </div>
  );
}

function openByAddress(ticketId: string): void {
  window.location.hash = `ticket=${encodeURIComponent(ticketId)}`;
}
