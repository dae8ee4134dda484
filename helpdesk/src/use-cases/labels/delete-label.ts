/** An admin deletes a label; it comes off every ticket that had it. */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { deleteLabelById } from '../../store/labels';

/** Deletes a label. @throws AppError not_found. */
export async function deleteLabel(db: Deps['db'], labelId: string): Promise<void> {
  if (!(await deleteLabelById(db, labelId))) throw new AppError('not_found', `label: no label ${labelId}`);
}
