/** What the SLA policy use cases share: the checks of a policy's match fields and its view. */
import type { SlaPolicy } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { categoryProblem } from '../../domain/ticket-categories';
import { AppError } from '../../errors';
import { DuplicateSlaPolicy, type SlaPolicyRow } from '../../store/sla-policies';
import { teamExists } from '../../store/teams';
import { fieldError } from '../channels/check-channel-fields';

/**
 * Checks the match fields given (undefined: not given).
 * @throws AppError validation_failed naming `category` (not a category of the bot menu),
 *   `channelKey` (no channel has the key) or `teamId` (no such team).
 */
export async function checkPolicyMatch(
  deps: Pick<Deps, 'db' | 'bot' | 'channels'>,
  match: { category?: string | null; channelKey?: string | null; teamId?: string | null },
): Promise<void> {
  if (match.category !== undefined) {
    const problem = categoryProblem(deps.bot.texts, match.category);
    if (problem) throw fieldError('category', problem.replace(/^category: /, ''));
  }
  if (match.channelKey !== undefined && match.channelKey !== null) {
    const keys = deps.channels.list().map((channel) => channel.key);
    if (!keys.includes(match.channelKey)) {
      throw fieldError(
        'channelKey',
        `no channel has the key "${match.channelKey}" (known: ${keys.join(', ')})`,
      );
    }
  }
  if (match.teamId !== undefined && match.teamId !== null && !(await teamExists(deps.db, match.teamId))) {
    throw fieldError('teamId', `no team ${match.teamId}`);
  }
}

/** Hours as whole minutes (at least one). */
export function hoursToMinutes(hours: number): number {
  return Math.max(1, Math.round(hours * 60));
}

/** @returns a 409 naming `name` or the match fields for a duplicate; any other error as it is. */
export function policyWriteError(error: unknown, name: string | undefined): unknown {
  if (!(error instanceof DuplicateSlaPolicy)) return error;
  return error.field === 'name'
    ? new AppError('conflict', `name: a policy named "${name ?? ''}" already exists`)
    : new AppError('conflict', 'category, channelKey, teamId: another policy has this same match');
}

/** A policy as the API shows it. */
export function policyView(policy: SlaPolicyRow): Omit<SlaPolicy, 'createdAt' | 'updatedAt'> & {
  createdAt: Date;
  updatedAt: Date;
} {
  return { ...policy, resolutionHours: Math.round((policy.resolutionMinutes / 60) * 1000) / 1000 };
}
