/**
 * Sending a failed message again: `POST /api/tickets/:id/messages/:messageId/retry` answers 202 with
 * the Message (messages.ts), back to `queued`.
 */
import { z } from 'zod';
import { idParamsSchema } from './common.ts';

/** The path of one message of a ticket: `{ id, messageId }`, errors naming the parameter. */
export const ticketMessageParamsSchema = idParamsSchema.extend({
  messageId: z.uuid({ message: 'must be a UUID' }),
});
export type TicketMessageParams = z.infer<typeof ticketMessageParamsSchema>;
