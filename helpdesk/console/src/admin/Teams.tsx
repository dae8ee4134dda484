/**
 * Admin page: teams. An admin adds a team, renames it, ticks its members and the ticket
 * categories routed to it, and deletes it (after a confirmation). Each team shows which WhatsApp
 * numbers route to it (a channel's team is chosen on the numbers page). Waiting tickets of a
 * team go to its least-loaded member with free capacity. Data: GET /api/teams, /api/agents,
 * /api/ticket-categories, /api/channels.
 */
import { useEffect, useState } from 'react';
import type { AgentDirectoryEntry, TeamCreateBody, TicketCategory } from '@whatsapp-helpdesk/contract/api';
import { api, ApiError, type SessionAgent } from '../api';
import type { ChannelView, Team } from '../channel-types';
import { useI18n } from '../i18n';
import { errorText } from '../shell/error-text';
import { useChannels } from '../useChannels';
import { AdminNotices } from './parts/AdminNotices';
import { ConfirmDelete } from './parts/ConfirmDelete';
import { LoadedList } from './parts/LoadedList';
import { useBusyAction } from './parts/useBusyAction';
import { useDraftForm } from './parts/useDraftForm';
import './agents-teams.css';

/** @param agent the signed-in agent (the page is for admins; the API refuses others). */
export function Teams({ agent }: { agent: SessionAgent }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [teams, setTeams] = useState<Team[] | null>(null);
  const [agents, setAgents] = useState<AgentDirectoryEntry[]>([]);
  const [categories, setCategories] = useState<TicketCategory[]>([]);
  const [channels, setChannels] = useState<ChannelView[]>([]);
  const [error, setError] = useState<string | null>(null);
  // The workspace's copy of the teams (transfer list, numbers page) is read again after a change.
  const source = useChannels();

  function describe(caught: unknown): string {
    return caught instanceof ApiError && caught.status === 409 ? t.teamNameTaken : errorText(caught, i18n);
  }

  async function reload() {
    try {
      const [teamList, agentList, categoryList, channelList] = await Promise.all([
        api.teams(),
        api.agents(),
        api.ticketCategories(),
        api.channels(),
      ]);
      setTeams(teamList);
      void source.reload();
      setAgents(agentList.items);
      setCategories(categoryList.items);
      setChannels(channelList);
    } catch (caught) {
      setError(describe(caught));
      setTeams((current) => current ?? []);
    }
  }

  useEffect(() => {
    void reload();
    // Loaded when the page opens; every change reloads.
  }, []);

  const adding = useDraftForm<{ name: string }, TeamCreateBody>({
    initial: { name: '' },
    read: ({ name }) => (name.trim() ? { body: { name: name.trim() } } : { problem: t.teamNameRequired }),
    onSubmit: async (body) => {
      await api.createTeam(body);
      await reload();
    },
    describe,
    onError: setError,
    resetAfter: true,
  });

  return (
    <div className="teams-page" data-testid="teams-page">
      <AdminNotices hint={t.teamsPageHint} agent={agent} error={error} />
      <form className="team-new" onSubmit={adding.submit}>
        <input
          name="team-name"
          dir="auto"
          maxLength={80}
          value={adding.draft.name}
          placeholder={t.teamName}
          aria-label={t.teamName}
          onChange={(event) => adding.set('name', event.target.value)}
        />
        <button type="submit" className="primary" disabled={adding.busy}>
          {t.teamAdd}
        </button>
      </form>
      <LoadedList items={teams} empty={t.teamsEmpty}>
        {(list) => (
          <ul className="teams-list">
            {list.map((team) => (
              <TeamCard
                key={team.id}
                team={team}
                agents={agents}
                categories={categories}
                channels={channels.filter((channel) => channel.teamId === team.id)}
                onChanged={reload}
                onError={(caught) => setError(describe(caught))}
              />
            ))}
          </ul>
        )}
      </LoadedList>
    </div>
  );
}

/** One team: name, member and category checkboxes (saved together), its numbers, delete. */
function TeamCard({
  team,
  agents,
  categories,
  channels,
  onChanged,
  onError,
}: {
  team: Team;
  agents: AgentDirectoryEntry[];
  categories: TicketCategory[];
  channels: ChannelView[];
  onChanged: () => Promise<void>;
  onError: (caught: unknown) => void;
}) {
  const { t, language } = useI18n();
  const [name, setName] = useState(team.name);
  const [members, setMembers] = useState<string[]>(team.memberIds);
  const [chosen, setChosen] = useState<string[]>(team.categories);
  const { busy, run } = useBusyAction(onChanged, onError);
  // Reset the drafts only when the stored team changes, not whenever the list is read again (a
  // reload returns equal values in new objects and would wipe ticks not yet saved).
  const stored = JSON.stringify([team.name, team.memberIds, team.categories]);
  useEffect(() => {
    setName(team.name);
    setMembers(team.memberIds);
    setChosen(team.categories);
    // `stored` stands for the team's values.
  }, [stored]);

  const sameSet = (a: readonly string[], b: readonly string[]) =>
    a.length === b.length && a.every((item) => b.includes(item));
  const changes = {
    ...(name.trim() !== team.name ? { name: name.trim() } : {}),
    ...(!sameSet(members, team.memberIds) ? { memberIds: members } : {}),
    ...(!sameSet(chosen, team.categories) ? { categories: chosen } : {}),
  };
  const dirty = Object.keys(changes).length > 0 && name.trim() !== '';
  const toggle = (list: string[], id: string, on: boolean) =>
    on ? [...list.filter((item) => item !== id), id] : list.filter((item) => item !== id);

  return (
    <li className="team-card" data-team-id={team.id}>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          if (dirty) void run(() => api.updateTeam(team.id, changes));
        }}
      >
        <input
          name="team-name"
          dir="auto"
          maxLength={80}
          value={name}
          aria-label={t.teamName}
          onChange={(event) => setName(event.target.value)}
        />
        <fieldset>
          <legend>{t.teamMembers}</legend>
          {agents
            .filter((candidate) => candidate.active || members.includes(candidate.id))
            .map((candidate) => (
              <label key={candidate.id} className="check">
                <input
                  type="checkbox"
                  name="team-member"
                  value={candidate.id}
                  checked={members.includes(candidate.id)}
                  onChange={(event) => setMembers(toggle(members, candidate.id, event.target.checked))}
                />
                <bdi>{candidate.name}</bdi>
              </label>
            ))}
        </fieldset>
        <fieldset>
          <legend>{t.teamCategories}</legend>
          {categories.map((category) => (
            <label key={category.id} className="check">
              <input
                type="checkbox"
                name="team-category"
                value={category.id}
                checked={chosen.includes(category.id)}
                onChange={(event) => setChosen(toggle(chosen, category.id, event.target.checked))}
              />
              {language === 'ar' ? category.ar : category.en}
            </label>
          ))}
        </fieldset>
        <p className="team-channels">
          <span>{t.teamChannels}: </span>
          {channels.length === 0 ? (
            <span className="muted">{t.teamNoChannels}</span>
          ) : (
            channels.map((channel) => (
              <bdi key={channel.id} className="agent-chip">
                {channel.name}
              </bdi>
            ))
          )}
        </p>
        <div className="team-actions">
          <button type="submit" className="primary" disabled={!dirty || busy}>
            {t.save}
          </button>
          <ConfirmDelete
            label={t.teamDelete}
            question={t.teamDeleteConfirm.replace('{name}', team.name)}
            busy={busy}
            className="agent-confirm"
            action="delete-team"
            onConfirm={() => run(() => api.deleteTeam(team.id))}
          />
        </div>
      </form>
    </li>
  );
}
