/**
 * Integration API keys: `hk_` and 32 random bytes in base64url (43 characters); stored as the
 * SHA-256 of the whole key (hex), shown in full only in the answer that creates it.
 */
import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'hk_';
/** Characters of a key kept in clear to tell keys apart. */
export const API_KEY_SHOWN_CHARACTERS = 8;

/** A new random key. */
export function newApiKey(): string {
  return `${API_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** The stored form of a key: SHA-256, hex. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
