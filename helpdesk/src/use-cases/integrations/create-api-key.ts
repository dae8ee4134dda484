/**
 * An admin creates an integration API key (issue 17): the key is answered once, stored hashed,
 * and the creation is audited (name and scopes only).
 */
import type { ApiKeyCreateBody } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { insertApiKey, type ApiKeyRow } from '../../store/integrations';
import { recordAudit } from '../audit/record-audit';
import { API_KEY_SHOWN_CHARACTERS, hashApiKey, newApiKey } from './api-key-secret';

/** @returns the stored key and the key itself (never stored, never shown again). */
export async function createApiKey(
  deps: Pick<Deps, 'pool'>,
  adminId: string,
  body: ApiKeyCreateBody,
): Promise<{ row: ApiKeyRow; key: string }> {
  const key = newApiKey();
  const row = await insertApiKey(deps.pool, {
    name: body.name,
    scopes: [...new Set(body.scopes)],
    keyHash: hashApiKey(key),
    keyPrefix: key.slice(0, API_KEY_SHOWN_CHARACTERS),
    createdBy: adminId,
  });
  // Neither the key nor its prefix: the audit log holds nothing that helps guess a key.
  await recordAudit(deps.pool, {
    action: 'api_key.created',
    subjectType: 'api_key',
    subjectId: row.id,
    data: { name: row.name, scopes: row.scopes },
  });
  return { row, key };
}
