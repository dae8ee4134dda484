/** An admin deletes an auto-reply rule. */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { deleteAutoReplyRule } from '../../store/auto-replies';
import { reloadAutoReplies } from './check-auto-reply-fields';

/** @throws AppError not_found when there is no such rule. */
export async function deleteAutoReply(
  deps: Pick<Deps, 'db' | 'autoReplies' | 'log'>,
  id: string,
): Promise<void> {
  if (!(await deleteAutoReplyRule(deps.db, id))) throw new AppError('not_found', `auto-reply: no rule ${id}`);
  await reloadAutoReplies(deps);
}
