/**
 * `npm run helpdesk:cli -- --help` and `<command> --help` answer for every command, with exit code
 * 0, even where no database is reachable (an operator asking how to run a command on a broken
 * deployment must get the answer, not a connection error); a command that needs the database and
 * cannot reach it says so in one line naming DATABASE_URL, not with a driver's stack.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { COMMAND_HELP } from '../../src/cli-help';
import { programArguments } from '../support/programs';

const HELPDESK_DIR = fileURLToPath(new URL('../../', import.meta.url));
/** A PostgreSQL URL nothing answers at: the help must not need it. */
const NOWHERE = 'postgresql://helpdesk:secret@127.0.0.1:9/helpdesk';

function cli(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [...programArguments('src/cli.ts'), ...args],
      {
        cwd: HELPDESK_DIR,
        env: { ...process.env, DATABASE_URL: NOWHERE },
        encoding: 'utf8',
        timeout: 60_000,
      },
      (error, stdout, stderr) =>
        resolve({ status: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('helpdesk:cli --help', () => {
  it('when asked for help, then every command is listed and it exits 0 without a database', async () => {
    for (const args of [['--help'], ['-h'], ['help']]) {
      const answer = await cli(...args);
      assert.equal(answer.status, 0, answer.stderr);
      for (const command of Object.keys(COMMAND_HELP))
        assert.match(answer.stdout, new RegExp(`\\b${command}\\b`));
    }
  });

  it('when a command is asked for its help, then its synopsis and what it does are printed', async () => {
    for (const [command, help] of Object.entries(COMMAND_HELP)) {
      const answer = await cli(command, '--help');
      assert.equal(answer.status, 0, `${command}: ${answer.stderr}`);
      assert.ok(answer.stdout.includes(help.synopsis), `${command} prints its synopsis`);
      assert.ok(answer.stdout.includes(help.description.slice(0, 30)), `${command} says what it does`);
    }
  });

  it('when a command needs the database and nothing answers at DATABASE_URL, then one line says so', async () => {
    // Through Prisma (agents:list) and through node-postgres (tickets:list): the same line.
    for (const command of ['agents:list', 'tickets:list']) {
      const answer = await cli(command);
      assert.equal(answer.status, 1, command);
      assert.equal(
        answer.stderr.trim(),
        `DATABASE_URL: PostgreSQL does not answer at postgresql://helpdesk:***@127.0.0.1:9/helpdesk ` +
          `(${command === 'agents:list' ? 'P1001' : 'ECONNREFUSED'}): start PostgreSQL or set DATABASE_URL to where it runs`,
        `${command}: one line, the password hidden`,
      );
    }
  });

  it('when a command is unknown, then it still fails with the list of commands', async () => {
    const answer = await cli('agents:remove');
    assert.notEqual(answer.status, 0);
    assert.match(answer.stderr, /unknown command "agents:remove"/);
    assert.match(answer.stderr, /agents:add/);
  });
});
