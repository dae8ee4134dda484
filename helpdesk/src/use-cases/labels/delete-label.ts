/**
 * An admin deletes a label; it comes off every ticket that had it, and open consoles are told
 * (`labels.changed`).
 */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { deleteLabelById } from '../../store/labels';
import { announceLabelsChanged } from './announce-labels-changed';

/** Deletes a label. @throws AppError not_found. */
export async function deleteLabel(deps: Pick<Deps, 'db' | 'realtime'>, labelId: string): Promise<void> {
  if (!(await deleteLabelById(deps.db, labelId))) {
    throw new AppError('not_found', `label: no label ${labelId}`);
  }
  await announceLabelsChanged(deps, labelId, 'deleted');
}
