/** An admin adds a label; open consoles are told (`labels.changed`). */
import type { Deps } from '../../context';
import { insertLabel, type LabelView } from '../../store/labels';
import { announceLabelsChanged } from './announce-labels-changed';
import { labelNameConflict } from './label-name-conflict';

/**
 * Adds a label.
 * @param fields name (trimmed, 1–40 characters) and colour (`#rrggbb`), checked by the route.
 * @returns the new label.
 * @throws AppError conflict when another label has the name in any letter case.
 */
export async function createLabel(
  deps: Pick<Deps, 'db' | 'realtime'>,
  fields: { name: string; color: string },
): Promise<LabelView> {
  let created: LabelView;
  try {
    created = await insertLabel(deps.db, { name: fields.name, color: fields.color.toLowerCase() });
  } catch (error) {
    throw labelNameConflict(error);
  }
  await announceLabelsChanged(deps, created.id, 'created');
  return created;
}
