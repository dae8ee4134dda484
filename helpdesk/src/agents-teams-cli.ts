/**
 * The admin CLI's agent and team commands (src/cli.ts):
 *   agents:update EMAIL [--capacity N] [--role agent|admin] [--active true|false] [--name NAME] [--json]
 *   teams:add NAME [--categories a,b] [--json]
 *   teams:members NAME [--add EMAIL …] [--remove EMAIL …] [--json]
 *   teams:list [--json]
 * They run the same use cases as the API (so a capacity raised here assigns waiting tickets at
 * once, and a team added with categories has the workers compute its tickets' due times again at
 * once, through the queues of REDIS_URL and QUEUE_PREFIX). Errors are AppErrors naming the field or the unknown email or team; the CLI prints them and
 * exits 1. Numbers may be typed with Arabic-Indic digits.
 */
import { parseArgs } from 'node:util';
import type { Deps, ScriptDeps } from './context';
import { loadBotSettings } from './context';
import type { Config } from './config';
import { AGENT_ROLES, type AgentRole } from './domain/agents';
import { toAsciiDigits } from './domain/menu-choice';
import { AppError } from './errors';
import { createLogger } from './infra/logger';
import { redisUnreachable } from './infra/redis';
import { findAgentByEmail, listAgentsWithLoad } from './store/agents';
import type { TeamView } from './store/teams';
import { ACTIVE_STATUSES } from './domain/ticket-rules';
import { openQueues } from './jobs/jobs-cli';
import { updateAgent } from './use-cases/agents/update-agent';
import { retimeActiveTickets } from './use-cases/sla/retime-active-tickets';
import { createTeam } from './use-cases/teams/create-team';
import { listTeams } from './use-cases/teams/list-teams';
import { updateTeam } from './use-cases/teams/update-team';

/** The commands this file answers. */
export const AGENTS_TEAMS_COMMANDS = ['agents:update', 'teams:add', 'teams:members', 'teams:list'];

/**
 * Runs one of AGENTS_TEAMS_COMMANDS.
 * @param args the arguments after the command.
 * @returns the text to print (JSON with --json).
 * @throws AppError validation_failed naming the option, not_found naming the email or team,
 *   conflict (a taken team name, an admin's own demotion); parseArgs errors for unknown options.
 */
export async function runAgentsTeamsCommand(
  command: string,
  args: string[],
  scriptDeps: ScriptDeps,
): Promise<string> {
  // Log lines go to standard error, so that --json output stays parseable.
  const log = createLogger(process.env.LOG_LEVEL || 'warn', 'helpdesk-cli', process.stderr);
  const deps = { ...scriptDeps, log, bot: cliBotSettings() };
  switch (command) {
    case 'agents:update':
      return agentsUpdate(args, deps);
    case 'teams:add':
      return teamsAdd(args, deps);
    case 'teams:members':
      return teamsMembers(args, deps);
    default:
      return teamsList(args, deps);
  }
}

type CliDeps = ScriptDeps & Pick<Deps, 'log' | 'bot'>;

async function agentsUpdate(args: string[], deps: CliDeps): Promise<string> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      capacity: { type: 'string' },
      role: { type: 'string' },
      active: { type: 'string' },
      name: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const [email, extra] = positionals;
  if (!email) throw new AppError('validation_failed', 'email: agents:update needs the EMAIL of an agent');
  if (extra !== undefined)
    throw new AppError('validation_failed', `agents:update takes one EMAIL, not also "${extra}"`);
  const changes: { capacity?: number; role?: AgentRole; active?: boolean; name?: string } = {};
  if (values.capacity !== undefined) {
    const capacity = toAsciiDigits(values.capacity.trim());
    if (!/^\d+$/.test(capacity) || Number(capacity) > 1000) {
      throw new AppError(
        'validation_failed',
        `--capacity: must be a whole number 0–1000, not "${values.capacity}"`,
      );
    }
    changes.capacity = Number(capacity);
  }
  if (values.role !== undefined) {
    if (!AGENT_ROLES.includes(values.role as AgentRole)) {
      throw new AppError(
        'validation_failed',
        `--role: must be ${AGENT_ROLES.join(' or ')}, not "${values.role}"`,
      );
    }
    changes.role = values.role as AgentRole;
  }
  if (values.active !== undefined) {
    if (values.active !== 'true' && values.active !== 'false') {
      throw new AppError('validation_failed', `--active: must be true or false, not "${values.active}"`);
    }
    changes.active = values.active === 'true';
  }
  if (values.name !== undefined) {
    if (!values.name.trim()) throw new AppError('validation_failed', '--name: must not be empty');
    changes.name = values.name.trim();
  }
  if (Object.keys(changes).length === 0) {
    throw new AppError(
      'validation_failed',
      'agents:update needs at least one of --capacity, --role, --active, --name',
    );
  }
  const agent = await agentByEmail(deps, email);
  const updated = await updateAgent(deps, null, agent.id, changes);
  return values.json
    ? JSON.stringify(updated, null, 2)
    : `updated ${updated.email}: ${updated.role}, capacity ${updated.capacity}, ${updated.active ? 'active' : 'deactivated'}, ${updated.openTickets} open`;
}

async function teamsAdd(args: string[], deps: CliDeps): Promise<string> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { categories: { type: 'string' }, json: { type: 'boolean' } },
  });
  const name = positionals.join(' ').trim();
  if (!name) throw new AppError('validation_failed', 'name: teams:add needs the team NAME');
  if (name.length > 80) throw new AppError('validation_failed', 'name: must be at most 80 characters');
  const categories = (values.categories ?? '')
    .split(',')
    .map((category) => category.trim())
    .filter(Boolean);
  const team = await createTeam(deps, { name, categories });
  // Its categories may hand active tickets to another response-time target (as the API does).
  if (team.categories.length > 0) await requestRetiming(deps);
  return values.json ? JSON.stringify(await teamJson(deps, team), null, 2) : `added team ${team.name}`;
}

async function teamsMembers(args: string[], deps: CliDeps): Promise<string> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      add: { type: 'string', multiple: true },
      remove: { type: 'string', multiple: true },
      json: { type: 'boolean' },
    },
  });
  const name = positionals.join(' ').trim();
  if (!name) throw new AppError('validation_failed', 'name: teams:members needs the team NAME');
  const team = await teamByName(deps, name);
  const add = await Promise.all((values.add ?? []).map((email) => agentByEmail(deps, email)));
  const remove = await Promise.all((values.remove ?? []).map((email) => agentByEmail(deps, email)));
  let updated = team;
  if (add.length || remove.length) {
    const removed = new Set(remove.map((agent) => agent.id));
    const memberIds = [...team.memberIds, ...add.map((agent) => agent.id)].filter((id) => !removed.has(id));
    updated = await updateTeam(deps, team.id, { memberIds });
  }
  const json = await teamJson(deps, updated);
  return values.json
    ? JSON.stringify(json, null, 2)
    : `${json.name}: ${json.members.join(', ') || '(no members)'}`;
}

async function teamsList(args: string[], deps: CliDeps): Promise<string> {
  const { values } = parseArgs({ args, options: { json: { type: 'boolean' } } });
  const teams = await Promise.all((await listTeams(deps)).map((team) => teamJson(deps, team)));
  if (values.json) return JSON.stringify(teams, null, 2);
  if (teams.length === 0) return '(no teams)';
  return teams
    .map((team) => `${team.name}\t${team.categories.join(',') || '-'}\t${team.members.join(', ') || '-'}`)
    .join('\n');
}

/** A team as the CLI prints it: members by email. */
async function teamJson(
  deps: CliDeps,
  team: TeamView,
): Promise<{ id: string; name: string; categories: string[]; members: string[] }> {
  const agents = await listAgentsWithLoad(deps.db, ACTIVE_STATUSES);
  const emails = new Map(agents.map((agent) => [agent.id, agent.email]));
  return {
    id: team.id,
    name: team.name,
    categories: team.categories,
    members: team.memberIds.map((id) => emails.get(id) ?? id).sort(),
  };
}

async function agentByEmail(deps: CliDeps, email: string) {
  const agent = await findAgentByEmail(deps.db, email.trim().toLowerCase());
  if (!agent) throw new AppError('not_found', `email: no agent with email ${email}`);
  return agent;
}

async function teamByName(deps: CliDeps, name: string): Promise<TeamView> {
  const teams = await listTeams(deps);
  const team =
    teams.find((candidate) => candidate.name === name) ??
    teams.find((candidate) => candidate.name.localeCompare(name, undefined, { sensitivity: 'base' }) === 0);
  if (!team) throw new AppError('not_found', `team: no team named "${name}"`);
  return team;
}

/**
 * Asks the workers for an sla-check run now through the helpdesk's queues (REDIS_URL,
 * QUEUE_PREFIX), as the API does after the same change: the workers hold the business hours and
 * tell the consoles. Never throws nor waits long: the team is saved, and should Redis not answer
 * within REDIS_CHECK_MS a warning says the repeated sla-check applies it within 20 s.
 */
async function requestRetiming(deps: CliDeps): Promise<void> {
  const warn = (reason: unknown) =>
    deps.log.warn(
      { reason: reason instanceof Error ? reason.message : String(reason) },
      'sla: immediate check not requested (Redis); the repeated check applies it within 20 s',
    );
  // A producer connection to a Redis that is down would make BullMQ wait for it without end.
  let queues: ReturnType<typeof openQueues>;
  try {
    const unreachable = await redisUnreachable(process.env.REDIS_URL || DEFAULT_REDIS_URL, REDIS_CHECK_MS);
    if (unreachable) return warn(unreachable);
    queues = openQueues(process.env);
  } catch (error) {
    return warn(error);
  }
  try {
    await retimeActiveTickets({ queues, log: deps.log });
  } finally {
    await queues.close();
  }
}

/** How long the CLI waits for Redis to answer before leaving the retiming to the sweep, ms. */
const REDIS_CHECK_MS = 2000;
/** REDIS_URL's default, as config.ts has it. */
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

/** The bot texts the categories come from (BOT_TEXTS_FILE, or the defaults), as the API loads them. */
function cliBotSettings(): Deps['bot'] {
  return loadBotSettings({
    bot: {
      textsFile: process.env.BOT_TEXTS_FILE || undefined,
      language: 'ar',
      menuMaxAttempts: 3,
      welcomeAfterSilenceMs: 0,
      csatEnabled: false,
    },
  } as unknown as Config);
}
