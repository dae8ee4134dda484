/**
 * Run once before the helpdesk tests: makes sure the template database for the current migrations
 * exists, building it with the real migrations (`prisma migrate deploy`) under a temporary name
 * and renaming it into place, so concurrent runs never see a half-migrated template.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { admin, databaseUrl, TEMPLATE_DATABASE } from './database';

const root = fileURLToPath(new URL('../../../', import.meta.url));

const exists = await admin(
  async (client) =>
    (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE_DATABASE])).rowCount === 1,
);
if (exists) {
  console.log(`test template database ${TEMPLATE_DATABASE} is up to date`);
  process.exit(0);
}
const building = `${TEMPLATE_DATABASE}_${randomBytes(4).toString('hex')}`;
await admin((client) => client.query(`CREATE DATABASE ${building}`));
const result = spawnSync(process.execPath, ['scripts/prisma.mjs', 'migrate', 'deploy'], {
  cwd: root,
  env: { ...process.env, DATABASE_URL: databaseUrl(building) },
  encoding: 'utf8',
});
if (result.status !== 0) {
  console.error(result.stdout, result.stderr);
  await admin((client) => client.query(`DROP DATABASE IF EXISTS ${building}`));
  process.exit(1);
}
await admin(async (client) => {
  try {
    await client.query(`ALTER DATABASE ${building} RENAME TO ${TEMPLATE_DATABASE}`);
  } catch {
    await client.query(`DROP DATABASE IF EXISTS ${building}`); // another run built it first
  }
});
console.log(`test template database ${TEMPLATE_DATABASE} migrated`);
