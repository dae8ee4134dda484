/**
 * The admin CLI's help: `helpdesk:cli -- --help` lists every command, `helpdesk:cli -- <command>
 * --help` explains one. Answered before any connection is made, so it works with the database or
 * Redis down and under Compose (`docker compose exec helpdesk-api npm run helpdesk:cli -- --help`).
 */

/** A command's synopsis and what it does (English, as the rest of the CLI). */
interface CommandHelp {
  synopsis: string;
  description: string;
}

export const COMMAND_HELP: Readonly<Record<string, CommandHelp>> = {
  'agents:add': {
    synopsis: 'agents:add --name NAME --email EMAIL --password PW --capacity N [--role agent|admin]',
    description:
      'Adds an agent (or an admin with --role admin). N is the most open or pending tickets they hold at once; ' +
      'they start offline. Prefer the console or POST /api/agents: a password on the command line stays in the shell history.',
  },
  'agents:availability': {
    synopsis: 'agents:availability EMAIL online|away|offline',
    description: 'Sets an agent online (waiting tickets are assigned to them at once), away or offline.',
  },
  'agents:list': {
    synopsis: 'agents:list [--json]',
    description:
      'Lists agents: email, role, availability, open tickets/capacity (one JSON array with --json).',
  },
  'agents:password': {
    synopsis: 'agents:password EMAIL',
    description:
      "Sets an agent's password, read from standard input (e.g. printf '%s\\n' \"$NEW\" | …), and ends their sessions.",
  },
  'agents:update': {
    synopsis:
      'agents:update EMAIL [--capacity N] [--role agent|admin] [--active true|false] [--name NAME] [--json]',
    description:
      'Changes an agent: capacity (0–1000; Arabic-Indic digits accepted; more capacity assigns waiting tickets at once), ' +
      'role, active (false ends their sessions and returns their open tickets to the queue), name. ' +
      'Exits 1 naming an unknown email.',
  },
  'teams:add': {
    synopsis: 'teams:add NAME [--categories a,b] [--json]',
    description:
      'Adds a team with no members. --categories: ticket categories (bot menu option ids) whose waiting tickets go to the ' +
      "team's members; their response-time targets are computed again at once by the workers (through REDIS_URL " +
      'and QUEUE_PREFIX; a warning, and within 20 s, when Redis does not answer). Exits 1 when the name is taken or a ' +
      'category is unknown.',
  },
  'teams:members': {
    synopsis: 'teams:members NAME [--add EMAIL …] [--remove EMAIL …] [--json]',
    description:
      'Adds and removes members of a team (each --add/--remove takes one email; repeat them), then prints the members. ' +
      'Exits 1 naming an unknown team or email.',
  },
  'teams:list': {
    synopsis: 'teams:list [--json]',
    description: 'Lists teams: name, categories, members by email (one JSON array with --json).',
  },
  'tickets:list': {
    synopsis: 'tickets:list [--json] [--status open,pending,resolved,closed] [--limit N]',
    description:
      'Lists tickets, oldest first, with their status, category and assignee (one JSON array with --json, ' +
      'each ticket with its customer and messages). Written as it is read, so a year of tickets needs ' +
      'no more memory than a few hundred.',
  },
  'jobs:failed': {
    synopsis: 'jobs:failed [--json] [--queue inbound|outbound|scheduled]',
    description:
      'Lists dead letters: jobs that failed for good (queue, id, name, attempts, failed at, event id, reason). ' +
      'They are kept until re-driven.',
  },
  'jobs:retry': {
    synopsis: 'jobs:retry ID... | --all [--queue inbound|outbound|scheduled] [--json]',
    description: 'Re-drives dead letters: the named jobs, or all of them (of one queue with --queue).',
  },
};

/** The whole help: every command's synopsis. */
export function usage(): string {
  const lines = Object.values(COMMAND_HELP).map(({ synopsis }) => `  ${synopsis}`);
  return ['usage: npm run helpdesk:cli -- <command> [options]   (<command> --help for one)', ...lines].join(
    '\n',
  );
}

/**
 * The help asked for by `argv`, if any: `--help`/`-h`/`help` alone, or after a known command.
 * @returns the text to print, or null when `argv` does not ask for help.
 */
export function helpFor(argv: readonly string[]): string | null {
  const asked = argv.some((argument) => argument === '--help' || argument === '-h');
  const [command] = argv;
  if (command === 'help' || (asked && (!command || command.startsWith('-')))) return usage();
  if (!asked || !command) return null;
  const help = COMMAND_HELP[command];
  if (!help) return null;
  return `usage: npm run helpdesk:cli -- ${help.synopsis}\n\n${help.description}`;
}
