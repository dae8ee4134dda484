/**
 * What the deployment's environment said at the last start (table deployment_settings, plain SQL):
 * a setting whose change must act on stored rows is compared with it at startup.
 */
import { rows, type Queryable } from './sql';

/** @returns the value recorded under `name`, or null when none was. */
export async function readDeploymentSetting(db: Queryable, name: string): Promise<string | null> {
  const found = await rows<{ value: string }>(db, 'SELECT value FROM deployment_settings WHERE name = $1', [
    name,
  ]);
  return found[0]?.value ?? null;
}

/** Records `value` under `name` (replacing what was there). */
export async function writeDeploymentSetting(db: Queryable, name: string, value: string): Promise<void> {
  await rows(
    db,
    `INSERT INTO deployment_settings (name, value) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value, updated_at = now()`,
    [name, value],
  );
}
