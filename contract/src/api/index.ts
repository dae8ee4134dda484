/**
 * The helpdesk API's resources: one zod schema per resource and request, from which the server's
 * answers (helpdesk/src/http/routes/api/views.ts), its validation and OpenAPI document, and the
 * console's types are all inferred. Dates travel as ISO 8601 strings.
 */
export * from './agents.ts';
export * from './audit.ts';
export * from './auto-replies.ts';
export * from './canned-responses.ts';
export * from './channels.ts';
export * from './common.ts';
export * from './customers.ts';
export * from './errors.ts';
export * from './labels.ts';
export * from './message-retry.ts';
export * from './messages.ts';
export * from './queue.ts';
export * from './scheduled-messages.ts';
export * from './integrations.ts';
export * from './broadcasts.ts';
export * from './reports.ts';
export * from './search.ts';
export * from './sla-policies.ts';
export * from './stats.ts';
export * from './stream.ts';
export * from './teams.ts';
export * from './templates.ts';
export * from './ticket-actions.ts';
export * from './tickets.ts';
export * from './ticket-vocabulary.ts';
