/**
 * API-key check for every `/api/*` route: `X-API-Key` compared in constant time (SHA-256 digests of both
 * sides, so lengths never leak either). Missing and wrong keys get the same 401 answer.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors';

/**
 * @param expected - SIDECAR_API_KEY.
 * @returns a checker: `(headerValue) => void`, throwing AppError `unauthorized` on mismatch.
 */
export function apiKeyChecker(expected: string): (given: unknown) => void {
  const expectedDigest = createHash('sha256').update(expected).digest();
  return (given: unknown) => {
    const value = typeof given === 'string' ? given : '';
    const digest = createHash('sha256').update(value).digest();
    if (!timingSafeEqual(digest, expectedDigest) || value.length === 0) {
      throw new AppError('unauthorized', 'missing or invalid X-API-Key header');
    }
  };
}
