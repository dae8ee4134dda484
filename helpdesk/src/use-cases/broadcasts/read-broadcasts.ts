/** Broadcasts as admins read them: the list, one with its progress, and its recipients' results. */
import type { Deps } from '../../context';
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

/** A broadcast's recipients by phone. @throws AppError not_found. */
export async function readBroadcastRecipients(deps: Pick<Deps, 'pool'>, id: string): Promise<RecipientRow[]> {
  await readBroadcast(deps, id);
  return listRecipients(deps.pool, id);
}
