/**
 * `tsx helpdesk/src/check-config.ts`: validates the helpdesk's configuration (`.env` and the
 * environment) and exits 1 with one line per bad variable. `npm start` runs it first, so a
 * mistyped variable is reported at once instead of after the migrations and the console build.
 */
import { ConfigError, loadConfig, loadDotEnv } from './config';

try {
  loadDotEnv();
  loadConfig();
} catch (error) {
  console.error(error instanceof ConfigError ? error.message : String(error));
  process.exit(1);
}
