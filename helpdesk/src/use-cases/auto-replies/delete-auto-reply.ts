/** An admin deletes an auto-reply rule; audited with its keywords. */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { deleteAutoReplyRule, findAutoReplyRule } from '../../store/auto-replies';
import { recordAudit } from '../audit/record-audit';
import { reloadAutoReplies } from './check-auto-reply-fields';

/** @throws AppError not_found when there is no such rule. */
export async function deleteAutoReply(
  deps: Pick<Deps, 'db' | 'autoReplies' | 'log'>,
  id: string,
): Promise<void> {
  const rule = await findAutoReplyRule(deps.db, id);
  if (!rule || !(await deleteAutoReplyRule(deps.db, id))) {
    throw new AppError('not_found', `auto-reply: no rule ${id}`);
  }
  await recordAudit(deps.db, {
    action: 'auto_reply.deleted',
    subjectType: 'auto_reply',
    subjectId: id,
    data: { keywords: rule.keywords },
  });
  await reloadAutoReplies(deps);
}
