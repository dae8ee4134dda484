/** Broadcasts as admins read them: the list, one with its progress, and its recipients' results. */
import type { Deps } from '../../context';
import { broadcastRecipientReason, type RecipientReason } from '../../domain/broadcast-reasons';
import { AppError } from '../../errors';
import {
  findBroadcast,
  listBroadcasts,
  listRecipients,
  type BroadcastRow,
  type RecipientRow,
} from '../../store/broadcasts';

/** Broadcasts, newest first (at most 200). */
export async function readBroadcasts(deps: Pick<Deps, 'pool'>): Promise<BroadcastRow[]> {
  return listBroadcasts(deps.pool);
}

/** One broadcast. @throws AppError not_found. */
export async function readBroadcast(deps: Pick<Deps, 'pool'>, id: string): Promise<BroadcastRow> {
  const broadcast = await findBroadcast(deps.pool, id);
  if (!broadcast) throw new AppError('not_found', `broadcast: no broadcast ${id}`);
  return broadcast;
}

/** A recipient with its reason as a code and the provider's message (both null when none). */
export type RecipientView = Omit<RecipientRow, 'reason'> & {
  reason: RecipientReason['reason'] | null;
  reasonDetail: string | null;
};

/** A broadcast's recipients by phone. @throws AppError not_found. */
export async function readBroadcastRecipients(
  deps: Pick<Deps, 'pool'>,
  id: string,
): Promise<RecipientView[]> {
  await readBroadcast(deps, id);
  return (await listRecipients(deps.pool, id)).map(({ reason, ...recipient }) => {
    const why = broadcastRecipientReason(reason);
    return { ...recipient, reason: why?.reason ?? null, reasonDetail: why?.reasonDetail ?? null };
  });
}
