/**
 * An admin creates or changes an outgoing webhook (issue 17). The signing secret (given, or 32
 * random bytes base64url when absent) is sealed with SecretBox (CHANNEL_SECRETS_KEY) and answered
 * only by the creation. Both are audited, never with the secret (and the URL without its query).
 */
import { randomBytes } from 'node:crypto';
import type { OutgoingWebhookCreateBody } from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import {
  findOutgoingWebhook,
  insertOutgoingWebhook,
  updateOutgoingWebhook,
  type OutgoingWebhookRow,
} from '../../store/integrations';
import { auditChanges, auditUrl, recordAudit } from '../audit/record-audit';
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
  await recordAudit(deps.pool, {
    action: 'webhook.created',
    subjectType: 'webhook',
    subjectId: row.id,
    data: { name: row.name, url: auditUrl(row.url), events: row.events, enabled: row.enabled },
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
  const before = await findOutgoingWebhook(deps.pool, id);
  const row = before
    ? await updateOutgoingWebhook(deps.pool, id, {
        ...changes,
        events: changes.events ? [...new Set(changes.events)] : undefined,
      })
    : null;
  if (!before || !row) throw new AppError('not_found', 'id: no such webhook');
  const audited = (webhook: OutgoingWebhookRow) => ({ ...webhook, url: auditUrl(webhook.url) });
  await recordAudit(deps.pool, {
    action: 'webhook.updated',
    subjectType: 'webhook',
    subjectId: id,
    data: { changes: auditChanges(audited(before), audited(row), ['name', 'url', 'events', 'enabled']) },
  });
  return row;
}

/** The webhook's secret, opened. */
export function webhookSecret(deps: Pick<Deps, 'secretBox'>, row: OutgoingWebhookRow): string {
  return String(deps.secretBox.open(row.secretSealed).secret);
}
