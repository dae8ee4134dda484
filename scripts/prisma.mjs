#!/usr/bin/env node
/**
 * Runs the Prisma CLI with no native engine. The helpdesk uses Prisma's query compiler through a
 * driver adapter (engineType "client") and migrations run on the WebAssembly schema engine
 * (prisma.config.ts), so the native query engine is never loaded. The 6.19 CLI still checks that a
 * query-engine library file exists and tries to download one when it does not, which fails on a
 * machine without internet; pointing PRISMA_QUERY_ENGINE_LIBRARY at any existing file skips that.
 * Usage: node scripts/prisma.mjs <prisma arguments>
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const cliPath = join(dirname(require.resolve('prisma/package.json')), 'build', 'index.js');
const env = {
  ...process.env,
  PRISMA_QUERY_ENGINE_LIBRARY:
    process.env.PRISMA_QUERY_ENGINE_LIBRARY ?? require.resolve('prisma/package.json'),
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  // The same default as the helpdesk's own configuration (helpdesk/src/config.ts).
  DATABASE_URL: process.env.DATABASE_URL || 'postgresql://postgres@127.0.0.1:5432/helpdesk',
};
const result = spawnSync(process.execPath, [cliPath, ...process.argv.slice(2)], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
