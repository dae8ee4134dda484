/**
 * The environment of the helpdesk processes the benchmark starts. Every variable the helpdesk
 * reads (CONFIG_VARIABLES) is set: to the benchmark's value, or empty, which config.ts reads as
 * its default. So neither the repository's `.env` (loadDotEnv only fills variables that are
 * unset) nor the caller's shell can change what is measured — a first admin from `.env`, say,
 * would otherwise join the agents and skew the load balance.
 */
import { CONFIG_VARIABLES, loadConfig } from '../src/config';

/**
 * @param settings the helpdesk variables the benchmark sets, by name (values as in `.env`).
 * @returns a complete environment for `spawn`: the caller's environment for everything else
 *   (PATH, HOME, …), then every configuration variable, from `settings` or empty.
 * @throws Error for a name the helpdesk does not read (a typo would otherwise be ignored), and
 *   ConfigError when the result is not a valid configuration.
 */
export function benchEnvironment(settings: Record<string, string>): Record<string, string> {
  const unknown = Object.keys(settings).filter((name) => !CONFIG_VARIABLES.includes(name));
  if (unknown.length > 0) throw new Error(`not helpdesk settings: ${unknown.join(', ')}`);
  const inherited = Object.fromEntries(
    Object.entries(process.env).filter(
      (entry): entry is [string, string] => entry[1] !== undefined && !CONFIG_VARIABLES.includes(entry[0]),
    ),
  );
  const configuration = {
    ...Object.fromEntries(CONFIG_VARIABLES.map((name) => [name, ''])),
    ...settings,
  };
  loadConfig(configuration); // fail here, with the variable named, rather than in a child process
  return { ...inherited, ...configuration };
}
