/**
 * The import rules of `npm run check:imports` (.dependency-cruiser.cjs at the repository root)
 * catch what they are for. Each case builds a small tree with the repository's layout in a
 * temporary directory, adds one deliberately bad file and runs dependency-cruiser on it with the
 * repository's own configuration; the same tree without the bad file passes. Nothing is written
 * under src/.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';

const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));
const CONFIG = join(REPOSITORY, '.dependency-cruiser.cjs');
const DEPCRUISE = join(REPOSITORY, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');

/** A clean miniature of both services: every layer importing only what the rules allow. */
const CLEAN_TREE: Record<string, string> = {
  'helpdesk/src/domain/statuses.ts': `export const OPEN = 'open';\n`,
  'helpdesk/src/domain/ticket-rules.ts': `import { z } from 'zod';\nimport { OPEN } from './statuses';\nexport const status = z.string().parse(OPEN);\n`,
  'helpdesk/src/store/tickets.ts': `import pg from 'pg';\nexport const pool = new pg.Pool();\n`,
  'helpdesk/src/use-cases/tickets/get-ticket.ts': `import { status } from '../../domain/ticket-rules';\nimport { pool } from '../../store/tickets';\nexport const getTicket = () => ({ pool, status });\n`,
  'helpdesk/src/http/server.ts': `import express from 'express';\nimport { getTicket } from '../use-cases/tickets/get-ticket';\nexport const app = express();\nexport { getTicket };\n`,
  'helpdesk/src/main.ts': `import { app } from './http/server';\nexport { app };\n`,
  'contract/src/api/statuses.ts': `import { z } from 'zod';\nexport const statuses = z.enum(['open', 'closed']);\n`,
  'wpp-sidecar/src/events/limits.ts': `export const LIMIT = 10;\n`,
  'wpp-sidecar/src/events/normalize.ts': `import { LIMIT } from './limits';\nexport const normalize = (text: string) => text.slice(0, LIMIT);\n`,
  'wpp-sidecar/src/outbox/outbox.ts': `import { normalize } from '../events/normalize';\nexport const post = normalize;\n`,
  'wpp-sidecar/src/http/server.ts': `import express from 'express';\nimport { post } from '../outbox/outbox';\nexport const app = express();\nexport { post };\n`,
};

/** Writes the clean tree plus `extra` files into a new temporary directory; returns its path. */
function makeTree(extra: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'import-rules-'));
  // The repository's packages, so `pg`, `express` and `zod` resolve as they do in the real tree.
  symlinkSync(join(REPOSITORY, 'node_modules'), join(root, 'node_modules'), 'dir');
  for (const [path, text] of Object.entries({ ...CLEAN_TREE, ...extra })) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Runs dependency-cruiser as `npm run check:imports` does, on a tree built by `makeTree`. */
function cruise(extra: Record<string, string>): { status: number | null; output: string } {
  const root = makeTree(extra);
  try {
    const result = spawnSync(
      process.execPath,
      [DEPCRUISE, 'contract/src', 'helpdesk/src', 'wpp-sidecar/src', '--config', CONFIG, '--no-progress'],
      { cwd: root, encoding: 'utf8' },
    );
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** One deliberately bad import: the files that make it, and the violation it must cause. */
interface BadImport {
  when: string;
  files: Record<string, string>;
  rule: string;
  /** The check must name one of these modules (a cycle is reported once, from any of its modules). */
  reported: string[];
}

const BAD_IMPORTS: BadImport[] = [
  {
    when: 'two modules import each other',
    files: {
      'helpdesk/src/jobs/queues.ts': `import { startWorkers } from './workers';\nexport const queues = [startWorkers];\n`,
      'helpdesk/src/jobs/workers.ts': `import { queues } from './queues';\nexport const startWorkers = () => queues;\n`,
    },
    rule: 'no-circular',
    reported: ['helpdesk/src/jobs/queues.ts', 'helpdesk/src/jobs/workers.ts'],
  },
  {
    when: 'two modules import types from each other',
    files: {
      'helpdesk/src/use-cases/views.ts': `import type { Ref } from './refs';\nexport interface View { ref: Ref }\n`,
      'helpdesk/src/use-cases/refs.ts': `import type { View } from './views';\nexport interface Ref { view?: View }\n`,
    },
    rule: 'no-circular-types',
    reported: ['helpdesk/src/use-cases/refs.ts', 'helpdesk/src/use-cases/views.ts'],
  },
  {
    when: 'the domain imports the HTTP layer',
    files: {
      'helpdesk/src/domain/uses-http.ts': `import { app } from '../http/server';\nexport const bad = app;\n`,
    },
    rule: 'domain-is-pure',
    reported: ['helpdesk/src/domain/uses-http.ts'],
  },
  {
    when: 'a domain module imports src/errors.ts (AppError)',
    files: {
      'helpdesk/src/errors.ts': `export class AppError extends Error {}\n`,
      'helpdesk/src/domain/uses-errors.ts': `import { AppError } from '../errors';\nexport const bad = new AppError('no');\n`,
    },
    rule: 'domain-is-pure',
    reported: ['helpdesk/src/domain/uses-errors.ts'],
  },
  {
    when: 'the domain imports an npm package other than zod or libphonenumber-js',
    files: {
      'helpdesk/src/domain/uses-bullmq.ts': `import { Queue } from 'bullmq';\nexport const bad = Queue;\n`,
    },
    rule: 'domain-is-pure',
    reported: ['helpdesk/src/domain/uses-bullmq.ts'],
  },
  {
    when: 'a job imports pg (even only a type)',
    files: { 'helpdesk/src/jobs/uses-pg.ts': `import type pg from 'pg';\nexport type Bad = pg.Pool;\n` },
    rule: 'database-only-in-data-access',
    reported: ['helpdesk/src/jobs/uses-pg.ts'],
  },
  {
    when: 'a use case imports Prisma (SQL and Prisma live in store/)',
    files: {
      'helpdesk/src/use-cases/uses-prisma.ts': `import { PrismaClient } from '@prisma/client';\nexport const bad = PrismaClient;\n`,
    },
    rule: 'database-only-in-data-access',
    reported: ['helpdesk/src/use-cases/uses-prisma.ts'],
  },
  {
    when: 'an infrastructure module imports pg',
    files: { 'helpdesk/src/infra/uses-pg.ts': `import pg from 'pg';\nexport const bad = pg;\n` },
    rule: 'database-only-in-data-access',
    reported: ['helpdesk/src/infra/uses-pg.ts'],
  },
  {
    when: 'the contract imports a service module',
    files: {
      'contract/src/api/uses-helpdesk.ts': `import { status } from '../../../helpdesk/src/domain/ticket-rules';\nexport const bad = status;\n`,
    },
    rule: 'contract-is-pure',
    reported: ['contract/src/api/uses-helpdesk.ts'],
  },
  {
    when: 'the sidecar imports Prisma',
    files: {
      'wpp-sidecar/src/outbox/uses-prisma.ts': `import { PrismaClient } from '@prisma/client';\nexport const bad = PrismaClient;\n`,
    },
    rule: 'database-only-in-data-access',
    reported: ['wpp-sidecar/src/outbox/uses-prisma.ts'],
  },
  {
    when: 'a service imports express (even only a type)',
    files: {
      'helpdesk/src/use-cases/uses-express.ts': `import type { Request } from 'express';\nexport type Bad = Request;\n`,
    },
    rule: 'http-framework-only-in-http',
    reported: ['helpdesk/src/use-cases/uses-express.ts'],
  },
  {
    when: 'a service imports a Fastify plugin',
    files: {
      'helpdesk/src/use-cases/uses-fastify.ts': `import cookie from '@fastify/cookie';\nexport const bad = cookie;\n`,
    },
    rule: 'http-framework-only-in-http',
    reported: ['helpdesk/src/use-cases/uses-fastify.ts'],
  },
  {
    when: "the sidecar's events import its outbox",
    files: {
      'wpp-sidecar/src/events/uses-outbox.ts': `import { post } from '../outbox/outbox';\nexport const bad = post;\n`,
    },
    rule: 'sidecar-events-are-pure',
    reported: ['wpp-sidecar/src/events/uses-outbox.ts'],
  },
];

/** The violations in dependency-cruiser's output, as `<rule>: <module>` lines. */
function violations(output: string): string[] {
  const found = [...output.matchAll(/^\s*error (\S+): (\S+)/gm)].map(
    ([, rule, module]) => `${rule}: ${module}`,
  );
  return [...new Set(found)].sort();
}

describe('import rules (.dependency-cruiser.cjs)', () => {
  it('when every layer imports what it may, then the check passes', () => {
    const result = cruise({});
    assert.equal(result.status, 0, result.output);
  });

  // One run over a tree holding every bad import (a run costs seconds), then one case per import.
  let bad: { status: number | null; output: string } | undefined;
  const badRun = () => (bad ??= cruise(Object.assign({}, ...BAD_IMPORTS.map((entry) => entry.files))));

  for (const entry of BAD_IMPORTS) {
    it(`when ${entry.when}, then ${entry.rule} fails naming it`, () => {
      const result = badRun();
      assert.notEqual(result.status, 0, `expected a failure, got:\n${result.output}`);
      const found = violations(result.output);
      const named = entry.reported.some((module) => found.includes(`${entry.rule}: ${module}`));
      assert.ok(named, `no ${entry.rule} naming ${entry.reported.join(' or ')} in:\n${result.output}`);
    });
  }

  it('when the bad imports are checked, then nothing else is reported', () => {
    const expected = (violation: string) =>
      BAD_IMPORTS.some((entry) => entry.reported.some((module) => violation === `${entry.rule}: ${module}`));
    assert.deepEqual(
      violations(badRun().output).filter((violation) => !expected(violation)),
      [],
    );
  });
});
