/** The stored message templates for the agents' picker and the admins' page (`GET /api/templates`). */
import {
  templateVariables,
  type MessageTemplate,
  type TemplateComponent,
} from '@whatsapp-helpdesk/contract/api';
import type { Deps } from '../../context';
import { listTemplates as listTemplateRows, type TemplateRow } from '../../store/message-templates';

/** A stored template as the API answers it, with its variables per component. */
export function templateView(template: TemplateRow): MessageTemplate {
  const components = template.components as TemplateComponent[];
  return {
    id: template.id,
    channelKey: template.channelKey,
    channelName: template.channelName,
    name: template.name,
    language: template.language,
    category: template.category,
    status: template.status,
    components,
    variables: templateVariables(components),
    syncedAt: template.syncedAt.toISOString(),
  };
}

/**
 * @param channelKey only this channel's templates (a Cloud API phone number id); every Cloud API
 *   channel's when absent. A WPPConnect channel's key lists none.
 */
export async function listMessageTemplates(
  deps: Pick<Deps, 'pool'>,
  channelKey?: string,
): Promise<MessageTemplate[]> {
  return (await listTemplateRows(deps.pool, channelKey)).map(templateView);
}
