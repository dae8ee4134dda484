/** An admin adds a label. */
import type { Deps } from '../../context';
import { insertLabel, type LabelView } from '../../store/labels';
import { labelNameConflict } from './label-name-conflict';

/**
 * Adds a label.
 * @param fields name (trimmed, 1–40 characters) and colour (`#rrggbb`), checked by the route.
 * @returns the new label.
 * @throws AppError conflict when another label has the name in any letter case.
 */
export async function createLabel(
  db: Deps['db'],
  fields: { name: string; color: string },
): Promise<LabelView> {
  try {
    return await insertLabel(db, { name: fields.name, color: fields.color.toLowerCase() });
  } catch (error) {
    throw labelNameConflict(error);
  }
}
