/**
 * A template chosen for a message (an agent's template reply, a scheduled message, a broadcast),
 * checked and resolved: synced and APPROVED for the ticket's channel (a WPPConnect ticket: any Cloud
 * API channel's, whose text it sends), made only of parts we can fill (no media header or button
 * variable), with its variables' counts exact; resolved to what the driver sends
 * (whatsapp/driver.ts OutboundTemplate).
 */
import {
  renderTemplate,
  templateGraphComponents,
  templateVariables,
  unsupportedTemplatePart,
  usesNamedParameters,
  type TemplateComponent,
} from '@whatsapp-helpdesk/contract/api';
import { AppError } from '../../errors';
import { findTemplate } from '../../store/message-templates';
import type { Queryable } from '../../store/sql';
import type { OutboundTemplate } from '../../whatsapp/driver';

/** A template as the API received it. */
export interface TemplateChoice {
  name: string;
  language: string;
  parameters: { header?: string[]; body: string[] };
}

/**
 * @returns the template to send, with its text filled in.
 * @throws AppError validation_failed naming `template.name` (not synced for the channel, not
 *   APPROVED, or with a part we cannot fill) or `template.parameters.header` / `.body` (the count differs from the template's).
 */
export async function resolveTemplate(
  pool: Queryable,
  ticket: { provider: string; channel: string },
  choice: TemplateChoice,
): Promise<OutboundTemplate> {
  const template = await findTemplate(
    pool,
    ticket.provider === 'cloud' ? ticket.channel : null,
    choice.name,
    choice.language,
  );
  if (!template) {
    throw new AppError(
      'validation_failed',
      `template.name: no template "${choice.name}" in language ${choice.language} is synced for this channel (sync the templates from Meta)`,
    );
  }
  if (template.status !== 'APPROVED') {
    throw new AppError(
      'validation_failed',
      `template.name: template "${choice.name}" (${choice.language}) is ${template.status}; only APPROVED templates can be sent`,
    );
  }
  const components = template.components as TemplateComponent[];
  const unsupported = unsupportedTemplatePart(components);
  if (unsupported) {
    throw new AppError(
      'validation_failed',
      `template.name: template "${choice.name}" cannot be sent here: ${unsupported}`,
    );
  }
  const variables = templateVariables(components);
  const header = choice.parameters.header ?? [];
  if (header.length !== variables.header.length) {
    throw new AppError(
      'validation_failed',
      `template.parameters.header: template "${template.name}" has ${variables.header.length} header variable(s); ${header.length} given`,
    );
  }
  if (choice.parameters.body.length !== variables.body.length) {
    throw new AppError(
      'validation_failed',
      `template.parameters.body: template "${template.name}" has ${variables.body.length} body variable(s); ${choice.parameters.body.length} given`,
    );
  }
  const parameters = { header, body: choice.parameters.body };
  return {
    name: template.name,
    language: template.language,
    components: templateGraphComponents(variables, parameters, usesNamedParameters({ components })),
    text: renderTemplate(components, parameters),
  };
}
