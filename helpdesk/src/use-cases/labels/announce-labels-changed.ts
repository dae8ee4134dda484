/**
 * Tells every open console that the labels changed (`labels.changed`, to everyone), so label
 * chips, filters and pickers show a renamed or deleted label as it is now without a reload.
 */
import type { Deps } from '../../context';

/** What happened to the label. */
export type LabelChange = 'created' | 'updated' | 'deleted';

/**
 * @param deps the realtime publisher (best effort: never throws).
 * @param labelId the label concerned. @param change what happened to it.
 */
export async function announceLabelsChanged(
  deps: Pick<Deps, 'realtime'>,
  labelId: string,
  change: LabelChange,
): Promise<void> {
  await deps.realtime.publish({
    type: 'labels.changed',
    ticketId: null,
    ticketNumber: null,
    data: { labelId, change },
    audience: { agentIds: [], everyone: true },
  });
}
