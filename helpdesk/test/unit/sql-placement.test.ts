/**
 * `npm run check:sql` (scripts/check-sql-placement.mjs) fails on SQL outside the data-access
 * folders. Each case builds a small tree with the repository's layout in a temporary directory and
 * runs the script on it with `--root`; nothing is written under src/.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

const SCRIPT = fileURLToPath(new URL('../../../scripts/check-sql-placement.mjs', import.meta.url));

/** SQL where it belongs, and SQL words where they are not SQL (a comment, lower-case prose). */
const CLEAN_TREE: Record<string, string> = {
  'helpdesk/src/store/tickets.ts': `export const OPEN = 'SELECT id FROM tickets WHERE status = $1';\n`,
  'helpdesk/src/store/database-health.ts': `export const PROBE = \`SELECT 1\`;\n`,
  'helpdesk/src/config.ts': `/** The database probe (\`SELECT 1\`). */\nexport const HINT = 'select an agent, then update the ticket';\n`,
  // Generated code is not ours to move.
  'helpdesk/src/generated/prisma/client.ts': `export const RAW = 'DELETE FROM agents';\n`,
};

/** Runs the check on the clean tree plus `extra` files; returns its exit status and output. */
function check(extra: Record<string, string>): { status: number | null; output: string } {
  const root = mkdtempSync(join(tmpdir(), 'sql-placement-'));
  try {
    for (const [path, text] of Object.entries({ ...CLEAN_TREE, ...extra })) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    const result = spawnSync(process.execPath, [SCRIPT, '--root', root], { encoding: 'utf8' });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe('SQL placement (scripts/check-sql-placement.mjs)', () => {
  it('when SQL sits only in the data-access folders, then the check passes', () => {
    const result = check({});
    assert.equal(result.status, 0, result.output);
  });

  it('when an HTTP route holds a query, then the check fails naming the file and line', () => {
    const result = check({
      'helpdesk/src/http/routes/bad.ts': `export const route = 1;\nexport const QUERY = "SELECT id FROM agents";\n`,
    });
    assert.equal(result.status, 1, result.output);
    assert.match(result.output, /sql-placement/);
    assert.match(result.output, /helpdesk\/src\/http\/routes\/bad\.ts:2 {2}"SELECT id FROM agents"/);
  });

  it('when an infrastructure module or the realtime publisher holds a query, then the check fails', () => {
    const result = check({
      'helpdesk/src/infra/health.ts': `export const PROBE = \`SELECT 1\`;\n`,
      'helpdesk/src/realtime/publish.ts': `export const LOOKUP = 'SELECT number FROM tickets WHERE id = $1';\n`,
    });
    assert.equal(result.status, 1, result.output);
    assert.match(result.output, /helpdesk\/src\/infra\/health\.ts:1/);
    assert.match(result.output, /helpdesk\/src\/realtime\/publish\.ts:1/);
  });

  it('when a job builds an UPDATE in a template, then the check fails', () => {
    const result = check({
      'helpdesk/src/jobs/bad.ts':
        'export const update = (table: string) => `UPDATE ${table} SET seen = true`;\n',
    });
    assert.equal(result.status, 1, result.output);
    assert.match(result.output, /helpdesk\/src\/jobs\/bad\.ts:1/);
  });

  it('when the sidecar holds an INSERT, then the check fails', () => {
    const result = check({
      'wpp-sidecar/src/outbox/bad.ts': `export const SAVE = 'INSERT INTO outbox (body) VALUES ($1)';\n`,
    });
    assert.equal(result.status, 1, result.output);
    assert.match(result.output, /wpp-sidecar\/src\/outbox\/bad\.ts:1/);
  });
});
