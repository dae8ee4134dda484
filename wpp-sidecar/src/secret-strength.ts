/**
 * Whether a configured secret (SIDECAR_API_KEY, SIDECAR_WEBHOOK_SECRET, METRICS_TOKEN) may be used.
 * The helpdesk (helpdesk/src/config.ts) refuses values under 16 characters and the `.env.example`
 * placeholders (`replace-with-…`); the two workspaces share no package, so this is the sidecar's copy of
 * that rule, plus a check that the value is not guessable. Exactly:
 * 1. at least 16 characters;
 * 2. not a placeholder: does not start with `replace-with-` and does not contain `changeme`,
 *    `change-me` or `change_me` (any case);
 * 3. at least 6 different characters, and at least 40 bits of estimated entropy, where the estimate is
 *    length × the Shannon entropy of the value's own character frequencies (bits per character).
 *    `openssl rand -hex 32` gives about 240 bits; 16 `a`s give 0, `abababababababab` 16.
 */

/** Minimum length, characters. */
export const SECRET_MIN_LENGTH = 16;
/** Minimum estimated entropy, bits (see the module comment). */
export const SECRET_MIN_BITS = 40;
/** Minimum number of different characters. */
export const SECRET_MIN_DISTINCT = 6;

/**
 * @param value - the secret as configured.
 * @returns null when acceptable, else the problem as a phrase that follows the variable's name in an
 *   error message (e.g. "is still the example value from .env.example").
 */
export function secretProblem(value: string): string | null {
  if (value.length < SECRET_MIN_LENGTH) return `must be at least ${SECRET_MIN_LENGTH} characters`;
  if (/^replace-with-/i.test(value) || /change[-_]?me/i.test(value)) {
    return 'is still the example value from .env.example; set a random one, e.g. `openssl rand -hex 32`';
  }
  const counts = new Map<string, number>();
  for (const ch of value) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  const length = [...value].length;
  let bitsPerChar = 0;
  for (const count of counts.values()) {
    const p = count / length;
    bitsPerChar -= p * Math.log2(p);
  }
  if (counts.size < SECRET_MIN_DISTINCT || bitsPerChar * length < SECRET_MIN_BITS) {
    return 'is too easy to guess (too few different characters); set a random one, e.g. `openssl rand -hex 32`';
  }
  return null;
}
