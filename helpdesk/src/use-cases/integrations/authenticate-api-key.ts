/**
 * Authenticates a request to the integration API (`/api/integration/*` only): `Authorization:
 * Bearer hk_…`, looked up by the key's SHA-256, not revoked, with the route's scope. Agents'
 * session tokens are not accepted here, and API keys are not accepted on the agents' routes (the
 * agents' authentication knows only sessions). A use is recorded at most once a minute.
 */
import type { ApiKeyScope } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { findApiKeyByHash, touchApiKey, type ApiKeyRow } from '../../store/integrations';
import { API_KEY_PREFIX, hashApiKey } from './api-key-secret';

/**
 * @param authorization the request's `Authorization` header, if any.
 * @returns the key.
 * @throws AppError unauthorized (no key, unknown or revoked); forbidden (the key lacks `scope`).
 */
export async function authenticateApiKey(
  deps: Pick<Deps, 'pool' | 'log'>,
  authorization: string | undefined,
  scope: ApiKeyScope,
  now = new Date(),
): Promise<ApiKeyRow> {
  const header = authorization;
  const key = header ? /^Bearer\s+(\S+)\s*$/i.exec(header)?.[1] : undefined;
  if (!key || !key.startsWith(API_KEY_PREFIX)) {
    throw new AppError(
      'unauthorized',
      'authorization: send an integration API key as "Authorization: Bearer hk_…"',
    );
  }
  const found = await findApiKeyByHash(deps.pool, hashApiKey(key));
  if (!found || found.revokedAt) {
    throw new AppError('unauthorized', 'authorization: the API key is unknown or has been revoked');
  }
  if (!found.scopes.includes(scope)) {
    throw new AppError('forbidden', `scope: this API key lacks the "${scope}" scope`);
  }
  await touchApiKey(deps.pool, found.id, now).catch((error: unknown) =>
    deps.log.warn({ err: error, apiKeyId: found.id }, 'api key last use not recorded'),
  );
  return found;
}
