/**
 * The database handles the inbound and message use cases hold without knowing the driver: the
 * connection pool, a connection inside a transaction, and the transaction runner.
 */
import type pg from 'pg';
import { isUniqueViolation as isUniqueViolationError } from './database';
import { transaction } from './sql';

/** The process's connection pool (the hot paths' plain SQL). */
export type DatabasePool = pg.Pool;

/** One connection inside an open transaction. */
export type DatabaseTransaction = pg.PoolClient;

/**
 * Runs `work` in one READ COMMITTED transaction: committed when it resolves, rolled back when it
 * throws (the error is rethrown).
 */
export function inTransaction<T>(
  pool: DatabasePool,
  work: (transaction: DatabaseTransaction) => Promise<T>,
): Promise<T> {
  return transaction(pool, work);
}

/** True when a database error is a unique-constraint violation (a racing insert of the same row). */
export function isUniqueViolation(error: unknown): boolean {
  return isUniqueViolationError(error);
}
