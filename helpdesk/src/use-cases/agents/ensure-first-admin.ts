/**
 * A new deployment's first admin, from ADMIN_EMAIL / ADMIN_PASSWORD.
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { countAdmins } from '../../store/agents';
import { addAgent } from './create-agent';

/**
 * Open tickets the first admin may hold, as for a new agent (the schema's default): in a small
 * pharmacy the admin answers customers too, and with 0 going online would never assign them any.
 * `PATCH /api/agents/:id` changes it.
 */
const FIRST_ADMIN_CAPACITY = 10;

/**
 * Creates the first admin when the deployment has none.
 * @returns true when an admin was created.
 */
export async function ensureFirstAdmin(
  db: Deps['db'],
  admin: { email: string; password: string } | null,
): Promise<boolean> {
  if (!admin) return false;
  if ((await countAdmins(db)) > 0) return false;
  try {
    await addAgent(db, {
      name: 'Administrator',
      email: admin.email,
      password: admin.password,
      capacity: FIRST_ADMIN_CAPACITY,
      role: 'admin',
    });
    return true;
  } catch (error) {
    if (error instanceof AppError && error.code === 'conflict') return false; // another process won the race
    throw error;
  }
}
