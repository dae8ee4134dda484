/** An admin revokes an integration API key (issue 17): refused with 401 from now on, and audited. */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { revokeApiKey as writeRevocation, type ApiKeyRow } from '../../store/integrations';
import { recordAudit } from '../audit/record-audit';

/**
 * Revokes a key (revoking it again keeps the first time and records nothing more).
 * @returns the key as stored, `revokedAt` set.
 * @throws AppError not_found when there is no such key.
 */
export async function revokeApiKey(
  deps: Pick<Deps, 'pool'>,
  id: string,
  now = new Date(),
): Promise<ApiKeyRow> {
  const row = await writeRevocation(deps.pool, id, now);
  if (!row) throw new AppError('not_found', 'id: no such API key');
  if (row.revokedAt?.getTime() === now.getTime()) {
    await recordAudit(deps.pool, {
      action: 'api_key.revoked',
      subjectType: 'api_key',
      subjectId: id,
      data: { name: row.name },
    });
  }
  return row;
}
