/**
 * Whether a configured machine secret (SIDECAR_API_KEY, SIDECAR_WEBHOOK_SECRET, METRICS_TOKEN,
 * CLOUD_API_APP_SECRET, CLOUD_API_VERIFY_TOKEN) may be used: no default or guessable secret works.
 * The one rule of both services (helpdesk/src/config.ts and wpp-sidecar/src/config.ts), so a secret
 * they share is judged alike on both sides. A value is refused when:
 * 1. it has fewer than 16 characters;
 * 2. it is a placeholder: starts with `replace-with-` (the `.env.example` values) or contains
 *    `changeme`, `change-me` or `change_me` (any case);
 * 3. it has fewer than 6 different characters, or less than 40 bits of estimated entropy (length ×
 *    the Shannon entropy of its own character frequencies). `openssl rand -hex 32` gives about
 *    240 bits; 16 `a`s give 0, `abababababababab` 16.
 */

/** Minimum length, characters. */
export const SECRET_MIN_LENGTH = 16;
/** Minimum estimated entropy, bits. */
export const SECRET_MIN_BITS = 40;
/** Minimum number of different characters. */
export const SECRET_MIN_DISTINCT = 6;

/**
 * @param value the secret as configured.
 * @returns null when acceptable, else the problem as a phrase that follows the variable's name in
 *   an error message (e.g. "is still the example value from .env.example").
 */
export function secretProblem(value: string): string | null {
  if (value.length < SECRET_MIN_LENGTH) return `must be at least ${SECRET_MIN_LENGTH} characters`;
  if (/^replace-with-/i.test(value) || /change[-_]?me/i.test(value)) {
    return 'is still the example value from .env.example';
  }
  const characters = [...value];
  const counts = new Map<string, number>();
  for (const character of characters) counts.set(character, (counts.get(character) ?? 0) + 1);
  let bitsPerCharacter = 0;
  for (const count of counts.values()) {
    const share = count / characters.length;
    bitsPerCharacter -= share * Math.log2(share);
  }
  if (counts.size < SECRET_MIN_DISTINCT || bitsPerCharacter * characters.length < SECRET_MIN_BITS) {
    return 'is too easy to guess; set a random one, e.g. `openssl rand -hex 32`';
  }
  return null;
}
