/**
 * Labels (Prisma): the admins' list of labels and the labels on each ticket. Names are unique
 * regardless of letter case (the index labels_name_lower_key); a deleted label leaves every ticket
 * it was on (ticket_labels cascades). Returns plain objects.
 */
import { isUniqueViolation, type Database } from './database';

/** A label as agents see it. */
export interface LabelView {
  id: string;
  name: string;
  /** `#rrggbb`, lower case. */
  color: string;
}

/** What `createLabel` and `updateLabel` write. */
export interface LabelFields {
  name: string;
  color: string;
}

/** Another label already has this name (any letter case). */
export class DuplicateLabelName extends Error {
  constructor(readonly labelName: string) {
    super(`a label named "${labelName}" already exists`);
    this.name = 'DuplicateLabelName';
  }
}

const labelSelect = { id: true, name: true, color: true } as const;

/** Every label, by name (letter case ignored, then as written). */
export async function listLabels(db: Database): Promise<LabelView[]> {
  const labels = await db.label.findMany({ select: labelSelect });
  return sortByName(labels);
}

/** The label with this id, or null. */
export async function findLabel(db: Database, labelId: string): Promise<LabelView | null> {
  return db.label.findUnique({ where: { id: labelId }, select: labelSelect });
}

/**
 * Adds a label.
 * @throws DuplicateLabelName when another label has the name in any letter case.
 */
export async function insertLabel(db: Database, fields: LabelFields): Promise<LabelView> {
  try {
    return await db.label.create({ data: fields, select: labelSelect });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateLabelName(fields.name);
    throw error;
  }
}

/**
 * Renames or recolours a label.
 * @returns the label after the change, or null when there is no such label.
 * @throws DuplicateLabelName when another label has the new name in any letter case.
 */
export async function updateLabelFields(
  db: Database,
  labelId: string,
  fields: Partial<LabelFields>,
): Promise<LabelView | null> {
  try {
    const { count } = await db.label.updateMany({ where: { id: labelId }, data: fields });
    return count === 0 ? null : await findLabel(db, labelId);
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateLabelName(fields.name ?? '');
    throw error;
  }
}

/** Deletes a label (and takes it off every ticket). @returns false when there was no such label. */
export async function deleteLabelById(db: Database, labelId: string): Promise<boolean> {
  const { count } = await db.label.deleteMany({ where: { id: labelId } });
  return count > 0;
}

/** Which of `labelIds` are labels. */
export async function findExistingLabelIds(db: Database, labelIds: readonly string[]): Promise<Set<string>> {
  if (labelIds.length === 0) return new Set();
  const found = await db.label.findMany({ where: { id: { in: [...labelIds] } }, select: { id: true } });
  return new Set(found.map((label) => label.id));
}

/**
 * Makes a ticket's labels exactly `labelIds`, in one transaction (labels not listed come off,
 * those already on stay).
 * @returns false when a label was deleted meanwhile (nothing changed).
 */
export async function replaceTicketLabels(
  db: Database,
  ticketId: string,
  labelIds: readonly string[],
): Promise<boolean> {
  try {
    await db.$transaction([
      db.ticketLabel.deleteMany({ where: { ticketId, labelId: { notIn: [...labelIds] } } }),
      db.ticketLabel.createMany({
        data: labelIds.map((labelId) => ({ ticketId, labelId })),
        skipDuplicates: true,
      }),
    ]);
    return true;
  } catch (error) {
    // A label deleted between the check and the insert: its foreign key fails.
    if (isForeignKeyViolation(error)) return false;
    throw error;
  }
}

function isForeignKeyViolation(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code === 'P2003' || code === '23503' || /foreign key/i.test(message ?? '');
}

/** Labels sorted by name, letter case ignored (Arabic and Latin names alike). */
export function sortByName<L extends { name: string }>(labels: readonly L[]): L[] {
  return [...labels].sort(
    (a, b) =>
      a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }) || a.name.localeCompare(b.name),
  );
}
