/**
 * The database's encoding at migration time (`npm run migrate`, scripts/migrate.mjs): a database
 * it creates is UTF8, and an existing SQL_ASCII one (Debian's initdb in a C locale) stops the
 * migrations with one line naming DATABASE_URL and the fix, instead of Prisma's "conversion
 * between UTF8 and SQL_ASCII is not supported" halfway through the migrations.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { after, describe, it } from 'node:test';
import pg from 'pg';
import { SERVER_URL, databaseUrl } from '../support/database';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

async function onServer<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVER_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function migrate(url: string) {
  return spawnSync(process.execPath, ['scripts/migrate.mjs'], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 120_000,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', DATABASE_URL: url },
  });
}

describe('migrations and the database encoding', () => {
  const names: string[] = [];
  const fresh = () => {
    const name = `helpdesk_encoding_${randomBytes(5).toString('hex')}`;
    names.push(name);
    return name;
  };
  after(() =>
    onServer(async (client) => {
      for (const name of names) await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }),
  );

  it('when the database does not exist, then it is created in UTF8 and migrated', async () => {
    const name = fresh();
    const result = migrate(databaseUrl(name));
    assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
    const { rows } = await onServer((client) =>
      client.query<{ encoding: string }>(
        'SELECT pg_encoding_to_char(encoding) AS encoding FROM pg_database WHERE datname = $1',
        [name],
      ),
    );
    assert.equal(rows[0]?.encoding, 'UTF8');
  });

  it('when the database is SQL_ASCII, then the migrations stop with one line naming DATABASE_URL and UTF8', async () => {
    const name = fresh();
    await onServer((client) =>
      client.query(
        `CREATE DATABASE ${name} ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0`,
      ),
    );
    const result = migrate(databaseUrl(name));
    assert.equal(result.status, 1, `${result.stdout}${result.stderr}`);
    assert.deepEqual(result.stderr.trim().split('\n'), [
      `DATABASE_URL: database ${name} uses the SQL_ASCII encoding; the helpdesk needs UTF8 ` +
        `(Arabic text, search): create it with CREATE DATABASE "${name}" ENCODING 'UTF8' TEMPLATE template0`,
    ]);
    // Nothing was half-applied.
    const client = new pg.Client({ connectionString: databaseUrl(name) });
    await client.connect();
    try {
      const { rows } = await client.query("SELECT to_regclass('public.tickets') AS tickets");
      assert.equal(rows[0]?.tickets, null);
    } finally {
      await client.end();
    }
  });
});
