/**
 * `agents:password EMAIL` of the admin CLI (src/cli.ts): sets an agent's password, read from standard
 * input (never from the command line, where `ps` and shell history would keep it), and ends every
 * session of that agent. On a terminal the password is asked for twice without echo; otherwise the
 * first line of standard input is the password, e.g. `printf '%s\n' "$PW" | … agents:password EMAIL`.
 */
import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { AppError } from './errors';
import type { Deps } from './context';
import { findAgentByEmail } from './store/agents';
import { setAgentPassword } from './use-cases/agents/set-password';

/**
 * Runs `agents:password`.
 * @param args the arguments after the command: the agent's email.
 * @param input where the password is read (standard input).
 * @returns the line to print.
 * @throws AppError validation_failed (no email, a password on the command line, a weak or empty
 *   password naming `password`), not_found (no agent with that email).
 */
export async function runAgentsPassword(
  args: string[],
  db: Deps['db'],
  input: NodeJS.ReadStream = process.stdin,
): Promise<string> {
  if (args.some((arg) => arg === '--password' || arg.startsWith('--password='))) {
    throw new AppError(
      'validation_failed',
      'password: agents:password reads the new password from standard input, not from the command line',
    );
  }
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const [email, ...extra] = positionals;
  if (!email || extra.length > 0) {
    throw new AppError('validation_failed', 'email: agents:password needs exactly one EMAIL');
  }
  const agent = await findAgentByEmail(db, email.trim().toLowerCase());
  if (!agent) throw new AppError('not_found', `email: no agent with ${email}`);

  const password = input.isTTY ? await askTwice(input) : await firstLine(input);
  if (!password) throw new AppError('validation_failed', 'password: standard input gave no password');
  const ended = await setAgentPassword(db, agent.id, password);
  return `password of ${agent.email} changed; ${ended} session${ended === 1 ? '' : 's'} ended`;
}

/** The first line of a non-terminal input, without its line ending. */
async function firstLine(input: NodeJS.ReadableStream): Promise<string> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  try {
    for await (const line of lines) return line;
    return '';
  } finally {
    lines.close();
  }
}

/** Asks on the terminal twice, echoing nothing. @throws AppError when the two differ. */
async function askTwice(input: NodeJS.ReadStream): Promise<string> {
  let muted = false;
  const output = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      if (!muted) process.stderr.write(chunk);
      callback();
    },
  });
  const terminal = createInterface({ input, output, terminal: true });
  const ask = (prompt: string) =>
    new Promise<string>((resolve) => {
      process.stderr.write(prompt);
      muted = true;
      terminal.question('', (answer) => {
        muted = false;
        process.stderr.write('\n');
        resolve(answer);
      });
    });
  try {
    const first = await ask('new password: ');
    const second = await ask('again: ');
    if (first !== second) throw new AppError('validation_failed', 'password: the two entries differ');
    return first;
  } finally {
    terminal.close();
  }
}
