/**
 * The directory's page cursor: an opaque token naming the last customer of a page (its creation
 * time and id), accepted back only in the exact form this API makes.
 */
import { AppError } from '../../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** The cursor after this customer (base64url of "ISO time|id"). */
export function encodeCustomerCursor(createdAt: Date, id: string): string {
  return Buffer.from(`${createdAt.toISOString()}|${id}`).toString('base64url');
}

/**
 * The customer a cursor names.
 * @throws AppError validation_failed for a cursor this API did not make.
 */
export function decodeCustomerCursor(cursor: string): { createdAt: Date; id: string } {
  const [at, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('|');
  const createdAt = new Date(at ?? '');
  // Only what encodeCustomerCursor makes: a UUID, and an ISO date PostgreSQL can compare (a
  // crafted year-275760 date or a 36-dash "id" would fail the query with a 500).
  const year = createdAt.getUTCFullYear();
  if (!id || !UUID.test(id) || Number.isNaN(createdAt.getTime()) || year < 1970 || year > 9999) {
    throw new AppError('validation_failed', 'cursor: is not a cursor this API returned');
  }
  return { createdAt, id };
}
