/**
 * `node ../scripts/run-node-tests.mjs` (run in the helpdesk workspace, after bundle-tests.mjs): runs
 * the bundled test files (`dist/tests/test/<folder>/*.test.mjs`) in two stages, one after the other,
 * and exits non-zero when any run failed (every stage always runs, so one run shows every failure).
 *
 * - Stage 1, three files at a time: `unit`, `api`, `drivers`, `integration`. Each file runs its own
 *   helpdesk on its own database, Redis key prefix and ports (test/support/harness.ts), and much of
 *   a file's time is waiting (process start, workers, HTTP), so two at once take about 40 % less
 *   than one, and three about 10 % less than two on two cores (412 and 414 s against 462); four
 *   took longer again (462 s).
 * - Stage 2, two runs side by side, each one file at a time: `browser` (Chromium is heavy, and the
 *   pages' timings are what they check: never two pages' files at once) and `faults` (they stop and
 *   start PostgreSQL and Redis servers of their own under load: never two at once). A fault file
 *   mostly waits out its outage, so the pair took 208 – 217 s where one after the other took 307.
 *   The two runs' lines are prefixed with their folders and written as they come.
 *
 * Extra arguments go to every `node --test` run (e.g. `--test-name-pattern=…`).
 */
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ROOT = 'dist/tests/test';
/** Each stage's runs start together; the next stage starts when all of them have ended. */
const STAGES = [
  [{ concurrency: 3, folders: ['unit', 'api', 'drivers', 'integration'] }],
  [
    { concurrency: 1, folders: ['browser'] },
    { concurrency: 1, folders: ['faults'] },
  ],
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

/**
 * Runs `node --test` on the run's files; its output goes to ours as it comes, each line prefixed
 * with the run's folders when `prefixed` (runs side by side).
 * @returns whether every test passed.
 */
function runTests({ concurrency, folders }, prefixed) {
  const started = Date.now();
  const args = [
    '--enable-source-maps',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-timeout=120000',
    // Piped, node would switch to TAP; on a terminal keep the reporter a run alone gets.
    ...(prefixed && process.stdout.isTTY ? ['--test-reporter=spec'] : []),
    ...process.argv.slice(2),
    ...testFiles(folders),
  ];
  const child = spawn(process.execPath, args, { stdio: prefixed ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
  if (prefixed) {
    const prefix = `[${folders.join(', ')}] `;
    for (const [stream, out] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) =>
        out.write(prefix + line + '\n'),
      );
    }
  }
  return new Promise((resolve) => {
    child.on('close', (status) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      const outcome = status === 0 ? 'passed' : 'failed';
      console.log(`# ${folders.join(', ')}: ${concurrency} at a time, ${seconds} s, ${outcome}`);
      resolve(status === 0);
    });
  });
}

const covered = new Set(STAGES.flat().flatMap((run) => run.folders));
const missed = readdirSync(ROOT).filter((folder) => !covered.has(folder));
if (missed.length > 0) {
  console.error(`run-node-tests: test folders in no run: ${missed.join(', ')}`);
  process.exit(2);
}

let failed = false;
for (const runs of STAGES) {
  const passed = await Promise.all(runs.map((run) => runTests(run, runs.length > 1)));
  if (passed.includes(false)) failed = true;
}
process.exit(failed ? 1 : 0);
