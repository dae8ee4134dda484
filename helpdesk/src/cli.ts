/**
 * The admin CLI (`npm run helpdesk:cli -- <command>`), also how tests and new deployments set up.
 * Its commands are in cli-commands.ts; `--help` (alone or after a command) is answered from
 * cli-help.ts before any of them is loaded: no database, no driver, and in a fraction of the time
 * (an operator asking how to run a command on a broken deployment gets the answer at once).
 */
import { helpFor } from './cli-help';

const argv = process.argv.slice(2);
const help = helpFor(argv);
if (help) {
  console.log(help);
} else {
  const { runCommandLine } = await import('./cli-commands');
  await runCommandLine(argv);
}
