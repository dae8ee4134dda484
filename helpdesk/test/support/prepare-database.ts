/**
 * Run once before the helpdesk tests: (re)creates the template database by applying the real
 * migrations with `prisma migrate deploy`.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { admin, databaseUrl, TEMPLATE_DATABASE } from './database';

const root = fileURLToPath(new URL('../../../', import.meta.url));

await admin(async (client) => {
  await client.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DATABASE} WITH (FORCE)`);
  await client.query(`CREATE DATABASE ${TEMPLATE_DATABASE}`);
});
const result = spawnSync(process.execPath, ['scripts/prisma.mjs', 'migrate', 'deploy'], {
  cwd: root,
  env: { ...process.env, DATABASE_URL: databaseUrl(TEMPLATE_DATABASE) },
  encoding: 'utf8',
});
if (result.status !== 0) {
  console.error(result.stdout, result.stderr);
  process.exit(1);
}
console.log(`test template database ${TEMPLATE_DATABASE} migrated`);
