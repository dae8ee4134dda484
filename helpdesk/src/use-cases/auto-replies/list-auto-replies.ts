/** An admin lists the auto-reply rules. */
import type { Deps } from '../../context';
import { listAutoReplyRules } from '../../store/auto-replies';

/** @returns every rule, by position (the order the bot tries them in). */
export async function listAutoReplies(deps: Pick<Deps, 'db'>) {
  return { items: await listAutoReplyRules(deps.db) };
}
