/**
 * Admin page: the audit log (`GET /api/audit`): who did what — sign-ins and failed ones with the
 * email, password changes, agent, WhatsApp number and team changes with before and after, API keys,
 * outgoing webhooks, response-time targets and auto-replies, and ticket assignment, transfer,
 * status and category — newest first. Filters: who (an agent), the
 * action, and a period of local dates; "more" reads the next page. Times are shown in the
 * console's language (Arabic-Indic digits in Arabic), right to left.
 */
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { AUDIT_ACTIONS, type AuditEntry } from '@whatsapp-helpdesk/contract/api';
import { api, type AgentEntry, type SessionAgent } from '../api';
import { useI18n, type I18n } from '../i18n';
import { errorText } from '../shell/error-text';
import './audit-log.css';

const LOCALE = { ar: 'ar-EG', en: 'en-GB' } as const;
const PAGE_SIZE = 50;

interface Filters {
  actor: string;
  action: string;
  /** `YYYY-MM-DD` local dates ('' for open). */
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { actor: '', action: '', from: '', to: '' };

/** The API query of the filters: `to` is exclusive, so the day after the last date. */
export function auditQuery(filters: Filters, cursor: string | null): URLSearchParams {
  const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
  if (filters.actor) query.set('actor', filters.actor);
  if (filters.action) query.set('action', filters.action);
  if (filters.from) query.set('from', new Date(`${filters.from}T00:00:00`).toISOString());
  if (filters.to) {
    const last = new Date(`${filters.to}T00:00:00`);
    query.set('to', new Date(last.getFullYear(), last.getMonth(), last.getDate() + 1).toISOString());
  }
  if (cursor) query.set('cursor', cursor);
  return query;
}

/** An action's words (`audit_<action with _ for .>`), or the action itself when unknown. */
function actionWords(action: string, t: I18n['t']): string {
  return (t as Record<string, string>)[`audit_${action.replaceAll('.', '_')}`] ?? action;
}

/** @param agent the signed-in agent (the page is for admins; the API refuses others). */
export function AuditLog({ agent: _agent }: { agent: SessionAgent }) {
  const i18n = useI18n();
  const { t, language } = i18n;
  const [agents, setAgents] = useState<AgentEntry[]>([]);
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [entries, setEntries] = useState<AuditEntry[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const names = useMemo(() => new Map(agents.map((entry) => [entry.id, entry.name])), [agents]);
  const when = useMemo(
    () => new Intl.DateTimeFormat(LOCALE[language], { dateStyle: 'medium', timeStyle: 'medium' }),
    [language],
  );

  useEffect(() => {
    api
      .agents()
      .then((list) => setAgents(list.items))
      .catch(() => setAgents([]));
  }, []);

  const load = useCallback(
    async (next: string | null) => {
      setBusy(true);
      try {
        const page = await api.audit(auditQuery(filters, next));
        setEntries((previous) => (next && previous ? [...previous, ...page.items] : page.items));
        setCursor(page.nextCursor);
        setError(null);
      } catch (failure) {
        setError(errorText(failure, i18n));
      } finally {
        setBusy(false);
      }
    },
    [filters, i18n],
  );

  useEffect(() => {
    void load(null);
  }, [load]);

  function apply(event: FormEvent) {
    event.preventDefault();
    setFilters(draft);
  }

  return (
    <div className="audit-log">
      <form className="audit-filters" onSubmit={apply}>
        <label>
          {t.auditActor}
          <select value={draft.actor} onChange={(event) => setDraft({ ...draft, actor: event.target.value })}>
            <option value="">{t.auditEveryone}</option>
            {agents.map((entry) => (
              <option key={entry.id} value={entry.id}>
                {entry.name}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.auditAction}
          <select
            value={draft.action}
            onChange={(event) => setDraft({ ...draft, action: event.target.value })}
          >
            <option value="">{t.auditAllActions}</option>
            {AUDIT_ACTIONS.map((action) => (
              <option key={action} value={action}>
                {actionWords(action, t)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t.auditFrom}
          <input
            type="date"
            value={draft.from}
            onChange={(event) => setDraft({ ...draft, from: event.target.value })}
          />
        </label>
        <label>
          {t.auditTo}
          <input
            type="date"
            value={draft.to}
            onChange={(event) => setDraft({ ...draft, to: event.target.value })}
          />
        </label>
        <button type="submit" disabled={busy}>
          {t.auditApply}
        </button>
      </form>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {entries && entries.length === 0 && <p className="muted">{t.auditNothing}</p>}
      {entries && entries.length > 0 && (
        <table className="audit-table">
          <thead>
            <tr>
              <th scope="col">{t.auditWhen}</th>
              <th scope="col">{t.auditActor}</th>
              <th scope="col">{t.auditAction}</th>
              <th scope="col">{t.auditSubject}</th>
              <th scope="col">{t.auditDetails}</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id} data-action={entry.action}>
                <td>
                  <time dateTime={entry.at}>{when.format(new Date(entry.at))}</time>
                </td>
                <td>
                  {entry.actor ? (
                    <bdi>{entry.actor.name ?? t.auditDeleted}</bdi>
                  ) : (
                    <span className="muted">{t.auditNobody}</span>
                  )}
                </td>
                <td>{actionWords(entry.action, t)}</td>
                <td>
                  <bdi>{subjectText(entry, i18n)}</bdi>
                </td>
                <td className="audit-details">{detailsText(entry, i18n, names)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <button type="button" disabled={busy} onClick={() => void load(cursor)}>
          {t.loadMore}
        </button>
      )}
    </div>
  );
}

function subjectText(entry: AuditEntry, { t, language }: I18n): string {
  if (entry.subject.type === 'ticket' && entry.subject.number !== null) {
    return t.auditTicket.replace(
      '{number}',
      new Intl.NumberFormat(LOCALE[language]).format(entry.subject.number),
    );
  }
  if (entry.subject.name !== null) return entry.subject.name;
  // Gone since: the name the entry recorded, marked deleted.
  const recorded = entry.data.name;
  if (typeof recorded === 'string' && recorded) return `${recorded} (${t.auditDeleted})`;
  return entry.subject.id ? t.auditDeleted : '—';
}

/** The details as one line: changes as "field: before → after", other facts as "key: value". */
export function detailsText(entry: AuditEntry, i18n: I18n, names: ReadonlyMap<string, string>): string {
  const { t, label } = i18n;
  const words = t as Record<string, string>;
  const field = (key: string) => words[`auditField_${key}`] ?? label(key);
  const show = (value: unknown): string => {
    if (value === null || value === undefined || value === '') return '—';
    if (typeof value === 'string') return names.get(value) ?? words[`auditValue_${value}`] ?? label(value);
    if (typeof value === 'boolean') return words[`auditValue_${String(value)}`] ?? String(value);
    if (Array.isArray(value))
      return value.length ? value.map(show).join(i18n.language === 'ar' ? '، ' : ', ') : '—';
    if (typeof value === 'object') return JSON.stringify(value);
    return typeof value === 'number'
      ? new Intl.NumberFormat(LOCALE[i18n.language]).format(value)
      : String(value);
  };
  const parts: string[] = [];
  for (const [key, value] of Object.entries(entry.data)) {
    if (key === 'changes' && value && typeof value === 'object') {
      for (const [name, change] of Object.entries(value as Record<string, unknown>)) {
        const { before, after } =
          change && typeof change === 'object' && 'after' in change
            ? (change as { before: unknown; after: unknown })
            : { before: undefined, after: change };
        parts.push(
          before === undefined
            ? `${field(name)}: ${show(after)}`
            : t.auditChange
                .replace('{field}', field(name))
                .replace('{before}', show(before))
                .replace('{after}', show(after)),
        );
      }
    } else {
      parts.push(`${field(key)}: ${show(value)}`);
    }
  }
  return parts.join(' · ');
}
