/**
 * An admin creates or changes an outgoing webhook (issue 17). The signing secret (given, or 32
 * random bytes base64url when absent) is sealed with SecretBox (CHANNEL_SECRETS_KEY) and answered
 * only by the creation.
 */
import { randomBytes } from 'node:crypto';
import type { OutgoingWebhookCreateBody } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import {
  insertOutgoingWebhook,
  updateOutgoingWebhook,
  type OutgoingWebhookRow,
} from '../../store/integrations';
import { checkWebhookUrl } from './check-webhook-url';

type WebhookDeps = Pick<Deps, 'pool' | 'config' | 'secretBox'>;

/** @returns the webhook and its secret (shown once). @throws AppError validation_failed (url). */
export async function createOutgoingWebhook(
  deps: WebhookDeps,
  body: OutgoingWebhookCreateBody,
): Promise<{ row: OutgoingWebhookRow; secret: string }> {
  await checkWebhookUrl(body.url, deps.config.outgoingWebhooks.allowPrivateUrls);
  const secret = body.secret ?? `whsec_${randomBytes(32).toString('base64url')}`;
  const row = await insertOutgoingWebhook(deps.pool, {
    name: body.name,
    url: body.url,
    secretSealed: deps.secretBox.seal({ secret }),
    events: [...new Set(body.events)],
    enabled: body.enabled ?? true,
  });
  return { row, secret };
}

/** @throws AppError not_found; validation_failed (url). */
export async function changeOutgoingWebhook(
  deps: WebhookDeps,
  id: string,
  changes: Partial<Omit<OutgoingWebhookCreateBody, 'secret'>>,
): Promise<OutgoingWebhookRow> {
  if (changes.url !== undefined)
    await checkWebhookUrl(changes.url, deps.config.outgoingWebhooks.allowPrivateUrls);
  const row = await updateOutgoingWebhook(deps.pool, id, {
    ...changes,
    events: changes.events ? [...new Set(changes.events)] : undefined,
  });
  if (!row) throw new AppError('not_found', 'id: no such webhook');
  return row;
}

/** The webhook's secret, opened. */
export function webhookSecret(deps: Pick<Deps, 'secretBox'>, row: OutgoingWebhookRow): string {
  return String(deps.secretBox.open(row.secretSealed).secret);
}
