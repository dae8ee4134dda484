/**
 * Admin page: the agents. Each shows availability, a dot when a console of theirs is open now,
 * open or pending tickets against capacity, and teams; an admin adds agents (with an initial
 * password that follows the strength rule), edits name, email, role and capacity, deactivates
 * (after a confirmation: sessions end, open tickets go back to the queue) and reactivates them,
 * and sets a new password. Capacity accepts Arabic-Indic digits. Data: GET /api/agents (admins
 * get AgentOverview entries) and GET /api/teams.
 */
import { useEffect, useState, type FormEvent } from 'react';
import type { AgentOverview } from '@whatsapp-helpdesk/contract/api';
import { api, ApiError, type SessionAgent } from '../api';
import type { Team } from '../channel-types';
import { useI18n } from '../i18n';
import { errorText } from '../shell/error-text';
import { formatNumber } from '../thread/format';
import { parseCapacity } from './agent-fields';
import { AdminNotices } from './parts/AdminNotices';
import { AgentProfileFields, type AgentProfileDraft } from './parts/AgentProfileFields';
import { LoadedList } from './parts/LoadedList';
import './agents-teams.css';

/** @param agent the signed-in admin (they cannot deactivate or demote themselves: the API refuses). */
export function Agents({ agent }: { agent: SessionAgent }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [agents, setAgents] = useState<AgentOverview[] | null>(null);
  const [teams, setTeams] = useState<Team[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  function describe(caught: unknown): string {
    if (caught instanceof ApiError && caught.status === 409 && caught.message.startsWith('email:')) {
      return t.agentEmailTaken;
    }
    return errorText(caught, i18n);
  }

  async function reload() {
    try {
      const [list, teamList] = await Promise.all([api.agents(), api.teams()]);
      setAgents(list.items.filter((item): item is AgentOverview => 'email' in item));
      setTeams(teamList);
    } catch (caught) {
      setError(describe(caught));
      setAgents([]);
    }
  }

  useEffect(() => {
    void reload();
    // Loaded when the page opens; every change reloads.
  }, []);

  const report = {
    error: (caught: unknown) => {
      setNotice(null);
      setError(describe(caught));
    },
    problem: (message: string) => {
      setNotice(null);
      setError(message);
    },
    done: async (message?: string) => {
      setError(null);
      setNotice(message ?? null);
      await reload();
    },
  };

  return (
    <div className="agents-page" data-testid="agents-page">
      <AdminNotices hint={t.agentsPageHint} agent={agent} error={error} notice={notice} />
      <NewAgentForm report={report} />
      <LoadedList items={agents} empty={t.agentsEmpty}>
        {(list) => (
          <ul className="agents-list">
            {list.map((entry) => (
              <AgentRow
                key={entry.id}
                entry={entry}
                self={entry.id === agent.id}
                teams={teams}
                report={report}
              />
            ))}
          </ul>
        )}
      </LoadedList>
    </div>
  );
}

interface Report {
  error: (caught: unknown) => void;
  problem: (message: string) => void;
  done: (message?: string) => Promise<void>;
}

/** The new agent form's fields when empty: an agent of 5 tickets. */
const NEW_AGENT: AgentProfileDraft = { name: '', email: '', role: 'agent', capacity: '5' };

function NewAgentForm({ report }: { report: Report }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<AgentProfileDraft>(NEW_AGENT);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const { name, email, role } = draft;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim() || !email.trim()) return report.problem(t.agentFieldsRequired);
    const parsed = parseCapacity(draft.capacity);
    if (parsed === null) return report.problem(t.agentCapacityInvalid);
    setBusy(true);
    try {
      await api.createAgent({ name: name.trim(), email: email.trim(), role, capacity: parsed, password });
      setDraft(NEW_AGENT);
      setPassword('');
      await report.done();
    } catch (caught) {
      report.error(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="agent-new" onSubmit={submit} data-testid="agent-new">
      <h3>{t.agentAdd}</h3>
      <AgentProfileFields
        prefix="agent"
        draft={draft}
        onChange={(key, value) => setDraft((current) => ({ ...current, [key]: value }))}
      />
      <label>
        {t.agentInitialPassword}
        <input
          name="agent-password"
          type="password"
          autoComplete="new-password"
          dir="ltr"
          value={password}
          aria-describedby="agent-password-rule"
          onChange={(e) => setPassword(e.target.value)}
        />
        <small id="agent-password-rule" className="muted">
          {t.passwordRule}
        </small>
      </label>
      <button type="submit" className="primary" disabled={busy}>
        {t.agentAdd}
      </button>
    </form>
  );
}

function AgentRow({
  entry,
  self,
  teams,
  report,
}: {
  entry: AgentOverview;
  self: boolean;
  teams: Team[];
  report: Report;
}) {
  const i18n = useI18n();
  const { t, label, language } = i18n;
  const [mode, setMode] = useState<'view' | 'edit' | 'password' | 'deactivate'>('view');
  const stored = (): AgentProfileDraft => ({
    name: entry.name,
    email: entry.email,
    role: entry.role,
    capacity: formatNumber(language, entry.capacity),
  });
  const [draft, setDraft] = useState<AgentProfileDraft>(stored);
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const { name, email, role, capacity } = draft;

  useEffect(() => {
    setDraft(stored());
    // `stored` reads exactly these values.
  }, [entry.name, entry.email, entry.role, entry.capacity, language]);

  async function run(action: () => Promise<unknown>, message?: string) {
    setBusy(true);
    try {
      await action();
      setMode('view');
      setPassword('');
      await report.done(message);
    } catch (caught) {
      report.error(caught);
    } finally {
      setBusy(false);
    }
  }

  function save(event: FormEvent) {
    event.preventDefault();
    const parsed = parseCapacity(capacity);
    if (parsed === null) return report.problem(t.agentCapacityInvalid);
    if (!name.trim() || !email.trim()) return report.problem(t.agentFieldsRequired);
    const changes = {
      ...(name.trim() !== entry.name ? { name: name.trim() } : {}),
      ...(email.trim().toLowerCase() !== entry.email ? { email: email.trim() } : {}),
      ...(role !== entry.role ? { role } : {}),
      ...(parsed !== entry.capacity ? { capacity: parsed } : {}),
    };
    if (Object.keys(changes).length === 0) return setMode('view');
    void run(() => api.updateAgent(entry.id, changes), t.agentSaved);
  }

  const teamNames = teams.filter((team) => entry.teamIds.includes(team.id)).map((team) => team.name);
  const load = t.agentLoadOf
    .replace('{open}', formatNumber(language, entry.openTickets))
    .replace('{capacity}', formatNumber(language, entry.capacity));

  return (
    <li
      className={`agent-row${entry.active ? '' : ' inactive'}`}
      data-agent-id={entry.id}
      data-agent-email={entry.email}
    >
      <div className="agent-summary">
        <span
          className={`live-dot${entry.consoleLive ? ' live' : ''}`}
          role="img"
          aria-label={entry.consoleLive ? t.agentLive : t.agentNotLive}
          title={entry.consoleLive ? t.agentLive : t.agentNotLive}
        />
        <strong>
          <bdi>{entry.name}</bdi>
        </strong>
        <bdi className="muted" dir="ltr">
          {entry.email}
        </bdi>
        <span className="agent-chip">{entry.role === 'admin' ? t.roleAdmin : t.roleAgent}</span>
        <span className={`agent-chip availability-${entry.availability}`}>{label(entry.availability)}</span>
        {!entry.active && <span className="agent-chip danger-chip">{t.agentDeactivated}</span>}
        <span className="agent-load" data-testid="agent-load" title={t.agentLoad}>
          {t.agentLoad}: {load}
        </span>
        <span className="agent-teams" title={t.agentTeams}>
          {teamNames.map((teamName) => (
            <bdi key={teamName} className="agent-chip">
              {teamName}
            </bdi>
          ))}
        </span>
      </div>
      <div className="agent-actions">
        <button
          type="button"
          data-action="edit-agent"
          disabled={busy}
          onClick={() => setMode(mode === 'edit' ? 'view' : 'edit')}
        >
          {t.agentEdit}
        </button>
        <button
          type="button"
          data-action="reset-password"
          disabled={busy}
          onClick={() => setMode(mode === 'password' ? 'view' : 'password')}
        >
          {t.agentResetPassword}
        </button>
        {entry.active ? (
          !self && (
            <button
              type="button"
              data-action="deactivate-agent"
              disabled={busy}
              onClick={() => setMode('deactivate')}
            >
              {t.agentDeactivate}
            </button>
          )
        ) : (
          <button
            type="button"
            data-action="reactivate-agent"
            disabled={busy}
            onClick={() => void run(() => api.updateAgent(entry.id, { active: true }))}
          >
            {t.agentReactivate}
          </button>
        )}
      </div>
      {mode === 'edit' && (
        <form className="agent-edit" onSubmit={save}>
          <AgentProfileFields
            prefix="edit"
            draft={draft}
            roleLocked={self}
            onChange={(key, value) => setDraft((current) => ({ ...current, [key]: value }))}
          />
          <button type="submit" className="primary" disabled={busy}>
            {t.save}
          </button>
          <button type="button" disabled={busy} onClick={() => setMode('view')}>
            {t.cancel}
          </button>
        </form>
      )}
      {mode === 'password' && (
        <form
          className="agent-edit"
          onSubmit={(event) => {
            event.preventDefault();
            void run(() => api.resetAgentPassword(entry.id, password), t.agentPasswordSet);
          }}
        >
          <label>
            {t.agentNewPassword}
            <input
              name="reset-password"
              type="password"
              autoComplete="new-password"
              dir="ltr"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
            <small className="muted">{t.passwordRule}</small>
          </label>
          <button type="submit" className="primary" disabled={busy || !password}>
            {t.agentResetPassword}
          </button>
          <button type="button" disabled={busy} onClick={() => setMode('view')}>
            {t.cancel}
          </button>
        </form>
      )}
      {mode === 'deactivate' && (
        <p className="agent-confirm" role="group">
          <span>{t.agentDeactivateConfirm.replace('{name}', entry.name)}</span>
          <button
            type="button"
            className="danger"
            data-action="confirm-deactivate"
            disabled={busy}
            onClick={() => void run(() => api.updateAgent(entry.id, { active: false }))}
          >
            {t.agentDeactivate}
          </button>
          <button type="button" disabled={busy} onClick={() => setMode('view')}>
            {t.cancel}
          </button>
        </p>
      )}
    </li>
  );
}
