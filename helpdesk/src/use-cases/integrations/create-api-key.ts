/** An admin creates an integration API key (issue 17): the key is answered once, stored hashed. */
import type { ApiKeyCreateBody } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { insertApiKey, type ApiKeyRow } from '../../store/integrations';
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
  return { row, key };
}
