/** An admin deletes an outgoing webhook (issue 17) and its delivery log; the deletion is audited. */
import type { Deps } from '../../context';
import { AppError } from '../../errors';
import { deleteOutgoingWebhook as removeWebhook, findOutgoingWebhook } from '../../store/integrations';
import { auditUrl, recordAudit } from '../audit/record-audit';

/** @throws AppError not_found when there is no such webhook. */
export async function deleteOutgoingWebhook(deps: Pick<Deps, 'pool'>, id: string): Promise<void> {
  const webhook = await findOutgoingWebhook(deps.pool, id);
  if (!webhook || !(await removeWebhook(deps.pool, id))) {
    throw new AppError('not_found', 'id: no such webhook');
  }
  await recordAudit(deps.pool, {
    action: 'webhook.deleted',
    subjectType: 'webhook',
    subjectId: id,
    data: { name: webhook.name, url: auditUrl(webhook.url) },
  });
}
