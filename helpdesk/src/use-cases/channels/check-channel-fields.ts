/**
 * Checks of a channel body the contract cannot make: the team exists, the business hours parse
 * (domain/business-hours.ts), the texts have the bot's shape; and how given overrides merge with
 * stored ones.
 */
import type { ChannelOverridesBody } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { botTextsSchema } from '../../domain/bot-texts';
import { parseBusinessHours } from '../../domain/business-hours';
import { validationError, type AppError } from '../../errors';
import { teamExists } from '../../store/teams';

/** @throws AppError validation_failed naming `teamId` when no team has this id. */
export async function checkTeam(db: Deps['db'], teamId: string | null | undefined): Promise<void> {
  if (teamId && !(await teamExists(db, teamId))) {
    throw fieldError('teamId', `no team ${teamId}`);
  }
}

/**
 * The stored overrides after applying `given` to `stored`: a key given sets it, null removes it
 * (the deployment's applies), a key left out stays.
 * @throws AppError validation_failed naming `overrides.businessHours` or `overrides.texts.…`.
 */
export function mergeOverrides(
  stored: Record<string, unknown>,
  given: ChannelOverridesBody | undefined,
): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...stored };
  if (!given) return merged;
  if (typeof given.businessHours === 'string') {
    try {
      parseBusinessHours(given.businessHours);
    } catch (error) {
      throw fieldError(
        'overrides.businessHours',
        `${(error as Error).message} (example: "sat-thu 09:00-23:00, fri 14:00-23:00")`,
      );
    }
  }
  if (given.texts) {
    const parsed = botTextsSchema.partial().safeParse(given.texts);
    if (!parsed.success) {
      throw validationError({
        issues: parsed.error.issues.map((issue) => ({
          path: ['overrides', 'texts', ...issue.path],
          message: issue.message,
        })),
      });
    }
  }
  for (const key of ['businessHours', 'businessTimeZone', 'botLanguage', 'texts', 'csat'] as const) {
    const value = given[key];
    if (value === undefined) continue;
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

/**
 * A 400 naming one field, shaped as the contract's validation errors (`details.fields`).
 * @param field the dotted path, e.g. `wppconnect.apiKey`.
 */
export function fieldError(field: string, problem: string): AppError {
  return validationError({ issues: [{ path: field.split('.'), message: problem }] });
}
