/** A team's members must be agents and its categories ticket categories: the checks the team use cases share. */
import type { Deps } from '../../context';
import { ticketCategories } from '../../domain/ticket-categories';
import { AppError } from '../../errors';
import { fieldError } from '../channels/check-channel-fields';
import { DuplicateTeamName, findExistingAgentIds } from '../../store/teams';

/**
 * @param memberIds agent ids as given (repeats allowed).
 * @returns the ids without repeats.
 * @throws AppError validation_failed naming `memberIds` and the ids that are not agents.
 */
export async function checkMembers(db: Deps['db'], memberIds: readonly string[]): Promise<string[]> {
  const unique = [...new Set(memberIds)];
  const existing = await findExistingAgentIds(db, unique);
  const unknown = unique.filter((id) => !existing.has(id));
  if (unknown.length) {
    throw fieldError('memberIds', `no agent ${unknown.slice(0, 5).join(', ')}`);
  }
  return unique;
}

/**
 * @param categories category ids as given (repeats allowed).
 * @returns them without repeats, in the given order.
 * @throws AppError validation_failed naming `categories` and the ids that are no ticket category.
 */
export function checkCategories(bot: Deps['bot'], categories: readonly string[]): string[] {
  const unique = [...new Set(categories)];
  const known = ticketCategories(bot.texts).map((category) => category.id);
  const unknown = unique.filter((id) => !known.includes(id));
  if (unknown.length) {
    throw fieldError(
      'categories',
      `not a category: ${unknown.slice(0, 5).join(', ')} (known: ${known.join(', ')})`,
    );
  }
  return unique;
}

/** @returns a 409 naming `name` for a duplicate name, a 400 naming `memberIds` for an agent deleted meanwhile; any other error as it is. */
export function teamWriteError(error: unknown, name: string | undefined): unknown {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (error instanceof DuplicateTeamName) {
    return new AppError('conflict', `name: a team named "${name ?? ''}" already exists`);
  }
  if (code === 'P2003' || code === '23503' || /foreign key/i.test(message ?? '')) {
    return fieldError('memberIds', 'an agent was deleted meanwhile; try again');
  }
  return error;
}
