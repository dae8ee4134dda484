/**
 * The top of an open ticket: the customer (name, phone), the WhatsApp channel, the status (and
 * "until …" when snoozed), the assignee and times, the category and labels, and what the agent may
 * do (the server lists it in `allowedActions`): status changes, snooze, claim, transfer. Closing asks
 * first. Editing labels and the category happens in the customer panel.
 */
import { useRef, useState } from 'react';
import { STATUS_ACTIONS, STATUS_OF_ACTION, type StatusAction } from '@whatsapp-helpdesk/contract/api';
import { api, type AgentEntry, type SessionAgent, type Thread } from '../api';
import { useI18n } from '../i18n';
import { errorText } from '../shell/error-text';
import { useChannels } from '../useChannels';
import { ConfirmDialog } from './ConfirmDialog';
import { formatMoment, formatNumber } from './format';
import { SnoozePicker } from './SnoozePicker';

/** The words of each status button. */
const STATUS_ACTION_LABEL = {
  reopen: 'setOpen',
  pend: 'setPending',
  resolve: 'setResolved',
  close: 'setClosed',
} as const satisfies Record<StatusAction, string>;

/**
 * @param onChanged reload after an action.
 * @param panel the customer panel's toggle: whether it shows, and the id of the element it controls.
 */
export function ThreadHeader({
  thread,
  agent,
  agents,
  onChanged,
  panel,
}: {
  thread: Thread;
  agent: SessionAgent;
  agents: AgentEntry[];
  onChanged: () => void;
  panel: { open: boolean; controls: string; onToggle: () => void };
}) {
  const i18n = useI18n();
  const channels = useChannels();
  const { t, label, language } = i18n;
  const { ticket, customer } = thread;
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [transferTo, setTransferTo] = useState('');
  // Teams are transfer targets too (option value `team:<id>`), from the workspace's channel source.
  const { teams } = channels;
  const [snoozing, setSnoozing] = useState(false);
  const snoozeButton = useRef<HTMLButtonElement>(null);
  const [confirmClose, setConfirmClose] = useState(false);
  // What this agent may do comes with the ticket (the server applies the ticket rules).
  const allowed = new Set(ticket.allowedActions);
  const statusActions = STATUS_ACTIONS.filter((action) => allowed.has(action));
  const number = formatNumber(language, ticket.number);
  const minutes = (seconds: number) => `${formatNumber(language, Math.round(seconds / 60))} ${t.minutes}`;

  async function run(action: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setError(null);
    try {
      await action();
      onChanged();
      return true;
    } catch (caught) {
      setError(errorText(caught, i18n));
      return false;
    } finally {
      setBusy(false);
    }
  }

  return (
    <header className="thread-head">
      <div className="thread-who">
        <h2>
          <bdi className="customer-name">{customer.name ?? customer.phone ?? customer.lid}</bdi>{' '}
          <small className="ticket-number">#{number}</small>
        </h2>
        <p className="muted">
          {customer.phone && (
            <>
              <a className="phone" href={`tel:${customer.phone}`} dir="ltr">
                {customer.phone}
              </a>
              {' · '}
            </>
          )}
          <span className="channel" title={t.channel}>
            {t.channel}: <bdi>{channels.nameOf(ticket.channel)}</bdi>
          </span>
          {' · '}
          {t.assignee}: <bdi>{ticket.assignee?.name ?? t.nobody}</bdi>
          {ticket.firstResponseSeconds !== null && (
            <>
              {' · '}
              {t.firstResponse}: {minutes(ticket.firstResponseSeconds)}
            </>
          )}
          {ticket.resolutionSeconds !== null && (
            <>
              {' · '}
              {t.resolution}: {minutes(ticket.resolutionSeconds)}
            </>
          )}
        </p>
        <p className="ticket-tags">
          <span className="category" data-testid="ticket-category">
            {t.category}: <bdi>{ticket.category ? label(ticket.category) : t.noCategory}</bdi>
          </span>
          {(ticket.labels ?? []).map((item) => (
            <span
              key={item.id}
              className="label-chip"
              data-label-id={item.id}
              style={{ ['--label-color' as string]: item.color }}
            >
              <bdi>{item.name}</bdi>
            </span>
          ))}
          {customer.tags.map((tag) => (
            <span key={tag} className="tag">
              <bdi>{tag}</bdi>
            </span>
          ))}
        </p>
      </div>
      <div className="actions">
        <span className={`badge status-${ticket.status}`} data-testid="ticket-status">
          {label(ticket.status)}
        </span>
        {ticket.csat && (
          <span
            className={`badge csat csat-${ticket.csat.score <= 2 ? 'low' : 'ok'}`}
            data-testid="ticket-csat"
            title={ticket.csat.comment ?? t.csatTitle}
          >
            {t.csatBadge.replace('{score}', formatNumber(language, ticket.csat.score))}
          </span>
        )}
        {ticket.status === 'pending' && ticket.snoozedUntil && (
          <span className="snoozed-until" data-testid="snoozed-until">
            {t.snoozedUntil}{' '}
            <time dateTime={ticket.snoozedUntil}>{formatMoment(language, ticket.snoozedUntil)}</time>
          </span>
        )}
        {statusActions.map((action) => {
          const status = STATUS_OF_ACTION[action];
          return (
            <button
              key={action}
              type="button"
              disabled={busy}
              data-status={status}
              data-action={action}
              className={action === 'resolve' ? 'primary' : action === 'close' ? 'danger-outline' : ''}
              onClick={() =>
                action === 'close' ? setConfirmClose(true) : void run(() => api.setStatus(ticket.id, status))
              }
            >
              {t[STATUS_ACTION_LABEL[action]]}
            </button>
          );
        })}
        {allowed.has('snooze') && (
          <span className="snooze">
            <button
              ref={snoozeButton}
              type="button"
              data-action="snooze"
              disabled={busy}
              aria-expanded={snoozing}
              aria-haspopup="dialog"
              onClick={() => setSnoozing((open) => !open)}
            >
              {t.snooze}
            </button>
            {snoozing && (
              <SnoozePicker
                busy={busy}
                onClose={() => {
                  setSnoozing(false);
                  snoozeButton.current?.focus();
                }}
                onSnooze={(until) =>
                  void run(() => api.snooze(ticket.id, until)).then((done) => done && setSnoozing(false))
                }
              />
            )}
          </span>
        )}
        {allowed.has('claim') && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void run(() => api.transfer(ticket.id, agent.id))}
          >
            {t.claim}
          </button>
        )}
        {allowed.has('transfer') && (
          <span className="transfer">
            <select
              name="transfer"
              aria-label={t.transferTo}
              value={transferTo}
              onChange={(event) => setTransferTo(event.target.value)}
            >
              <option value="">{t.transferTo}</option>
              {ticket.assignee && <option value="queue">{t.toQueue}</option>}
              <optgroup label={t.transferAgents}>
                {agents
                  .filter((candidate) => candidate.active && candidate.id !== ticket.assignee?.id)
                  .map((candidate) => (
                    <option key={candidate.id} value={candidate.id}>
                      {candidate.name} ({label(candidate.availability)})
                    </option>
                  ))}
              </optgroup>
              {teams.length > 0 && (
                <optgroup label={t.transferTeams}>
                  {teams.map((team) => (
                    <option key={team.id} value={`team:${team.id}`}>
                      {team.name}
                    </option>
                  ))}
                </optgroup>
              )}
            </select>
            <button
              type="button"
              disabled={busy || !transferTo}
              onClick={() =>
                void run(async () => {
                  if (transferTo.startsWith('team:')) {
                    await api.transferToTeam(ticket.id, transferTo.slice('team:'.length));
                  } else {
                    await api.transfer(ticket.id, transferTo === 'queue' ? null : transferTo);
                  }
                  setTransferTo('');
                })
              }
            >
              {t.transfer}
            </button>
          </span>
        )}
        <button
          type="button"
          className="panel-toggle"
          aria-expanded={panel.open}
          aria-controls={panel.controls}
          onClick={panel.onToggle}
        >
          {panel.open ? t.hideCustomerPanel : t.showCustomerPanel}
        </button>
      </div>
      {error && (
        <p className="error thread-error" role="alert">
          {error}
        </p>
      )}
      {confirmClose && (
        <ConfirmDialog
          title={t.closeTicketTitle.replace('{number}', number)}
          message={t.closeTicketMessage}
          confirmLabel={t.setClosed}
          danger
          busy={busy}
          onCancel={() => setConfirmClose(false)}
          onConfirm={() =>
            void run(() => api.setStatus(ticket.id, 'closed')).then(() => setConfirmClose(false))
          }
        />
      )}
    </header>
  );
}
