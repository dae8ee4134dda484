/**
 * `node ../scripts/run-node-tests.mjs` (run in the helpdesk workspace, after bundle-tests.mjs): runs
 * the bundled test files (`dist/tests/test/<folder>/*.test.mjs`) in two groups, one after the other,
 * and exits non-zero when either failed (both always run, so one run shows every failure).
 *
 * - Two files at a time: `unit`, `api`, `drivers`, `integration`. Each file runs its own helpdesk on
 *   its own database, Redis key prefix and ports (test/support/harness.ts), and much of a file's
 *   time is waiting (process start, workers, HTTP), so two at once take about 40 % less time.
 * - One at a time: `browser` (Chromium is heavy, and the pages' timings are what they check) and
 *   `faults` (they stop and start their own PostgreSQL and Redis servers under load).
 *
 * Extra arguments go to both `node --test` runs (e.g. `--test-name-pattern=…`).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = 'dist/tests/test';
const GROUPS = [
  { concurrency: 2, folders: ['unit', 'api', 'drivers', 'integration'] },
  { concurrency: 1, folders: ['browser', 'faults'] },
];

/** The bundled test files of these folders, in path order. */
function testFiles(folders) {
  return folders.flatMap((folder) =>
    readdirSync(join(ROOT, folder))
      .filter((name) => name.endsWith('.test.mjs'))
      .sort()
      .map((name) => join(ROOT, folder, name)),
  );
}

const covered = new Set(GROUPS.flatMap((group) => group.folders));
const missed = readdirSync(ROOT).filter((folder) => !covered.has(folder));
if (missed.length > 0) {
  console.error(`run-node-tests: test folders in no group: ${missed.join(', ')}`);
  process.exit(2);
}

let failed = false;
for (const { concurrency, folders } of GROUPS) {
  const started = Date.now();
  const { status } = spawnSync(
    process.execPath,
    [
      '--enable-source-maps',
      '--test',
      `--test-concurrency=${concurrency}`,
      '--test-timeout=120000',
      ...process.argv.slice(2),
      ...testFiles(folders),
    ],
    { stdio: 'inherit' },
  );
  console.log(
    `# ${folders.join(', ')}: ${concurrency} at a time, ${((Date.now() - started) / 1000).toFixed(0)} s, ${status === 0 ? 'passed' : 'failed'}`,
  );
  if (status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
