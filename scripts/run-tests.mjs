/**
 * `node scripts/run-tests.mjs <plan> [node --test arguments…]`: runs a plan's tests, after each
 * workspace's `npm run test:prepare` (the console's build, whose types the root's `npm run check`
 * checks; the template database; the bundles of `scripts/bundle-tests.mjs`), and exits non-zero
 * when any run failed. Every run always runs, so one call shows every failure. Plans: `helpdesk`
 * and `sidecar` (each workspace's `npm test`) and `all` (the root's `npm test`). Extra arguments go
 * to every `node --test` run (e.g. `--test-name-pattern=…`).
 *
 * A plan is a list of stages, one after the other; a stage's lanes run side by side, and a lane's
 * runs one after the other. Why this shape (on two cores):
 * - The helpdesk's `unit`, `api`, `drivers` and `integration` files run three at a time. Each file
 *   runs its own helpdesk on its own database, Redis key prefix and ports
 *   (helpdesk/test/support/harness.ts), and much of a file's time is waiting (process start,
 *   workers, HTTP), so two at once take about 40 % less than one, and three about 10 % less than
 *   two (412 and 414 s against 462); four took longer again (462 s). The 48 short `unit` files
 *   run together in one of those processes, and the `api` and `integration` files three to a
 *   process but for the longest (`togetherEntries`, `RUN_ALONE`; BENCHMARKS.md, 2026-12-02, early
 *   morning and evening).
 * - Then `browser` one file at a time (Chromium is heavy, and the pages' timings are what they
 *   check: never two pages' files at once) beside a lane of `faults` one at a time (they stop and
 *   start PostgreSQL and Redis servers of their own under load: never two at once). A fault file
 *   mostly waits out its outage, so the pair took 208 – 217 s where one after the other took 307.
 * - The fault lane ends about two minutes before the browser lane; in `all`, the console's
 *   component tests (Vitest) and the sidecar's files (one at a time) run in that lane after the
 *   faults instead of after everything, which takes them off the critical path.
 * Lines of lanes side by side are prefixed with their run's name and written as they come.
 */
import { spawn } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REPOSITORY = dirname(dirname(fileURLToPath(import.meta.url)));
const HELPDESK = join(REPOSITORY, 'helpdesk');
const SIDECAR = join(REPOSITORY, 'wpp-sidecar');
/** Where `scripts/bundle-tests.mjs` writes a workspace's bundled `test/` files. */
const BUNDLED = 'dist/tests/test';

/**
 * A `node --test` run of bundled test files.
 * @param {{ name: string, cwd: string, folders: string[], concurrency: number, together?: Record<string, number> }}
 *   options `folders` relative to the workspace's bundled `test/` (`.` for the files directly in
 *   it); the files of a folder named in `together` run that many to a process (see
 *   `togetherEntries`).
 */
function nodeTests({ name, cwd, folders, concurrency, together }) {
  // Listed when the run starts: a plan names runs of workspaces that another plan does not bundle.
  const args = (prefixed) => [
    '--enable-source-maps',
    '--test',
    `--test-concurrency=${concurrency}`,
    '--test-timeout=120000',
    // Piped, node would switch to TAP; on a terminal keep the reporter a run alone gets.
    ...(prefixed && process.stdout.isTTY ? ['--test-reporter=spec'] : []),
    ...process.argv.slice(3),
    ...folders.flatMap((folder) =>
      together?.[folder] ? togetherEntries(cwd, folder, together[folder]) : bundledTests(cwd, folder),
    ),
  ];
  return { name, cwd, folders, command: process.execPath, args, detail: `${concurrency} at a time` };
}

/**
 * Writes modules that each import up to `perProcess` bundled test files of `folder` (in path order),
 * so that those files run in one process, and one module per `RUN_ALONE` file of the folder (a
 * process each), and returns their paths. Why: a process spends about 1.6 s of CPU importing the
 * helpdesk before its first test (Node's module loading; Node 20 has no compile cache). The
 * helpdesk's unit files are 48 short files, and a process each spent more CPU starting and
 * importing than testing (57 s three at a time, 30 s in one process, with half the CPU). A group
 * stays well under `--test-timeout`, which also bounds a whole file. `node --test` runs its files
 * in path order: `0-0-` puts the files run alone first (the longest files start first, so that none
 * of them is left running alone at the end), then `0-` the groups, then the folders not grouped.
 */
function togetherEntries(cwd, folder, perProcess) {
  const files = [];
  const alone = [];
  for (const file of bundledTests(cwd, folder)) {
    (RUN_ALONE.has(relative(BUNDLED, file)) ? alone : files).push(file);
  }
  const groups = [];
  for (let start = 0; start < files.length; start += perProcess) {
    groups.push(files.slice(start, start + perProcess));
  }
  const entry = (name, imported) => {
    const path = join(dirname(BUNDLED), name);
    writeFileSync(
      join(cwd, path),
      imported.map((file) => `import './${relative(dirname(BUNDLED), file)}';\n`).join(''),
    );
    return path;
  };
  return alone
    .map((file) => entry(`0-0-${folder}-alone-${basename(file)}`, [file]))
    .concat(
      groups.map((group, index) =>
        entry(
          `0-${folder}-files-together${groups.length > 1 ? `-${String(index + 1).padStart(2, '0')}` : ''}.test.mjs`,
          group,
        ),
      ),
    );
}

/**
 * Files of a grouped folder that keep a process of their own. Most take over 20 s in a CI run (its
 * TAP `duration_ms`, 2026-12-02), so a group holding one would come near `--test-timeout` on a slow
 * machine under load: `api/presence` (46 s, waiting out agents' presence grace periods) and the
 * long `integration` files (a broadcast paced over 500 customers, dead letters retried, the CLI's
 * processes, killed workers); the other files of both folders take 1 – 19 s. `integration/metrics`
 * reads the process-wide prom-client counters (a histogram's sum), which files run before it in
 * the same process would add to.
 */
const RUN_ALONE = new Set([
  'api/presence.test.mjs',
  'integration/broadcasts.test.mjs',
  'integration/cli-teams.test.mjs',
  'integration/cli.test.mjs',
  'integration/database-encoding.test.mjs',
  'integration/dead-letters.test.mjs',
  'integration/metrics.test.mjs',
  'integration/outgoing-webhooks-outbox.test.mjs',
  'integration/scheduled-messages.test.mjs',
  'integration/sla-processes.test.mjs',
]);

/** The bundled test files of a workspace's folder, in path order. */
function bundledTests(cwd, folder) {
  return readdirSync(join(cwd, BUNDLED, folder))
    .filter((file) => file.endsWith('.test.mjs'))
    .sort()
    .map((file) => join(BUNDLED, folder, file));
}

const helpdeskFast = nodeTests({
  name: 'unit, api, drivers, integration',
  cwd: HELPDESK,
  folders: ['unit', 'api', 'drivers', 'integration'],
  concurrency: 3,
  together: { unit: Infinity, api: 3, integration: 3 },
});
const browser = nodeTests({ name: 'browser', cwd: HELPDESK, folders: ['browser'], concurrency: 1 });
const faults = nodeTests({ name: 'faults', cwd: HELPDESK, folders: ['faults'], concurrency: 1 });
const components = {
  name: 'console components',
  cwd: HELPDESK,
  command: 'npm',
  args: () => ['run', '--silent', 'test:components'],
  detail: 'Vitest',
};
const sidecar = nodeTests({ name: 'sidecar', cwd: SIDECAR, folders: ['.'], concurrency: 1 });

/**
 * Each plan's stages → lanes → runs.
 * @type {Record<string, { name: string, cwd: string, folders?: string[], command: string, args: (prefixed: boolean) => string[], detail: string }[][][]>}
 */
const PLANS = {
  helpdesk: [[[helpdeskFast]], [[browser], [faults, components]]],
  sidecar: [[[sidecar]]],
  all: [[[helpdeskFast]], [[browser], [faults, components, sidecar]]],
};

const plan = PLANS[process.argv[2]];
if (!plan) {
  console.error(
    `usage: node scripts/run-tests.mjs <${Object.keys(PLANS).join('|')}> [node --test arguments…]`,
  );
  process.exit(2);
}
const helpdeskFolders = plan
  .flat(2)
  .filter((step) => step.cwd === HELPDESK && step.folders)
  .flatMap((step) => step.folders);
const missed =
  helpdeskFolders.length === 0
    ? []
    : readdirSync(join(HELPDESK, BUNDLED)).filter((folder) => !helpdeskFolders.includes(folder));
if (missed.length > 0) {
  console.error(`run-tests: helpdesk test folders in no run: ${missed.join(', ')}`);
  process.exit(2);
}

/**
 * Failures seen in the runs' TAP output, printed again when every run has ended: a CI log is often
 * read from its end only, and a failure otherwise sits hundreds of lines above it.
 * @type {string[]}
 */
const failures = [];

/**
 * Watches a run's TAP lines for failed tests (`not ok N - <name>`) and records each with the first
 * line of its `error:` (a suite whose only error is its failed subtests is left out: those are
 * listed themselves).
 * @returns a function taking each line.
 */
function failureWatcher(name) {
  /** @type {{ test: string, block?: boolean } | null} */
  let open = null;
  return (line) => {
    const failed = /^\s*not ok \d+ - (.*)$/.exec(line);
    if (failed) {
      open = { test: failed[1] };
      return;
    }
    if (!open) return;
    if (line.trim() === '...' || /^\s*(not )?ok \d+ - /.test(line)) {
      open = null;
      return;
    }
    // A long error is a YAML block (`error: |-`): its first line is the next one.
    const error = open.block ? line.trim() : /^\s*error: (.*)$/.exec(line)?.[1];
    if (error === undefined) return;
    if (/^[|>][-+]?$/.test(error)) {
      open.block = true;
      return;
    }
    if (!/^'\d+ subtests? failed'$/.test(error)) {
      failures.push(`# ${name}: ${open.test.slice(0, 200)} — ${error.slice(0, 300)}`);
    }
    open = null;
  };
}

/**
 * Runs one command; its output goes to ours as it comes, each line prefixed with the run's name
 * when `prefixed` (lanes side by side). Unless it writes to a terminal, its failed tests are
 * recorded for the summary at the end (`failures`).
 * @returns whether it exited with 0.
 */
function run({ name, cwd, command, args, detail }, prefixed) {
  const started = Date.now();
  const piped = prefixed || !process.stdout.isTTY;
  const child = spawn(command, args(prefixed), {
    cwd,
    stdio: piped ? ['ignore', 'pipe', 'pipe'] : 'inherit',
  });
  if (piped) {
    const watch = failureWatcher(name);
    for (const [stream, out] of [
      [child.stdout, process.stdout],
      [child.stderr, process.stderr],
    ]) {
      createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => {
        if (out === process.stdout) watch(line);
        out.write(prefixed ? `[${name}] ${line}\n` : `${line}\n`);
      });
    }
  }
  return new Promise((resolve) => {
    child.on('close', (status) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(0);
      console.log(`# ${name}: ${detail}, ${seconds} s, ${status === 0 ? 'passed' : 'failed'}`);
      resolve(status === 0);
    });
  });
}

/** A lane's runs one after the other, each whatever the one before did. */
async function runLane(lane, prefixed) {
  let passed = true;
  for (const step of lane) if (!(await run(step, prefixed))) passed = false;
  return passed;
}

let failed = false;
for (const lanes of plan) {
  const passed = await Promise.all(lanes.map((lane) => runLane(lane, lanes.length > 1)));
  if (passed.includes(false)) failed = true;
}
if (failures.length > 0) console.log(['# what failed, again:', ...failures].join('\n'));
process.exit(failed ? 1 : 0);
