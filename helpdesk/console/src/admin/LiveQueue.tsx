/**
 * Admin page: the live queue, a wallboard a team lead can leave open (`GET /api/queue`). The
 * tickets waiting for an agent, longest waiting first, with a wait clock that ticks every second
 * and the response-time target; the agents with availability, whether a console of theirs is
 * open, open tickets against capacity and the time since their last reply; the WhatsApp numbers'
 * connection state. It is read again (at most once per 300 ms) on the console's realtime events
 * that change it (message.created, ticket.assigned, ticket.status, agent.availability,
 * channel.state, resync), and every 30 s for what has no event (a console closed). Large type,
 * Arabic-Indic digits in Arabic, right to left.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type {
  LiveQueue as Queue,
  QueueAgent,
  QueueChannel,
  QueueTicket,
} from '@whatsapp-helpdesk/contract/api';
import type { SessionAgent } from '../api';
import { api } from '../api';
import { useI18n, type I18n } from '../i18n';
import { slaCountdown } from '../inbox/sla-text';
import { useNow } from '../inbox/useNow';
import { errorText } from '../shell/error-text';
import { useCoalesced } from '../shell/useCoalesced';
import { useStreamEvents } from '../useEventStream';
import './live-queue.css';

/**
 * The realtime events after which the queue is read again (`ticket.updated`: a ticket got its
 * response-time due times, its category changed or its target was breached).
 */
const REFRESH_ON = new Set([
  'message.created',
  'ticket.assigned',
  'ticket.status',
  'ticket.updated',
  'agent.availability',
  'channel.state',
  'resync',
]);
/** Events arriving together (a burst of messages) cause one read. */
const DEBOUNCE_MS = 300;
/** A read now and then for what has no event (a console closed, a snooze ended). */
const POLL_MS = 30_000;

const LOCALE = { ar: 'ar-EG', en: 'en-GB' } as const;

/** A duration as a clock, `m:ss` under an hour, else `h:mm:ss`, in the language's digits. */
export function formatClock(ms: number, language: I18n['language']): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const two = new Intl.NumberFormat(LOCALE[language], { minimumIntegerDigits: 2, useGrouping: false });
  const one = new Intl.NumberFormat(LOCALE[language], { useGrouping: false });
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  return h > 0 ? `${one.format(h)}:${two.format(m)}:${two.format(s)}` : `${one.format(m)}:${two.format(s)}`;
}

/** @param agent the signed-in agent (the page is for admins; the API refuses others). */
export function LiveQueue({ agent: _agent }: { agent: SessionAgent }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [queue, setQueue] = useState<Queue | null>(null);
  const [error, setError] = useState<string | null>(null);
  // The server's clock minus ours: wait times count on the server's clock.
  const [skewMs, setSkewMs] = useState(0);
  const now = useNow(1000) + skewMs;
  const latest = useRef(0);

  const load = useCallback(async () => {
    const call = ++latest.current;
    try {
      const answer = await api.liveQueue();
      if (call !== latest.current) return; // an older read answering late
      setQueue(answer);
      setSkewMs(Date.parse(answer.at) - Date.now());
      setError(null);
    } catch (failure) {
      if (call === latest.current) setError(errorText(failure, i18n));
    }
  }, [i18n]);

  const schedule = useCoalesced(() => void load(), DEBOUNCE_MS);

  useEffect(() => {
    void load();
    const poll = setInterval(() => void load(), POLL_MS);
    return () => clearInterval(poll);
  }, [load]);

  useStreamEvents((event) => {
    if (REFRESH_ON.has(event.type)) schedule();
  });

  return (
    <div className="live-queue" data-testid="live-queue">
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {queue && (
        <>
          <WaitingTickets tickets={queue.waiting} now={now} i18n={i18n} />
          <div className="live-queue-columns">
            <Agents agents={queue.agents} now={now} i18n={i18n} />
            <Numbers channels={queue.channels} i18n={i18n} />
          </div>
          <p className="muted live-queue-updated">
            {t.queueUpdatedAt.replace('{time}', i18n.formatTime(queue.at))}
          </p>
        </>
      )}
      {!queue && !error && <p className="muted">{t.loading}</p>}
    </div>
  );
}

function WaitingTickets({ tickets, now, i18n }: { tickets: QueueTicket[]; now: number; i18n: I18n }) {
  const { t, language, label } = i18n;
  return (
    <section className="live-queue-waiting" aria-labelledby="live-queue-waiting">
      <h3 id="live-queue-waiting">
        {t.queueWaiting} <span className="live-queue-count">{formatCountIn(tickets.length, language)}</span>
      </h3>
      {tickets.length === 0 ? (
        <p className="live-queue-empty">{t.queueNobodyWaiting}</p>
      ) : (
        <table className="live-queue-table">
          <thead>
            <tr>
              <th scope="col">{t.queueWaitedFor}</th>
              <th scope="col">{t.queueTicket}</th>
              <th scope="col">{t.queueCustomer}</th>
              <th scope="col">{t.queueChannel}</th>
              <th scope="col">{t.category}</th>
              <th scope="col">{t.queueTarget}</th>
            </tr>
          </thead>
          <tbody>
            {tickets.map((ticket) => {
              const sla = ticket.sla ? slaCountdown(ticket.sla, now, language) : null;
              return (
                <tr
                  key={ticket.id}
                  data-ticket-number={ticket.number}
                  className={sla ? `sla-${sla.state}` : ''}
                >
                  <td className="live-queue-clock">
                    <bdi dir="ltr">{formatClock(now - Date.parse(ticket.waitingSince), language)}</bdi>
                  </td>
                  <td>
                    <bdi dir="ltr">#{formatCountIn(ticket.number, language)}</bdi>
                  </td>
                  <td>
                    <bdi>{ticket.customer.name ?? ticket.customer.phone ?? '—'}</bdi>
                  </td>
                  <td>
                    <bdi>{ticket.channel.name ?? ticket.channel.key}</bdi>
                  </td>
                  <td>{ticket.category ? label(ticket.category) : '—'}</td>
                  <td data-sla-state={sla?.state}>
                    {sla
                      ? `${sla.state === 'breached' ? t.slaBreached : sla.state === 'at_risk' ? t.slaAtRisk : ''} ${
                          sla.time ? (sla.overdue ? t.slaOverdue : t.slaLeft).replace('{time}', sla.time) : ''
                        }`.trim()
                      : '—'}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Agents({ agents, now, i18n }: { agents: QueueAgent[]; now: number; i18n: I18n }) {
  const { t, language, label } = i18n;
  return (
    <section className="live-queue-agents" aria-labelledby="live-queue-agents">
      <h3 id="live-queue-agents">{t.queueAgents}</h3>
      <ul>
        {agents.map((entry) => {
          const full = entry.openTickets >= entry.capacity;
          return (
            <li
              key={entry.id}
              data-agent-id={entry.id}
              data-availability={entry.availability}
              className={`live-queue-agent availability-${entry.availability}`}
            >
              <span className="live-queue-agent-name">
                <span className="live-queue-dot" aria-hidden="true" />
                <bdi>{entry.name}</bdi>
              </span>
              <span className="live-queue-availability">
                {label(entry.availability)} · {entry.consoleOpen ? t.queueConsoleOpen : t.queueConsoleClosed}
              </span>
              <span className={`live-queue-load${full ? ' full' : ''}`} title={t.queueLoad} dir="ltr">
                {formatCountIn(entry.openTickets, language)} / {formatCountIn(entry.capacity, language)}
              </span>
              <span className="live-queue-reply">
                {t.queueLastReply}:{' '}
                {entry.lastReplyAt
                  ? t.queueAgo.replace('{time}', formatClock(now - Date.parse(entry.lastReplyAt), language))
                  : t.queueNoReply}
              </span>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Numbers({ channels, i18n }: { channels: QueueChannel[]; i18n: I18n }) {
  const { t } = i18n;
  return (
    <section className="live-queue-numbers" aria-labelledby="live-queue-numbers">
      <h3 id="live-queue-numbers">{t.queueNumbers}</h3>
      <ul>
        {channels.map((channel) => (
          <li
            key={channel.id}
            data-channel-state={channel.state}
            className={`channel-state-${channel.state}`}
          >
            <bdi>{channel.name}</bdi>
            {channel.phone && (
              <bdi className="muted" dir="ltr">
                {channel.phone}
              </bdi>
            )}
            <span className="live-queue-state">
              {(t as Record<string, string>)[`channelState_${channel.state}`] ?? channel.state}
            </span>
          </li>
        ))}
      </ul>
    </section>
  );
}

function formatCountIn(value: number, language: I18n['language']): string {
  return new Intl.NumberFormat(LOCALE[language], { useGrouping: false }).format(value);
}
