/**
 * Password hashing for agents: bcrypt (cost 10) on libuv's thread pool (native `bcrypt`), so the
 * event loop that answers webhooks keeps running meanwhile.
 */
import bcrypt from 'bcrypt';

const BCRYPT_COST = 10;

/** @returns a `$2b$` hash of `password`. */
export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, BCRYPT_COST);
}

/**
 * Checks a password against a stored bcrypt hash (`$2a$`/`$2b$`, also those bcryptjs made).
 * @returns false for a wrong password or a malformed hash.
 */
export async function verifyPassword(password: string, passwordHash: string): Promise<boolean> {
  return bcrypt.compare(password, passwordHash).catch(() => false);
}
