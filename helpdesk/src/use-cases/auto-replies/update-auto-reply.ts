/** An admin changes an auto-reply rule (keywords, replies, channel, enabled, position). */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { updateAutoReplyRule, type AutoReplyRuleRow } from '../../store/auto-replies';
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
  const rule = await updateAutoReplyRule(deps.db, id, changes);
  if (!rule) throw new AppError('not_found', `auto-reply: no rule ${id}`);
  await reloadAutoReplies(deps);
  return rule;
}
