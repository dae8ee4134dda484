/**
 * An admin renames or recolours a label (tickets keep it: they refer to it by id); open consoles are
 * told (`labels.changed`).
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { updateLabelFields, type LabelView } from '../../store/labels';
import { announceLabelsChanged } from './announce-labels-changed';
import { labelNameConflict } from './label-name-conflict';

/**
 * Changes a label's name or colour (fields left out stay).
 * @returns the label after the change.
 * @throws AppError not_found; conflict when another label has the new name in any letter case.
 */
export async function updateLabel(
  deps: Pick<Deps, 'db' | 'realtime'>,
  labelId: string,
  changes: { name?: string; color?: string },
): Promise<LabelView> {
  let updated: LabelView | null;
  try {
    updated = await updateLabelFields(deps.db, labelId, {
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.color !== undefined ? { color: changes.color.toLowerCase() } : {}),
    });
  } catch (error) {
    throw labelNameConflict(error);
  }
  if (!updated) throw new AppError('not_found', `label: no label ${labelId}`);
  await announceLabelsChanged(deps, labelId, 'updated');
  return updated;
}
