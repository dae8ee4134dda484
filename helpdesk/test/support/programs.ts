/**
 * How tests start the helpdesk's own programs (the admin CLI, the API and worker process) in a
 * process of their own, as a user runs them.
 *
 * Under `npm test` the test files run bundled (scripts/bundle-tests.mjs) and the programs' bundles
 * are built beside them, from the same sources: a process started from those skips tsx's loading
 * (about 2 s of CPU per start; the CLI tests start dozens). A test run from its source, through
 * tsx, starts the programs' sources the same way, so it never runs an older bundle.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HELPDESK_DIR = fileURLToPath(new URL('../../', import.meta.url));

/** True when this test process runs a bundled test file (`dist/tests/…`, see npm test). */
const bundled = /[/\\]dist[/\\]tests[/\\]/.test(process.argv[1] ?? '');

/**
 * The arguments for `node` that run a program of the helpdesk.
 * @param program its source, relative to helpdesk/: `src/cli.ts` or `src/main.ts`.
 * @returns e.g. `['--import', 'tsx', '/…/helpdesk/src/cli.ts']`, or its bundle under `npm test`.
 */
export function programArguments(program: 'src/cli.ts' | 'src/main.ts'): string[] {
  if (bundled) {
    return ['--enable-source-maps', join(HELPDESK_DIR, 'dist/tests', program.replace(/\.ts$/, '.mjs'))];
  }
  return ['--import', 'tsx', join(HELPDESK_DIR, program)];
}
