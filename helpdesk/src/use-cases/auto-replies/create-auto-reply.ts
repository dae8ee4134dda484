/**
 * An admin adds an auto-reply rule; the bot applies it at once (this process) or within 10 s. The
 * addition is audited (keywords, channel, enabled).
 */
import type { Deps } from '../../context';
import { insertAutoReplyRule, type AutoReplyRuleRow } from '../../store/auto-replies';
import { recordAudit } from '../audit/record-audit';
import { checkAutoReplyChannel, reloadAutoReplies } from './check-auto-reply-fields';

/**
 * Adds a rule.
 * @param fields as the route checked them (contract `autoReplyRuleCreateBodySchema`); position
 *   left out: after the last rule.
 * @throws AppError validation_failed naming `channelKey` when no channel has the key.
 */
export async function createAutoReply(
  deps: Pick<Deps, 'db' | 'channels' | 'autoReplies' | 'log'>,
  fields: {
    channelKey: string | null;
    keywords: string[];
    reply: { ar: string; en: string };
    enabled: boolean;
    position?: number;
  },
): Promise<AutoReplyRuleRow> {
  checkAutoReplyChannel(deps, fields.channelKey);
  const rule = await insertAutoReplyRule(deps.db, { ...fields, position: fields.position ?? null });
  await recordAudit(deps.db, {
    action: 'auto_reply.created',
    subjectType: 'auto_reply',
    subjectId: rule.id,
    data: { keywords: rule.keywords, channelKey: rule.channelKey, enabled: rule.enabled },
  });
  await reloadAutoReplies(deps);
  return rule;
}
