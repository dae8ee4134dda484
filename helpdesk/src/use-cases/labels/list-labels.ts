/** Every label, for any signed-in agent (to filter the inbox and to label tickets). */
import type { Deps } from '../../context';
import { listLabels as readLabels, type LabelView } from '../../store/labels';

/** @returns every label, by name. */
export async function listLabels(db: Deps['db']): Promise<LabelView[]> {
  return readLabels(db);
}
