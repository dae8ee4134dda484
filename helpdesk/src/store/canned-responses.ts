/**
 * Canned responses' rows (Prisma): the shared ones and one agent's personal ones, one by id, and
 * their insert, update and delete. A duplicate shortcut (per owner, or among the shared ones: the
 * migration's partial unique indexes) comes back as null rather than an error.
 */
import type { Database } from './database';
import { isUniqueViolation } from './database';

/** A canned response as stored; ownerAgentId null: shared. */
export interface CannedResponseRecord {
  id: string;
  ownerAgentId: string | null;
  shortcut: string;
  title: string;
  body: string;
  language: 'ar' | 'en' | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The fields an insert or update writes. */
export interface CannedResponseFields {
  shortcut: string;
  title: string;
  body: string;
  language: 'ar' | 'en' | null;
}

const FIELDS = {
  id: true,
  ownerAgentId: true,
  shortcut: true,
  title: true,
  body: true,
  language: true,
  createdAt: true,
  updatedAt: true,
} as const;

function record(
  row: Omit<CannedResponseRecord, 'language'> & { language: string | null },
): CannedResponseRecord {
  return { ...row, language: row.language === 'ar' || row.language === 'en' ? row.language : null };
}

/** The shared canned responses and the agent's personal ones, by shortcut (shared first on a tie). */
export async function listCannedResponsesFor(db: Database, agentId: string): Promise<CannedResponseRecord[]> {
  const rows = await db.cannedResponse.findMany({
    where: { OR: [{ ownerAgentId: null }, { ownerAgentId: agentId }] },
    select: FIELDS,
  });
  return rows
    .map(record)
    .sort(
      (a, b) =>
        (a.shortcut < b.shortcut ? -1 : a.shortcut > b.shortcut ? 1 : 0) ||
        Number(a.ownerAgentId !== null) - Number(b.ownerAgentId !== null),
    );
}

/** One canned response, or null. */
export async function findCannedResponse(db: Database, id: string): Promise<CannedResponseRecord | null> {
  const row = await db.cannedResponse.findUnique({ where: { id }, select: FIELDS });
  return row ? record(row) : null;
}

/**
 * Inserts a canned response.
 * @param ownerAgentId the owner of a personal one; null: shared.
 * @returns the row, or null when the owner (or the shared set) already has that shortcut.
 */
export async function insertCannedResponse(
  db: Database,
  ownerAgentId: string | null,
  fields: CannedResponseFields,
): Promise<CannedResponseRecord | null> {
  try {
    return record(await db.cannedResponse.create({ data: { ...fields, ownerAgentId }, select: FIELDS }));
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/**
 * Changes a canned response's fields (those left out stay).
 * @returns the row after the change, null when the new shortcut is taken, or 'gone' when the row
 *   no longer exists.
 */
export async function updateCannedResponseFields(
  db: Database,
  id: string,
  changes: Partial<CannedResponseFields>,
): Promise<CannedResponseRecord | null | 'gone'> {
  try {
    const rows = await db.cannedResponse.updateManyAndReturn({
      where: { id },
      data: changes,
      select: FIELDS,
    });
    return rows[0] ? record(rows[0]) : 'gone';
  } catch (error) {
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/** Deletes a canned response. @returns whether a row was deleted. */
export async function deleteCannedResponse(db: Database, id: string): Promise<boolean> {
  return (await db.cannedResponse.deleteMany({ where: { id } })).count > 0;
}
