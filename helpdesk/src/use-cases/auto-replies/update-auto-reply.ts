/** An admin changes an auto-reply rule (keywords, replies, channel, enabled, position); audited. */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { findAutoReplyRule, updateAutoReplyRule, type AutoReplyRuleRow } from '../../store/auto-replies';
import { auditChanges, recordAudit } from '../audit/record-audit';
import { checkAutoReplyChannel, reloadAutoReplies } from './check-auto-reply-fields';

/**
 * Changes a rule; fields left out stay.
 * @throws AppError validation_failed naming `channelKey`; not_found when there is no such rule.
 */
export async function updateAutoReply(
  deps: Pick<Deps, 'db' | 'channels' | 'autoReplies' | 'log'>,
  id: string,
  changes: {
    channelKey?: string | null;
    keywords?: string[];
    reply?: { ar: string; en: string };
    enabled?: boolean;
    position?: number;
  },
): Promise<AutoReplyRuleRow> {
  checkAutoReplyChannel(deps, changes.channelKey);
  const before = await findAutoReplyRule(deps.db, id);
  const rule = before ? await updateAutoReplyRule(deps.db, id, changes) : null;
  if (!before || !rule) throw new AppError('not_found', `auto-reply: no rule ${id}`);
  await recordAudit(deps.db, {
    action: 'auto_reply.updated',
    subjectType: 'auto_reply',
    subjectId: id,
    data: { changes: auditChanges(before, rule, Object.keys(changes)) },
  });
  await reloadAutoReplies(deps);
  return rule;
}
