/**
 * WhatsApp message templates of Cloud API channels (issue 17): synced from Meta's Graph API
 * (`GET /{version}/{waba-id}/message_templates?fields=name,language,category,status,components`,
 * Meta, "WhatsApp Business Account — Message Templates" reference,
 * https://developers.facebook.com/docs/graph-api/reference/whats-app-business-account/message_templates/),
 * listed for agents, and sent in a reply outside the 24-hour customer-service window (Meta, "Send
 * message templates": `type: "template"`, `template: { name, language: { code }, components }`).
 *
 * Variables: a HEADER of format TEXT and the BODY may hold positional variables `{{1}}`, `{{2}}`, …
 * or, with `parameter_format: "NAMED"`, named ones such as `{{first_name}}` (Meta, "Template
 * parameters"). Each is filled with a text parameter when sending; `templateVariables` lists them
 * in order, `renderTemplate` fills them for the preview the helpdesk stores as the message text,
 * `templateGraphComponents` builds the send's `components`. Pure: shared by server and console.
 */
import { z } from 'zod';
import { dateTimeSchema } from './common.ts';

/** A component as Meta returns it (only the fields the helpdesk reads are typed; others kept). */
export const templateComponentSchema = z
  .object({
    type: z.string().describe('HEADER, BODY, FOOTER or BUTTONS'),
    format: z.string().optional().describe('HEADER: TEXT, IMAGE, VIDEO, DOCUMENT or LOCATION'),
    text: z.string().optional(),
  })
  .loose();
export type TemplateComponent = z.infer<typeof templateComponentSchema>;

/** The variables of a template, per component, in the order they are filled. */
export const templateVariablesSchema = z.object({
  header: z.array(z.string()).describe('names of the header variables: "1", "2"… or named'),
  body: z.array(z.string()).describe('names of the body variables: "1", "2"… or named'),
});
export type TemplateVariables = z.infer<typeof templateVariablesSchema>;

/** One template of `GET /api/templates`. */
export const messageTemplateSchema = z
  .object({
    id: z.uuid(),
    channelKey: z.string().describe("the Cloud API phone number id of the template's channel"),
    channelName: z.string(),
    name: z.string(),
    language: z.string().describe('Meta language code, e.g. en_US, ar'),
    category: z.string().describe('MARKETING, UTILITY or AUTHENTICATION'),
    status: z.string().describe('APPROVED, PENDING, REJECTED, PAUSED, DISABLED… (only APPROVED can be sent)'),
    components: z.array(templateComponentSchema),
    variables: templateVariablesSchema,
    syncedAt: dateTimeSchema,
  })
  .meta({ id: 'MessageTemplate' });
export type MessageTemplate = z.infer<typeof messageTemplateSchema>;

export const messageTemplateListSchema = z
  .object({ items: z.array(messageTemplateSchema) })
  .meta({ id: 'MessageTemplateList' });
export type MessageTemplateList = z.infer<typeof messageTemplateListSchema>;

/** `GET /api/templates` query. */
export const templateListQuerySchema = z.object({
  channel: z
    .string()
    .trim()
    .min(1, 'must be a channel key')
    .max(200)
    .optional()
    .describe("only this channel's templates: a channel's key from GET /api/channels"),
});
export type TemplateListQuery = z.input<typeof templateListQuerySchema>;

/** `POST /api/channels/:id/templates/sync` answer. */
export const templateSyncResultSchema = z
  .object({
    channelId: z.uuid(),
    templates: z.number().int().describe('how many templates Meta listed (all stored)'),
    removed: z.number().int().describe('stored templates Meta no longer lists, deleted'),
    syncedAt: dateTimeSchema,
  })
  .meta({ id: 'TemplateSyncResult' });
export type TemplateSyncResult = z.infer<typeof templateSyncResultSchema>;

/** Longest text of one parameter, characters. */
export const TEMPLATE_PARAMETER_MAX = 1024;

const parameterSchema = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(TEMPLATE_PARAMETER_MAX, `must be at most ${TEMPLATE_PARAMETER_MAX} characters`);

/** The `template` of a reply: which template, and the texts of its variables in order. */
export const templateSendSchema = z.object({
  name: z.string().trim().min(1, 'is required').max(512),
  language: z.string().trim().min(1, 'is required').max(20),
  parameters: z
    .object({
      header: z.array(parameterSchema).max(1, 'a header has at most 1 variable').optional(),
      body: z.array(parameterSchema).max(100).default([]),
    })
    .default({ body: [] }),
});
export type TemplateSend = z.input<typeof templateSendSchema>;

const POSITIONAL = /\{\{\s*(\d+)\s*\}\}/g;
const NAMED = /\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}/g;

/** Whether a template uses named parameters (`parameter_format: "NAMED"`, Meta, "Template parameters"). */
export function usesNamedParameters(
  template: { components: TemplateComponent[] } & Record<string, unknown>,
): boolean {
  if (template.parameter_format === 'NAMED') return true;
  return template.components.some((component) => {
    const text = component.text ?? '';
    return !/\{\{\s*\d+\s*\}\}/.test(text) && /\{\{\s*[a-z_][a-z0-9_]*\s*\}\}/.test(text);
  });
}

function variablesOf(text: string | undefined): string[] {
  if (!text) return [];
  const names: string[] = [];
  for (const pattern of [POSITIONAL, NAMED]) {
    for (const match of text.matchAll(pattern)) if (!names.includes(match[1]!)) names.push(match[1]!);
    if (names.length) break;
  }
  // Positional variables are filled in their number's order ({{1}} first), whatever the text's order.
  return names.every((name) => /^\d+$/.test(name)) ? names.sort((a, b) => Number(a) - Number(b)) : names;
}

/** The header (TEXT format) and body variables of a template's components, in filling order. */
export function templateVariables(components: TemplateComponent[]): TemplateVariables {
  const header = components.find((component) => component.type.toUpperCase() === 'HEADER');
  const body = components.find((component) => component.type.toUpperCase() === 'BODY');
  return {
    header: header && (header.format ?? 'TEXT').toUpperCase() === 'TEXT' ? variablesOf(header.text) : [],
    body: variablesOf(body?.text),
  };
}

/**
 * Why the helpdesk cannot send a template, or null when it can: it fills text variables only, so
 * a media or location header (which needs a media link) and a button with a variable (a dynamic
 * URL, which needs a button parameter) are refused before Meta would refuse them (error 132012).
 */
export function unsupportedTemplatePart(components: TemplateComponent[]): string | null {
  const header = components.find((component) => component.type.toUpperCase() === 'HEADER');
  const format = (header?.format ?? 'TEXT').toUpperCase();
  if (header && format !== 'TEXT') return `its header is ${format}, which the helpdesk cannot fill`;
  const buttons = components.find((component) => component.type.toUpperCase() === 'BUTTONS');
  if (buttons && /\{\{[^}]*\}\}/.test(JSON.stringify(buttons))) {
    return 'a button has a variable (a dynamic URL), which the helpdesk cannot fill';
  }
  return null;
}

function fill(text: string, names: string[], values: readonly string[]): string {
  return text.replace(/\{\{\s*([A-Za-z0-9_]+)\s*\}\}/g, (whole, name: string) => {
    const index = names.indexOf(name);
    return index >= 0 && values[index] !== undefined && values[index] !== '' ? values[index]! : whole;
  });
}

/**
 * The text a customer reads: header (TEXT), body and footer with the variables filled, separated by
 * blank lines. A variable without a value stays as `{{n}}`.
 */
export function renderTemplate(
  components: TemplateComponent[],
  parameters: { header?: readonly string[]; body?: readonly string[] },
): string {
  const variables = templateVariables(components);
  const part = (type: string) => components.find((component) => component.type.toUpperCase() === type);
  const header = part('HEADER');
  const headerText =
    header && (header.format ?? 'TEXT').toUpperCase() === 'TEXT' && header.text
      ? fill(header.text, variables.header, parameters.header ?? [])
      : null;
  const body = part('BODY')?.text ? fill(part('BODY')!.text!, variables.body, parameters.body ?? []) : null;
  const footer = part('FOOTER')?.text ?? null;
  return [headerText, body, footer].filter((text): text is string => Boolean(text?.trim())).join('\n\n');
}

/** One text parameter of a send (Meta, "Send message templates", parameters of type text). */
export interface GraphTextParameter {
  type: 'text';
  text: string;
  /** Named parameters only. */
  parameter_name?: string;
}

/** A component of a template send: the header's or the body's parameters. */
export interface GraphTemplateComponent {
  type: 'header' | 'body';
  parameters: GraphTextParameter[];
}

/**
 * The `components` of a template send: a `header` and a `body` component with one text parameter
 * per variable (named ones carry `parameter_name`); a component without variables is left out.
 */
export function templateGraphComponents(
  variables: TemplateVariables,
  parameters: { header?: readonly string[]; body?: readonly string[] },
  named: boolean,
): GraphTemplateComponent[] {
  const component = (type: 'header' | 'body', names: string[], values: readonly string[] = []) => ({
    type,
    parameters: names.map((name, index) => ({
      type: 'text' as const,
      text: values[index] ?? '',
      ...(named ? { parameter_name: name } : {}),
    })),
  });
  return [
    ...(variables.header.length ? [component('header', variables.header, parameters.header)] : []),
    ...(variables.body.length ? [component('body', variables.body, parameters.body)] : []),
  ];
}
