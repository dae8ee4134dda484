/**
 * The admin CLI's commands (src/cli.ts loads this module once the arguments ask for more than help):
 *   agents:add --name NAME --email EMAIL --password PW --capacity N [--role agent|admin]
 *   agents:availability EMAIL online|away|offline
 *   agents:list --json
 *   agents:password EMAIL   (the new password on standard input; ends the agent's sessions)
 *   agents:update EMAIL [--capacity N] [--role agent|admin] [--active true|false] [--name NAME]
 *   teams:add NAME [--categories a,b] | teams:members NAME [--add EMAIL…] [--remove EMAIL…] | teams:list
 *   tickets:list [--json] [--status open,pending] [--limit N]   (streamed a page at a time)
 *   jobs:failed [--json] [--queue inbound|outbound|scheduled]      (the dead-letter list, jobs/jobs-cli.ts)
 *   jobs:retry ID... | --all [--queue inbound|outbound|scheduled]  (re-drives dead letters)
 * Prints JSON (with --json) or a short line; exits 1 with a clear message on bad arguments.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { TICKET_STATUSES, type TicketStatus } from '@whatsapp-helpdesk/contract/api';
import { databaseUrlProblem, DEFAULT_DATABASE_URL, loadDotEnv, redactedUrl } from './config';
import type { ScriptDeps } from './context';
import { AVAILABILITIES, type AgentAvailability } from './domain/agents';
import { toAsciiDigits } from './domain/menu-choice';
import { AppError } from './errors';
import { createDatabase, createPool } from './store/database';
import { silentRealtimePublisher } from './realtime/publish';
import { addAgent } from './use-cases/agents/create-agent';
import { listAgents } from './use-cases/agents/list-agents';
import { setAvailability } from './use-cases/agents/set-availability';
import { ticketReportPages, type TicketReport } from './use-cases/reports/list-ticket-reports';
import { runAgentsPassword } from './agents-password-cli';
import { AGENTS_TEAMS_COMMANDS, runAgentsTeamsCommand } from './agents-teams-cli';
import { usage } from './cli-help';
import { infrastructureErrorKind } from './jobs/infrastructure-retry';
import { JOBS_COMMANDS, runJobsCommand } from './jobs/jobs-cli';

const USAGE = usage();

class UsageError extends Error {}

/** A JSON array written a page at a time (a year of tickets never sits in memory whole). */
async function* jsonArrayOf(pages: AsyncIterable<TicketReport[]>): AsyncGenerator<string> {
  let first = true;
  yield '[';
  for await (const page of pages) {
    for (const ticket of page) {
      yield `${first ? '\n' : ',\n'}${JSON.stringify(ticket, null, 2)}`;
      first = false;
    }
  }
  yield first ? ']' : '\n]';
}

/** One line per ticket: number, status, category, assignee. */
async function* linesOf(pages: AsyncIterable<TicketReport[]>): AsyncGenerator<string> {
  let first = true;
  for await (const page of pages) {
    for (const t of page) {
      yield `${first ? '' : '\n'}#${t.number}\t${t.status}\t${t.category ?? '-'}\t${t.assignee ?? 'waiting'}`;
      first = false;
    }
  }
}

/**
 * Writes `chunks` to standard output at its reader's pace, then a new line. When the reader goes
 * away first (EPIPE: `tickets:list | head`), it stops quietly, reading nothing more, as Unix tools do.
 */
async function writeAll(chunks: AsyncIterable<string>): Promise<void> {
  try {
    await pipeline(Readable.from(chunks), process.stdout, { end: false });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') return;
    throw error;
  }
  process.stdout.write('\n');
}

async function run(argv: string[], deps: ScriptDeps): Promise<string | AsyncIterable<string>> {
  const { db, pool } = deps;
  const [command, ...rest] = argv;
  if (command && JOBS_COMMANDS.includes(command)) return runJobsCommand(command, rest);
  if (command && AGENTS_TEAMS_COMMANDS.includes(command)) return runAgentsTeamsCommand(command, rest, deps);
  switch (command) {
    case 'agents:add': {
      const { values } = parseArgs({
        args: rest,
        options: {
          name: { type: 'string' },
          email: { type: 'string' },
          password: { type: 'string' },
          capacity: { type: 'string' },
          role: { type: 'string' },
          json: { type: 'boolean' },
        },
      });
      for (const name of ['name', 'email', 'password', 'capacity'] as const) {
        if (values[name] === undefined) throw new UsageError(`agents:add needs --${name}`);
      }
      if (!/^\d+$/.test(values.capacity!)) throw new UsageError('--capacity must be a whole number');
      const agent = await addAgent(db, {
        name: values.name!,
        email: values.email!,
        password: values.password!,
        capacity: Number(values.capacity),
        role: (values.role ?? 'agent') as 'agent',
      });
      return values.json
        ? JSON.stringify(agent)
        : `added ${agent.role} ${agent.email} (capacity ${agent.capacity})`;
    }
    case 'agents:availability': {
      const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
      const [email, availability] = positionals;
      if (!email || !availability)
        throw new UsageError('agents:availability needs EMAIL and online|away|offline');
      if (!AVAILABILITIES.includes(availability as AgentAvailability)) {
        throw new UsageError(
          `availability must be one of ${AVAILABILITIES.join(', ')}, not "${availability}"`,
        );
      }
      const assigned = await setAvailability(pool, email, availability as AgentAvailability);
      await deps.realtime.publishAssignments(assigned);
      return `${email} is ${availability}${assigned.length ? `; ${assigned.length} waiting tickets assigned` : ''}`;
    }
    case 'agents:password':
      return runAgentsPassword(rest, db);
    case 'agents:list': {
      const { values } = parseArgs({ args: rest, options: { json: { type: 'boolean' } } });
      const agents = await listAgents(db);
      return values.json
        ? JSON.stringify(agents, null, 2)
        : agents
            .map((a) => `${a.email}\t${a.role}\t${a.availability}\t${a.openTickets}/${a.capacity}`)
            .join('\n');
    }
    case 'tickets:list': {
      const { values } = parseArgs({
        args: rest,
        options: { json: { type: 'boolean' }, status: { type: 'string' }, limit: { type: 'string' } },
      });
      const statuses = values.status?.split(',').map((status) => status.trim());
      const unknown = statuses?.filter((status) => !(TICKET_STATUSES as readonly string[]).includes(status));
      if (unknown?.length) {
        throw new UsageError(`--status: ${unknown.join(', ')} is no status (${TICKET_STATUSES.join(', ')})`);
      }
      const limit = values.limit === undefined ? undefined : toAsciiDigits(values.limit);
      if (limit !== undefined && !/^[1-9]\d*$/.test(limit))
        throw new UsageError('--limit must be a whole number above 0');
      const pages = ticketReportPages(pool, {
        ...(statuses ? { statuses: statuses as TicketStatus[] } : {}),
        ...(limit ? { limit: Number(limit) } : {}),
      });
      return values.json ? jsonArrayOf(pages) : linesOf(pages);
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : 'no command given');
  }
}

/** The CLI's dependencies: two database connections at most, nothing published. */
function createScriptDeps(databaseUrl: string): ScriptDeps {
  const pool = createPool(databaseUrl, 2);
  const db = createDatabase(pool);
  return {
    db,
    pool,
    realtime: silentRealtimePublisher,
    async close() {
      await db.$disconnect();
      await pool.end();
    },
  };
}

/**
 * Explains a PostgreSQL that does not answer at DATABASE_URL, as the jobs classify it
 * (infrastructure-retry.ts: node-postgres's connect errors naming the database's port, Prisma's
 * P1001 and its kin). @returns one line naming DATABASE_URL (password hidden), or null.
 */
function databaseUnreachableProblem(error: unknown, databaseUrl: string): string | null {
  let port = 5432;
  try {
    port = Number(new URL(databaseUrl).port || 5432);
  } catch {
    // A URL that does not parse keeps PostgreSQL's default port.
  }
  if (infrastructureErrorKind(error, port) !== 'database-unreachable') return null;
  const { code, message } = error as { code?: unknown; message?: string };
  return (
    `DATABASE_URL: PostgreSQL does not answer at ${redactedUrl(databaseUrl)} (${typeof code === 'string' ? code : message}): ` +
    'start PostgreSQL or set DATABASE_URL to where it runs'
  );
}

/**
 * Runs one command of the admin CLI (not `--help`: src/cli.ts answers that without this module).
 * @param argv the arguments after the program, e.g. `['agents:list', '--json']`.
 * Sets `process.exitCode` to 1 on a usage error, an invalid DATABASE_URL or a failed command.
 */
export async function runCommandLine(argv: string[]): Promise<void> {
  loadDotEnv();
  // The CLI needs only the database, not the provider's secrets.
  const databaseUrl = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  if (!/^postgres(ql)?:\/\//.test(databaseUrl)) {
    console.error('DATABASE_URL must be a postgresql:// URL');
    process.exitCode = 1;
    return;
  }
  const deps = createScriptDeps(databaseUrl);
  try {
    const output = await run(argv, deps);
    if (typeof output === 'string') console.log(output);
    else await writeAll(output);
  } catch (error) {
    if (error instanceof UsageError) {
      console.error(`error: ${error.message}\n${USAGE}`);
    } else if (error instanceof AppError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`error: ${(error as Error).message}`);
    } else {
      // A database that is wrong or down is one line an operator can act on, not a stack.
      console.error(databaseUrlProblem(error) ?? databaseUnreachableProblem(error, databaseUrl) ?? error);
    }
    process.exitCode = 1;
  } finally {
    await deps.close();
  }
}
