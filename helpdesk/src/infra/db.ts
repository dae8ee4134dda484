/**
 * The Prisma client over node-postgres (driver adapter, query compiler: no native engine).
 */
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';

export type Database = PrismaClient;
export type { Prisma } from '../generated/prisma/client';

/**
 * @param databaseUrl postgresql:// URL.
 * @param poolSize maximum connections of this process.
 */
export function createDatabase(databaseUrl: string, poolSize: number): Database {
  const adapter = new PrismaPg({ connectionString: databaseUrl, max: poolSize });
  return new PrismaClient({ adapter });
}

/** True when a Prisma error is a unique-constraint violation (P2002), e.g. a racing insert. */
export function isUniqueViolation(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    ((error as { code?: string }).code === 'P2002' ||
      /unique constraint|duplicate key/i.test((error as { message?: string }).message ?? ''))
  );
}
